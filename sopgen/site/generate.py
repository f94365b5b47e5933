"""The one entry point: a project made into what its site is built from, with no engine in it.

:func:`generate` loads and validates the sources (or takes what a command
loaded and validated already), decides the build's one date, and renders
every page in memory: the pages, the navigation, the files to copy and those
made in memory, the stylesheets, scripts and logo, and which PDF handbooks
the site links to, at which paths. It writes nothing and imports no engine:
the MkDocs plugin (:mod:`sopgen.site.engines.mkdocs.plugin`), ``sopgen render``
(:mod:`sopgen.site.export`) and any other engine's adapter call it, and
build from what it returns; :func:`sopgen.site.pdfs.make_pdfs` then writes
the handbooks it planned into the built site.

An engine dates its output too (MkDocs: the sitemap and the gzip header), from
``SOURCE_DATE_EPOCH``. Setting it is the adapter's, for its build only:
:func:`dated` sets :attr:`Generated.epoch` while the engine builds and puts
the environment back after.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Optional

import jinja2

from ..core.branding import Brand, brand
from ..core.catalog import Catalog
from ..core.errors import Problem, SopgenError, TemplateFailed, summary
from ..core.loader import load
from ..core.pofile import read as read_po
from ..core.ticks import sop_ticks
from ..core.translation import translate
from ..core.validate import NOTED, validate
from ..history.log import LATEST_EPOCH, History, attach, read_history, reference_time, source_date_epoch
from ..history.steps import StepHistory
from ..print.handbook import handbook_names, pdf_path
from ..text.i18n import Language, language
from ..text.stale import with_banner
from ..text.templating import environment
from .messages import MESSAGES_JS, messages_js
from .navigation import nav_title
from .pagecheck import neutralise
from .pages import UNSEARCHED, Site, render


class NotGenerated(SopgenError):
    """The sources could not be made into a site; ``lines`` says why, a problem a line."""

    def __init__(self, message: str, lines: list[str]) -> None:
        super().__init__(message)
        self.lines = lines


@dataclass
class Caches:
    """What `sopgen serve` keeps from one build to the next, so that a save costs only what it
    changed; a one-off build passes none. Hand the same object to every :func:`generate` of
    one project."""

    read: dict[Any, Any] = field(default_factory=dict)
    """Source files already read, reused while their bytes are unchanged (see :func:`load`)."""
    pages: dict[str, Any] = field(default_factory=dict)
    """SOP pages already rendered, reused while their inputs are unchanged (see :func:`render`)."""
    history: Optional[History] = None
    """The last history read: git log is read again only when HEAD moved."""
    steps: Optional[StepHistory] = None
    """What each version of an SOP changed (for the training pages)."""
    env: Optional[jinja2.Environment] = None
    """The Jinja environment, so that templates compile once; made anew when templates/ appears or goes."""
    env_key: Any = None
    said: Optional[str] = None
    """The history's note last said: said again only when it changes."""


@dataclass
class Handover:
    """What a command hands an engine's adapter besides the project (``sopgen build`` to the
    MkDocs plugin, see :meth:`sopgen.site.engines.mkdocs.plugin.SopgenPlugin.hand_over`); all optional."""

    preloaded: Optional[tuple[Catalog, list[Problem]]] = None
    """The catalog and its problems, loaded, validated and reported already: used by the first
    build only (a serve rebuild reads the sources again)."""
    pdf: Optional[bool] = None
    """Whether PDF handbooks are built (``--pdf/--no-pdf``); None: the plugin's ``pdf`` option."""
    on_pages: Optional[Callable[[int], None]] = None
    """Called with the number of pages once they are known (the CLI's progress bar)."""
    on_page: Optional[Callable[[str], None]] = None
    """Called with each page's path as the engine builds it."""
    on_pdf: Optional[Callable[[int, Optional[str]], None]] = None
    """Called with the number of handbooks, then with it and each finished one's name."""
    translation: Optional[str] = None
    """Build the site of this translation (a language of ``translations``), inside the source's
    build: its lock is held already (see :mod:`sopgen.site.engines.mkdocs.translations`)."""


