"""A role's chapters in a handbook, as data for ``templates/pdf/handbook.typ``: its manual, its
onboarding, each SOP and its checklists. Plain text stays plain strings, which the template shows
as text; Markdown fields become Typst markup (:class:`sopgen.print.printed.Printed`).
"""

from __future__ import annotations

from typing import Any, Optional

from ..core.entries import RoleEntry, TaskEntry
from ..core.escape import typst_markup
from ..core.translation import marked_like
from ..text.filters import duration, hours, isodate, plain_words, staff_money
from ..text.i18n import Language
from ..text.views import cadence, checklist_groups, frequency_title, onboarding_phases
from .printed import Printed, marked, part_of, plain
from .untranslated import fact_value, not_translated_yet, part_note

REVISIONS_SHOWN = 10
"""The newest revisions a role's or an SOP's table of revisions shows; the rest are counted."""


def choice_letter(index: int) -> str:
    """A quiz choice's label, as on the site: A, B, C… (past Z, its number)."""
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index] if index < 26 else str(index + 1)


def _revisions(history: Any, path: str, lang: Language) -> Optional[dict[str, Any]]:
    if not history or not history.revisions:
        return None
    shown = history.revisions[:REVISIONS_SHOWN]
    more = len(history.revisions) - len(shown)
    return {
        "rows": [{"version": str(history.version - i), "date": isodate(rev.date, lang), "change": rev.subject,
                  "by": rev.author} for i, rev in enumerate(shown)],
        # the site's message, its Markdown code marks left out: the template shows it as text
        "more": lang.ngettext("And %(count)s earlier revision: `git log --follow %(path)s` lists them all.",
                              "And %(count)s earlier revisions: `git log --follow %(path)s` lists them all.",
                              more, count=more, path=path).replace("`", "") if more > 0 else None,
    }


def manual_chapter(printed: Printed, role: RoleEntry) -> dict[str, Any]:
    """A role's manual: its facts, summary, responsibilities, skills, tools, training, benchmarks and SOPs."""
    lang, org = printed.lang, printed.catalog.organization
    _ = lang.gettext
    money = staff_money(org, lang)
    facts: list[list[Any]] = []
    if role.engagement:
        facts.append([_("Engagement"), fact_value(role.engagement)])
    if role.reports_to:
        facts.append([_("Reports to"), printed.ref(role.reports_to, role.reports_to.title)])
    if role.rate and org.publish_money:
        facts.append([_("Rate"), _("%(amount)s an hour", amount=money(role.rate))])
    facts.append([_("SOPs"), _("%(count)s in force", count=len(role.active_tasks)) + " · "
                  + _("%(hours)s a week", hours=hours(role.weekly_hours, lang))])
    if org.publish_money:
        if role.value_freed:
            facts.append([_("Frees the owner"), _("%(amount)s a week", amount=money(role.value_freed))])
        elif role.frees_nothing and not role.is_owner:
            facts.append([_("Frees the owner"), _("nothing (the owner would not do this work)")])
    training = role.training
    return {
        "kind": "manual", "label": f"role-{role.id}", **plain(title=role.title), "level": 1,
        "stale": part_note(printed, role),
        "facts": facts,
        "summary": printed.md(role.summary, 2),
        "responsibilities": [printed.md(x) for x in role.responsibilities],
        "skills": [printed.md(x) for x in role.skills],
        "tools": [{"name": t.name, "url": t.url, "purpose": printed.md(t.purpose), "access": printed.md(t.access)}
                  for t in role.data.tools],
        "training": None if not training else {
            "method": printed.md(training.method, 3),
            "recordings": [{**plain(title=rec.title), "url": rec.url,
                            "minutes": _("%(minutes)s min", minutes=lang.number(rec.minutes)) if rec.minutes else None}
                           for rec in training.recordings]},
        "benchmarks": _benchmarks(role.benchmarks),
        "procedures": [{"sop": printed.ref(t, t.title), "frequency": _frequency(t, lang),
                        "duration": duration(t.duration, lang),
                        "hours": "—" if t.status == "retired" else hours(t.weekly_hours, lang), "status": t.status}
                       for t in role.tasks],
        "reports": [printed.ref(other, other.title) for other in role.reports],
        "revisions": _revisions(role.history, role.source.rel, lang),
    }


def _frequency(task: TaskEntry, lang: Language) -> str:
    return frequency_title(task.frequency, lang) if task.frequency else "—"


def _benchmarks(items: Any) -> list[dict[str, str]]:
    return [plain(objective=b.objective, measure=b.measure, target=b.target, by=b.by or "") for b in items]


def onboarding_chapter(printed: Printed, role: RoleEntry, level: int) -> dict[str, Any]:
    """A role's onboarding, phase by phase: its goals and the SOPs to learn, each after its prerequisites."""
    phases = []
    for phase in onboarding_phases(role):
        phases.append({
            **plain(title=phase["phase"]),
            "goals": [printed.md(goal) for goal in phase["goals"]],
            "sops": [{"sop": printed.ref(t, t.title),
                      "detail": cadence(t, printed.lang),
                      "after": [printed.ref(p, p.title) for p in t.prerequisites]}
                     for t in phase["tasks"]],
        })
    return {"kind": "onboarding", "label": f"onboarding-{role.id}",
            "title": printed.lang.gettext("Onboarding: %(role)s", role=role.title),
            "level": level, "role": printed.ref(role, role.title), "phases": phases,
            "source": role.source.rel}


