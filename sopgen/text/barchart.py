"""The bar chart: horizontal bars from a zero axis, one row per :class:`Bar` (value freed by
role), each figure written beside its bar, and a bar that goes the wrong way in :data:`WARNING`
with its note in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from ..core.escape import markup
from .charts import (
    BACKGROUND,
    FONT,
    LINE,
    MUTED,
    PAD,
    WARNING,
    WIDTH,
    Chart,
    Scale,
    attributes,
    coord,
    document,
    element,
    heading,
    lines,
    mix,
    one_line,
    text_width,
    visible,
)


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: what it is, and its figure as words and, when known, as numbers."""

    label: str
    """What the bar stands for (a role's title): written above it."""
    value: str
    """Its figure as words, written beside the bar (``$800–$900``), or instead of a bar."""
    low: Optional[float] = None
    """The figure, or the low end of a range; ``None`` for a row with no bar, only ``value``."""
    high: Optional[float] = None
    """The high end of a range (``None``: the figure is exact)."""
    note: str = ""
    """A warning about the figure (``costs more than it frees``): written after the label, in
    :data:`WARNING`, so that the figure beside the bar stays short."""

    @property
    def top(self) -> Optional[float]:
        return self.low if self.high is None else self.high


BAR = 20
GAP = 14


def bar_chart(bars: Sequence[Bar], *, ident: str, title: str, summary: str, color: str) -> Chart:
    """Horizontal bars from a zero axis, one row per :class:`Bar`, its label above and its figure
    beside it.

    A range is a solid bar to its low end and a lighter one on to its high end (what is certain,
    then what may be). A figure below zero is drawn left of the axis in :data:`WARNING`; a range
    across zero is lighter on both sides. A bar with no figure is its ``value`` in words at the axis.
    The description is ``summary`` followed by every row's label and value.
    """
    color = visible(color)
    ends = [v for b in bars for v in (b.low, b.top) if v is not None]
    low, high = min([0.0, *ends]), max([0.0, *ends])
    # room for the figures: left of the axis for bars below zero, right of it for the others
    left_room = max([text_width(b.value) + PAD for b in bars if _left(b)] or [0.0])
    right_room = max([text_width(b.value) + 2 * PAD for b in bars if b.low is not None and not _left(b)]
                     or [0.0])
    most = (WIDTH - 2 * PAD) * 2 / 3  # the bars keep a third of the width, however long the figures
    if left_room + right_room > most:
        left_room, right_room = (room * most / (left_room + right_room) for room in (left_room, right_room))
    start, end = PAD + left_room, WIDTH - PAD - right_room
    scale = Scale(low, high, start, end)
    zero = scale(0)

    body, y = heading(title)
    y += GAP / 2
    for bar in bars:
        label = lines(one_line(bar.label), WIDTH - 2 * PAD)
        note = f"({one_line(bar.note)})" if bar.note else ""
        if note and text_width(f"{label[-1]} {note}") > WIDTH - 2 * PAD:
            label.append("")  # the note on a line of its own
        for i, text in enumerate(label):
            y += LINE
            last = i == len(label) - 1
            body.append(_label(text, note if last else "", y=y - 4))
        top = y + 4
        middle = top + BAR / 2 + FONT * 0.35  # the baseline that centres a label on the bar
        # the zero axis, beside each bar (not through the labels above it)
        body.append(element("line", x1=coord(zero), x2=coord(zero), y1=coord(top - 3), y2=coord(top + BAR + 3),
                            stroke=MUTED, stroke_width="1.5", **{"class": "sopgen-chart-axis"}))
        if bar.low is None:  # words in place of a bar, from the axis (or ending at the right edge)
            words = one_line(bar.value)
            fits = zero + PAD + text_width(words) <= WIDTH - PAD
            body.append(element("text", words, x=coord(zero + PAD if fits else WIDTH - PAD), y=coord(middle),
                                text_anchor=None if fits else "end", fill=MUTED, font_style="italic",
                                **{"class": "sopgen-chart-muted"}))
        else:
            body += _bar(bar, scale, top, middle, color)
        y = top + BAR + GAP
    height = y - GAP + PAD
    description = summary.rstrip(". ") + ": " + "; ".join(
        f"{one_line(b.label)}: {one_line(b.value)}" + (f" ({one_line(b.note)})" if b.note else "") for b in bars) + "."
    return document(body, ident=ident, title=title, description=description, height=height)


def _label(text: str, note: str, *, y: float) -> str:
    """A line of a bar's label, ending with ``note`` in :data:`WARNING` when it carries one."""
    if not note:
        return element("text", text, x=coord(PAD), y=coord(y))
    warned = element("tspan", note, fill=WARNING, **{"class": "sopgen-chart-warning"})
    return f"<text{attributes(x=coord(PAD), y=coord(y))}>{markup(text + ' ' if text else '')}{warned}</text>"


def _bar(bar: Bar, scale: Scale, top: float, middle: float, color: str) -> list[str]:
    low, high = bar.low or 0.0, bar.top or 0.0
    # (from, to, colour, light): the certain part solid, the rest of a range lighter
    if low >= 0:
        parts = [(0.0, low, color, False), (low, high, color, True)]
    elif high <= 0:
        parts = [(high, 0.0, WARNING, False), (low, high, WARNING, True)]
    else:
        parts = [(low, 0.0, WARNING, True), (0.0, high, color, True)]
    out = []
    for a, b, fill, light in parts:
        x, w = scale(min(a, b)), abs(scale(b) - scale(a))
        if w <= 0 and light:
            continue
        if light:
            out.append(element("rect", x=coord(x), y=coord(top + 0.5), width=coord(max(w, 1)), height=coord(BAR - 1),
                               fill=mix(fill, BACKGROUND, 0.7), stroke=fill, stroke_width="1"))
        else:
            out.append(element("rect", x=coord(x), y=coord(top), width=coord(max(w, 1)), height=coord(BAR), fill=fill))
    label = one_line(bar.value)
    if _left(bar):
        out.append(element("text", label, x=coord(scale(low) - PAD), y=coord(middle), text_anchor="end", fill=WARNING,
                           **{"class": "sopgen-chart-warning"}))
    elif low < 0:
        out.append(element("text", label, x=coord(scale(high) + PAD), y=coord(middle), fill=WARNING,
                           **{"class": "sopgen-chart-warning"}))
    else:
        out.append(element("text", label, x=coord(scale(high) + PAD), y=coord(middle)))
    return out


def _left(bar: Bar) -> bool:
    """Whether a bar's figure is written left of it: when the whole bar is below zero."""
    return bar.top is not None and bar.top < 0
