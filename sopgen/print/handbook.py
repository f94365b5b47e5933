"""The data of the PDF handbooks: what ``templates/pdf/handbook.typ`` lays out.

``handbook(...)`` turns the catalog into one JSON-able dict per handbook (a
role's manual, onboarding guide, SOPs and checklists; or all of them, for the
whole business) and the list of project files it shows (step images, the
logo). Plain text stays plain strings, which a Typst template shows as text
and never evaluates; Markdown fields become Typst markup through
:class:`sopgen.print.markup.Converter`, which walks the same Python-Markdown
parse as the site and escapes every piece of user text. A link to a page that
is in the document becomes a link to its label; any other becomes plain text.
This module does not import the PDF engine (see :mod:`sopgen.print.pdf`).
"""

from __future__ import annotations

import posixpath
from datetime import date
from typing import Any, Optional, Union

from ..core.addresses import checklists_path, onboarding_path, path_of, reference_pages, role_path, sop_path
from ..core.branding import Brand, brand
from ..core.catalog import Catalog
from ..core.entries import RoleEntry, TaskEntry
from ..core.escape import typst_markup
from ..core.ordering import learning_order
from ..text.filters import Money, duration, hours, isodate, plain_words, plural, staff_money
from ..text.views import (
    FREQUENCY_TITLES,
    checklist_groups,
    onboarding_phases,
    review_groups,
    tool_index,
    value_freed_chart,
)
from .markup import Converter, external_link

PAGE_SIZES = ("A4", "Letter")
HANDBOOK = "handbook"
"""The name of the PDF of the whole business: ``/pdf/handbook.pdf``."""
TEMPLATE = "handbook.typ"
REVISIONS_SHOWN = 10


def pdf_roles(catalog: Catalog) -> list[RoleEntry]:
    """Roles that get a PDF of their own: those with SOPs in force."""
    return [role for role in catalog.ordered_roles if role.active_tasks]


def handbook_names(catalog: Catalog) -> list[str]:
    """The PDFs a build makes: each role with SOPs in force, then the whole business."""
    return [role.id for role in pdf_roles(catalog)] + [HANDBOOK]


def pdf_path(name: str) -> str:
    """Where a handbook goes in the site: ``pdf/<role>.pdf`` or ``pdf/handbook.pdf``."""
    return f"pdf/{name}.pdf"


Target = Union[str, RoleEntry, TaskEntry]


def converter_for(catalog: Catalog) -> Converter:
    """The Markdown converter of ``catalog``'s documents; one serves every document of a build
    (:class:`Printed` points its links and images at its own document)."""
    return Converter(allow_html=catalog.organization.allow_html)


class Printed:
    """What a print document is made of besides its layout: Markdown made Typst markup, links
    between the parts it holds, and the project files it shows."""

    def __init__(self, catalog: Catalog, labels: Optional[dict[str, str]] = None, *,
                 converter: Optional[Converter] = None) -> None:
        self.catalog = catalog
        self.labels = labels if labels is not None else {}
        """Page path (as on the site) → the label of its part in this document."""
        self.files: list[str] = []
        """Project files the document shows (posix paths relative to the project folder)."""
        self._convert = converter or converter_for(catalog)

    def md(self, text: Any, level: int = 3) -> Optional[str]:
        """A Markdown field as Typst markup (``None`` when empty); its headings start at ``level``."""
        if text is None or not str(text).strip():
            return None
        self._convert.link, self._convert.image = self._link, self._image  # this document's, as it may be shared
        return self._convert(str(text), heading_level=level)

    def ref(self, target: Target, title: str) -> dict[str, Any]:
        """A title that links to ``target``'s part of the document when the document has it."""
        return {"text": title, "label": self.labels.get(path_of(target))}

    def file(self, path: str) -> Optional[str]:
        """``path`` (relative to the project) as the document reads it, or ``None`` if it is not a file there."""
        full = (self.catalog.root / path).resolve()
        if not full.is_file() or not full.is_relative_to(self.catalog.root.resolve()):
            return None
        rel = full.relative_to(self.catalog.root.resolve()).as_posix()
        if rel not in self.files:
            self.files.append(rel)
        return "/" + rel

    def _link(self, href: str) -> Optional[str]:
        if external_link(href):
            return href
        page = posixpath.normpath(href.split("#", 1)[0]).lstrip("./")
        label = self.labels.get(page)
        return label

    def source_file(self, path: str) -> Optional[str]:
        """``path`` under the sources (``media/x.png``, as fields name images) as the document reads it."""
        return self.file(posixpath.join(self.catalog.sops.relative_to(self.catalog.root).as_posix(), path))

    def _image(self, src: str) -> Optional[str]:
        if "://" in src or src.startswith(("/", "data:")):
            return None
        return self.source_file(src)