@dataclass
class Generated:
    """What a project is made into: everything an engine needs to build its site."""

    catalog: Catalog
    problems: list[Problem]
    """What validation found (warnings only: an error stops :func:`generate`)."""
    site: Site
    """The pages (Markdown, by path as if in ``docs/``), navigation, files, texts, css, js and logo."""
    pdfs: dict[str, str]
    """Handbook name (a role id, or ``handbook``) → its path in the site, when PDFs are built."""
    look: Brand
    """The brand: the charts' colour, the PDFs' name, logo and colour."""
    today: date
    """The build's one date: what validation, pages and PDFs say "today" is."""
    epoch: Optional[str]
    """SOURCE_DATE_EPOCH for the engine while it builds (see :func:`dated`); None when the user set one."""
    lang: Language
    """The interface language the pages were rendered in (the theme's ``language`` too)."""
    translation: Optional[str] = None
    """The language of ``sops/locale/`` these pages are a translation into; None: the source's pages."""

    @property
    def languages(self) -> list[str]:
        """Every language the site is published in: the source's (organization.yml's ``language``)
        first, then its ``translations``; the site of a translation is under ``/<lang>/``."""
        org = self.catalog.organization
        return [org.language, *[code for code in org.translations if code != org.language]]

    def front_matter(self, path: str) -> dict[str, Any]:
        """What the engine must know of generated page ``path`` beside its Markdown: its title as
        escaped plain text (themes put it into ``<title>`` as HTML, and Material strips tags from
        a page's title there, which unescapes it), and whether search leaves it out."""
        page = self.site.pages[path]
        return {"title": nav_title(page.title), **({"search": {"exclude": True}} if page.kind in UNSEARCHED else {})}

    def checked(self, path: str, html: str, *, warn: Callable[[str], None]) -> str:
        """The HTML an engine made of generated page ``path``, given a last look (unless the project
        sets ``allow_html``, see :mod:`sopgen.site.pagecheck`); ``warn`` is told what was removed
        from it as it could run script (a check of the fields missed it)."""
        page = self.site.pages.get(path)
        if page is None or self.catalog.organization.allow_html:
            return html
        html, removed = neutralise(html)
        if removed:
            source = f" (from {page.source.relative_to(self.catalog.root).as_posix()})" if page.source else ""
            warn(f"{path}{source}: removed from the page, as it could run script: "
                 f"{', '.join(removed[:3])}{' …' if len(removed) > 3 else ''}; check its Markdown fields")
        return html


def generate(
    project: Path,
    *,
    sops_dir: str = "sops",
    site_name: Optional[str] = None,
    theme: Optional[Mapping[str, Any]] = None,
    docs_dir: Optional[Path] = None,
    pdfs: bool = False,
    preloaded: Optional[tuple[Catalog, list[Problem]]] = None,
    caches: Optional[Caches] = None,
    report: Callable[[Problem], None] = lambda problem: None,
    say: Callable[[str], None] = lambda note: None,
    lang: Optional[str] = None,
    translation: Optional[str] = None,
) -> Generated:
    """Make the project in ``project`` (its sources in ``sops_dir``) into a site, in memory.

    ``site_name`` names the business when it has no ``organization.yml``; ``theme`` (mkdocs.yml's
    ``theme``: its ``palette`` and ``logo``) and ``docs_dir`` complete the brand; ``pdfs`` plans the
    handbooks (the pages then link to them). ``preloaded`` is a catalog and its problems that the
    caller loaded, validated and reported already; otherwise each problem found is passed to
    ``report``. ``say`` is given the history's note (``not a git repository: …``), once
    for as long as ``caches`` see the same. With ``caches`` (see :class:`Caches`), what did not
    change since the last call is not read or rendered again. ``lang`` is the interface language
    of the pages (a BCP 47 code; by default organization.yml's ``language``). With ``translation`` (a
    language of ``translations``), the pages are the project translated from ``sops/locale/<lang>.po``
    in that language, each stale text marked and counted (:mod:`sopgen.text.stale`). Raises :class:`NotGenerated` when
    the sources have errors or a template fails, and
    :class:`sopgen.core.errors.BadEnvironment` on a SOURCE_DATE_EPOCH that is not a time.
    """
    source_date_epoch()  # a bad one is the user's to fix, before anything is read
    if preloaded is not None:
        catalog, problems = preloaded
        _attach_history(catalog, project, sops_dir, caches)
    else:
        try:
            catalog = load(project, sops_dir=sops_dir, cache=caches.read if caches else None)
        except Exception as exc:  # noqa: BLE001 - the loader raises our own errors only
            raise NotGenerated(str(exc), str(exc).splitlines()) from None
        _attach_history(catalog, project, sops_dir, caches)
        problems = validate(catalog, today=reference_time(catalog.history).date())  # the pages' date
        for problem in problems:
            report(problem)
    if any(p.severity == "error" for p in problems):
        raise NotGenerated(f"{summary(problems)}; fix them and build again",
                           [str(p) for p in problems if p.severity == "error"])
    note = catalog.history.note if catalog.history else None
    if note and (caches is None or caches.said != note):
        say(note)
    if caches is not None:
        caches.said = note
    made_at = reference_time(catalog.history)
    catalog.name_after_site(site_name)
    look = brand(catalog, theme=theme, docs_dir=docs_dir)
    planned = {name: pdf_path(name) for name in handbook_names(catalog)} if pdfs else {}
    source_lang = catalog.organization.language
    words = language(lang or translation or source_lang)
    steps = caches.steps if caches and caches.steps and caches.steps.root == project else StepHistory(project)
    env = _environment(project, caches, words)
    env.globals["source_lang"] = source_lang  # the language a stale text is shown in
    source, shown = catalog, catalog
    if translation is not None:
        shown = _translated(catalog, translation)
    # a reader's ticks are kept by the SOURCE's items: the same SOP, ticked in either language
    env.filters["sop_ticks"] = lambda task: sop_ticks(source.tasks.get(task.id, task))
    try:
        site = render(shown, env, today=made_at.date(), pdfs=planned, cache=caches.pages if caches else None,
                      color=look.color, changes=steps, lang=words, original=source)
    except TemplateFailed as exc:
        raise NotGenerated(str(exc), [str(exc)]) from None
    if translation is not None:
        site.texts[MESSAGES_JS] = messages_js(words, translation=True)
        for path, page in site.pages.items():  # a new Page: the cached one stays without its banner
            site.pages[path] = dataclasses.replace(page, markdown=with_banner(
                page.markdown, words, source_lang, untranslated=page.untranslated))
    if caches is not None:
        caches.steps = steps
        for path in [p for p in caches.pages if p not in site.pages]:
            del caches.pages[path]  # an SOP deleted or renamed
    # MkDocs dates the sitemap and the gzip header with it: the same commit, the same bytes (a
    # commit of a machine whose clock was wrong may lie beyond what a gzip header holds)
    epoch = None if os.environ.get("SOURCE_DATE_EPOCH", "").strip() else \
        str(min(max(int(made_at.timestamp()), 0), LATEST_EPOCH))
    return Generated(shown, list(problems), site, planned, look, made_at.date(), epoch, words, translation)


