"""Rendering the catalog into Markdown pages and a navigation, in memory.

``render(catalog, env)`` returns a :class:`Site`: every page's Markdown, the
files to copy (step images, sopgen's stylesheet) and the navigation, before
anything is written, at the addresses of :mod:`sopgen.core.addresses`. This
module does not import MkDocs: the plugin and ``sopgen render`` are adapters over it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Optional

import jinja2
from pydantic import BaseModel

from ..core.addresses import (
    checklists_path,
    home_path,
    image_path,
    onboarding_path,
    path_of,
    people_path,
    person_path,
    published_people,
    reference_pages,
    relative,
    role_path,
    sop_path,
)
from ..core.branding import BRAND_CSS, brand, site_css
from ..core.catalog import Catalog
from ..core.entries import TaskEntry
from ..core.errors import TemplateFailed
from ..core.translation import untranslated
from ..core.images import image_file, image_problem, markdown_images
from ..core.training import Changes, person_status, shown
from ..core.walk import markdown_values
from ..text.filters import staff_money
from ..text.progress import (
    person_phases,
    person_relearn,
    person_results,
    person_signoffs,
    result_charts,
    training_matrix,
    worded,
)
from ..text.i18n import Language, language
from ..text.templating import default_templates
from ..text.views import (
    FREQUENCIES,
    cadence,
    changelog,
    checklist_groups,
    frequency_titles,
    onboarding_phases,
    review_groups,
    tool_index,
    value_freed_chart,
)
from .messages import MESSAGES_JS, messages_js
from .navigation import REFERENCE_TITLES, navigation

FEATURES = ["navigation.indexes", "navigation.sections", "navigation.prune", "content.action.edit",
            "search.highlight"]
"""Material features the navigation relies on."""
UNSEARCHED = frozenset({"delegation", "reviews", "people"})
"""Page kinds left out of the search index: tables of every SOP of the business (the training
matrix too), which would otherwise answer every search beside the SOP's own page (and cost every
rebuild their indexing). A person's page is searched: staff look each other up by name."""
ASSETS = Path(__file__).parent / "assets"
CSS = "assets/sopgen/sopgen.css"
JS = "assets/sopgen/sopgen.js"


def source_in_docs(source: Path, *, docs_dir: Path) -> str:
    """A generated page's source file as a path from the docs folder (``../sops/tasks/x.yml``):
    what MkDocs joins to ``edit_uri``, so that "edit this page" opens the YAML, not Markdown that
    is in no repository (the plugin and ``sopgen render`` both)."""
    return Path(os.path.relpath(source, docs_dir)).as_posix()


@dataclass
class Page:
    """One generated page."""

    path: str
    """Its path as if in ``docs/``: ``sops/send-client-invoices.md``."""
    title: str
    markdown: str
    kind: str
    """home, role, onboarding, checklists, sop, tools, delegation, reviews, changelog, people or person."""
    source: Optional[Path] = None
    """The YAML file it comes from (for "edit this page"), if one."""
    untranslated: bool = False
    """In a translation: nobody has translated the page's own texts yet (:func:`own_untranslated`)."""


@dataclass
class Site:
    """Everything a build writes, rendered in memory first."""

    pages: dict[str, Page] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    """Files to copy, by destination path: images (of steps and of Markdown text), sopgen's CSS."""
    nav: list[Any] = field(default_factory=list)
    """The navigation, in ``mkdocs.yml``'s ``nav`` format."""
    css: list[str] = field(default_factory=list)
    js: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    """Files made in memory, by destination path: the stylesheet of the organization's colour."""
    logo: Optional[str] = None
    """The organization's logo as a path in the site, for the theme's header."""


# -- addresses -------------------------------------------------------------------------


# -- rendering --------------------------------------------------------------------------

def context(catalog: Catalog, today: date, lang: Optional[Language] = None) -> dict[str, Any]:
    """What every template receives (listed in README.md, "What templates receive"), its words in
    ``lang`` (by default the organization's ``language``)."""
    org = catalog.organization
    lang = lang or language(org.language)
    return {
        "catalog": catalog,
        "organization": org,
        "roles": catalog.ordered_roles,
        "owner": catalog.owner,
        "today": today,
        "money": staff_money(org, lang),
        "frequencies": FREQUENCIES,
        "frequency_titles": frequency_titles(lang),
        "cadence": lambda task: cadence(task, lang),
        "pdfs": {},
        "pdf": False,
    }


