"""Rendering the catalog into Markdown pages and a navigation, in memory.

``render(catalog, env)`` returns a :class:`Site`: every page's Markdown, the
files to copy (step images, sopgen's stylesheet) and the navigation, before
anything is written. This module does not import MkDocs: the plugin, ``sopgen
render`` and the PDF writer are adapters over it.

The addresses are those of README.md's "What you get" (with MkDocs' directory URLs):
``index.md`` → ``/``, ``roles/<id>/index.md`` → ``/roles/<id>/``,
``sops/<id>.md`` → ``/sops/<id>/``, and so on.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import os
import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from pathlib import Path
from typing import Any, Optional, Union

import jinja2
from pydantic import BaseModel

from markupsafe import Markup

from ..core.branding import BRAND_CSS, brand, site_css
from ..core.catalog import DUE_SOON_DAYS, Catalog, PersonEntry, RoleEntry, TaskEntry, benchmarks_of, unnamed_revision
from ..text.charts import Bar, Chart, Point, Target, bar_chart, line_chart
from ..core.errors import TemplateFailed
from ..text.filters import Money, Withheld, staff_money
from ..text.templating import default_templates
from ..core.ordering import learning_order
from ..core.ticks import onboarding_ticks
from ..core.training import Changes, PersonStatus, due_date, learned_version, person_status, shown

FREQUENCIES = ["daily", "weekly", "monthly", "quarterly", "yearly", "as-needed", None]
FREQUENCY_TITLES = {
    "daily": "Daily", "weekly": "Weekly", "monthly": "Monthly", "quarterly": "Quarterly",
    "yearly": "Yearly", "as-needed": "As needed", None: "Unscheduled",
}
EXTENSIONS: dict[str, dict[str, Any]] = {
    "admonition": {},
    "attr_list": {},
    "md_in_html": {},
    "tables": {},
    "toc": {"permalink": True},
    "pymdownx.details": {},
    "pymdownx.superfences": {},
    "pymdownx.tasklist": {"custom_checkbox": True},
}
"""The Markdown extensions the templates need, with the options they rely on (see :func:`markdown_extensions`)."""
FEATURES = ["navigation.indexes", "navigation.sections", "navigation.prune", "content.action.edit",
            "search.highlight"]
"""Material features the navigation relies on."""
UNSEARCHED = frozenset({"delegation", "reviews", "people"})
"""Page kinds left out of the search index: tables of every SOP of the business (the training
matrix too), which would otherwise answer every search beside the SOP's own page (and cost every
rebuild their indexing). A person's page is searched: staff look each other up by name."""
NAV_LIST = 20
"""The most entries a list in the navigation holds before it is grouped."""
ASSETS = Path(__file__).parent / "assets"
CSS = "assets/sopgen/sopgen.css"
JS = "assets/sopgen/sopgen.js"


def markdown_extensions(own: dict[str, Any]) -> dict[str, Any]:
    """A site's own Markdown extensions (name → options, in its order) with :data:`EXTENSIONS` added:
    an extension it lacks is appended, and one it lists gets the options the pages rely on that it
    leaves unset. So ``toc`` listed bare, or always present under MkDocs, still gives headings their
    permalinks, and ``toc: {permalink: false}`` is the site's choice, kept. The one rule for the
    plugin and for ``sopgen render``."""
    merged = dict(own)
    for name, options in EXTENSIONS.items():
        mine = merged.get(name) or {}
        if isinstance(mine, dict):  # options under a tag (`!ENV`) are the site's, whole
            merged[name] = {**options, **mine}
    return merged


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


@dataclass
class Site:
    """Everything a build writes, rendered in memory first."""

    pages: dict[str, Page] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    """Files to copy, by destination path: step images, sopgen's CSS."""
    nav: list[Any] = field(default_factory=list)
    """The navigation, in ``mkdocs.yml``'s ``nav`` format."""
    css: list[str] = field(default_factory=list)
    js: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    """Files made in memory, by destination path: the stylesheet of the organization's colour."""
    logo: Optional[str] = None
    """The organization's logo as a path in the site, for the theme's header."""


# -- addresses -------------------------------------------------------------------------

