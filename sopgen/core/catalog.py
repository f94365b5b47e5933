"""The catalog: every role, task and person of a project, linked to each other, and the problems
found while reading them.

Its entries (:mod:`sopgen.core.entries`) carry the derived figures: hours, the delegation
arithmetic in exact money (:mod:`sopgen.core.money`), review dates. The catalog adds what spans
the project: the owner, the roles in order, the delegation totals.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Optional

from .entries import OnboardingPhase, PersonEntry, RoleEntry, Source, TaskEntry
from .errors import Problem
from .model import Organization
from .money import minor_digits, total
from .ordering import in_order

PRIVATE_NAME = "a team member"
"""What the site says instead of a person's name while training records are private."""


def unnamed_revision(revision: Any, unnamed: Callable[[str], str]) -> Any:
    """A revision (:class:`sopgen.history.log.Revision`) with its author and message passed through
    ``unnamed`` (:meth:`Catalog.unnamed`)."""
    return dataclasses.replace(revision, author=unnamed(revision.author), subject=unnamed(revision.subject))


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
            role.tasks = in_order(role.tasks)
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