def base(catalog: Catalog, *, title: str, today: date, version: str, page_size: str, look: Brand,
         printed: Printed) -> dict[str, Any]:
    """What every print document's data starts with (README.md, "PDF templates")."""
    return {
        "title": title,
        "organization": {"name": catalog.organization.name},
        "brand": {"color": look.color, "logo": printed.file(look.logo) if look.logo else None},
        "page_size": page_size,
        "version": version,
        "date": isodate(today),
        "lang": "en",
    }


def handbook(catalog: Catalog, *, role: Optional[RoleEntry], today: date, version: str,
             page_size: str = "A4", look: Optional[Brand] = None,
             converter: Optional[Converter] = None) -> tuple[dict[str, Any], list[str]]:
    """The data of one role's handbook, or of the whole business (``role=None``), in the
    business's ``look`` (by default organization.yml's), and the project files it shows.
    Handbooks made with the same ``converter`` (:func:`converter_for`) convert a text once."""
    roles = [role] if role is not None else pdf_roles(catalog)
    look = look or brand(catalog)
    labels: dict[str, str] = {}
    for r in roles:
        labels[role_path(r)] = f"role-{r.id}"
        labels[onboarding_path(r)] = f"onboarding-{r.id}"
        labels[checklists_path(r)] = f"checklists-{r.id}"
        for t in r.active_tasks:
            labels[sop_path(t)] = f"sop-{t.id}"
    references = reference_pages(catalog) if role is None else {}
    for path, _title in references.values():
        labels[path] = path[:-3]
    printed = Printed(catalog, labels, converter=converter)
    chapters: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    nested = role is None
    for r in roles:
        level = 2 if nested else 1
        chapters.append(_manual(printed, r))
        chapters.append(_onboarding(printed, r, level))
        sops = in_learning_order(r)
        chapters.append({"kind": "part", "label": f"procedures-{r.id}", "title": "Procedures", "level": level,
                         "role": r.title, "sops": [printed.ref(t, t.title) for t in sops]})
        for n, t in enumerate(sops):
            chapters.append(_sop(printed, t, level + 1, first=n == 0))
            if t.quiz:
                answers.append({"sop": printed.ref(t, t.title), "answers": [
                    {"letter": _letter(q.answer), "choice": q.choices[q.answer]} for q in t.quiz]})
        chapters.append(_checklists(printed, r, level))
    if role is None:
        chapters.append(_tools(printed))
        if "delegation" in references:
            chapters.append(delegation(printed, look, staff_money(catalog.organization)))
        chapters.append(reviews_chapter(printed, today))
    if role is not None:
        title = f"{role.title} handbook"
        facts = [["Date", isodate(today)], ["Version", version], ["Procedures", f"{len(role.active_tasks)} in force"]]
    else:
        title = "Operations handbook"
        facts = [["Date", isodate(today)], ["Version", version], ["Roles", str(len(catalog.ordered_roles))],
                 ["Procedures", f"{len(catalog.active_tasks)} in force"]]
    data = base(catalog, title=title, today=today, version=version, page_size=page_size, look=look, printed=printed)
    data.update(
        kind="role" if role is not None else "business",
        summary=printed.md(role.summary, 1) if role is not None else None,
        summary_text=None if role is not None else "Every role, its procedures, onboarding and checklists.",
        cover_facts=facts,
        cover_note="A printed copy is a snapshot: the procedures in force are those of the handbook site. "
                   "Check the version above against it.",
        chapters=chapters,
        answers=answers,
    )
    return data, printed.files


def _letter(index: int) -> str:
    """A quiz choice's label, as on the site: A, B, C… (past Z, its number)."""
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index] if index < 26 else str(index + 1)