def home_path() -> str:
    return "index.md"


def role_path(role: RoleEntry) -> str:
    return f"roles/{role.id}/index.md"


def onboarding_path(role: RoleEntry) -> str:
    return f"roles/{role.id}/onboarding.md"


def checklists_path(role: RoleEntry) -> str:
    return f"roles/{role.id}/checklists.md"


def sop_path(task: TaskEntry) -> str:
    return f"sops/{task.id}.md"


def people_path() -> str:
    """The training matrix: ``/people/``."""
    return "people/index.md"


def person_path(person: PersonEntry) -> str:
    """One person's training record: ``/people/<person>/``."""
    return f"people/{person.id}.md"


def image_path(image: str) -> str:
    return f"assets/sops/{image}"


REFERENCE = {"tools": ("tools.md", "Tools"), "delegation": ("delegation.md", "Delegation"),
             "reviews": ("reviews.md", "Reviews"), "changelog": ("changelog.md", "Changelog")}
CHANGELOG_LENGTH = 100
"""How many commits the changelog page lists."""


def reference_pages(catalog: Catalog) -> dict[str, tuple[str, str]]:
    """The reference pages a project publishes, as :data:`REFERENCE`: the delegation page is all
    money, so it is left out when ``publish_money`` is false."""
    return {kind: page for kind, page in REFERENCE.items()
            if kind != "delegation" or catalog.organization.publish_money}


def published_people(catalog: Catalog) -> list[PersonEntry]:
    """The people the site shows, by name: everyone with a file, when ``publish_people`` is true;
    nobody otherwise, so that no page, search entry or PDF names a person."""
    if not catalog.organization.publish_people:
        return []
    return sorted(catalog.people.values(), key=lambda p: (p.name.casefold(), p.id))


def path_of(target: Union[str, RoleEntry, TaskEntry, PersonEntry]) -> str:
    if isinstance(target, TaskEntry):
        return sop_path(target)
    if isinstance(target, RoleEntry):
        return role_path(target)
    if isinstance(target, PersonEntry):
        return person_path(target)
    if target == "people":
        return people_path()
    if target in REFERENCE:
        return REFERENCE[target][0]
    return target


def relative(from_page: str, target: str) -> str:
    """A Markdown link from one page to another page or file, as MkDocs resolves them."""
    return _relative(posixpath.dirname(from_page) or ".", target)


@lru_cache(maxsize=65536)
def _relative(start: str, target: str) -> str:
    # pages link to the same few hundred targets from the same few folders: compute each pair once
    return posixpath.relpath(target, start)


# -- rendering --------------------------------------------------------------------------

def context(catalog: Catalog, today: date) -> dict[str, Any]:
    """What every template receives (listed in README.md, "What templates receive")."""
    org = catalog.organization
    return {
        "catalog": catalog,
        "organization": org,
        "roles": catalog.ordered_roles,
        "owner": catalog.owner,
        "today": today,
        "money": staff_money(org),
        "frequencies": FREQUENCIES,
        "frequency_titles": FREQUENCY_TITLES,
        "pdfs": {},
        "pdf": False,
    }


