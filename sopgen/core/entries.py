"""The catalog's entries: a role, task or person as validated, with its references resolved and
its derived figures.

On a :class:`TaskEntry`, ``task.role`` is the performing :class:`RoleEntry` (its id is
``task.role.id``) and ``task.prerequisites`` are task entries; any other attribute is the model's
field (``task.title``, ``task.steps``). The raw ids as written stay on ``entry.data``.

The delegation arithmetic (README.md, "The delegation arithmetic"): weekly hours = runs per week ×
duration, or ``hours_per_week``; the owner's cost = hours × the owner's rate; delegating = hours ×
the performer's rate (a range stays a range, :mod:`sopgen.core.money`); value freed = the
difference. Work the owner would never do herself (``frees_owner: false`` on its role or task)
counts its hours and its cost to delegate, and frees nothing: it has no owner's cost and no value
freed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, Optional

from .durations import days_after
from .frequencies import runs_per_week
from .model import Benchmark, Person, Phase, Role, Task
from .money import Range, decimal, total
from .yamldoc import Document

DUE_SOON_DAYS = 30
ReviewState = Literal["overdue", "due-soon", "current", "never"]


@dataclass
class Source:
    """Where an entry was read from."""

    file: Path
    rel: str
    """Path relative to the project folder, with forward slashes."""
    doc: Document


class Entry:
    """A validated model plus its id, source and resolved references.

    Derived figures are cached properties: entries do not change after
    :meth:`sopgen.core.catalog.Catalog.resolve`, and templates read the same figure many times.
    """

    def __init__(self, ident: str, source: Source, data: Any) -> None:
        self.id = ident
        self.source = source
        self.data = data
        self.history: Any = None
        """Its git history (:class:`sopgen.history.log.FileHistory`), once attached."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "data":
            raise AttributeError(name)
        return getattr(self.data, name)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}>"


@dataclass
class OnboardingPhase:
    """A phase of onboarding with its tasks resolved."""

    phase: str
    goals: list[str]
    tasks: list[TaskEntry]
    data: Phase


class RoleEntry(Entry):
    data: Role

    def __init__(self, ident: str, source: Source, data: Role) -> None:
        super().__init__(ident, source, data)
        self.reports_to: Optional[RoleEntry] = None
        self.reports: list[RoleEntry] = []
        self.tasks: list[TaskEntry] = []
        self.onboarding: list[OnboardingPhase] = []
        self.is_owner = False

    @cached_property
    def rate(self) -> Optional[Range]:
        return Range.of(self.data.rate) if self.data.rate else None

    @cached_property
    def active_tasks(self) -> list[TaskEntry]:
        """Tasks still in force (active and draft), retired ones left out."""
        return [t for t in self.tasks if t.status != "retired"]

    @property
    def has_onboarding(self) -> bool:
        """Whether the role has an onboarding guide (page, navigation entry, PDF chapter): phases to show."""
        return bool(self.onboarding)

    @property
    def has_checklists(self) -> bool:
        """Whether the role has checklists (page, navigation entry, PDF chapter): SOPs in force."""
        return bool(self.active_tasks)

    @cached_property
    def weekly_hours(self) -> float:
        return sum(t.weekly_hours for t in self.active_tasks)

    @cached_property
    def owner_cost(self) -> Optional[Range]:
        return total(t.owner_cost for t in self.active_tasks)

    @cached_property
    def delegate_cost(self) -> Optional[Range]:
        return total(t.delegate_cost for t in self.active_tasks)

    @cached_property
    def value_freed(self) -> Optional[Range]:
        return total(t.value_freed for t in self.active_tasks)

    @cached_property
    def frees_nothing(self) -> bool:
        """Whether none of this role's work would free the owner (``frees_owner: false``)."""
        if self.active_tasks:
            return not any(t.frees_owner for t in self.active_tasks)
        return not self.data.frees_owner

    def chain(self) -> list[RoleEntry]:
        """The reporting line upwards: this role's manager, theirs, and so on."""
        out: list[RoleEntry] = []
        current = self.reports_to
        while current is not None and current is not self and current not in out:
            out.append(current)
            current = current.reports_to
        return out


