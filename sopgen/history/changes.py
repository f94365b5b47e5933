"""What changed in the SOPs since a tag or commit, for the people who must re-learn it.

``sopgen changes REV`` reads the sources as they were at ``REV``
(:func:`catalog_at`), pairs each task with its earlier self, following renamed
files (:func:`renamed_tasks`), and reports per role the SOPs added, retired,
removed, renamed and changed (:func:`compare`), each changed SOP with a
step-level diff (:func:`step_diff`), and the benchmarks of each role and SOP
that changed, as Markdown (:func:`to_markdown`).

Only what a performer must re-learn or is measured by counts: steps, purpose,
status, frequency, duration, trigger, prerequisites, tools, checklist,
definition of done and benchmarks. Review dates, tags, quizzes and maintainers
do not. Steps go by their numbers now; a removed step by the one it had
(:mod:`sopgen.core.stepdiff`).
"""


from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Literal

from ..core.benchdiff import BenchmarkChange, benchmark_diff, benchmark_line
from ..core.catalog import Catalog
from ..core.durations import Duration
from ..core.entries import TaskEntry
from ..core.escape import readable_markdown
from ..core.stepdiff import StepChange, normalize, step_diff, step_lines, text_change
from .revisions import ChangesError, catalog_at, describe_rev, renamed_tasks

__all__ = ["ChangesError", "catalog_at", "compare", "describe_rev", "renamed_tasks", "select_role",
           "step_diff", "to_markdown", "BenchmarkChange", "FieldChange", "RoleChanges", "StepChange", "TaskChange"]

TASK_FIELDS = {  # in the order of README.md's table of a task's fields
    "purpose": "Purpose", "status": "Status", "frequency": "Frequency", "duration": "Duration",
    "trigger": "Trigger", "prerequisites": "Prerequisites", "tools": "Tools",
    "checklist": "Checklist", "done_when": "Definition of done",
}
MARKDOWN_FIELDS = ("purpose",)  # quoted before and now, with the words that changed
LIST_FIELDS = ("prerequisites", "tools", "checklist", "done_when")  # reported item by item
TaskKind = Literal["added", "unretired", "removed", "retired", "renamed", "changed"]


# -- tasks and roles ----------------------------------------------------------------------

@dataclass(frozen=True)
class FieldChange:
    """A task field that changed, other than its steps.

    Lists (prerequisites, tools, checklist, done_when) give the items ``added`` and
    ``removed`` (both empty: reordered); other fields give ``old`` and ``new``.
    """

    field: str
    old: str | None = None
    new: str | None = None
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class TaskChange:
    """One SOP added, back in use, removed, retired, renamed or changed, in one role."""

    kind: TaskKind
    task: str
    """Its id now; its id before when it was removed."""
    title: str
    """Its title now; its title before when it was removed."""
    old_task: str | None = None
    """Its id before, when its file was renamed."""
    old_title: str | None = None
    """Its title before, when that changed."""
    moved_from: str | None = None
    """The role id that performed it before (when added here by a move)."""
    moved_to: str | None = None
    """The role id that performs it now (when removed from here by a move)."""
    status: str = "active"
    fields: tuple[FieldChange, ...] = ()
    steps: tuple[StepChange, ...] = ()
    benchmarks: tuple[BenchmarkChange, ...] = ()


@dataclass
class RoleChanges:
    """What changed for one role: its own benchmarks, in their order, and its SOPs, each list sorted by title."""

    role: str
    title: str
    added: list[TaskChange] = field(default_factory=list)
    changed: list[TaskChange] = field(default_factory=list)
    retired: list[TaskChange] = field(default_factory=list)
    removed: list[TaskChange] = field(default_factory=list)
    renamed: list[TaskChange] = field(default_factory=list)
    benchmarks: list[BenchmarkChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.retired or self.removed or self.renamed or self.benchmarks)


def compare(old: Catalog, new: Catalog, *, renames: dict[str, str]) -> list[RoleChanges]:
    """What changed from ``old`` to ``new``, per role: every role of either catalog, none left out.

    Roles come as ``new.ordered_roles``, then the roles that disappeared. A task
    that changed role is removed from the old role and added to the new one. A
    file that exists but cannot be read on one side is neither added nor removed.
    """
    sections: dict[str, RoleChanges] = {}
    for role in [*new.ordered_roles, *old.ordered_roles]:  # a role's title now, if it still exists
        sections.setdefault(role.id, RoleChanges(role.id, role.title))
    for role_id, section in sections.items():
        before, after = old.roles.get(role_id), new.roles.get(role_id)
        section.benchmarks = benchmark_diff(before.data.benchmarks if before else [],
                                            after.data.benchmarks if after else [])
    for before, after in _pair_tasks(old, new, renames):
        for role_id, kind, change in _task_changes(before, after):
            section = sections.setdefault(role_id, RoleChanges(role_id, role_id))
            getattr(section, kind).append(change)
    for section in sections.values():
        for kind in ("added", "changed", "retired", "removed", "renamed"):
            getattr(section, kind).sort(key=lambda c: (c.title.casefold(), c.task))
    return list(sections.values())