def render(catalog: Catalog, env: jinja2.Environment, *, today: date,
           pdfs: Optional[dict[str, str]] = None, cache: Optional[dict[str, Any]] = None,
           color: Optional[str] = None, changes: Optional[Changes] = None) -> Site:
    """Render every page of ``catalog`` with ``env``; nothing is written.

    ``pdfs`` maps a role id (or ``handbook``) to the path of its PDF, when
    PDFs are built: the pages then link to them. With a ``cache`` (a dict kept
    between calls, as `sopgen serve` does), an SOP page whose inputs have not
    changed is not rendered again. ``color`` is the business's main colour, for
    charts (by default the one :func:`sopgen.core.branding.brand` finds in organization.yml).
    ``changes`` gives what each version of an SOP changed in its steps
    (:class:`sopgen.history.steps.StepHistory`), for the training pages; without it
    nobody must re-learn anything (as outside git).
    """
    if cache is not None:
        # kept between calls, as is ``env``: a template may have been edited since (the
        # environment does not look at its files again by itself, see templating.environment);
        # one reads them again, and compiles again only what changed (the bytecode cache)
        env.cache.clear()
    shared = context(catalog, today)
    shared["pdfs"] = pdfs or {}
    color = color or brand(catalog).color
    site = Site()

    def page(path: str, template: str, title: str, kind: str, source: Optional[Path] = None,
             key: Any = None, **extra: Any) -> None:
        if cache is not None and key is not None:
            hit = cache.get(path)
            if hit is not None and _same(hit[0], key):
                site.pages[path] = hit[1]
                return
        values = dict(shared, page_path=path, page_title=title, **extra)
        values["link"] = lambda target: relative(path, path_of(target))
        markdown = render_template(env, template, values, root=catalog.root, what=f"rendering {path}")
        site.pages[path] = Page(path, title, markdown, kind, source)
        if cache is not None and key is not None:
            cache[path] = (key, site.pages[path])

    page(home_path(), "home.md.j2", catalog.organization.name, "home",
         catalog.organization_source.file if catalog.organization_source else None)
    for role in catalog.ordered_roles:
        page(role_path(role), "role.md.j2", role.title, "role", role.source.file, role=role)
        page(onboarding_path(role), "onboarding.md.j2", f"{role.title}: onboarding", "onboarding",
             role.source.file, role=role, phases=onboarding_phases(role))
        page(checklists_path(role), "checklists.md.j2", f"{role.title}: checklists", "checklists",
             role.source.file, role=role, groups=checklist_groups(role))
    if cache is not None:  # what every SOP page's cache key shares (serve only)
        context_key = (catalog.organization.model_dump_json(), templates_stamp(catalog.root),
                       tuple(sorted(shared["pdfs"])))
    for task in catalog.tasks.values():
        key = (context_key, *sop_inputs(task)) if cache is not None else None
        page(sop_path(task), "sop.md.j2", task.title, "sop", task.source.file, key=key, task=task)
    page("tools.md", "tools.md.j2", "Tools", "tools", tools=tool_index(catalog))
    if "delegation" in reference_pages(catalog):
        page("delegation.md", "delegation.md.j2", "Delegation", "delegation",
             totals=catalog.delegation_totals(),
             chart=value_freed_chart(catalog, shared["money"], color))
    page("reviews.md", "reviews.md.j2", "Reviews", "reviews", reviews=review_groups(catalog, today))
    page("changelog.md", "changelog.md.j2", "Changelog", "changelog", changes=changelog(catalog),
         history_note=catalog.history.note if catalog.history else "Version history is not available.")
    people = published_people(catalog)
    if catalog.organization.publish_people:  # the matrix, even empty: it says how to begin
        statuses = {p.id: person_status(p, today=today, changes=changes or _unchanged) for p in people}
        page(people_path(), "people.md.j2", "People", "people", matrix=training_matrix(catalog, statuses),
             left=[p for p in people if not p.active])
        for person in people:
            status = statuses[person.id]
            page(person_path(person), "person.md.j2", person.name, "person", person.source.file,
                 person=person, status=status, phases=person_phases(status), relearn=person_relearn(status), signoffs=person_signoffs(catalog, person),
                 benchmarks=[{"mark": mark, "value": shown(mark.latest.value, mark.benchmark.unit) if mark.latest else None}
                             for mark in status.benchmarks],
                 results=person_results(person),
                 charts=result_charts(status, color))

    site.files[CSS] = ASSETS / "sopgen.css"
    site.css.append(CSS)
    site.files[JS] = ASSETS / "sopgen.js"
    site.js.append(JS)
    for task in catalog.tasks.values():
        for image in _images(task.steps):
            site.files[image_path(image)] = catalog.sops / image
    org = catalog.organization
    if org.logo:
        site.logo = image_path(org.logo)
        site.files[site.logo] = catalog.sops / org.logo
    if org.color:
        site.texts[BRAND_CSS] = site_css(org.color)
        site.css.append(BRAND_CSS)
    site.nav = navigation(catalog)
    return site


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


