"""``--engine zensical``: the site built by Zensical, with sopgen's guarantees around it.

Zensical reads ``mkdocs.yml`` but ignores plugins it does not know, ``sopgen`` among them. So
sopgen renders the project for it first (the machinery of ``sopgen render``: every page, image,
the navigation and the theme's settings in a plain project), runs Zensical on that in a child
process, and keeps its own promises around the build:

- the sources are validated first (by the command), and an error builds nothing;
- ``--strict`` fails on Zensical's warnings too (broken links, in the project's own pages);
- the build is dated by its last commit (or ``SOURCE_DATE_EPOCH``), like the plugin's;
- the new site replaces the old one in one step, under the site lock, only when all succeeded
  (:func:`sopgen.site.build.swap`, :func:`sopgen.core.outputs.lock`);
- the PDF handbooks go into the site, and the pages link to them.

The rendered project is kept in the user's cache folder (``~/.cache/sopgen/zensical/``), one
per site folder, so that Zensical's own cache makes the next build faster.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Optional

import yaml

from ...core import outputs
from ...core.catalog import Catalog
from ...history.log import LATEST_EPOCH, reference_time
from ...print.handbook import handbook_names, pdf_path
from ..build import BuildFailed, BuildResult, brand_of, plugin_options, recover, site_dir_of, swap
from ..export import export, read_config

ANSI = re.compile(r"\x1b\[[0-9;]*m")
ISSUE = re.compile(r"^(Warning|Error): (.*)$")
WHERE = re.compile(r"╭─\[\s*(.+?)\s*\]")


def ignored(config_file: Path) -> list[str]:
    """What ``mkdocs.yml`` asks for that Zensical will not do, as warnings: the MkDocs plugins
    it does not know (besides ``sopgen``, which sopgen stands in for) and MkDocs ``hooks``.

    The plugins Zensical knows are its own list (``zensical.config``); when a version of
    Zensical does not say, nothing can be told and nothing is said."""
    from zensical import config as zensical_config

    known = getattr(zensical_config, "_PLUGIN_UNSUPPORTED_OPTIONS", None)
    raw = read_config(config_file)
    plugins = raw.get("plugins") or []
    names = list(plugins) if isinstance(plugins, dict) else [
        next(iter(p)) if isinstance(p, dict) and p else p for p in plugins]
    said = []
    if isinstance(known, dict):
        for name in names:
            if isinstance(name, str) and name != "sopgen" and name.removeprefix("material/").split("/")[0] not in known:
                said.append(f"{config_file.name}: plugins: Zensical ignores the MkDocs plugin '{name}': what it "
                            "adds will be missing from the site (build with --engine mkdocs or properdocs to keep it)")
    if raw.get("hooks"):
        said.append(f"{config_file.name}: hooks: Zensical runs no MkDocs hooks: what they do will be missing "
                    "from the site (build with --engine mkdocs or properdocs to keep them)")
    return said


KEPT = 8
"""How many rendered projects the cache keeps (the most recently built); older ones are removed."""


def cache_dir(site: Path) -> Path:
    """Where the project rendered for Zensical is kept between builds of ``site``."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    key = hashlib.blake2b(str(site.resolve()).encode(), digest_size=8).hexdigest()
    return root / "sopgen" / "zensical" / key