def _revisions(history: Any, path: str) -> Optional[dict[str, Any]]:
    if not history or not history.revisions:
        return None
    shown = history.revisions[:REVISIONS_SHOWN]
    more = len(history.revisions) - len(shown)
    return {
        "rows": [{"version": str(history.version - i), "date": isodate(rev.date), "change": rev.subject,
                  "by": rev.author} for i, rev in enumerate(shown)],
        "more": f"And {more} earlier revisions: git log --follow {path} lists them all." if more > 0 else None,
    }


def _manual(printed: Printed, role: RoleEntry) -> dict[str, Any]:
    money = staff_money(printed.catalog.organization)
    org = printed.catalog.organization
    facts: list[list[Any]] = []
    if role.engagement:
        facts.append(["Engagement", role.engagement])
    if role.reports_to:
        facts.append(["Reports to", printed.ref(role.reports_to, role.reports_to.title)])
    if role.rate and org.publish_money:
        facts.append(["Rate", f"{money(role.rate)} an hour"])
    facts.append(["SOPs", f"{len(role.active_tasks)} in force · {hours(role.weekly_hours)} a week"])
    if org.publish_money:
        if role.value_freed:
            facts.append(["Frees the owner", f"{money(role.value_freed)} a week"])
        elif role.frees_nothing and not role.is_owner:
            facts.append(["Frees the owner", "nothing (the owner would not do this work)"])
    training = role.training
    return {
        "kind": "manual", "label": f"role-{role.id}", "title": role.title, "level": 1,
        "facts": facts,
        "summary": printed.md(role.summary, 2),
        "responsibilities": [printed.md(x) for x in role.responsibilities],
        "skills": [printed.md(x) for x in role.skills],
        "tools": [{"name": t.name, "url": t.url, "purpose": printed.md(t.purpose), "access": printed.md(t.access)}
                  for t in role.data.tools],
        "training": None if not training else {
            "method": printed.md(training.method, 3),
            "recordings": [{"title": rec.title, "url": rec.url,
                            "minutes": f"{rec.minutes:g} min" if rec.minutes else None}
                           for rec in training.recordings]},
        "benchmarks": _benchmarks(role.benchmarks),
        "procedures": [{"sop": printed.ref(t, t.title), "frequency": _frequency(t),
                        "duration": duration(t.duration),
                        "hours": "—" if t.status == "retired" else hours(t.weekly_hours), "status": t.status}
                       for t in role.tasks],
        "reports": [printed.ref(other, other.title) for other in role.reports],
        "revisions": _revisions(role.history, role.source.rel),
    }


def _frequency(task: TaskEntry) -> str:
    return FREQUENCY_TITLES[task.frequency] if task.frequency else "—"


def _benchmarks(items: Any) -> list[dict[str, str]]:
    return [{"objective": b.objective, "measure": b.measure, "target": b.target, "by": b.by or ""} for b in items]


def _onboarding(printed: Printed, role: RoleEntry, level: int) -> dict[str, Any]:
    phases = []
    for phase in onboarding_phases(role):
        phases.append({
            "title": phase["phase"],
            "goals": [printed.md(goal) for goal in phase["goals"]],
            "sops": [{"sop": printed.ref(t, t.title),
                      "detail": f"{_frequency(t).lower()}, {duration(t.duration)} a run",
                      "after": [printed.ref(p, p.title) for p in t.prerequisites]}
                     for t in phase["tasks"]],
        })
    return {"kind": "onboarding", "label": f"onboarding-{role.id}", "title": f"Onboarding: {role.title}",
            "level": level, "role": printed.ref(role, role.title), "phases": phases,
            "source": role.source.rel}


def _steps(printed: Printed, steps: Any, level: int) -> list[dict[str, Any]]:
    out = []
    for n, step in enumerate(steps, 1):
        image = None
        path = printed.source_file(step.image) if step.image else None
        if path:
            image = {"path": path, "alt": f"Step {n}: {_truncated(plain_words(step.do), 80)}"}
        out.append({
            "do": printed.md(step.do, level), "details": printed.md(step.details, level),
            "image": image, "video": step.video,
            "why": printed.md(step.why, level), "tip": printed.md(step.tip, level),
            "warning": printed.md(step.warning, level),
            "steps": _steps(printed, step.steps, level),
        })
    return out


def _checklist(printed: Printed, task: TaskEntry) -> list[Optional[str]]:
    """A task's checklist: its own items (plain text, shown as written), or each step's ``do``."""
    if task.checklist:
        return [typst_markup(" ".join(item.split())) for item in task.checklist]
    return [printed.md(" ".join(str(step.do).split())) for step in task.steps]


