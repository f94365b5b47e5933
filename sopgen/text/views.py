"""What the pages and the PDFs show, shaped from the catalog: onboarding phases, checklists by
frequency, the tool index, the changelog, the reviews due and the value-freed chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Optional

from markupsafe import Markup

from ..core.addresses import CHANGELOG_LENGTH
from ..core.catalog import Catalog, unnamed_revision
from ..core.entries import DUE_SOON_DAYS, ReviewState, RoleEntry, TaskEntry
from ..core.frequencies import NAMED, parts
from ..core.ordering import by_frequency, learning_order
from ..core.ticks import onboarding_ticks
from .barchart import Bar, bar_chart
from .filters import Money, Withheld, duration
from .i18n import N_, Language, language

ENGLISH = language()

FREQUENCIES = [*NAMED, None]
"""The named frequencies in the order their groups come (``every 2 weeks`` and the like come
between them by their runs a week: :func:`sopgen.core.ordering.by_frequency`)."""


NAMED_TITLES = {"daily": N_("Daily"), "weekly": N_("Weekly"), "monthly": N_("Monthly"),
                "quarterly": N_("Quarterly"), "yearly": N_("Yearly"), "as-needed": N_("As needed"), None: N_("Unscheduled")}


def frequency_title(frequency: Optional[str], lang: Language = ENGLISH) -> str:
    """How pages and PDFs name ``frequency`` in ``lang``: "Weekly", "Every 2 weeks", "3 times a month"."""
    if frequency in NAMED_TITLES:
        return lang.gettext(NAMED_TITLES[frequency])
    n, unit, every = parts(frequency)
    if every:
        return (lang.ngettext("Every %(num)s week", "Every %(num)s weeks", n) if unit == "week" else
                lang.ngettext("Every %(num)s month", "Every %(num)s months", n))
    return (lang.ngettext("%(num)s time a week", "%(num)s times a week", n) if unit == "week" else
            lang.ngettext("%(num)s time a month", "%(num)s times a month", n))


class _Titles(dict):  # type: ignore[type-arg]
    def __init__(self, lang: Language) -> None:
        super().__init__()
        self.lang = lang

    def __missing__(self, frequency: Optional[str]) -> str:
        self[frequency] = frequency_title(frequency, self.lang)
        return self[frequency]


def frequency_titles(lang: Language = ENGLISH) -> dict[Optional[str], str]:
    """How pages name each frequency in ``lang``, by its text: any frequency a task may have."""
    return _Titles(lang)


FREQUENCY_TITLES = frequency_titles()
"""How pages name each frequency in English ("Weekly", "Every 2 weeks", "3 times a month")."""


def cadence(task: TaskEntry, lang: Language = ENGLISH) -> str:
    """How often and how long, as an SOP to learn is introduced: ``weekly, 1 h a run``, ``as needed``,
    ``45 min a run``; empty when the task gives neither (never a dash standing for a missing part)."""
    said = [frequency_title(task.frequency, lang).lower()] if task.frequency else []
    if task.duration:
        said.append(lang.gettext("%(duration)s a run", duration=duration(task.duration, lang)))
    return ", ".join(said)


def onboarding_phases(role: RoleEntry, source: Optional[RoleEntry] = None) -> list[dict[str, Any]]:
    """Onboarding phases, each with its SOPs in the order they can be learned; a reader's ticks
    kept by the goals of ``source``, the role ``role`` is a translation of (by default itself)."""
    ticks = onboarding_ticks(source or role)
    return [{"phase": p.phase, "goals": p.goals, "tasks": learning_order(p.tasks), "index": i, "ticks": ticks[i]}
            for i, p in enumerate(role.onboarding)]


def checklist_groups(role: RoleEntry, lang: Language = ENGLISH) -> list[tuple[str, list[TaskEntry]]]:
    """The role's SOPs in force, grouped by frequency (the most runs a week first), each group
    in the role's order; retired ones left out."""
    return [(frequency_title(freq, lang), tasks) for freq, tasks in by_frequency([t for t in role.tasks if t.status != "retired"])]