def navigation(catalog: Catalog) -> list[Any]:
    """Home · Roles: each role (manual, onboarding, checklists, SOPs) · Reference.

    With ``navigation.prune`` a page carries the entries of the sections it is in and one link
    per other section, so no list is let grow past NAV_LIST entries: the roles and a role's SOPs
    are grouped beyond it. The navigation of a page then stays the same size however large the
    handbook grows.
    """
    roles = []
    for role in catalog.ordered_roles:
        section: list[Any] = [role_path(role), {"Onboarding": onboarding_path(role)},
                              {"Checklists": checklists_path(role)}]
        if role.tasks:
            section.append({"SOPs": _sops_nav(role)})
        roles.append((role.title, section))
    nav = [{"Home": home_path()}, {"Roles": _runs(roles)},
           {"Reference": [{title: path} for path, title in reference_pages(catalog).values()]}]
    people = published_people(catalog)
    if catalog.organization.publish_people:  # the matrix is the section's own page; people who left are marked, as retired SOPs
        nav.append({"People": [people_path(), *_runs(
            [(p.name + ("" if p.active else " (left)"), person_path(p)) for p in people])]})
    return nav


def _sops_nav(role: RoleEntry) -> list[Any]:
    """A role's SOPs; beyond NAV_LIST of them, grouped by frequency (and long groups in runs)."""
    in_force = [t for t in role.tasks if t.status != "retired"]
    retired = [t for t in role.tasks if t.status == "retired"]
    if len(role.tasks) <= NAV_LIST:
        return _runs([_sop_entry(t) for t in in_force + retired])
    groups = [(FREQUENCY_TITLES[freq], [t for t in in_force if t.frequency == freq]) for freq in FREQUENCIES]
    groups.append(("Retired", retired))
    return [{title: _runs([_sop_entry(t) for t in tasks])} for title, tasks in groups if tasks]


def _sop_entry(task: TaskEntry) -> tuple[str, str]:
    return task.title + {"draft": " (draft)", "retired": " (retired)"}.get(task.status, ""), sop_path(task)