def _pair_tasks(old: Catalog, new: Catalog, renames: dict[str, str],
                ) -> list[tuple[TaskEntry | None, TaskEntry | None]]:
    """Each task with its earlier self (same id, or renamed); ``None`` on the side it is missing."""
    earlier = {tid: tid for tid in new.tasks if tid in old.tasks}
    for was, now in renames.items():
        if was in old.tasks and now in new.tasks and was not in new.tasks and now not in old.tasks:
            earlier[now] = was
    pairs: list[tuple[TaskEntry | None, TaskEntry | None]] = [
        (old.tasks[earlier[tid]] if tid in earlier else None, task) for tid, task in sorted(new.tasks.items())
        if tid in earlier or ("tasks", tid) not in old.broken
    ]
    kept = set(earlier.values())
    pairs += [(task, None) for tid, task in sorted(old.tasks.items())
              if tid not in kept and ("tasks", tid) not in new.broken]
    return pairs


def _task_changes(before: TaskEntry | None, after: TaskEntry | None) -> list[tuple[str, str, TaskChange]]:
    """(role id, section, change) for one task; two entries when it moved to another role."""
    if before is None or after is None:
        entry = after or before
        assert entry is not None
        kind: TaskKind = "added" if after is not None else "removed"
        # an SOP whose file arrives already retired (a record of an old way) was never in force here
        section = "retired" if after is not None and after.status == "retired" else kind
        return [(entry.data.role, section, TaskChange(kind, entry.id, entry.title, status=entry.status))]
    was, now = before.status == "retired", after.status == "retired"
    old_role, new_role = before.data.role, after.data.role
    same = {"task": after.id, "title": after.title, "status": after.status,
            "old_task": before.id if before.id != after.id else None,
            "old_title": before.title if normalize(before.title) != normalize(after.title) else None}
    if was or now:
        if was and now:
            return []
        return [(old_role, "retired", TaskChange("retired", **same))] if now else \
            [(new_role, "added", TaskChange("unretired", **same))]
    if old_role != new_role:
        return [(old_role, "removed", TaskChange("removed", before.id, before.title, moved_to=new_role,
                                                 status=before.status)),
                (new_role, "added", TaskChange("added", after.id, after.title, moved_from=old_role,
                                               status=after.status))]
    out = []
    if same["old_task"] or same["old_title"]:
        out.append((new_role, "renamed", TaskChange("renamed", **same)))
    fields, steps = _field_changes(before, after), step_diff(before.steps, after.steps)
    benchmarks = benchmark_diff(before.data.benchmarks, after.data.benchmarks)
    if fields or steps or benchmarks:
        out.append((new_role, "changed", TaskChange("changed", **same, fields=tuple(fields), steps=tuple(steps),
                                                    benchmarks=tuple(benchmarks))))
    return out


def _field_changes(before: TaskEntry, after: TaskEntry) -> list[FieldChange]:
    """The fields that changed, other than steps, in the order of README.md's table of a task's fields."""
    out: list[FieldChange] = []
    for name in TASK_FIELDS:
        if name == "prerequisites":  # by title: a prerequisite renamed but not retitled is the same
            a, b = [p.title for p in before.prerequisites], [p.title for p in after.prerequisites]
        else:
            a, b = getattr(before.data, name), getattr(after.data, name)
        if _key(a) == _key(b):
            continue
        if name in LIST_FIELDS:
            out.append(FieldChange(name, added=tuple(x for x in b if normalize(x) not in map(normalize, a)),
                                   removed=tuple(x for x in a if normalize(x) not in map(normalize, b))))
        else:
            out.append(FieldChange(name, old=_shown(a), new=_shown(b)))
    return out


def _key(value: Any) -> Any:
    """What a field's value is, ignoring how it is written (``1h`` is ``60m``, spaces are spaces)."""
    if isinstance(value, Duration):
        return (value.minutes, value.days, value.months)
    if isinstance(value, (list, tuple)):
        return [normalize(v) for v in value]
    return normalize(value)


def _shown(value: Any) -> str | None:
    return None if value is None else normalize(value)