def tool_index(catalog: Catalog) -> list[dict[str, Any]]:
    """Every tool by name (case-insensitive), with the roles that list it and the SOPs that use it.

    ``purpose`` is the tool's when the roles that give one agree (or one gives it); when they
    differ, ``purpose_by_role`` is true, ``purpose`` is ``None`` and each role's stays on its use."""
    tools: dict[str, dict[str, Any]] = {}
    for role in catalog.ordered_roles:
        for tool in role.data.tools:
            entry = tools.setdefault(tool.name.strip().lower(), {
                "name": tool.name, "url": tool.url, "purpose": None, "purpose_by_role": False,
                "roles": [], "tasks": []})
            entry["url"] = entry["url"] or tool.url
            entry["roles"].append({"role": role, "access": tool.access, "purpose": tool.purpose})
    for entry in tools.values():
        given = {" ".join(use["purpose"].split()): use["purpose"] for use in entry["roles"] if use["purpose"]}
        entry["purpose_by_role"] = len(given) > 1
        entry["purpose"] = next(iter(given.values())) if len(given) == 1 else None
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


def value_freed_chart(catalog: Catalog, money: Money, color: str) -> Markup:  # noqa: C901 - one row per case
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
    _ = money.lang.gettext
    bars = []
    for role in roles:
        freed = role.value_freed
        if role.frees_nothing:
            bars.append(Bar(role.title, _("frees nothing: the owner would not do this work")))
        elif not role.active_tasks:
            bars.append(Bar(role.title, _("no SOPs in force")))
        elif freed is None:
            bars.append(Bar(role.title, _("unknown: no rate")))
        else:
            note = _("costs more than it frees") if freed.high < 0 else \
                _("may cost more than it frees") if freed.low < 0 else ""
            bars.append(Bar(role.title, money(freed), float(freed.low), None if freed.exact else float(freed.high),
                            note=note))
    return bar_chart(bars, ident="value-freed-chart", title=_("Value freed a week, by role"), color=color,
                     summary=_("What delegating each role's work frees of the owner's time a week, "
                               "less what it costs"))


@dataclass(frozen=True)
class ReviewSection:
    """A section of the review status: the SOPs in one review state."""

    key: ReviewState
    """The state, as :func:`review_groups` names its group."""
    title: str
    kind: str
    """How urgent it is, as an admonition type (``danger``…``success``): its colour in the PDFs."""


def review_sections(lang: Language = ENGLISH) -> tuple[ReviewSection, ...]:
    """The sections of the review status, titled in ``lang``, in the order the reviews page
    (``review_sections`` in its template's context) and the PDFs' *Reviews* chapter show them:
    the one list of both."""
    return (
        ReviewSection("overdue", lang.gettext("Overdue"), "danger"),
        ReviewSection("due-soon", lang.gettext("Due in the next %(days)s days", days=DUE_SOON_DAYS), "warning"),
        ReviewSection("never", lang.gettext("Never reviewed"), "info"),
        ReviewSection("current", lang.gettext("Up to date"), "success"),
    )


REVIEW_SECTIONS = review_sections()
"""The sections of the review status, in English."""


def review_groups(catalog: Catalog, today: date, *, soon: int = DUE_SOON_DAYS) -> dict[str, list[TaskEntry]]:
    """SOPs in force by review state (the keys of :data:`REVIEW_SECTIONS`), by next review date."""
    groups: dict[str, list[TaskEntry]] = {section.key: [] for section in REVIEW_SECTIONS}
    for task in sorted(catalog.tasks.values(), key=lambda t: (t.next_review or date.max, t.title)):
        if task.status != "retired":
            groups[task.review_state(today, soon=soon)].append(task)
    return groups