def _truncated(text: str, length: int) -> str:
    """``text`` cut at a word to at most ``length`` characters, with "..." when cut (Jinja's ``truncate``)."""
    return text if len(text) <= length else text[:length - 3].rsplit(" ", 1)[0] + "..."


def _sop(printed: Printed, task: TaskEntry, level: int, *, first: bool = False) -> dict[str, Any]:
    """An SOP's part; the ``first`` of a role's procedures follows their heading on its page."""
    facts: list[list[Any]] = []
    facts.append(["Role", printed.ref(task.role, task.role.title) if task.role else str(task.data.role)])
    if task.frequency or task.trigger:
        facts.append(["Frequency", " · ".join(x for x in (_frequency(task) if task.frequency else "",
                                                          task.trigger or "") if x)])
    if task.duration or task.weekly_hours:
        parts = []
        if task.duration:
            parts.append(f"{duration(task.duration)} a run")
        if task.weekly_hours and task.status != "retired":
            parts.append(f"{hours(task.weekly_hours)} a week")
        facts.append(["Duration", " · ".join(parts)])
    if task.data.tools:
        facts.append(["Tools", ", ".join(task.data.tools)])
    facts.append(["Maintainer", printed.ref(task.maintainer, task.maintainer.title) if task.maintainer else "—"])
    if task.history and task.history.version:
        facts.append(["Version", f"{task.history.version}{' + uncommitted changes' if task.history.modified else ''}"
                                 f" · in force since {isodate(task.history.effective)}"])
    facts.append(["Next review", f"{isodate(task.next_review)} (reviewed {isodate(task.reviewed)})"
                  if task.next_review else "never reviewed"])
    if task.tags:
        facts.append(["Tags", " · ".join(task.tags)])
    return {
        "kind": "sop", "label": f"sop-{task.id}", "title": task.title, "level": level, "first": first,
        "status": task.status,
        "maintainer": task.maintainer.title if task.maintainer else None,
        "facts": facts,
        "purpose": printed.md(task.purpose, level + 2),
        "prerequisites": [printed.ref(p, p.title) for p in task.prerequisites],
        "steps": _steps(printed, task.steps, level + 2),
        "done_when": [printed.md(x) for x in task.done_when],
        "checklist": _checklist(printed, task) if task.status != "retired" else [],
        "benchmarks": _benchmarks(task.benchmarks),
        "quiz": [{"question": q.question, "choices": [{"letter": _letter(i), "text": c}
                                                      for i, c in enumerate(q.choices)]} for q in task.quiz],
        "revisions": _revisions(task.history, task.source.rel),
        "needed_for": [printed.ref(t, t.title) for t in task.required_by],
    }


def _checklists(printed: Printed, role: RoleEntry, level: int) -> dict[str, Any]:
    return {
        "kind": "checklists", "label": f"checklists-{role.id}", "title": f"Checklists: {role.title}",
        "level": level,
        "groups": [{"title": title, "sops": [{"sop": printed.ref(t, t.title), "draft": t.status == "draft",
                                              "trigger": t.trigger, "items": _checklist(printed, t)}
                                             for t in tasks]}
                   for title, tasks in checklist_groups(role)],
    }


def _tools(printed: Printed) -> dict[str, Any]:
    return {
        "kind": "tools", "label": "tools", "title": "Tools", "level": 1,
        "tools": [{"name": tool["name"], "url": tool["url"], "purpose": printed.md(tool["purpose"]),
                   "uses": [{"role": printed.ref(use["role"], use["role"].title),
                             "access": printed.md(use["access"])} for use in tool["roles"]],
                   "sops": [printed.ref(t, t.title) for t in tool["tasks"]]}
                  for tool in tool_index(printed.catalog)],
    }


REVIEW_SECTIONS = (("overdue", "Overdue", "danger"), ("due-soon", "Due in the next 30 days", "warning"),
                   ("never", "Never reviewed", "info"), ("current", "Up to date", "success"))