def _forget_old(kept: Path) -> None:
    """Keep the cache's size bounded: the :data:`KEPT` most recently built projects, ``kept`` among them."""
    os.utime(kept)
    others = sorted((p for p in kept.parent.iterdir() if p.is_dir() and p != kept),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[KEPT - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def prepare(config_file: Path, catalog: Catalog, project: Path, *, pdfs: dict[str, str]) -> None:
    """The project for Zensical in ``project``, rendered from ``catalog`` (whose history is
    attached): pages linking to ``pdfs``, with an empty stand-in for each, so that Zensical
    finds every link's target (the build puts the real handbooks in their place)."""
    today = reference_time(catalog.history).date()
    export(config_file, catalog, project, today=today, pdfs=pdfs, color=brand_of(config_file, catalog).color)
    for dest in pdfs.values():
        (project / "docs" / dest).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / dest).write_bytes(b"")


def _environment(catalog: Catalog) -> dict[str, str]:
    """Zensical's environment: the build's one date as SOURCE_DATE_EPOCH, as the plugin sets it."""
    env = dict(os.environ)
    if not env.get("SOURCE_DATE_EPOCH", "").strip():
        stamp = int(reference_time(catalog.history).timestamp())
        env["SOURCE_DATE_EPOCH"] = str(min(max(stamp, 0), LATEST_EPOCH))
    return env


def issues(output: str, *, docs: Optional[Path] = None, shown: str = "docs") -> list[str]:
    """Zensical's warnings and errors, one line each: ``docs/notes.md:3:17: warning: page does
    not exist`` for a page of the project's own ``docs`` folder (``shown`` as mkdocs.yml names
    it), ``warning: … (in the generated page sops/x.md, line 3)`` for one sopgen wrote."""
    found: list[tuple[str, str]] = []
    for line in ANSI.sub("", output).splitlines():
        match = ISSUE.match(line.strip())
        if match:
            found.append((f"{match[1].lower()}: {match[2]}", ""))
            continue
        where = WHERE.search(line)
        if where and found and not found[-1][1]:
            found[-1] = (found[-1][0], where[1])
    said = []
    for message, where in found:
        path, _, place = where.partition(":")
        if where and docs is not None and (docs / path).is_file():
            said.append(f"{shown.rstrip('/')}/{where}: {message}")
        elif where:
            said.append(f"{message} (in the generated page {path}, line {place.split(':')[0]})")
        else:
            said.append(message)
    return said


def build(config_file: Path, catalog: Catalog, *, site_dir: Optional[str] = None, strict: bool = False,
          pdf: Optional[bool] = None, on_pdf: Optional[Callable[[int, Optional[str]], None]] = None,
          echo: Callable[[str], None] = print, quiet: bool = False) -> BuildResult:
    """Build the site of ``config_file`` from ``catalog`` (loaded, validated, history attached)
    with Zensical; the old site survives any failure."""
    started = time.perf_counter()
    final = Path(site_dir).resolve() if site_dir else site_dir_of(config_file)
    warnings = ignored(config_file)
    for warning in warnings:
        echo(f"warning: {warning}")
    enabled = pdf if pdf is not None else bool(plugin_options(config_file).get("pdf", True))
    pdfs = {name: pdf_path(name) for name in handbook_names(catalog)} if enabled else {}
    with contextlib.ExitStack() as stack:
        stack.enter_context(outputs.lock(final, echo=echo))
        stack.enter_context(outputs.writing(final, "the site"))
        recover(final)
        outputs.check_site(final, shown=site_dir or str(read_config(config_file).get("site_dir", "site")),
                           source="" if site_dir else f"site_dir in {config_file.name}")
        project = cache_dir(final)
        project.mkdir(parents=True, exist_ok=True)
        _forget_old(project)
        shutil.rmtree(project / "site", ignore_errors=True)  # left by a build that was stopped
        prepare(config_file, catalog, project, pdfs=pdfs)
        result = subprocess.run([sys.executable, "-m", "zensical", "build", "-f", str(project / "mkdocs.yml")],
                                cwd=project, env=_environment(catalog), capture_output=True, text=True,
                                encoding="utf-8", errors="replace")
        docs = str(read_config(config_file).get("docs_dir", "docs"))
        said = issues(result.stderr, docs=config_file.parent / docs, shown=docs)
        if result.returncode != 0:
            reason = said[-1] if said else (ANSI.sub("", result.stderr).strip().splitlines() or ["no reason given"])[-1]
            raise BuildFailed(f"Zensical could not build the site: {reason}; the previous site was left as it was")
        for issue in said:
            if not quiet or "error: " in issue:
                echo(issue)
        warnings += said
        if strict and warnings:
            raise BuildFailed(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''} in strict mode; "
                              "the previous site was left as it was")
        for stale in final.parent.glob(f".{final.name}.sopgen-new*"):  # left by a killed build
            shutil.rmtree(stale, ignore_errors=True)
        staging = final.parent / f".{final.name}.sopgen-new-{os.getpid()}-{secrets.token_hex(3)}"
        stack.callback(shutil.rmtree, staging, ignore_errors=True)  # whatever happens, no staging stays
        shutil.move(str(project / "site"), str(staging))  # a rename where both are on one disk
        looked = _last_look(staging, project / "docs", config_file.parent / docs, catalog, echo=echo)
        warnings += looked
        if strict and looked:
            raise BuildFailed(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''} in strict mode; "
                              "the previous site was left as it was")
        made = _handbooks(config_file, catalog, staging, pdfs, on_pdf=on_pdf, echo=echo)
        warnings += made
        if strict and made:
            raise BuildFailed(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''} in strict mode; "
                              "the previous site was left as it was")
        swap(staging, final)
        pages = sum(1 for _ in final.rglob("index.html"))
        built = sorted(final.glob("pdf/*.pdf"))
    return BuildResult(final, pages, warnings, time.perf_counter() - started, built)


