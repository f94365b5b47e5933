"""The MkDocs plugin ``sopgen``: hooks over :func:`sopgen.site.generate.generate`.

A three-line ``mkdocs.yml`` (``site_name``, ``theme: material``, ``plugins: [search, sopgen]``)
builds the handbook: the pages, navigation, Markdown extensions and theme features come from
sopgen (:mod:`sopgen.site.engines.mkdocs.structures`); under serve, what rebuilds keep is a :class:`ServeState`.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any, Optional

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files

from ....core.errors import SopgenError
from ....text.templating import bytecode_cache
from ...generate import Generated, Handover, NotGenerated, dated, generate, reporter
from ...pdfs import make_pdfs, summary
from .servestate import SERVE_JS, ServeState
from .structures import SopgenConfig, add_files, add_to_mkdocs, guard_site
from ...languages import with_alternates, with_switcher
from .translations import build_translations

log = logging.getLogger("mkdocs.plugins.sopgen")


class SopgenPlugin(BasePlugin[SopgenConfig]):
    """Turns ``sops/`` into a handbook: manuals, onboarding guides, checklists and SOP pages."""

    def __init__(self) -> None:
        self.generated: Optional[Generated] = None
        self.handover = Handover()
        self.command, self.dirty = "build", False  # `mkdocs build --dirty` keeps the site folder
        self.serving: Optional[ServeState] = None
        self.held = contextlib.ExitStack()  # the site folder's lock: one build at a time writes it
        self.dating = contextlib.ExitStack()  # SOURCE_DATE_EPOCH, from on_config to the end of the build

    def hand_over(self, handover: Handover) -> None:
        """What ``sopgen build`` gives this build: the catalog it validated, ``--no-pdf``, progress."""
        self.handover = handover

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance across `mkdocs serve` rebuilds.
        self.command, self.dirty = command, dirty
        self.serving = ServeState() if command == "serve" else None

    @event_priority(50)  # before the search plugin's, which takes its `lang` from the theme's language
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        project = Path(config.config_file_path or ".").resolve().parent
        if self.serving:  # a templates/ folder may have appeared
            self.serving.rebuilding([project / self.config.sops_dir, project / "templates"])
        pdfs = self.config.pdf if self.handover.pdf is None else self.handover.pdf  # `--pdf/--no-pdf` wins
        try:  # a translation's build runs inside the source's, under its lock
            lock = None if self.handover.translation else guard_site(config, sops_dir=self.config.sops_dir, command=self.command, dirty=self.dirty)
            self.held.enter_context(lock or contextlib.nullcontext())  # released at shutdown
            preloaded, self.handover.preloaded = self.handover.preloaded, None  # a rebuild reads the sources
            self.generated = generate(
                project, sops_dir=self.config.sops_dir, site_name=config.site_name, theme=config.theme,
                docs_dir=Path(config.docs_dir), pdfs=pdfs and not self.serving, preloaded=preloaded,
                caches=self.serving.caches if self.serving else None, report=reporter(log),
                say=lambda note: log.info(f"sopgen: {note}"), translation=self.handover.translation)
        except SopgenError as exc:
            if not isinstance(exc, NotGenerated) or self.serving is None or self.generated is None:
                raise PluginError(f"sopgen: {exc}") from None
            self.serving.problems_shown = exc.lines  # every page says why it did not change (serve.js)
            log.error(f"sopgen: {exc}; still serving the last good build")
        add_to_mkdocs(config, self.generated.site, extra_js=[SERVE_JS] if self.serving else [],
                      language=self.generated.lang.code, translation=self.handover.translation is not None)
        self.dating.enter_context(dated(self.generated.epoch))  # MkDocs dates the sitemap and gzip with it
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.generated is not None
        add_files(files, config, self.generated, serving=self.serving)
        if self.handover.on_pages is not None:
            self.handover.on_pages(len(files.documentation_pages()))
        return files

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.serving:
            self.serving.begin(config.plugins.values())

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if self.serving:
            self.serving.renavigated(nav)
        return nav

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        env.bytecode_cache = env.bytecode_cache or bytecode_cache()  # the theme's templates compile once too
        if self.serving:
            self.serving.listed(files)
        return env

    def on_pre_page(self, page: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if self.handover.on_page is not None:
            self.handover.on_page(page.file.src_uri)
        return page

    def on_page_markdown(self, markdown: str, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        if self.generated and page.file.generated_by and page.file.src_uri in self.generated.site.pages:
            page.meta.update(self.generated.front_matter(page.file.src_uri))
        return markdown

    def on_page_content(self, html: str, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        if self.generated is not None and page.file.generated_by is not None:  # a hand-written page is the user's
            html = self.generated.checked(page.file.src_uri, html, warn=lambda message: log.warning(f"sopgen: {message}"))
        return with_switcher(self.generated, page.url, html)  # the same page in each language

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        if self.serving:
            self.serving.rendered(page.url)
        return with_alternates(self.generated, page.url, output, site_url=config.site_url)  # hreflang links

    def _make_pdfs(self, *, config: MkDocsConfig) -> None:
        if self.generated is not None and self.generated.pdfs:
            try:
                log.info(summary(make_pdfs(self.generated, Path(config.site_dir), page_size=self.config.pdf_page_size,
                                           progress=self.handover.on_pdf, warn=log.warning)))
            except SopgenError as exc:
                raise PluginError(f"sopgen: {exc}") from None

    @event_priority(-100)  # after the search plugin has written its index
    def _finish(self, *, config: MkDocsConfig) -> None:
        if self.serving:
            self.serving.finish(Path(config.site_dir))
        build_translations(config, self.generated, serving=self.serving)  # each into <site>/<lang>
        self.dating.close()

    on_post_build = CombinedEvent(_make_pdfs, _finish)

    def on_build_error(self, *, error: Exception) -> None:
        self.dating.close()

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.serving:
            project = Path(config.config_file_path or ".").resolve().parent
            self.serving.watch([project / self.config.sops_dir, project / "templates"], server=server)
        return server

    def on_shutdown(self) -> None:
        self.dating.close()
        self.held.close()
        self.handover = Handover()  # MkDocs may keep this instance for the next build of the process