# -- Markdown ----------------------------------------------------------------------------

def to_markdown(changes: list[RoleChanges], *, since: str, role: str | None = None) -> str:
    """The report for people who must re-learn: one section per role with changes (only ``role``'s if given).

    Titles and other plain text are escaped, and stay readable as they are
    (:func:`sopgen.core.escape.readable_markdown`); step texts are Markdown, quoted on one line
    (a newline would end the list item they stand in).
    """
    titles = {section.role: section.title for section in changes}
    shown = [section for section in select_role(changes, role) if not section.empty]
    if not shown:
        who = f" for {readable_markdown(titles[role])}" if role is not None else ""
        return f"Nothing changed{who} since {readable_markdown(since)}.\n"
    blocks = [f"# Changes since {readable_markdown(since)}"]
    for section in shown:
        blocks += _role_blocks(section, titles)
    return "\n\n".join(blocks) + "\n"


def select_role(changes: list[RoleChanges], role: str | None) -> list[RoleChanges]:
    """The sections of ``role`` (all when ``None``); an unknown role id is a :class:`ChangesError`."""
    if role is None:
        return changes
    found = [section for section in changes if section.role == role]
    if not found:
        known = [section.role for section in changes]
        close = difflib.get_close_matches(role, known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"the roles are: {', '.join(known) or 'none'}"
        raise ChangesError(f"unknown role '{role}' — {hint}")
    return found


def _role_blocks(section: RoleChanges, titles: dict[str, str]) -> list[str]:
    blocks = [f"## {readable_markdown(section.title)}"]
    if section.benchmarks:
        blocks += ["### Benchmarks", _bullets(map(benchmark_line, section.benchmarks))]
    if section.added:
        blocks += ["### New SOPs", _bullets(_added(c, titles) for c in section.added)]
    if section.changed:
        blocks.append("### Changed")
        for change in section.changed:
            lines = [*map(_field_line, change.fields), *map(step_lines, change.steps),
                     *(f"Benchmarks: {benchmark_line(b)}" for b in change.benchmarks)]
            blocks += [f"#### {readable_markdown(change.title)}", _bullets(lines)]
    if section.retired:
        blocks += ["### Retired", _bullets(readable_markdown(c.title) + (" (added as retired: a record, never in force here)"
                                                              if c.kind == "added" else "")
                                           for c in section.retired)]
    if section.removed:
        blocks += ["### Removed", _bullets(_removed(c, titles) for c in section.removed)]
    if section.renamed:
        blocks += ["### Renamed", _bullets(map(_renamed, section.renamed))]
    return blocks


def _bullets(lines: Any) -> str:
    """A Markdown list; an item given as a list is a line and the lines nested under it."""
    out = []
    for line in lines:
        head, *under = [line] if isinstance(line, str) else line
        out += [f"- {head}", *(f"  - {more}" for more in under)]
    return "\n".join(out)


def _added(change: TaskChange, titles: dict[str, str]) -> str:
    notes = []
    if change.moved_from is not None:
        notes.append(f"moved from {readable_markdown(titles.get(change.moved_from, change.moved_from))}")
    if change.kind == "unretired":
        notes.append("back in use: no longer retired")
    if change.status == "draft":
        notes.append("draft")
    return readable_markdown(change.title) + (f" ({'; '.join(notes)})" if notes else "")


def _removed(change: TaskChange, titles: dict[str, str]) -> str:
    if change.moved_to is None:
        return readable_markdown(change.title)
    return f"{readable_markdown(change.title)} (moved to {readable_markdown(titles.get(change.moved_to, change.moved_to))})"


def _renamed(change: TaskChange) -> str:
    line = f"{readable_markdown(change.old_title)} → {readable_markdown(change.title)}" if change.old_title else readable_markdown(change.title)
    if change.old_task:
        line += f" (its page moved from `/sops/{change.old_task}/` to `/sops/{change.task}/`)"
    return line


def _field_line(change: FieldChange) -> str:
    label = TASK_FIELDS[change.field]
    if change.added or change.removed:
        parts = [f"{verb} {', '.join(_quoted(readable_markdown(x)) for x in items)}"
                 for verb, items in (("added", change.added), ("removed", change.removed)) if items]
        return f"{label}: {'; '.join(parts)}"
    if change.field in LIST_FIELDS:
        return f"{label} reordered"
    if change.field in MARKDOWN_FIELDS:
        return f"{label} changed: {text_change(change.old, change.new)}"
    return f"{label} changed: {readable_markdown(change.old or '(none)')} → {readable_markdown(change.new or '(none)')}"


def _quoted(value: str) -> str:
    return f'"{value}"'