ARTICLE = re.compile(r"<article\b[^>]*\bmd-content__inner\b[^>]*>")


def _last_look(site: Path, rendered: Path, own_docs: Path, catalog: Catalog, *,
               echo: Callable[[str], None]) -> list[str]:
    """sopgen's last look at each generated page (:mod:`sopgen.site.pagecheck`), which the plugin
    takes at each page's content: here at the content of the page Zensical wrote (its
    ``<article>``). The project's own pages in ``own_docs`` are left as they are, as the plugin
    leaves them; so is everything, with ``allow_html``. Returns the warnings."""
    if catalog.organization.allow_html:
        return []
    from ..pagecheck import neutralise

    warnings = []
    for source in sorted(rendered.rglob("*.md")):
        rel = source.relative_to(rendered).as_posix()
        if (own_docs / rel).is_file():
            continue
        stem = rel[:-len(".md")]
        page = site / (stem[:-len("index")] if stem == "index" or stem.endswith("/index") else stem + "/")
        page /= "index.html"
        try:
            text = page.read_text(encoding="utf-8")
        except OSError:
            continue
        start = ARTICLE.search(text)
        end = text.rfind("</article>")
        if start is None or end < start.end():
            continue
        content, removed = neutralise(text[start.end():end])
        if removed:
            page.write_text(text[:start.end()] + content + text[end:], encoding="utf-8")
            warnings.append(f"sopgen: {rel}: removed from the page, as it could run script: "
                            f"{', '.join(removed[:3])}{' …' if len(removed) > 3 else ''}; check its Markdown fields")
            echo(f"warning: {warnings[-1]}")
    return warnings


def _handbooks(config_file: Path, catalog: Catalog, site: Path, pdfs: dict[str, str], *,
               on_pdf: Optional[Callable[[int, Optional[str]], None]], echo: Callable[[str], None]) -> list[str]:
    """The PDF handbooks into ``site`` (as the plugin makes them); their warnings."""
    for dest in pdfs.values():
        (site / dest).unlink(missing_ok=True)  # the stand-in
    if not pdfs:
        return []
    from ...print import pdf

    page_size = str(plugin_options(config_file).get("pdf_page_size", "A4"))
    jobs = pdf.plan(catalog, site / "pdf", roles=list(pdfs), today=reference_time(catalog.history).date(),
                    page_size=page_size, look=brand_of(config_file, catalog))
    if on_pdf:
        on_pdf(len(jobs), None)
    results = pdf.build(jobs, on_done=lambda r: on_pdf and on_pdf(len(jobs), r.name))
    warnings = [f"pdf/{r.target.name}: {w}" for r in results for w in dict.fromkeys(r.warnings)]
    for warning in warnings:
        echo(f"warning: {warning}")
    return warnings


# -- serve ------------------------------------------------------------------------------

POLLING_INTERVAL = 0.3
"""Seconds between two looks for saved sources under ``sopgen serve --engine zensical``."""


def serve(config_file: Path, *, dev_addr: Optional[str] = None, open_browser: bool = False,
          echo: Callable[[str], None] = print) -> None:
    """``zensical serve`` on the rendered project, rendered again when a source, a template,
    a page of ``docs/`` or ``mkdocs.yml`` is saved, so that Zensical's live reload shows it.
    A save that does not validate is said, and the last good render stays on show."""
    from ..build import _stopped_like_ctrl_c

    with contextlib.ExitStack() as stack:
        stack.enter_context(_stopped_like_ctrl_c())
        folder = Path(tempfile.mkdtemp(prefix="sopgen-zensical-"))
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
        rendered, served = folder / "rendered", folder / "served"
        state = _Sources(config_file)
        catalog, failed = state.render(rendered, echo)
        if catalog is None:
            raise BuildFailed(f"{failed}; fix it and serve again")
        for warning in ignored(config_file):
            echo(f"warning: {warning}")
        _sync(rendered, served)
        seen = state.fingerprint()
        command = [sys.executable, "-m", "zensical", "serve", "-f", str(served / "mkdocs.yml")]
        command += (["-a", dev_addr] if dev_addr else []) + (["-o"] if open_browser else [])
        child = subprocess.Popen(command, cwd=served, env=_environment(catalog))
        stack.callback(_stop, child)
        try:
            while child.poll() is None:
                time.sleep(POLLING_INTERVAL)
                now = state.fingerprint()
                if now == seen:
                    continue
                seen = now
                catalog, failed = state.render(rendered, echo)
                if catalog is None:
                    echo(f"error: {failed}; still serving the last good render")
                    continue
                _sync(rendered, served)
                echo("sopgen: rendered again")
        except KeyboardInterrupt:
            echo("Shutting down...")
            return
        if child.returncode:
            raise BuildFailed(f"Zensical stopped serving (exit code {child.returncode})")