def render(catalog: Catalog, env: jinja2.Environment, *, today: date,
           pdfs: Optional[dict[str, str]] = None, cache: Optional[dict[str, Any]] = None,
           color: Optional[str] = None, changes: Optional[Changes] = None, lang: Optional[Language] = None,
           original: Optional[Catalog] = None) -> Site:
    """Render every page of ``catalog`` with ``env``; nothing is written.

    ``pdfs`` maps a role id (or ``handbook``) to the path of its PDF, when
    PDFs are built: the pages then link to them. With a ``cache`` (a dict kept
    between calls, as `sopgen serve` does), an SOP page whose inputs have not
    changed is not rendered again. ``color`` is the business's main colour, for
    charts (by default the one :func:`sopgen.core.branding.brand` finds in organization.yml).
    ``changes`` gives what each version of an SOP changed in its steps
    (:class:`sopgen.history.steps.StepHistory`), for the training pages; without it
    nobody must re-learn anything (as outside git). ``lang`` is the interface language: by default
    the one ``env`` speaks (:func:`sopgen.text.templating.environment`), so that the templates' words
    and those made here agree. ``original`` is the catalog ``catalog`` is a translation of: what a
    reader ticks and a person's training (due dates from phase names) are worked out from it.
    """
    if cache is not None:
        # kept between calls, as is ``env``: a template may have been edited since (the
        # environment does not look at its files again by itself, see templating.environment);
        # one reads them again, and compiles again only what changed (the bytecode cache)
        env.cache.clear()
    lang = lang or env.globals.get("lang") or language(catalog.organization.language)
    _ = lang.gettext
    shared = context(catalog, today, lang)
    shared["pdfs"] = pdfs or {}
    color = color or brand(catalog).color
    original = original or catalog
    site = Site()

    def page(path: str, template: str, title: str, kind: str, source: Optional[Path] = None,
             key: Any = None, **extra: Any) -> None:
        if cache is not None and key is not None:
            hit = cache.get(path)
            if hit is not None and _same(hit[0], key):
                site.pages[path] = hit[1]
                return
        quiet = own_untranslated(kind, extra)
        values = dict(shared, page_path=path, page_title=title, page_untranslated=quiet, **extra)
        values["link"] = lambda target: relative(path, path_of(target))
        markdown = render_template(env, template, values, root=catalog.root, what=f"rendering {path}")
        site.pages[path] = Page(path, title, markdown, kind, source, quiet)
        if cache is not None and key is not None:
            cache[path] = (key, site.pages[path])

    page(home_path(), "home.md.j2", catalog.organization.name, "home",
         catalog.organization_source.file if catalog.organization_source else None)
    for role in catalog.ordered_roles:
        page(role_path(role), "role.md.j2", role.title, "role", role.source.file, role=role)
        if role.has_onboarding:  # an empty guide or list is no page (nor link, nor PDF chapter)
            page(onboarding_path(role), "onboarding.md.j2", _("%(role)s: onboarding", role=role.title), "onboarding",
                 role.source.file, role=role, phases=onboarding_phases(role, original.roles[role.id]))
        if role.has_checklists:
            page(checklists_path(role), "checklists.md.j2", _("%(role)s: checklists", role=role.title), "checklists",
                 role.source.file, role=role, groups=checklist_groups(role, lang))
    if cache is not None:  # what every SOP page's cache key shares (serve only)
        context_key = (catalog.organization.model_dump_json(), lang.code, templates_stamp(catalog.root),
                       tuple(sorted(shared["pdfs"])))
    for task in catalog.tasks.values():
        key = (context_key, *sop_inputs(task)) if cache is not None else None
        page(sop_path(task), "sop.md.j2", task.title, "sop", task.source.file, key=key, task=task)
    titles = {kind: _(REFERENCE_TITLES[kind]) for kind in reference_pages(catalog)}
    page("tools.md", "tools.md.j2", titles["tools"], "tools", tools=tool_index(catalog))
    if "delegation" in titles:
        page("delegation.md", "delegation.md.j2", titles["delegation"], "delegation",
             totals=catalog.delegation_totals(),
             chart=value_freed_chart(catalog, shared["money"], color))
    page("reviews.md", "reviews.md.j2", titles["reviews"], "reviews", reviews=review_groups(catalog, today))
    page("changelog.md", "changelog.md.j2", titles["changelog"], "changelog", changes=changelog(catalog),
         history_note=_(catalog.history.note) if catalog.history and catalog.history.note else
         None if catalog.history else _("Version history is not available."))
    people = published_people(catalog)
    if catalog.organization.publish_people:  # the matrix, even empty: it says how to begin
        statuses = {p.id: worded(person_status(original.people[p.id], today=today, changes=changes or _unchanged), catalog)
                    for p in people}
        page(people_path(), "people.md.j2", _("People"), "people", matrix=training_matrix(catalog, statuses),
             left=[p for p in people if not p.active])
        for person in people:
            status = statuses[person.id]
            page(person_path(person), "person.md.j2", person.name, "person", person.source.file,
                 person=person, status=status, phases=person_phases(status, original.people[person.id]), relearn=person_relearn(status), signoffs=person_signoffs(catalog, person),
                 benchmarks=[{"mark": mark, "value": shown(mark.latest.value, mark.benchmark.unit) if mark.latest else None}
                             for mark in status.benchmarks],
                 results=person_results(person),
                 charts=result_charts(status, color, lang))

    site.files[CSS] = ASSETS / "sopgen.css"
    site.css.append(CSS)
    site.texts[MESSAGES_JS] = messages_js(lang)  # the scripts' words, read by sopgen.js (and serve.js)
    site.js.append(MESSAGES_JS)
    site.files[JS] = ASSETS / "sopgen.js"
    site.js.append(JS)
    for task in catalog.tasks.values():
        for image in _images(task.steps):
            site.files[image_path(image)] = catalog.sops / image
    for image in _text_images(catalog):
        site.files[image_path(image)] = catalog.sops / image
    org = catalog.organization
    if org.logo:
        site.logo = image_path(org.logo)
        site.files[site.logo] = catalog.sops / org.logo
    if org.color:
        site.texts[BRAND_CSS] = site_css(org.color)
        site.css.append(BRAND_CSS)
    site.nav = navigation(catalog, lang)
    return site


