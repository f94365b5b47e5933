"""The catalog: every role and task of a project, cross-referenced, with derived figures.

Entries wrap the validated models and resolve their references: on a
:class:`TaskEntry`, ``task.role`` is the performing :class:`RoleEntry` (its id
is ``task.role.id``) and ``task.prerequisites`` are task entries; any other
attribute is the model's field (``task.title``, ``task.steps``). The raw ids as
written stay on ``entry.data``.

The delegation arithmetic (README.md, "The delegation arithmetic"): weekly hours = runs per week ×
duration, or ``hours_per_week``; the owner's cost = hours × the owner's rate;
delegating = hours × the performer's rate (a range stays a range); value freed
= the difference. Work the owner would never do herself (``frees_owner: false`` on
its role or task) counts its hours and its cost to delegate, and frees nothing:
it has no owner's cost and no value freed.

Money is exact: hours are fractions (a monthly task runs 12/52 times a week) and
rates decimals, so ``12.50`` stays 12.50. Each task's weekly cost is rounded once,
half up, as it is shown (:func:`round_money`), and everything above a task (the
value freed, a role's total, the business's, a year of 52 weeks) is computed from
those rounded amounts, so a total always equals the sum of the rows shown.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Literal, Optional

from .durations import days_after
from .errors import Problem
from .model import Benchmark, Organization, Person, Phase, Rate, Role, Task
from .yamlsource import Document

RUNS_PER_WEEK: dict[str, Fraction] = {
    "daily": Fraction(5),
    "weekly": Fraction(1),
    "monthly": Fraction(12, 52),
    "quarterly": Fraction(4, 52),
    "yearly": Fraction(1, 52),
    "as-needed": Fraction(0),
}
DUE_SOON_DAYS = 30
PRIVATE_NAME = "a team member"
"""What the site says instead of a person's name while training records are private."""

ReviewState = Literal["overdue", "due-soon", "current", "never"]


WHOLE_UNITS_FROM = 10
"""Amounts from this size up are rounded to whole units, as people talk about money
("$1,000 a week"); smaller ones keep the currency's minor units ("$6.25")."""


@functools.lru_cache(maxsize=None)
def minor_digits(currency: str) -> int:
    """Decimal places of ``currency``'s minor unit: 2 for USD, 0 for JPY, 3 for BHD (from CLDR)."""
    from babel.numbers import get_currency_precision
    return get_currency_precision(currency)


def round_money(amount: Fraction, digits: int, *, size: Fraction | None = None) -> Decimal:
    """``amount`` rounded half up (away from zero) as it is shown: to whole units when
    ``size`` (default: the amount itself) is at least :data:`WHOLE_UNITS_FROM`, else to
    ``digits`` decimal places. 12.50 → 13, 6.25 → 6.25; two half cents never become one."""
    whole = abs(amount if size is None else size) >= WHOLE_UNITS_FROM
    quantum = Fraction(1) if whole else Fraction(1, 10 ** digits)
    units = int(abs(amount) / quantum + Fraction(1, 2))  # floor of a non-negative number
    if amount < 0:
        units = -units
    return Decimal(units).scaleb(0 if whole else -digits)


@dataclass(frozen=True)
class Range:
    """An amount of money known between ``low`` and ``high`` (equal when it is exact)."""

    low: Decimal
    high: Decimal

    @classmethod
    def of(cls, rate: Rate) -> Range:
        return cls(decimal(rate.min), decimal(rate.max))

    @property
    def exact(self) -> bool:
        return self.low == self.high

    def cost(self, hours: Fraction, digits: int) -> Range:
        """What ``hours`` cost at this hourly rate, rounded as it is shown: both ends alike
        ($9–$17, not $8.65–$17), by the size of the larger."""
        low, high = Fraction(self.low) * hours, Fraction(self.high) * hours
        size = max(abs(low), abs(high))
        return Range(round_money(low, digits, size=size), round_money(high, digits, size=size))

    def __mul__(self, factor: int | Decimal) -> Range:
        return Range(self.low * factor, self.high * factor)

    __rmul__ = __mul__

    def __add__(self, other: Range) -> Range:
        return Range(self.low + other.low, self.high + other.high)

    def __sub__(self, other: Range) -> Range:
        # interval arithmetic: the least freed is the owner's lowest minus the delegate's highest
        return Range(self.low - other.high, self.high - other.low)


def decimal(number: float) -> Decimal:
    """A number as written in YAML (``27.5``, ``30``) as a decimal: ``27.5``, not the binary
    float nearest to it."""
    if isinstance(number, int):
        return Decimal(int(number))
    return Decimal(repr(float(number)))


def unnamed_revision(revision: Any, unnamed: Callable[[str], str]) -> Any:
    """A revision (:class:`sopgen.history.log.Revision`) with its author and message passed through
    ``unnamed`` (:meth:`Catalog.unnamed`)."""
    return dataclasses.replace(revision, author=unnamed(revision.author), subject=unnamed(revision.subject))


def total(ranges: Iterable[Optional[Range]]) -> Optional[Range]:
    """Sum of the known ranges; ``None`` when none is known."""
    known = [r for r in ranges if r is not None]
    return sum(known[1:], known[0]) if known else None


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
    :meth:`Catalog.resolve`, and templates read the same figure many times.
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
        """Decimal places of the organization's currency (set by :meth:`Catalog.resolve`)."""

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
        return RUNS_PER_WEEK[self.data.frequency] * self.data.duration.exact_hours

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


