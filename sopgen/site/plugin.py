"""The MkDocs plugin ``sopgen``: a thin adapter over the core.

It loads and validates the project, renders every page in memory, then hands
MkDocs virtual files (``File.generated``; nothing is written into ``docs/``)
and a navigation. It also brings the Markdown extensions and theme features
the templates need, so a three-line ``mkdocs.yml`` works::

    site_name: My handbook
    theme: material
    plugins: [search, sopgen]
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any, Callable, Optional

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files

from ..core import outputs
from ..core.branding import brand
from ..core.catalog import Catalog
from ..core.errors import BadEnvironment, Problem, SopgenError, TemplateFailed, summary
from ..core.loader import load
from ..core.markdown import markdown_extensions
from ..core.validate import REVIEW_OVERDUE, validate
from ..history.log import LATEST_EPOCH, attach, read_history, reference_time, source_date_epoch
from ..history.steps import StepHistory
from ..print.handbook import PAGE_SIZES, handbook_names, pdf_path
from ..text.templating import bytecode_cache, environment
from .navigation import merge_nav, nav_title
from .pagecheck import neutralise
from .pages import ASSETS, FEATURES, UNSEARCHED, Site, render, source_in_docs

log = logging.getLogger("mkdocs.plugins.sopgen")
SERVE_JS = "assets/sopgen/serve.js"
"""Under serve only: shows on every page why the last save could not be built."""
SERVE_STATUS = "sopgen-status.json"
"""Under serve only: the problems of the last save, read by serve.js."""

class _Broken(PluginError):
    """The sources could not be made into a site; ``lines`` says why, a problem a line."""

    def __init__(self, message: str, lines: list[str]) -> None:
        super().__init__(message)
        self.lines = lines


class SopgenConfig(base.Config):
    sops_dir = c.Type(str, default="sops")
    """Folder of the YAML sources, relative to mkdocs.yml."""
    pdf = c.Type(bool, default=True)
    """Build the PDF handbooks with the site (never under `serve`)."""
    pdf_page_size = c.Choice(PAGE_SIZES, default="A4")
    """Paper size of the PDF handbooks: A4 or Letter."""


class SopgenPlugin(BasePlugin[SopgenConfig]):
    """Turns ``sops/`` into a handbook: manuals, onboarding guides, checklists and SOP pages."""

    def __init__(self) -> None:
        self.site: Optional[Site] = None
        self.pdfs: dict[str, str] = {}
        self.catalog: Optional[Catalog] = None
        self.preloaded: Optional[tuple[Catalog, list[Problem]]] = None
        """Set by ``sopgen build``, which validated already and reported the problems."""
        self.progress_start: Optional[Callable[[int], None]] = None
        """Called with the number of pages once they are known (the CLI's progress bar)."""
        self.progress_page: Optional[Callable[[str], None]] = None
        """Called with each page's path as MkDocs renders it."""
        self.today: Optional[date] = None
        """The build's one date (its last commit's, or SOURCE_DATE_EPOCH), decided before validating."""
        self.pdf_enabled: Optional[bool] = None
        """Set by `sopgen build --no-pdf`; otherwise the `pdf` option, and off under serve."""
        self.progress_pdf: Optional[Callable[[int, Optional[str]], None]] = None
        """Called with the number of handbooks, then with each finished one (the CLI's progress)."""
        self.command = "build"
        self.dirty = False
        """Whether MkDocs builds without emptying the site folder first (`mkdocs build --dirty`)."""
        self.site_lock: Optional[contextlib.ExitStack] = None
        """While a build writes its site folder: the lock that keeps other builds out (see outputs.lock)."""
        self.server: Any = None
        self.history: Any = None
        self.steps: Optional[StepHistory] = None
        """What each version of an SOP changed (for the training pages), kept across serve rebuilds."""
        self.env: Any = None
        self.env_key: Any = None
        self.read_cache: dict[Any, Any] = {}
        """Under serve: source files already read, reused while unchanged."""
        self.page_cache_md: dict[str, Any] = {}
        """Under serve: SOP pages already rendered, reused while their inputs are unchanged."""
        self.page_cache: Optional[Path] = None
        """Under serve: where generated pages are kept as files, so that unchanged ones are not rebuilt."""
        self.written: dict[str, str] = {}
        """Under serve: the Markdown last written for each page in ``page_cache``."""
        self.said: Optional[str] = None
        self.epoch: Optional[str] = None
        """The SOURCE_DATE_EPOCH this plugin set (it leaves one set by the user alone)."""
        self.watched: set[str] = set()
        self.problems_shown: list[str] = []
        """Under serve: why the last save could not be built (the last good build stays on show)."""
        self.outputs: set[str] = set()
        """Under serve: the site's files (``dest_uri``) of the last build, to remove those that vanish."""
        self.page_urls: list[str] = []
        """Under serve: the address of every page of this build, in order."""
        self.built: set[str] = set()
        """Under serve: the addresses of the pages this (dirty) build rendered."""
        self.search_entries: dict[str, list[Any]] = {}
        """Under serve: each page's entries of the search index, from the build that last rendered it."""
        self.outputs_gone: list[str] = []
        """Under serve: the site's files of the last build that this build no longer has."""
        self.nav_shown: dict[str, int] = {}
        """Under serve: for each page, a digest of the navigation it shows (see :func:`_nav_shown`)."""

    # -- events --------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance across `mkdocs serve` rebuilds.
        self.command, self.dirty = command, dirty

    def on_shutdown(self) -> None:
        if self.site_lock is not None:
            self.site_lock.close()
            self.site_lock = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._watch_sources(config)  # under serve: a templates/ folder may have appeared
        _add_extensions(config)
        _add_features(config)
        project = self.project_dir(config)
        try:  # plain `mkdocs build` refuses fewer folders, and would empty this one next
            outputs.check(Path(config.site_dir), project=project, what="the site", shown=config.site_dir,
                          kept=outputs.kept_folders(project, sops_dir=self.config.sops_dir, docs_dir=config.docs_dir))
            if self.command in ("build", "gh-deploy") and not self.dirty:  # MkDocs empties the folder next
                outputs.check_site(Path(config.site_dir), shown=config.site_dir)
        except SopgenError as exc:
            raise PluginError(f"sopgen: {exc}") from None
        if self.command in ("build", "gh-deploy") and self.site_lock is None:
            # one build at a time writes a site folder, plain `mkdocs build` too (`sopgen build`
            # holds the lock already: then it is only counted); released at on_shutdown
            self.site_lock = contextlib.ExitStack()
            self.site_lock.enter_context(outputs.lock(Path(config.site_dir), echo=log.info))
        try:
            source_date_epoch()  # MkDocs reads it too, and would fail on a bad one with an error of its own
        except BadEnvironment as exc:
            raise PluginError(f"sopgen: {exc}") from None
        try:
            self._make_site(config, project)
            self.problems_shown = []
        except _Broken as exc:
            if self.command != "serve" or self.site is None:
                raise
            # keep serving the last good build; every page says why it did not change (serve.js)
            self.problems_shown = exc.lines
            log.error(f"{exc}; still serving the last good build")
        if self.site.logo:  # organization.yml's logo brands the header, over theme.logo
            config.theme["logo"] = self.site.logo
        for css in self.site.css:
            if css not in config.extra_css:
                config.extra_css.append(css)
        for js in self.site.js + ([SERVE_JS] if self.command == "serve" else []):
            if js not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(js)
        return config

    def _make_site(self, config: MkDocsConfig, project: Path) -> None:
        """Load, validate and render the sources into ``self.site``; PluginError on any error."""
        if self.preloaded is not None:
            catalog, problems = self.preloaded
            self.preloaded = None  # a `serve` rebuild reads the sources again
            self._read_history(catalog, project)
        else:
            try:
                catalog = load(project, sops_dir=self.config.sops_dir,
                               cache=self.read_cache if self.command == "serve" else None)
            except Exception as exc:  # noqa: BLE001 - the loader raises our own errors only
                raise _Broken(f"sopgen: {exc}", str(exc).splitlines()) from None
            self._read_history(catalog, project)
            problems = validate(catalog, today=self.today)  # the date the pages will show
            for problem in problems:
                if problem.severity == "error":
                    log.error(str(problem))
                elif problem.rule == REVIEW_OVERDUE:
                    log.info(str(problem))  # editorial state, shown on /reviews/: not a build warning
                else:
                    log.warning(str(problem))
        if any(p.severity == "error" for p in problems):
            raise _Broken(f"sopgen: {summary(problems)}; fix them and build again",
                          [str(p) for p in problems if p.severity == "error"])
        if catalog.history.note and catalog.history.note != self.said:
            log.info(f"sopgen: {catalog.history.note}")
            self.said = catalog.history.note
        catalog.name_after_site(config.site_name)
        self.catalog = catalog
        self.pdfs = self._pdfs(catalog)
        try:
            self.site = render(catalog, self._environment(project), today=self.today, pdfs=self.pdfs,
                               cache=self.page_cache_md if self.command == "serve" else None,
                               color=brand(catalog, theme=config.theme, docs_dir=Path(config.docs_dir)).color,
                               changes=self._step_history(project))
        except TemplateFailed as exc:
            raise _Broken(f"sopgen: {exc}", [str(exc)]) from None
        for path in [p for p in self.page_cache_md if p not in self.site.pages]:
            del self.page_cache_md[path]  # an SOP deleted or renamed

    def _read_history(self, catalog: Catalog, project: Path) -> None:
        """Attach the history (unless the caller did) and decide this build's one date, ``self.today``."""
        if catalog.history is None:
            # under serve, the previous history saves a pass over git log when no commit was made
            self.history = read_history(project, sops_dir=self.config.sops_dir, previous=self.history)
            attach(catalog, self.history)
        if self.epoch is not None and os.environ.get("SOURCE_DATE_EPOCH") == self.epoch:
            del os.environ["SOURCE_DATE_EPOCH"]  # set for the last build by this plugin: HEAD may have moved
        made_at = reference_time(catalog.history)
        self.today = made_at.date()
        if not os.environ.get("SOURCE_DATE_EPOCH", "").strip():
            # MkDocs dates the sitemap and the gzip header with it: the same commit, the same bytes
            # (a commit of a machine whose clock was wrong may lie beyond what a gzip header holds)
            stamp = min(max(int(made_at.timestamp()), 0), LATEST_EPOCH)
            self.epoch = os.environ["SOURCE_DATE_EPOCH"] = str(stamp)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.site is not None
        project = self.project_dir(config)
        docs_dir = Path(config.docs_dir).resolve()
        if not docs_dir.is_relative_to(project):  # `sopgen build` without docs/ uses an empty stand-in
            docs_dir = project / "docs"
        own = []
        for page in self.site.pages.values():
            if files.get_file_from_path(page.path) is not None:
                log.info(f"sopgen: docs/{page.path} replaces the generated page")
                continue
            file = self._page_file(config, page.path, page.markdown)
            if page.source is not None:
                file.edit_uri = source_in_docs(page.source, docs_dir=docs_dir)
            files.append(file)
            own.append(page.path)
        for dest, source in self.site.files.items():
            if files.get_file_from_path(dest) is None:
                files.append(File.generated(config, dest, abs_src_path=str(source)))
        for dest, text in self.site.texts.items():
            if files.get_file_from_path(dest) is None:
                files.append(File.generated(config, dest, content=text))
        if self.command == "serve":
            files.append(File.generated(config, SERVE_JS, abs_src_path=str(ASSETS / "serve.js")))
            for path in [p for p in self.written if p not in own]:  # a page deleted or renamed
                del self.written[path]
                (self.page_cache / path).unlink(missing_ok=True)
        for dest in self.pdfs.values():
            # a placeholder, so links to the handbook validate; on_post_build writes the PDF
            files.append(File.generated(config, dest, content=b""))
        handwritten = sorted(
            f.src_uri for f in files.documentation_pages()
            if f.generated_by is None and f.src_uri not in self.site.pages
        )
        config.nav = merge_nav(config.nav, self.site.nav, handwritten)
        if self.progress_start is not None:
            self.progress_start(len(files.documentation_pages()))
        return files

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.command != "serve":
            return
        self.built = set()
        for plugin in config.plugins.values():
            # Material's search carries the last index over a dirty build and replaces the entries
            # of one page only (all of them, when that page is the home page): sopgen keeps each
            # page's entries itself (see _whole_search_index), and needs the index of this build alone.
            if hasattr(plugin, "search_index_prev"):
                plugin.search_index_prev = None

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        if self.command == "serve":
            self.built.add(_address(page.url))
        return output

    def _on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.command == "serve":
            status = {"problems": self.problems_shown}
            (Path(config.site_dir) / SERVE_STATUS).write_text(json.dumps(status), encoding="utf-8")
        if not self.pdfs or self.catalog is None:
            return
        from ..print import pdf

        try:
            look = brand(self.catalog, theme=config.theme, docs_dir=Path(config.docs_dir))
            jobs = pdf.plan(self.catalog, Path(config.site_dir) / "pdf", roles=list(self.pdfs), today=self.today,
                            page_size=self.config.pdf_page_size, look=look)
            if self.progress_pdf:
                self.progress_pdf(len(jobs), None)
            results = pdf.build(jobs, on_done=lambda r: self.progress_pdf and self.progress_pdf(len(jobs), r.name))
        except SopgenError as exc:
            raise PluginError(f"sopgen: {exc}") from None
        for result in results:
            for warning in dict.fromkeys(result.warnings):
                log.warning(f"pdf/{result.target.name}: {warning}")
        log.info(f"sopgen: {len(results)} PDF handbooks, {sum(r.pages for r in results):,} pages")

    @event_priority(-100)  # after the search plugin has written its index
    def _on_post_build_serve(self, *, config: MkDocsConfig) -> None:
        """Under serve, whose builds are dirty (only changed pages are rendered again), make the
        served site what a fresh build would give: the files of pages and images that are no
        longer part of the site removed, the search index whole."""
        if self.command != "serve":
            return
        site_dir = Path(config.site_dir)
        for dest in self.outputs_gone:
            target = site_dir / dest
            target.unlink(missing_ok=True)
            for folder in target.parents:  # and the folders that held only it
                if folder == site_dir or not folder.is_relative_to(site_dir) or any(folder.iterdir()):
                    break
                folder.rmdir()
        self._whole_search_index(site_dir / "search" / "search_index.json")

    on_post_build = CombinedEvent(_on_post_build, _on_post_build_serve)

    def _whole_search_index(self, index: Path) -> None:
        """Rewrite the search index with the entries of every page of the site: this build's for
        the pages it rendered, the last ones for the others; none for a page that is gone."""
        try:
            data = json.loads(index.read_text(encoding="utf-8"))
            fresh = data["docs"]
        except (OSError, ValueError, KeyError, TypeError):
            return  # no search plugin, or one that writes another format
        by_page: dict[str, list[Any]] = {url: [] for url in self.built}
        for entry in fresh:
            page = str(entry.get("location", "")).split("#", 1)[0]
            if page in by_page:
                by_page[page].append(entry)
        self.search_entries.update(by_page)
        current = set(self.page_urls)
        self.search_entries = {url: e for url, e in self.search_entries.items() if url in current}
        data["docs"] = [entry for url in self.page_urls for entry in self.search_entries.get(url, [])]
        index.write_text(json.dumps(data, separators=(",", ":"), default=str), encoding="utf-8")

    def _step_history(self, project: Path) -> StepHistory:
        """What each version of an SOP changed, kept across serve rebuilds (it reads git again
        only for an SOP whose revisions changed)."""
        if self.steps is None or self.steps.root != project:
            self.steps = StepHistory(project)
        return self.steps

    def _environment(self, project: Path) -> Any:
        """The Jinja environment, kept across serve rebuilds so templates compile once (render
        loads them again at each rebuild, and the bytecode cache compiles only what changed);
        made anew when templates/ appears or goes."""
        key = (project, (project / "templates").is_dir())
        if self.env is None or self.env_key != key:
            self.env, self.env_key = environment(project), key
        return self.env

    def _page_file(self, config: MkDocsConfig, path: str, markdown: str) -> File:
        """A generated page: in memory, or under serve a file rewritten only when its Markdown changed.

        `sopgen serve` builds "dirty": MkDocs then rebuilds only the pages whose source is newer
        than their HTML, so saving one SOP rebuilds the few pages it shows on, not the site.
        """
        if self.command != "serve":
            return File.generated(config, path, content=markdown)
        if self.page_cache is None:
            self.page_cache = Path(tempfile.mkdtemp(prefix="sopgen-serve-"))
            atexit.register(shutil.rmtree, self.page_cache, ignore_errors=True)
        cached = self.page_cache / path
        if self.written.get(path) != markdown:  # compared in memory: no read of every page per save
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(markdown, encoding="utf-8")
            self.written[path] = markdown
        return File.generated(config, path, abs_src_path=str(cached))

    def _pdfs(self, catalog: Catalog) -> dict[str, str]:
        """Handbook name → path in the site, when PDFs are built this time."""
        enabled = self.config.pdf if self.pdf_enabled is None else self.pdf_enabled
        if not enabled or self.command == "serve":
            return {}
        return {name: pdf_path(name) for name in handbook_names(catalog)}

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if self.command == "serve":
            # A dirty build renders only pages whose Markdown changed; a page whose navigation
            # changed (an SOP added, renamed or deleted beside it) is made older than its source
            # so that it is rendered again too, and links to no page that is gone.
            shown = _nav_shown(nav)
            for page in nav.pages:
                before = self.nav_shown.get(page.file.src_uri)
                if before is not None and before != shown[page.file.src_uri]:
                    with contextlib.suppress(OSError):
                        os.utime(page.file.abs_dest_path, ns=(0, 0))
            self.nav_shown = shown
        return nav

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        # the theme's templates too are compiled once, not at every build or serve rebuild
        env.bytecode_cache = env.bytecode_cache or bytecode_cache()
        if self.command == "serve":  # every file of the site as it is now, to remove what vanished
            dests = {f.dest_uri for f in files}
            self.outputs_gone = sorted(self.outputs - dests)
            self.outputs = dests
            self.page_urls = [_address(f.url) for f in files.documentation_pages()]
        return env

    def on_page_markdown(self, markdown: str, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        generated = self.site.pages.get(page.file.src_uri) if self.site else None
        if generated is not None and page.file.generated_by is not None:
            # Themes put meta.title into <title> as HTML, and Material strips tags from
            # page.title there (which unescapes it): give it the escaped plain text.
            page.meta["title"] = nav_title(generated.title)
            if generated.kind in UNSEARCHED:
                page.meta["search"] = {"exclude": True}
        return markdown

    def on_page_content(self, html: str, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        generated = self.site.pages.get(page.file.src_uri) if self.site else None
        if generated is None or page.file.generated_by is None or self.catalog is None \
                or self.catalog.organization.allow_html:
            return html
        # the last look: what the fields did together on this page (see pagecheck.py)
        html, removed = neutralise(html)
        if removed:
            source = f" (from {generated.source.relative_to(self.project_dir(config)).as_posix()})" \
                if generated.source else ""
            log.warning(f"sopgen: {page.file.src_uri}{source}: removed from the page, as it could run script: "
                        f"{', '.join(removed[:3])}{' …' if len(removed) > 3 else ''}; check its Markdown fields")
        return html

    def on_pre_page(self, page: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if self.progress_page is not None:
            self.progress_page(page.file.src_uri)
        return page

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        self.server = server
        self._watch_sources(config)
        return server

    def _watch_sources(self, config: MkDocsConfig) -> None:
        if self.server is None:
            return
        project = self.project_dir(config)
        for folder in (project / self.config.sops_dir, project / "templates"):
            if folder.is_dir() and str(folder) not in self.watched:
                self.server.watch(str(folder))
                self.watched.add(str(folder))

    # -- helpers -------------------------------------------------------------------

    @staticmethod
    def project_dir(config: MkDocsConfig) -> Path:
        return Path(config.config_file_path or ".").resolve().parent


def _nav_shown(nav: Any) -> dict[str, int]:
    """A digest, for each page, of the navigation it shows: the top-level entries, the entries of
    every section it lies in (with ``navigation.prune`` that is all a page carries), and the pages
    before and after it."""
    memo: dict[int, tuple[Any, ...]] = {}

    def target(item: Any) -> Any:
        """Where an entry links: a page's or link's address, a (collapsed) section's first page's."""
        while getattr(item, "children", None):
            item = item.children[0]
        return getattr(item, "url", None)

    def entries(items: list[Any]) -> tuple[Any, ...]:
        if id(items) not in memo:
            memo[id(items)] = tuple((item.title, target(item)) for item in items)
        return memo[id(items)]

    shown = {}
    for page in nav.pages:
        parts = [entries(nav.items)]
        section = page.parent
        while section is not None:
            parts.append(entries(section.children))
            section = section.parent
        parts.append(tuple((p.title, p.url) if p else None for p in (page.previous_page, page.next_page)))
        shown[page.file.src_uri] = hash(tuple(parts))
    return shown


def _address(url: str) -> str:
    """A page's address as search entries give it: the home page's ``./`` is ``""``."""
    return "" if url == "./" else url


def _add_extensions(config: MkDocsConfig) -> None:
    own = {name: config.mdx_configs.get(name) for name in config.markdown_extensions}
    for name, options in markdown_extensions(own).items():
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
        if options:
            config.mdx_configs[name] = options


def _add_features(config: MkDocsConfig) -> None:
    if config.theme.name != "material":
        return
    features = config.theme.get("features") or []
    config.theme["features"] = features + [f for f in FEATURES if f not in features]
    if config.theme.get("font") in (None, {"text": "Roboto", "code": "Roboto Mono"}):
        # Material loads Roboto from Google Fonts by default: a handbook must not call out
        config.theme["font"] = False
