"""The orders SOPs are shown in: a role's SOPs by frequency and ``order`` (its page, checklists,
navigation, PDFs, training matrix), and the order they can be learned in (prerequisites first).
"""

from __future__ import annotations

from typing import Any, Optional

from .entries import TaskEntry
from .frequencies import sort_key


def place(task: TaskEntry) -> tuple[Any, ...]:
    """Where ``task`` comes among its role's SOPs: by frequency (the most runs a week first,
    as-needed and then unscheduled last), then by ``order`` (lower first; those without one
    after), then by title."""
    order = task.data.order
    return (sort_key(task.data.frequency), order is None, order or 0, task.title.casefold(), task.id)


def in_order(tasks: list[TaskEntry]) -> list[TaskEntry]:
    """``tasks`` sorted by :func:`place`: the one order of a role's SOPs wherever they are listed."""
    return sorted(tasks, key=place)


def by_frequency(tasks: list[TaskEntry]) -> list[tuple[Optional[str], list[TaskEntry]]]:
    """``tasks`` in groups of one frequency each (``None``: no frequency), in :func:`place` order:
    "every 2 weeks" is a group of its own, between weekly and monthly."""
    groups: dict[Optional[str], list[TaskEntry]] = {}
    for task in in_order(tasks):
        groups.setdefault(task.data.frequency, []).append(task)
    return list(groups.items())


def learning_order(tasks: list[TaskEntry]) -> list[TaskEntry]:
    """``tasks`` reordered so that each comes after its prerequisites among them.

    Otherwise the given order is kept (a stable topological sort); a cycle,
    which validation reports, leaves the remaining tasks in the given order.
    """
    remaining = list(dict.fromkeys(tasks))
    members = set(remaining)
    placed: list[TaskEntry] = []
    done: set[TaskEntry] = set()
    while remaining:
        for task in remaining:
            if all(p in done or p not in members for p in task.prerequisites):
                break
        else:
            task = remaining[0]  # a cycle: keep the author's order
        remaining.remove(task)
        placed.append(task)
        done.add(task)
    return placed