class Catalog:
    """All roles, tasks and people of one project, and the problems found while reading them."""

    def __init__(self, root: Path, sops: Path) -> None:
        self.root = root
        self.sops = sops
        self.organization = Organization(name=root.name.replace("-", " ").replace("_", " ").title() or "Handbook")
        self.organization_source: Optional[Source] = None
        self.roles: dict[str, RoleEntry] = {}
        self.tasks: dict[str, TaskEntry] = {}
        self.people: dict[str, PersonEntry] = {}
        self.owner: Optional[RoleEntry] = None
        self.problems: list[Problem] = []
        self.history: Any = None
        """The project's git history (:class:`sopgen.history.log.History`), once attached."""
        self.broken: set[tuple[str, str]] = set()
        """(folder, id) of files that exist but could not be read: references to them are not "unknown"."""

    @cached_property
    def unnamed(self) -> Optional[Callable[[str], str]]:
        """What keeps the people of private training records (``publish_people: false``) out
        of text that comes from elsewhere, such as a commit's author and message, which the
        site shows in revision tables and the changelog: each person's name or id becomes
        "a team member". ``None`` when there is nobody to keep out."""
        if self.organization.publish_people or not self.people:
            return None
        words = sorted({p.name.strip() for p in self.people.values()} | set(self.people), key=len, reverse=True)
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words if w) + r")(?!\w)", re.IGNORECASE)
        return lambda text: pattern.sub(PRIVATE_NAME, text)

    def name_after_site(self, site_name: Optional[str]) -> None:
        """Without ``organization.yml``, the business is called what the site is called."""
        if self.organization_source is None and site_name:
            self.organization = Organization(name=site_name)

    def resolve(self) -> None:
        """Link every reference that resolves; :mod:`sopgen.core.validate` reports the rest."""
        roles, tasks = self.roles, self.tasks
        digits = minor_digits(self.organization.currency)
        self.owner = roles.get(self.organization.owner or "")
        for role in roles.values():
            role.is_owner = role is self.owner
            role.reports_to = roles.get(role.data.reports_to or "")
            if role.reports_to is not None:
                role.reports_to.reports.append(role)
            role.onboarding = [
                OnboardingPhase(p.phase, list(p.goals), [tasks[t] for t in p.tasks if t in tasks], p)
                for p in role.data.onboarding
            ]
        for task in tasks.values():
            task.role = roles.get(task.data.role)
            if task.role is not None:
                task.role.tasks.append(task)
            task.prerequisites = [tasks[t] for t in task.data.prerequisites if t in tasks]
            for pre in task.prerequisites:
                pre.required_by.append(task)
            task.maintainer = roles.get(task.data.maintainer or "")
            task.owner = self.owner
            task.review_interval = task.data.review_every or self.organization.review_every
            task.money_digits = digits
        for role in roles.values():
            role.tasks.sort(key=lambda t: (t.title.lower(), t.id))
        for person in self.people.values():
            person.role = roles.get(person.data.role)
            person.trainer = self.people.get(person.data.trainer or "")

    @cached_property
    def ordered_roles(self) -> list[RoleEntry]:
        """The owner first, then by reporting depth and title."""
        return sorted(self.roles.values(), key=lambda r: (not r.is_owner, len(r.chain()), r.title.lower(), r.id))

    @cached_property
    def active_tasks(self) -> list[TaskEntry]:
        return [t for t in self.tasks.values() if t.status != "retired"]

    @cached_property
    def delegated_tasks(self) -> list[TaskEntry]:
        return [t for t in self.active_tasks if t.delegated]

    def delegation_totals(self) -> dict[str, Any]:
        """The delegated tasks in force, in three groups that never overlap, each with totals
        that are the sums of its rows as shown.

        ``weekly_hours``, ``owner_cost``, ``delegate_cost`` and ``value_freed`` are over the
        tasks that free the owner and whose figures are known (``tasks``), so the value freed
        is the owner's cost less the delegate's. ``not_freeing`` is the work the owner would
        never do herself (``tasks``, ``weekly_hours``, ``delegate_cost``). ``unpriced`` are the
        tasks left out of both for want of a rate, and ``unpriced_roles`` the roles (the owner
        among them) whose ``rate`` is missing.
        """
        counted, not_freeing, unpriced = [], [], []
        for task in self.delegated_tasks:
            if task.frees_owner and task.value_freed is not None:
                counted.append(task)
            elif not task.frees_owner and task.delegate_cost is not None:
                not_freeing.append(task)
            else:
                unpriced.append(task)
        missing = {id(r): r for t in unpriced
                   for r in ([self.owner] if t.frees_owner else []) + [t.role]
                   if r is not None and r.rate is None}
        return {
            "tasks": counted,
            "weekly_hours": sum(t.weekly_hours for t in counted),
            "owner_cost": total(t.owner_cost for t in counted),
            "delegate_cost": total(t.delegate_cost for t in counted),
            "value_freed": total(t.value_freed for t in counted),
            "not_freeing": {
                "tasks": not_freeing,
                "weekly_hours": sum(t.weekly_hours for t in not_freeing),
                "delegate_cost": total(t.delegate_cost for t in not_freeing),
            },
            "unpriced": unpriced,
            "unpriced_roles": sorted(missing.values(), key=lambda r: (not r.is_owner, r.title.lower(), r.id)),
        }