def own_untranslated(kind: str, values: dict[str, Any]) -> bool:
    """Whether nobody has translated the texts of a page's own files yet: an SOP's page, its SOP's
    file; a role's page and onboarding guide, its role's file; a role's checklists, the files of
    the SOPs it lists. Its stale texts then show unlabelled, but for those changed since they were
    translated, and its banner says the page is not translated yet (:mod:`sopgen.text.stale`)."""
    if kind == "sop":
        return untranslated(values["task"].data)
    if kind in ("role", "onboarding"):
        return untranslated(values["role"].data)
    if kind == "checklists":
        tasks = [task for _title, group in values["groups"] for task in group]
        return bool(tasks) and all(untranslated(task.data) for task in tasks)
    return False


def render_template(env: jinja2.Environment, name: str, values: dict[str, Any], *, root: Path,
                    what: str = "") -> str:
    """Render template ``name``; a template error becomes :class:`TemplateFailed` naming its line."""
    try:
        return env.get_template(name).render(values)
    except jinja2.TemplateError as exc:
        note = f" ({what})" if what else ""
        raise TemplateFailed(f"{_where(exc, name, root)}: {exc.message or exc}{note}") from None


def _where(exc: jinja2.TemplateError, template: str, root: Path) -> str:
    """``file:line`` of the template line that failed, from the exception or its traceback."""
    filename, lineno = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            filename, lineno = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    if not filename:
        return template
    file = Path(filename).resolve()
    if file.is_relative_to(root):
        shown = file.relative_to(root).as_posix()
    elif file.is_relative_to(default_templates().resolve()):
        shown = "default:" + file.relative_to(default_templates().resolve()).as_posix()
    else:
        shown = filename
    return f"{shown}:{lineno}" if lineno else shown


def sop_inputs(task: TaskEntry) -> tuple[Any, ...]:
    """Everything an SOP page shows: its task (the same model object while its file is unchanged)
    and what it says of other entries."""
    def named(entry: Any) -> Any:
        return (entry.id, entry.title) if entry is not None else None

    history = task.history
    return (task.data, named(task.role), named(task.maintainer),
            tuple(map(named, task.prerequisites)), tuple(map(named, task.required_by)),
            (history.version, history.modified, tuple(r.commit for r in history.revisions)) if history else None)


def _same(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    # the task model is compared by identity: the loader's cache hands out the same object
    return len(old) == len(new) and all(a is b if isinstance(a, BaseModel) else a == b for a, b in zip(old, new))


def templates_stamp(root: Path) -> tuple[Any, ...]:
    """What the project's template overrides hold, as digests (sopgen's own do not change under
    serve): their content, not their time of change, so that a save of the same size within the
    file system's time resolution is seen."""
    folder = root / "templates"
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.as_posix(), hashlib.blake2b(p.read_bytes(), digest_size=16).digest())
                        for p in folder.rglob("*") if p.is_file()))


def _images(steps: Any) -> list[str]:
    found = []
    for step in steps:
        if step.image:
            found.append(step.image)
        found += _images(step.steps)
    return found


def _text_images(catalog: Catalog) -> list[str]:
    """The images under sops/ that Markdown fields show (the filters ``md`` and ``md_inline`` point
    them at their copy): those that are there, as validation lets no other through."""
    found = []
    for entry in [*catalog.roles.values(), *catalog.tasks.values()]:
        for _loc, text in markdown_values(entry.data):
            found += [image_file(address) for address in markdown_images(text)]
    return [image for image in dict.fromkeys(found) if image_problem(catalog.sops, image) is None]


# -- training records (only with publish_people) -------------------------------------------

def _unchanged(task: TaskEntry) -> list[Any]:
    return []