class TaskEntry(Entry):
    data: Task

    def __init__(self, ident: str, source: Source, data: Task) -> None:
        super().__init__(ident, source, data)
        self.role: Optional[RoleEntry] = None
        self.prerequisites: list[TaskEntry] = []
        self.required_by: list[TaskEntry] = []
        self.maintainer: Optional[RoleEntry] = None
        self.owner: Optional[RoleEntry] = None
        self.review_interval = data.review_every
        self.money_digits = 2
        """Decimal places of the organization's currency (set by :meth:`sopgen.core.catalog.Catalog.resolve`)."""

    @cached_property
    def weekly_hours(self) -> float:
        """Hours a week this task takes: ``hours_per_week``, or runs per week × duration."""
        return float(self.exact_hours)

    @cached_property
    def exact_hours(self) -> Fraction:
        """:attr:`weekly_hours` as an exact fraction, for money."""
        if self.data.hours_per_week is not None:
            return Fraction(decimal(self.data.hours_per_week))
        if self.data.frequency is None or self.data.duration is None:
            return Fraction(0)
        return runs_per_week(self.data.frequency) * self.data.duration.exact_hours

    @cached_property
    def delegated(self) -> bool:
        """Whether someone other than the owner performs it."""
        return self.role is not None and not self.role.is_owner

    @cached_property
    def frees_owner(self) -> bool:
        """Whether delegating it frees the owner's time: the task's ``frees_owner``, else its role's."""
        if self.data.frees_owner is not None:
            return self.data.frees_owner
        return self.role.data.frees_owner if self.role is not None else True

    @cached_property
    def owner_cost(self) -> Optional[Range]:
        """What a week of this task costs when the owner does it herself; nothing for work she
        would never do (``frees_owner: false``)."""
        if not self.frees_owner or self.owner is None or self.owner.rate is None:
            return None
        return self.owner.rate.cost(self.exact_hours, self.money_digits)

    @cached_property
    def delegate_cost(self) -> Optional[Range]:
        """What a week of this task costs when its role does it."""
        if not self.delegated or self.role is None or self.role.rate is None:
            return None
        return self.role.rate.cost(self.exact_hours, self.money_digits)

    @cached_property
    def value_freed(self) -> Optional[Range]:
        """The owner's time freed each week, less the cost of delegating."""
        if self.owner_cost is None or self.delegate_cost is None:
            return None
        return self.owner_cost - self.delegate_cost

    @cached_property
    def next_review(self) -> Optional[date]:
        if self.data.reviewed is None or self.review_interval is None:
            return None
        return self.review_interval.after(self.data.reviewed)

    def review_state(self, today: date, *, soon: int = DUE_SOON_DAYS) -> ReviewState:
        """Overdue, due soon (within ``soon`` days), current, or never reviewed, on ``today``."""
        due = self.next_review
        if due is None:
            return "never"
        if due < today:
            return "overdue"
        if due <= days_after(today, soon):
            return "due-soon"
        return "current"


class PersonEntry(Entry):
    """A person's training record, with their role and trainer resolved."""

    data: Person

    def __init__(self, ident: str, source: Source, data: Person) -> None:
        super().__init__(ident, source, data)
        self.role: Optional[RoleEntry] = None
        self.trainer: Optional[PersonEntry] = None

    @property
    def active(self) -> bool:
        return self.data.status == "active"


def benchmarks_of(role: RoleEntry) -> dict[str, tuple[Benchmark, Entry]]:
    """Every benchmark a person of ``role`` may report a result on, by the id results give:
    the role's own (``id``) and those of its SOPs still in force (``<task-id>/<id>``)."""
    found: dict[str, tuple[Benchmark, Entry]] = {}
    for benchmark in role.data.benchmarks:
        found.setdefault(benchmark.key, (benchmark, role))
    for task in role.active_tasks:
        for benchmark in task.data.benchmarks:
            found.setdefault(f"{task.id}/{benchmark.key}", (benchmark, task))
    return found