class _Sources:
    """The project's sources as serve watches and reads them (the history kept across saves)."""

    def __init__(self, config_file: Path) -> None:
        self.config_file = config_file
        self.project = config_file.parent.resolve()
        self.sops_dir = str(plugin_options(config_file).get("sops_dir", "sops"))
        self.history: Any = None

    def watched(self) -> list[Path]:
        try:
            raw = read_config(self.config_file)
        except (OSError, yaml.YAMLError):  # being saved: what it names is looked at again next time
            raw = {}
        theme = raw.get("theme")
        custom = theme.get("custom_dir") if isinstance(theme, dict) else None
        folders = [self.sops_dir, "templates", str(raw.get("docs_dir", "docs"))] + ([str(custom)] if custom else [])
        return [self.config_file] + [self.project / f for f in folders]

    def fingerprint(self) -> dict[str, tuple[int, int]]:
        """Every watched file's time of change and size."""
        seen: dict[str, tuple[int, int]] = {}
        for top in self.watched():
            paths = [top] if top.is_file() else [Path(d) / f for d, _, fs in os.walk(top) for f in fs]
            for path in paths:
                with contextlib.suppress(OSError):
                    st = path.stat()
                    seen[str(path)] = (st.st_mtime_ns, st.st_size)
        return seen

    def render(self, target: Path, echo: Callable[[str], None]) -> tuple[Optional[Catalog], str]:
        """The project rendered into ``target`` and its catalog; or None and why not (the
        problems echoed), ``target`` left as it was."""
        from ...core.errors import SopgenError

        try:
            read_config(self.config_file)  # before anything that reads it: said once, in its terms
        except yaml.YAMLError as exc:
            echo(f"{self.config_file.name}: {' '.join(str(exc).split())}")
            return None, f"{self.config_file.name} could not be read"
        catalog, failed = self.load(echo)
        if catalog is None:
            return None, failed
        try:
            prepare(self.config_file, catalog, target, pdfs={})
        except SopgenError as exc:  # a template that fails
            return None, str(exc)
        return catalog, ""

    def load(self, echo: Callable[[str], None]) -> tuple[Optional[Catalog], str]:
        """The catalog, validated, with its history; or None and why not (the problems echoed)."""
        from ...core.errors import SopgenError, summary
        from ...core.loader import load
        from ...core.validate import REVIEW_OVERDUE, validate
        from ...history.log import attach, read_history

        try:
            catalog = load(self.project, sops_dir=self.sops_dir)
        except SopgenError as exc:
            for line in str(exc).splitlines():
                echo(line)
            return None, "the sources could not be read"
        self.history = read_history(self.project, sops_dir=self.sops_dir, previous=self.history)
        attach(catalog, self.history)
        problems = validate(catalog, today=reference_time(catalog.history).date())
        for problem in problems:
            if problem.rule != REVIEW_OVERDUE:
                echo(str(problem))
        if any(p.severity == "error" for p in problems):
            return None, summary(problems)
        return catalog, ""


def _sync(source: Path, target: Path) -> None:
    """Make ``target`` hold what ``source`` holds, writing only the files that changed, in place:
    Zensical watches its project's folders, and would lose sight of one replaced whole."""
    want = {p.relative_to(source): p for p in source.rglob("*") if p.is_file()}
    for rel, path in want.items():
        dest = target / rel
        data = path.read_bytes()
        if dest.is_file() and dest.read_bytes() == data:
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(dest, "wb") as fh:  # the same file, new contents
            fh.write(data)
    for path in sorted(target.rglob("*"), reverse=True):
        rel = path.relative_to(target)
        if rel.parts[0] in (".cache", "site"):
            continue
        if path.is_file() and rel not in want:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def _stop(child: subprocess.Popen[Any]) -> None:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