def _runs(entries: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """Navigation entries from (title, target) pairs; beyond NAV_LIST, cut into alphabetical runs
    titled by their first and last entries' first words ("Audit – Prepare")."""
    if len(entries) <= NAV_LIST:
        return [{nav_title(title): target} for title, target in entries]
    entries = sorted(entries, key=lambda entry: entry[0].casefold())
    runs = [entries[i:i + NAV_LIST] for i in range(0, len(entries), NAV_LIST)]
    return [{f"{_first_word(run[0][0])} – {_first_word(run[-1][0])}": _runs(run)} for run in runs]


def _first_word(title: str) -> str:
    return nav_title(title.split()[0]) if title.split() else ""


def nav_title(text: str) -> str:
    """A plain-text title for the navigation, which themes insert as HTML."""
    return html.escape(" ".join(text.split()), quote=False)


def _images(steps: Any) -> list[str]:
    found = []
    for step in steps:
        if step.image:
            found.append(step.image)
        found += _images(step.steps)
    return found


def onboarding_phases(role: RoleEntry) -> list[dict[str, Any]]:
    """Onboarding phases, each with its SOPs in the order they can be learned."""
    ticks = onboarding_ticks(role)
    return [{"phase": p.phase, "goals": p.goals, "tasks": learning_order(p.tasks), "index": i, "ticks": ticks[i]}
            for i, p in enumerate(role.onboarding)]


def checklist_groups(role: RoleEntry) -> list[tuple[str, list[TaskEntry]]]:
    """The role's SOPs in force, grouped by frequency (daily first); retired ones left out."""
    groups = []
    for freq in FREQUENCIES:
        tasks = [t for t in role.tasks if t.status != "retired" and t.frequency == freq]
        if tasks:
            groups.append((FREQUENCY_TITLES[freq], tasks))
    return groups


def tool_index(catalog: Catalog) -> list[dict[str, Any]]:
    """Every tool by name (case-insensitive), with the roles that list it and the SOPs that use it."""
    tools: dict[str, dict[str, Any]] = {}
    for role in catalog.ordered_roles:
        for tool in role.data.tools:
            entry = tools.setdefault(tool.name.strip().lower(), {
                "name": tool.name, "url": tool.url, "purpose": tool.purpose, "roles": [], "tasks": []})
            entry["url"] = entry["url"] or tool.url
            entry["purpose"] = entry["purpose"] or tool.purpose
            entry["roles"].append({"role": role, "access": tool.access, "purpose": tool.purpose})
    for task in catalog.tasks.values():
        if task.status == "retired":
            continue
        for name in task.data.tools:
            entry = tools.get(name.strip().lower())
            if entry is not None and task not in entry["tasks"]:
                entry["tasks"].append(task)
    return sorted(tools.values(), key=lambda t: t["name"].lower())


def changelog(catalog: Catalog) -> list[dict[str, Any]]:
    """The last commits that changed the procedures, with the roles and SOPs they changed.

    Training records are not procedures: a commit that touched only files of ``people/`` (a
    sign-off, whose message likely names the person) is left out, and so are those files."""
    if catalog.history is None:
        return []
    by_path: dict[str, Any] = {e.source.rel: e for e in [*catalog.roles.values(), *catalog.tasks.values()]}
    records = _people_folder(catalog)
    unnamed = catalog.unnamed
    out = []
    for change in catalog.history.changes:
        touched = [*change.files, *change.gone]
        if touched and all(p.startswith(records) for p in touched):
            continue
        files = [p for p in change.files if not p.startswith(records)]
        gone = [p for p in change.gone if p.endswith((".yml", ".yaml")) and not p.startswith(records)]
        entries = [by_path[p] for p in files if p in by_path]
        out.append({
            "revision": change.revision if unnamed is None else unnamed_revision(change.revision, unnamed),
            "tasks": sorted((e for e in entries if isinstance(e, TaskEntry)), key=lambda e: e.title),
            "roles": sorted((e for e in entries if isinstance(e, RoleEntry)), key=lambda e: e.title),
            "other": [p for p in files if p not in by_path],
            "gone": gone,
        })
        if len(out) == CHANGELOG_LENGTH:
            break
    return out


def _people_folder(catalog: Catalog) -> str:
    """The training records' folder as the history gives paths: ``sops/people/``."""
    try:
        return (catalog.sops / "people").relative_to(catalog.root).as_posix() + "/"
    except ValueError:
        return "people/"


# -- training records (only with publish_people) -------------------------------------------

def _unchanged(task: TaskEntry) -> list[Any]:
    return []


def training_matrix(catalog: Catalog, statuses: dict[str, PersonStatus]) -> list[dict[str, Any]]:
    """The training matrix, one table per role that has active people: ``role``, its SOPs in
    force (``tasks``, in the role's order) and ``people``: each active person's
    :class:`PersonStatus` with ``cells``, the :class:`SopStatus` of each of those SOPs."""
    tables = []
    for role in catalog.ordered_roles:
        team = [s for s in statuses.values() if s.person.role is role and s.person.active]
        if not team:
            continue
        tasks = [t for t in role.tasks if t.status == "active"]
        rows = [{"status": s, "person": s.person, "cells": {sop.task.id: sop for sop in s.sops}} for s in team]
        tables.append({"role": role, "tasks": tasks, "people": rows})
    return tables


def person_phases(status: PersonStatus) -> list[dict[str, Any]]:
    """The onboarding phases of the person's role with their due date (``None`` for a phase not
    named ``Day N``/``Week N``/``Month N``), the :class:`SopStatus` of each of their SOPs, and
    ``state``: done (every SOP signed off and current), relearn (signed off, one to re-learn),
    overdue, open, or goals (a phase with no SOP)."""
    role = status.person.role
    if role is None:
        return []
    by_task = {sop.task.id: sop for sop in status.sops}
    out = []
    for phase in role.onboarding:
        sops = [by_task[t.id] for t in phase.tasks if t.id in by_task]
        states = {sop.state for sop in sops}
        if not sops:
            state = "goals"
        elif states == {"current"}:
            state = "done"
        elif states <= {"current", "relearn"}:
            state = "relearn"
        elif "overdue" in states:
            state = "overdue"
        else:
            state = "open"
        out.append({"phase": phase.phase, "goals": phase.goals, "due": due_date(phase.phase, status.person.data.started),
                    "sops": sops, "state": state})
    return out


def person_relearn(status: PersonStatus) -> list[dict[str, Any]]:
    """What the person must re-learn: each SOP (``sop``, a :class:`SopStatus`) with the versions that
    changed its steps (``versions``: each ``change`` and its ``steps``, each ``step`` with ``words``,
    the runs of words that changed in a reworded step: (before, now), either may be empty)."""
    return [{"sop": sop, "versions": [
        {"change": change, "steps": [{"step": step, "words": changed_words(step.old, step.new)
                                      if step.kind == "reworded" else []} for step in change.steps]}
        for change in sop.changes]} for sop in status.with_state("relearn")]


_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`]+")
CHANGED_RUNS = 4
"""The most runs of changed words shown for one step: past that, the texts say it better."""
JOINED_GAP = 2
"""Changed runs this few unchanged words apart are shown as one."""


def changed_words(old: Optional[str], new: Optional[str]) -> list[tuple[str, str]]:
    """The runs of words that differ between two texts of a step, as plain text: ``[("with 🔴",
    "starting with URGENT")]``; none when more than :data:`CHANGED_RUNS` runs, or most words, differ."""
    def words(text: Optional[str]) -> list[str]:
        return _MARKUP.sub(lambda m: m.group(1) or "", text or "").split()

    before, now = words(old), words(new)
    spans: list[list[int]] = []  # [i1, i2, j1, j2] of each changed run
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, now, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if spans and i1 - spans[-1][1] <= JOINED_GAP:  # "with 🔴" → "starting with URGENT", not two runs
            spans[-1][1], spans[-1][3] = i2, j2
        else:
            spans.append([i1, i2, j1, j2])
    changed = sum(i2 - i1 + j2 - j1 for i1, i2, j1, j2 in spans)
    if len(spans) > CHANGED_RUNS or changed > 0.6 * (len(before) + len(now)):
        return []  # rewritten rather than reworded: the two texts say it better
    return [(" ".join(before[i1:i2]), " ".join(now[j1:j2])) for i1, i2, j1, j2 in spans]


def person_signoffs(catalog: Catalog, person: PersonEntry) -> list[dict[str, Any]]:
    """Every sign-off of the person, newest first: ``record`` (as written), ``task`` (or nothing,
    for an SOP no longer in the project), ``version`` (given, or the one in force on its day) and
    ``by`` (the person who signed them off, or nothing)."""
    out = []
    for record in sorted(person.data.trained, key=lambda r: r.on, reverse=True):
        task = catalog.tasks.get(record.sop)
        out.append({"record": record, "task": task, "version": learned_version(record, task) if task else record.version,
                    "by": catalog.people.get(record.by or "")})
    return out


def person_results(person: PersonEntry) -> list[dict[str, Any]]:
    """Every result of the person, newest first: ``on``, ``key``, ``benchmark`` (or nothing, for a
    benchmark no longer in force), ``value`` as people write it, ``met`` (True, False, or None when
    it cannot be told) and ``note``."""
    known = benchmarks_of(person.role) if person.role is not None else {}
    out = []
    for result in sorted(person.data.results, key=lambda r: (r.on, r.benchmark), reverse=True):
        benchmark = known.get(result.benchmark, (None, None))[0]
        out.append({"on": result.on, "key": result.benchmark, "benchmark": benchmark,
                    "value": shown(result.value, benchmark.unit if benchmark else None),
                    "met": benchmark.met(result.value) if benchmark else None, "note": result.note})
    return out


def result_charts(status: PersonStatus, color: str) -> dict[str, Chart]:
    """A line chart of the person's numeric results against its target, by benchmark key, for each
    benchmark of their role (in the role's order) that has ``min`` or ``max`` and at least one numeric
    result; results written as text ("4 of 5 days") are left to the table. For the person page and
    the printed training record."""
    person = status.person
    charts = {}
    for mark in status.benchmarks:
        benchmark = mark.benchmark
        if benchmark.min is None and benchmark.max is None:
            continue
        points = [Point(r.on, float(r.value), shown(r.value, benchmark.unit), benchmark.met(r.value))
                  for r in person.data.results if r.benchmark == mark.key and not isinstance(r.value, str)]
        if not points:
            continue
        charts[mark.key] = line_chart(
            points, ident=f"results-{mark.key}", title=benchmark.objective, color=color,
            summary=f"{person.name}'s results for {benchmark.objective}, by date",
            target=Target(benchmark.min, benchmark.max, target_words(benchmark.min, benchmark.max, benchmark.unit)),
            deadline=(mark.deadline, benchmark.by or "") if mark.deadline else None)
    return charts


def target_words(low: Optional[float], high: Optional[float], unit: Optional[str]) -> str:
    """A benchmark's ``min``/``max`` in words: ``at least 95%``, ``at most 2 days``, ``90% to 100%``."""
    if low is not None and high is not None:
        return f"{shown(low, unit)} to {shown(high, unit)}"
    return f"at least {shown(low, unit)}" if low is not None else f"at most {shown(high, unit)}"


def value_freed_chart(catalog: Catalog, money: Money, color: str) -> Markup:
    """The value freed a week by each delegated role, as a bar chart (inline SVG), for the
    delegation page and the owner's report; empty when no role's figure is known, or when
    ``money`` is :class:`Withheld` (the bars' lengths would tell the amounts).

    Every role but the owner has a row, as on the delegation page: a role the owner would not
    do the work of, one without SOPs in force, or one whose figure is unknown for want of a
    rate is a row of words with no bar, so that no one reads a missing bar as zero.
    """
    roles = [r for r in catalog.ordered_roles if not r.is_owner]
    if isinstance(money, Withheld) or not any(r.value_freed for r in roles if not r.frees_nothing):
        return Markup("")
    bars = []
    for role in roles:
        freed = role.value_freed
        if role.frees_nothing:
            bars.append(Bar(role.title, "frees nothing: the owner would not do this work"))
        elif not role.active_tasks:
            bars.append(Bar(role.title, "no SOPs in force"))
        elif freed is None:
            bars.append(Bar(role.title, "unknown: no rate"))
        else:
            note = "costs more than it frees" if freed.high < 0 else "may cost more than it frees" if freed.low < 0 else ""
            bars.append(Bar(role.title, money(freed), float(freed.low), None if freed.exact else float(freed.high),
                            note=note))
    return bar_chart(bars, ident="value-freed-chart", title="Value freed a week, by role", color=color,
                     summary="What delegating each role's work frees of the owner's time a week, "
                             "less what it costs")


def review_groups(catalog: Catalog, today: date, *, soon: int = DUE_SOON_DAYS) -> dict[str, list[TaskEntry]]:
    """SOPs in force by review state (overdue, due-soon, never, current), by next review date."""
    groups: dict[str, list[TaskEntry]] = {"overdue": [], "due-soon": [], "never": [], "current": []}
    for task in sorted(catalog.tasks.values(), key=lambda t: (t.next_review or date.max, t.title)):
        if task.status != "retired":
            groups[task.review_state(today, soon=soon)].append(task)
    return groups


def merge_nav(user_nav: Optional[list[Any]], generated: list[Any], handwritten: list[str]) -> list[Any]:
    """The user's nav when given (plus the generated sections it lacks), or ours with their pages after Home."""
    if user_nav:
        return list(user_nav) + _not_in(generated, _nav_paths(user_nav))
    home, rest = generated[0], generated[1:]
    pages = [p for p in handwritten if p != home_path()]
    return [home, *pages, *rest]


def _not_in(items: list[Any], mentioned: set[str]) -> list[Any]:
    """The entries of ``items`` whose pages ``mentioned`` lacks; a section keeps its missing part."""
    missing: list[Any] = []
    for item in items:
        paths = _nav_paths(item)
        if not paths & mentioned:
            missing.append(item)
        elif not paths <= mentioned and isinstance(item, dict):
            (title, children), = item.items()
            if isinstance(children, list) and (rest := _not_in(children, mentioned)):
                missing.append({title: rest})
    return missing


def _nav_paths(nav: Any) -> set[str]:
    if isinstance(nav, str):
        return {nav}
    values = nav.values() if isinstance(nav, dict) else nav if isinstance(nav, list) else []
    return set().union(set(), *(_nav_paths(v) for v in values))
