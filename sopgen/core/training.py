"""Who must learn, re-learn or is overdue on which SOP, and when benchmarks fall due.

Plain functions over the catalog and what git says about each SOP's versions
(:class:`VersionChange`, gathered by :mod:`sopgen.history.steps`): nothing here
reads a file or runs git.

The rules (README.md, "Training records" and ``sops/people/<id>.yml``): an SOP's version is the number of
commits that changed its file. A person signed off on version v must re-learn
it when a later commit changed its steps, unless that commit's message carries
the trailer ``Retrain: no``; a commit that touches no step never counts.
Onboarding phases named ``Day N``, ``Week N``, ``Month N`` fall due N−1 days,
N weeks, N months after ``started``; an SOP of a phase past its due date that
is not signed off is overdue. A benchmark's ``by: day 30`` is dated the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Literal, Optional, Union

from .durations import Duration, days_after
from .entries import Entry, PersonEntry, TaskEntry, benchmarks_of
from .model import Benchmark, Result, SignOff
from .stepdiff import StepChange

SopState = Literal["current", "relearn", "overdue", "due", "open"]
"""Signed off and current; must re-learn; overdue; to learn by a date not yet passed; to learn, no date."""
_DATED = re.compile(r"^\s*(day|week|month)\s+(\d{1,4})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class VersionChange:
    """What one version of an SOP changed in its steps, against the version before it."""

    version: int
    commit: str
    day: date
    """The committer's date of the commit that made this version."""
    subject: str
    steps: tuple[StepChange, ...]
    """The steps added, removed, reworded, moved or updated; empty when the commit touched no step."""
    retrain: bool = True
    """False when the commit's message carries the trailer ``Retrain: no``."""

    @property
    def asks_retraining(self) -> bool:
        return bool(self.steps) and self.retrain


Changes = Callable[[TaskEntry], list[VersionChange]]
"""The changes of every version of an SOP, oldest first."""


@dataclass(frozen=True)
class SopStatus:
    """Where one person stands with one SOP of their role."""

    task: TaskEntry
    state: SopState
    signed: Optional[SignOff] = None
    """Their latest sign-off on it, if any."""
    learned: Optional[int] = None
    """The version they were signed off on (given, or the one in force on the day)."""
    version: int = 0
    """The SOP's version now (0 without a git history)."""
    due: Optional[date] = None
    """When it should be learned: the due date of the earliest dated onboarding phase holding it."""
    phase: Optional[str] = None
    changes: tuple[VersionChange, ...] = ()
    """For ``relearn``: the later versions that changed its steps and ask for re-training, oldest first."""

    @property
    def since(self) -> Optional[int]:
        """The first version they must re-learn."""
        return self.changes[0].version if self.changes else None


@dataclass(frozen=True)
class BenchmarkStatus:
    """A benchmark the person agreed to, its deadline and their latest result."""

    key: str
    """The id results give: ``invoices-on-time``, or ``send-invoices/paid-in-30-days`` for an SOP's."""
    benchmark: Benchmark
    source: Entry
    deadline: Optional[date] = None
    latest: Optional[Result] = None

    @property
    def met(self) -> Optional[bool]:
        """Whether the latest result meets ``min``/``max``; ``None`` with no result or nothing to check."""
        return None if self.latest is None else self.benchmark.met(self.latest.value)


@dataclass(frozen=True)
class PersonStatus:
    person: PersonEntry
    sops: list[SopStatus] = field(default_factory=list)
    benchmarks: list[BenchmarkStatus] = field(default_factory=list)

    def with_state(self, *states: SopState) -> list[SopStatus]:
        return [s for s in self.sops if s.state in states]

    @property
    def failing(self) -> list[SopStatus]:
        """What ``sopgen train status --check`` fails on: SOPs to re-learn, and overdue ones."""
        return self.with_state("relearn", "overdue")


def due_date(name: Optional[str], started: date) -> Optional[date]:
    """When a phase ``Day N``/``Week N``/``Month N`` (or a ``by: day N``) falls due for someone who started
    on ``started``: N−1 days, N weeks, N months later; ``None`` for any other name."""
    m = _DATED.match(name or "")
    if m is None:
        return None
    unit, n = m[1].lower(), int(m[2])
    if unit == "day":
        return days_after(started, max(n - 1, 0))
    if unit == "week":
        return days_after(started, 7 * n)
    return Duration(name or "", months=n).after(started)


def learned_version(record: SignOff, task: TaskEntry) -> Optional[int]:
    """The version a sign-off is on: the one it gives, or the one in force on its date (the first
    version, when git's history of the SOP starts later); ``None`` without a history."""
    if record.version is not None:
        return record.version
    history = task.history
    if history is None or not history.version:
        return None
    return max(1, history.version_on(record.on))


def person_status(person: PersonEntry, *, today: date, changes: Changes) -> PersonStatus:
    """Every active SOP of the person's role with its state on ``today``, and the role's benchmarks."""
    role = person.role
    if role is None:
        return PersonStatus(person)
    started = person.data.started
    due: dict[str, tuple[date, str]] = {}
    for phase in role.onboarding:
        when = due_date(phase.phase, started)
        for task in phase.tasks:
            if when is not None and (task.id not in due or when < due[task.id][0]):
                due[task.id] = (when, phase.phase)
    latest: dict[str, SignOff] = {}
    for record in person.data.trained:  # the latest sign-off counts; on one day, the last written
        if record.sop not in latest or record.on >= latest[record.sop].on:
            latest[record.sop] = record
    sops = [_sop_status(task, latest.get(task.id), due.get(task.id), today, changes)
            for task in role.tasks if task.status == "active"]
    return PersonStatus(person, sops, _benchmarks(person, started))


def _sop_status(task: TaskEntry, record: Optional[SignOff], due: Optional[tuple[date, str]], today: date,
                changes: Changes) -> SopStatus:
    version = task.history.version if task.history is not None else 0
    when, phase = due if due is not None else (None, None)
    if record is not None:
        learned = learned_version(record, task)
        later = tuple(c for c in changes(task) if learned is not None and c.version > learned and c.asks_retraining)
        return SopStatus(task, "relearn" if later else "current", record, learned, version, when, phase, later)
    if when is None:
        return SopStatus(task, "open", version=version, phase=phase)
    return SopStatus(task, "overdue" if when < today else "due", version=version, due=when, phase=phase)


def _benchmarks(person: PersonEntry, started: date) -> list[BenchmarkStatus]:
    assert person.role is not None
    results: dict[str, Result] = {}
    for result in person.data.results:
        if result.benchmark not in results or result.on >= results[result.benchmark].on:
            results[result.benchmark] = result
    return [BenchmarkStatus(key, benchmark, source, due_date(benchmark.by, started), results.get(key))
            for key, (benchmark, source) in benchmarks_of(person.role).items()]


def team_status(people: list[PersonEntry], *, today: date, changes: Changes) -> list[PersonStatus]:
    """:func:`person_status` of every active person, by id."""
    return [person_status(p, today=today, changes=changes) for p in sorted(people, key=lambda p: p.id) if p.active]


def shown(value: Union[float, str], unit: Optional[str] = None) -> str:
    """A result as people write it: ``97%``, ``3 days``, ``on track``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if unit is None or isinstance(value, str):
        return str(value)
    return f"{value}{unit}" if unit in ("%", "‰") else f"{value} {unit}"