def _steps(printed: Printed, steps: Any, level: int) -> list[dict[str, Any]]:
    out = []
    for n, step in enumerate(steps, 1):
        image = None
        path = printed.source_file(step.image) if step.image else None
        if path:
            image = {"path": path, "alt": printed.lang.gettext("Step %(number)s: %(text)s", number=n,
                                                               text=_truncated(plain_words(step.do), 80))}
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
        return [marked(item, typst_markup(" ".join(item.split()))) for item in task.checklist]
    return [printed.md(marked_like(" ".join(str(step.do).split()), step.do)) for step in task.steps]


def _truncated(text: str, length: int) -> str:
    """``text`` cut at a word to at most ``length`` characters, with "..." when cut (Jinja's ``truncate``)."""
    return text if len(text) <= length else text[:length - 3].rsplit(" ", 1)[0] + "..."


def sop_chapter(printed: Printed, task: TaskEntry, level: int, *, first: bool = False) -> dict[str, Any]:
    """An SOP's part; the ``first`` of a role's procedures follows their heading on its page."""
    lang = printed.lang
    _ = lang.gettext
    facts: list[list[Any]] = []
    facts.append([_("Role"), printed.ref(task.role, task.role.title) if task.role else str(task.data.role)])
    if task.frequency or task.trigger:
        said = " · ".join(x for x in (_frequency(task, lang) if task.frequency else "", task.trigger or "") if x)
        facts.append([_("Frequency"), fact_value(marked_like(said, task.trigger or ""))])
    if task.duration or task.weekly_hours:
        parts = []
        if task.duration:
            parts.append(_("%(duration)s a run", duration=duration(task.duration, lang)))
        if task.weekly_hours and task.status != "retired":
            parts.append(_("%(hours)s a week", hours=hours(task.weekly_hours, lang)))
        facts.append([_("Duration"), " · ".join(parts)])
    if task.data.tools:
        facts.append([_("Tools"), ", ".join(task.data.tools)])
    facts.append([_("Maintainer"), printed.ref(task.maintainer, task.maintainer.title) if task.maintainer else "—"])
    if task.history and task.history.version:
        facts.append([_("Version"), f"{task.history.version}"
                      + (" + " + _("uncommitted changes") if task.history.modified else "")
                      + " · " + _("in force since %(date)s", date=isodate(task.history.effective, lang))])
    facts.append([_("Next review"), _("%(next)s (reviewed %(reviewed)s)", next=isodate(task.next_review, lang),
                                      reviewed=isodate(task.reviewed, lang))
                  if task.next_review else _("never reviewed")])
    if task.tags:
        facts.append([_("Tags"), " · ".join(task.tags)])
    return {
        "kind": "sop", "label": f"sop-{task.id}", **plain(title=task.title), "level": level, "first": first,
        "stale": part_note(printed, task),
        "status": task.status,
        "maintainer": task.maintainer.title if task.maintainer else None,
        "facts": facts,
        "purpose": printed.md(task.purpose, level + 2),
        "prerequisites": [printed.ref(p, p.title) for p in task.prerequisites],
        "steps": _steps(printed, task.steps, level + 2),
        "done_when": [printed.md(x) for x in task.done_when],
        "checklist": _checklist(printed, task) if task.status != "retired" else [],
        "benchmarks": _benchmarks(task.benchmarks),
        "quiz": [{**plain(question=q.question), "choices": [{"letter": choice_letter(i), **plain(text=c)}
                                                            for i, c in enumerate(q.choices)]} for q in task.quiz],
        "revisions": _revisions(task.history, task.source.rel, lang),
        "needed_for": [printed.ref(t, t.title) for t in task.required_by],
    }


def checklists_chapter(printed: Printed, role: RoleEntry, level: int) -> dict[str, Any]:
    """A role's checklists, grouped by frequency."""
    return {
        "kind": "checklists", "label": f"checklists-{role.id}",
        "title": printed.lang.gettext("Checklists: %(role)s", role=role.title),
        "level": level,
        "groups": [{"title": title, "sops": [_sop_checklist(printed, t) for t in tasks]}
                   for title, tasks in checklist_groups(role, printed.lang)],
    }


def _sop_checklist(printed: Printed, task: TaskEntry) -> dict[str, Any]:
    """An SOP's checklist in its role's checklists: its lines as in its part (unmarked when nobody has
    translated the SOP yet, which ``untranslated`` says once under its heading)."""
    with part_of(task, printed) as quiet:
        return {"sop": printed.ref(task, task.title), "draft": task.status == "draft",
                "untranslated": not_translated_yet(printed) if quiet else None,
                **plain(trigger=task.trigger), "items": _checklist(printed, task)}
