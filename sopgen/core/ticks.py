"""What a page tells sopgen.js about its tick-off boxes, so that a reader's ticks stay on their items.

A reader's ticks are kept in the browser (see ``assets/sopgen.js``), in one store per SOP (and
one per role's onboarding), never by page or position: an SOP's checklist on its own page and
on its role's checklists page share their ticks, and a step inserted above a ticked one, or a
new SOP sorting first, moves no tick. Each item is known by a key made of its text; the same
text twice in one list is told apart by its rank among its repeats. A checklist also names how
long its ticks last, from the SOP's frequency: the browser starts it empty in each new period
(day, week, month…) of the reader's local time.

These are HTML attributes of a checklist's ``<div>``::

    data-sopgen-ticks="sop:send-invoices"     the store (sop:<task id> or onboarding:<role id>)
    data-sopgen-keys="3f2a91c0d4e5 77b0…"     one key per box, in the order of the boxes
    data-sopgen-period="week"                 day | week | month, with :N for every N of them;
                                              none: kept until unticked or Reset (as needed,
                                              no frequency, onboarding goals)
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from typing import Any, Optional

PERIODS = {"daily": "day", "weekly": "week", "monthly": "month", "quarterly": "month:3", "yearly": "month:12"}
"""How long a checklist's ticks last, by the SOP's frequency. ``as-needed`` (and no frequency):
until the reader presses Reset, as a task run on demand has no period to start afresh in."""

_EVERY = re.compile(r"^every\s+(\d+)\s+(week|month)s?$")
_TIMES = re.compile(r"^\d+\s+times?\s+an?\s+(week|month)$")


def period(frequency: Optional[str]) -> str:
    """``data-sopgen-period`` for an SOP of ``frequency`` (``""``: ticks kept until Reset)."""
    if not frequency:
        return ""
    text = " ".join(str(frequency).lower().split())
    if text in PERIODS:
        return PERIODS[text]
    every = _EVERY.match(text)
    if every:
        n = int(every.group(1))
        return every.group(2) if n == 1 else f"{every.group(2)}:{n}"
    times = _TIMES.match(text)
    if times:  # each run of the week (or month) is ticked on the same list
        return times.group(1)
    return ""


def keys(items: Iterable[str]) -> list[str]:
    """One key per item: a digest of its text (Unicode-normalised, spacing and case ignored),
    with ``~2``, ``~3``… for the second, third… item of the same text in the list."""
    seen: dict[str, int] = {}
    out = []
    for item in items:
        text = " ".join(unicodedata.normalize("NFC", str(item)).split()).casefold()
        key = hashlib.blake2b(text.encode("utf-8"), digest_size=6).hexdigest()
        seen[key] = seen.get(key, 0) + 1
        out.append(key if seen[key] == 1 else f"{key}~{seen[key]}")
    return out


def attributes(store: str, item_keys: list[str], period_name: str = "") -> str:
    """The attributes of a checklist's ``<div>`` (ids, digests and period names need no escaping)."""
    out = f'data-sopgen-ticks="{store}" data-sopgen-keys="{" ".join(item_keys)}"'
    return out + (f' data-sopgen-period="{period_name}"' if period_name else "")


def checklist_items(task: Any) -> list[str]:
    """The items of an SOP's checklist: its own ``checklist``, or each step's ``do``."""
    return list(task.checklist) if task.checklist else [step.do for step in task.steps]


def sop_ticks(task: Any) -> str:
    """The attributes of an SOP's checklist, the same on its page and on its role's checklists."""
    return attributes(f"sop:{task.id}", keys(checklist_items(task)), period(task.frequency))


def onboarding_ticks(role: Any) -> list[str]:
    """The attributes of each onboarding phase of ``role``: one store for all its goals, each goal
    keyed by its text (so a phase inserted, renamed or reordered moves no tick); no period."""
    goal_keys = keys(goal for phase in role.onboarding for goal in phase.goals)
    out, start = [], 0
    for phase in role.onboarding:
        out.append(attributes(f"onboarding:{role.id}", goal_keys[start:start + len(phase.goals)]))
        start += len(phase.goals)
    return out
