"""What changed in a list of benchmarks (a role's or an SOP's): each added, removed or changed.

Benchmarks are matched by their key (``id``, or the slug of the objective), the
name results give them; a benchmark whose objective was reworded without an
``id`` is one removed and one added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .model import Benchmark
from .stepdiff import FieldText, normalize

BENCHMARK_FIELDS = ("objective", "measure", "target", "by", "min", "max", "unit")
"""A benchmark's fields in the order of README.md's table."""


@dataclass(frozen=True)
class BenchmarkChange:
    """One benchmark added, removed or changed."""

    kind: Literal["added", "removed", "changed"]
    objective: str
    """Its objective now; before, when it was removed."""
    texts: tuple[FieldText, ...] = ()
    """Changed: each field that changed, before and now. Added: each field it has, besides the objective."""


def benchmark_diff(old: Sequence[Benchmark], new: Sequence[Benchmark]) -> list[BenchmarkChange]:
    """The benchmarks changed or added, in their order now, then those removed, in their order before."""
    before = {b.key: b for b in old}
    out = []
    for benchmark in new:
        earlier = before.get(benchmark.key)
        if earlier is None:
            out.append(BenchmarkChange("added", benchmark.objective, tuple(
                FieldText(f, None, _shown(getattr(benchmark, f))) for f in BENCHMARK_FIELDS[1:]
                if getattr(benchmark, f) is not None)))
            continue
        texts = tuple(FieldText(f, _shown(getattr(earlier, f)), _shown(getattr(benchmark, f)))
                      for f in BENCHMARK_FIELDS if _shown(getattr(earlier, f)) != _shown(getattr(benchmark, f)))
        if texts:
            out.append(BenchmarkChange("changed", benchmark.objective, texts))
    now = {b.key for b in new}
    return out + [BenchmarkChange("removed", b.objective) for b in old if b.key not in now]


def benchmark_line(change: BenchmarkChange) -> str:
    """``"Inbox at zero by noon" changed: target 95% → 98%; by day 30 → day 14``."""
    head = f"\"{normalize(change.objective)}\" {change.kind}"
    if change.kind == "added":
        parts = [f"{t.field} {t.new}" for t in change.texts]
    else:
        parts = [f"{t.field} {t.old or '(none)'} → {t.new or '(none)'}" for t in change.texts]
    return head + (f": {'; '.join(parts)}" if parts else "")


def _shown(value: Any) -> str | None:
    if value is None:
        return None
    return f"{value:g}" if isinstance(value, float) else normalize(value)
