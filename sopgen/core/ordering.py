"""Orders that respect prerequisites."""

from __future__ import annotations

from .entries import TaskEntry


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