def _translated(catalog: Catalog, code: str) -> Catalog:
    """``catalog`` translated into ``code`` from its ``sops/locale/<code>.po``; everything is stale
    when there is no such file yet."""
    po = read_po(catalog.root, catalog.sops, code)
    if po.problems:  # validation reports them first; this is for a caller that skipped it
        raise NotGenerated(f"{po.rel} cannot be read", [str(p) for p in po.problems])
    return translate(catalog, po.messages, code).catalog


def _attach_history(catalog: Catalog, project: Path, sops_dir: str, caches: Optional[Caches]) -> None:
    """The history of the sources, unless the caller attached it (under serve, the last one saves
    a pass over git log when no commit was made)."""
    if catalog.history is None:
        history = read_history(project, sops_dir=sops_dir, previous=caches.history if caches else None)
        if caches is not None:
            caches.history = history
        attach(catalog, history)


def _environment(project: Path, caches: Optional[Caches], lang: Language) -> jinja2.Environment:
    """The Jinja environment in ``lang``; under serve the last one (render loads the templates again
    at each rebuild, and the bytecode cache compiles only what changed) unless templates/ appeared
    or went, or the language changed."""
    key = (project, (project / "templates").is_dir(), lang.code)
    if caches is None:
        return environment(project, lang=lang)
    if caches.env is None or caches.env_key != key:
        caches.env, caches.env_key = environment(project, lang=lang), key
    return caches.env


def reporter(log: logging.Logger) -> Callable[[Problem], None]:
    """A ``report`` for :func:`generate` that logs each problem at its level: an error as an error,
    an overdue review or a translation not published yet as information (validate.NOTED: no build
    warning), any other warning as a warning."""
    def report(problem: Problem) -> None:
        level = logging.ERROR if problem.severity == "error" else \
            logging.INFO if problem.rule in NOTED else logging.WARNING
        log.log(level, str(problem))

    return report


@contextlib.contextmanager
def dated(epoch: Optional[str]) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to ``epoch`` (:attr:`Generated.epoch`) while an engine builds, and
    the environment as it was after; with None, nothing is changed."""
    if epoch is None:
        yield
        return
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