def reviews_chapter(printed: Printed, today: date) -> dict[str, Any]:
    groups = review_groups(printed.catalog, today)
    return {
        "kind": "reviews", "label": "reviews", "title": "Reviews", "level": 1,
        "every": str(printed.catalog.organization.review_every), "on": isodate(today),
        "sections": [{"title": title, "kind": kind, "sops": [
            {"sop": printed.ref(t, t.title), "role": t.role.title if t.role else "",
             "maintainer": t.maintainer.title if t.maintainer else "—",
             "reviewed": isodate(t.reviewed), "next": isodate(t.next_review)} for t in groups[key]]}
            for key, title, kind in REVIEW_SECTIONS],
    }


def in_learning_order(role: RoleEntry) -> list[TaskEntry]:
    """A role's SOPs in force, in onboarding order first, then by title."""
    seen: list[TaskEntry] = []
    for phase in role.onboarding:
        seen += [t for t in phase.tasks if t.status != "retired" and t.role is role]
    rest = [t for t in role.active_tasks if t not in seen]
    return learning_order(list(dict.fromkeys(seen + rest)))


def delegation(printed: Printed, look: Brand, money: Money) -> dict[str, Any]:
    """The chapter *Delegation*: what each delegated task costs in the owner's time, what it costs
    to delegate, and the value freed; with ``money`` as the document shows it."""
    catalog = printed.catalog
    totals, owner = catalog.delegation_totals(), catalog.owner
    not_freeing = totals["not_freeing"]

    def row(values: list[Any]) -> list[str]:
        return [str(v) for v in values]

    roles = []
    for role in catalog.ordered_roles:
        if role.is_owner:
            continue
        tasks = []
        for task in role.active_tasks:
            if task.frees_owner:
                tasks.append([printed.ref(task, task.title), hours(task.weekly_hours), money(task.owner_cost),
                              money(task.delegate_cost), money(task.value_freed), money(task.value_freed, per=52)])
            else:
                tasks.append([printed.ref(task, task.title), hours(task.weekly_hours), "—", money(task.delegate_cost),
                              "— (the owner would not do this)", "—"])
        roles.append({
            "role": printed.ref(role, role.title),
            "rate": f"Rate: {money(role.rate)} an hour." if role.rate else
                    f"No rate set: add rate: to {role.source.rel} to see what delegating costs.",
            "frees_nothing": role.frees_nothing,
            "tasks": tasks,
            "total": row([hours(role.weekly_hours), money(role.owner_cost), money(role.delegate_cost),
                          "— (the owner would not do this)" if role.frees_nothing else money(role.value_freed),
                          "—" if role.frees_nothing else money(role.value_freed, per=52)]),
        })
    chart = str(value_freed_chart(catalog, money, look.color))
    unpriced = totals["unpriced"]
    return {
        "kind": "delegation", "label": "delegation", "title": "Delegation", "level": 1,
        "owner": owner.title if owner else None,
        "owner_rate": money(owner.rate) if owner and owner.rate else None,
        "totals": None if not totals["value_freed"] else {
            "week": row([hours(totals["weekly_hours"]), money(totals["owner_cost"]), money(totals["delegate_cost"]),
                         money(totals["value_freed"])]),
            "year": row([hours(totals["weekly_hours"] * 52), money(totals["owner_cost"], per=52),
                         money(totals["delegate_cost"], per=52), money(totals["value_freed"], per=52)]),
        },
        "chart": chart or None,
        "not_freeing": None if not not_freeing["tasks"] else (
            f"Besides, {hours(not_freeing['weekly_hours'])} a week of work the owner would not do herself "
            f"({plural(len(not_freeing['tasks']), 'task')}) costs {money(not_freeing['delegate_cost'])} a week to "
            f"delegate ({money(not_freeing['delegate_cost'], per=52)} a year). It frees nothing, so it is not in "
            "the figures above."),
        "unpriced": None if not (owner and unpriced) else {
            "title": f"{plural(len(unpriced), 'delegated task')} left out of these figures: no rate",
            "text": f"{', '.join(r.title for r in totals['unpriced_roles'])} "
                    f"{'has' if len(totals['unpriced_roles']) == 1 else 'have'} no rate, so what the work costs is "
                    f"unknown. Add rate: to {', '.join(r.source.rel for r in totals['unpriced_roles'])} to count it."},
        "roles": roles,
        "kept": None if not (owner and owner.active_tasks) else {
            "title": f"Kept by {owner.title}",
            "tasks": [[printed.ref(t, t.title), f"{hours(t.weekly_hours)} a week"] for t in owner.active_tasks]},
    }
