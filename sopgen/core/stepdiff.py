"""A step-level diff of two procedures: steps added, removed, reworded, moved or updated.

Steps are flattened with their numbers as people read them ("2.1" is the
first sub-step of step 2) and matched by their ``do`` text; within a block
that changed, an old and a new step alike enough (:data:`SIMILAR`) count as
one step reworded.

In words (:func:`step_lines`), every step goes by its number now, with the
number it had when that differs ("Step 4 reworded (was step 3)"); a removed
step has no number now and goes by the one it had ("Step removed (was step
2.1)"). A text that changed shows before and now, and the words that changed
(:func:`changed_words`, as on a person's training page).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Optional

from .model import Step

SIMILAR = 0.5
"""How alike two step texts must be (difflib's ratio) to count as one step reworded."""
STEP_FIELDS = ("details", "why", "tip", "warning", "image", "video")

StepKind = Literal["added", "removed", "reworded", "moved", "updated"]
_Flat = tuple[str, Step]  # a step and its number as people read it ("2.1")
_Pair = tuple[_Flat | None, _Flat | None]  # a step before and after; None on the side it is missing


@dataclass(frozen=True)
class FieldText:
    """One of a step's other fields that changed: its value before and now (``None``: not there)."""

    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class StepChange:
    """One step added, removed, reworded, moved or updated (same text, other fields changed)."""

    kind: StepKind
    number: str
    """The step's number now ("2.1"); its old number when it was removed."""
    old: str | None = None
    """What the step said (its ``do``) before; ``None`` when it was added."""
    new: str | None = None
    """What it says now; ``None`` when it was removed."""
    old_number: str | None = None
    """The step's number before; ``None`` when it was added."""
    fields: tuple[str, ...] = ()
    """The step's other fields that changed: details, why, tip, warning, image, video."""
    texts: tuple[FieldText, ...] = ()
    """Each of ``fields`` with its value before and now."""


def step_diff(old_steps: Sequence[Step], new_steps: Sequence[Step]) -> list[StepChange]:
    """The steps added, removed, reworded, moved and updated, in reading order.

    Steps are matched on their ``do`` text (whitespace collapsed), sub-steps
    included; in a block of differing steps, an old and a new step at least
    :data:`SIMILAR` alike are one step reworded. A step removed in one place and
    added with the same text in another has moved.
    """
    old, new = _flatten(old_steps), _flatten(new_steps)
    matcher = difflib.SequenceMatcher(None, [normalize(s.do) for _, s in old], [normalize(s.do) for _, s in new],
                                      autojunk=False)
    pairs: list[_Pair] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs += zip(old[i1:i2], new[j1:j2], strict=True)
        else:
            pairs += _pair_block(old[i1:i2], new[j1:j2])
    changes = (_step_change(before, after, moved=moved) for before, after, moved in _with_moves(pairs))
    return [change for change in changes if change is not None]


def _flatten(steps: Sequence[Step], parent: str = "") -> list[_Flat]:
    out: list[_Flat] = []
    for i, step in enumerate(steps, 1):
        out.append((f"{parent}{i}", step))
        out += _flatten(step.steps, f"{parent}{i}.")
    return out


def _pair_block(old: list[_Flat], new: list[_Flat]) -> list[_Pair]:
    """A block of differing steps: alike ones paired in order, the others removed or added."""
    pairs: list[_Pair] = []
    start = 0
    for before in old:
        ratios = [_similarity(before[1].do, after[1].do) for after in new[start:]]
        best = max(range(len(ratios)), key=ratios.__getitem__, default=None)
        if best is None or ratios[best] < SIMILAR:
            pairs.append((before, None))
            continue
        pairs += [(None, after) for after in new[start:start + best]]
        pairs.append((before, new[start + best]))
        start += best + 1
    return pairs + [(None, after) for after in new[start:]]


def _with_moves(pairs: list[_Pair]) -> list[tuple[_Flat | None, _Flat | None, bool]]:
    """Each pair, and whether it is a move: a step removed here and added there with the same text."""
    out = [(before, after, False) for before, after in pairs]
    for i, (before, after, _) in enumerate(out):
        if before is None or after is not None:
            continue
        text_before = normalize(before[1].do)
        match = next((k for k, (b, a, _) in enumerate(out)
                      if b is None and a is not None and normalize(a[1].do) == text_before), None)
        if match is not None:
            out[match] = (before, out[match][1], True)
            out[i] = (None, None, False)
    return [(before, after, moved) for before, after, moved in out if before or after]


def _step_change(before: _Flat | None, after: _Flat | None, *, moved: bool = False) -> StepChange | None:
    if after is None:
        assert before is not None
        return StepChange("removed", before[0], old=before[1].do.strip(), old_number=before[0])
    if before is None:
        return StepChange("added", after[0], new=after[1].do.strip())
    texts = tuple(FieldText(f, _stripped(getattr(before[1], f)), _stripped(getattr(after[1], f)))
                  for f in STEP_FIELDS if normalize(getattr(before[1], f)) != normalize(getattr(after[1], f)))
    kind: StepKind = "moved" if moved else "reworded" if normalize(before[1].do) != normalize(after[1].do) else "updated"
    if kind == "updated" and not texts:
        return None
    return StepChange(kind, after[0], old=before[1].do.strip(), new=after[1].do.strip(),
                      old_number=before[0], fields=tuple(t.field for t in texts), texts=texts)


def _stripped(value: Any) -> str | None:
    return None if value is None or not str(value).strip() else str(value).strip()


def normalize(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def step_lines(step: StepChange) -> list[str]:
    """One step change in plain words: ``Step 4 reworded (was step 3): "old" → "new"``, then a line
    for each other field that changed: ``warning: "… $5 …" → "… $2 …" ("$5" → "$2")``."""
    new = _quoted(step.new)
    was = f" (was step {step.old_number})" if step.old_number not in (None, step.number) else ""
    head = {
        "added": f"Step {step.number} added: {new}",
        "removed": f"Step removed (was step {step.old_number}): {_quoted(step.old)}",
        "reworded": f"Step {step.number} reworded{was}: {text_change(step.old, step.new)}",
        "moved": f"Step {step.number} moved{was}: {new}",
        "updated": f"Step {step.number} updated{was}: {new}",
    }[step.kind]
    return [head, *(f"{t.field} {text_change(t.old, t.new)}" if t.old is None or t.new is None
                    else f"{t.field}: {text_change(t.old, t.new)}" for t in step.texts)]


def text_change(old: Optional[str], new: Optional[str]) -> str:
    """A text before and now, on one line: ``"old" → "new" ("$5" → "$2")``, with the words that changed
    when only some did; ``added: "new"`` or ``removed: "old"`` when it was not there on one side."""
    if old is None or new is None:
        return f"added: {_quoted(new)}" if old is None else f"removed: {_quoted(old)}"
    runs = "; ".join(f"{_quoted(b)} → {_quoted(n)}" if b and n else f"added {_quoted(n)}" if n else f"removed {_quoted(b)}"
                     for b, n in changed_words(old, new))
    return f"{_quoted(old)} → {_quoted(new)}" + (f" ({runs})" if runs else "")


def _quoted(text: Optional[str]) -> str:
    return f"\"{normalize(text)}\""


_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`]+")


CHANGED_RUNS = 4
"""The most runs of changed words shown for one text: past that, the texts say it better."""


JOINED_GAP = 2
"""Changed runs this few unchanged words apart are shown as one."""


def changed_words(old: Optional[str], new: Optional[str]) -> list[tuple[str, str]]:
    """The runs of words that differ between two texts of a step, as plain text: ``[("with 🔴",
    "starting with URGENT")]``; none when more than :data:`CHANGED_RUNS` runs, or most words, differ."""
    def words(text: Optional[str]) -> list[str]:
        return _MARKUP.sub(lambda m: m.group(1) or "", text or "").split()

    before, now = words(old), words(new)
    spans: list[list[int]] = []  # [i1, i2, j1, j2] of each changed run
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, now, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if spans and i1 - spans[-1][1] <= JOINED_GAP:  # "with 🔴" → "starting with URGENT", not two runs
            spans[-1][1], spans[-1][3] = i2, j2
        else:
            spans.append([i1, i2, j1, j2])
    changed = sum(i2 - i1 + j2 - j1 for i1, i2, j1, j2 in spans)
    if len(spans) > CHANGED_RUNS or changed > 0.6 * (len(before) + len(now)):
        return []  # rewritten rather than reworded: the two texts say it better
    return [(" ".join(before[i1:i2]), " ".join(now[j1:j2])) for i1, i2, j1, j2 in spans]


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, normalize(a), normalize(b), autojunk=False).ratio()

