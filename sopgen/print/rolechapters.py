"""A role's chapters in a handbook, as data for ``templates/pdf/handbook.typ``: its manual, its
onboarding, each SOP and its checklists. Plain text stays plain strings, which the template shows
as text; Markdown fields become Typst markup (:class:`sopgen.print.printed.Printed`).
"""

from __future__ import annotations

from typing import Any, Optional

from ..core.entries import RoleEntry, TaskEntry
from ..core.escape import typst_markup
from ..text.filters import duration, hours, isodate, plain_words, staff_money
from ..text.views import (
    FREQUENCY_TITLES,
    cadence,
    checklist_groups,
    onboarding_phases,
)
from .printed import Printed

REVISIONS_SHOWN = 10
"""The newest revisions a role's or an SOP's table of revisions shows; the rest are counted."""


def choice_letter(index: int) -> str:
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


def manual_chapter(printed: Printed, role: RoleEntry) -> dict[str, Any]:
    """A role's manual: its facts, summary, responsibilities, skills, tools, training, benchmarks and SOPs."""
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


def onboarding_chapter(printed: Printed, role: RoleEntry, level: int) -> dict[str, Any]:
    """A role's onboarding, phase by phase: its goals and the SOPs to learn, each after its prerequisites."""
    phases = []
    for phase in onboarding_phases(role):
        phases.append({
            "title": phase["phase"],
            "goals": [printed.md(goal) for goal in phase["goals"]],
            "sops": [{"sop": printed.ref(t, t.title),
                      "detail": cadence(t),
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


def sop_chapter(printed: Printed, task: TaskEntry, level: int, *, first: bool = False) -> dict[str, Any]:
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
        "quiz": [{"question": q.question, "choices": [{"letter": choice_letter(i), "text": c}
                                                      for i, c in enumerate(q.choices)]} for q in task.quiz],
        "revisions": _revisions(task.history, task.source.rel),
        "needed_for": [printed.ref(t, t.title) for t in task.required_by],
    }


def checklists_chapter(printed: Printed, role: RoleEntry, level: int) -> dict[str, Any]:
    """A role's checklists, grouped by frequency."""
    return {
        "kind": "checklists", "label": f"checklists-{role.id}", "title": f"Checklists: {role.title}",
        "level": level,
        "groups": [{"title": title, "sops": [{"sop": printed.ref(t, t.title), "draft": t.status == "draft",
                                              "trigger": t.trigger, "items": _checklist(printed, t)}
                                             for t in tasks]}
                   for title, tasks in checklist_groups(role)],
    }
