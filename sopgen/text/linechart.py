"""The line chart: a person's results against a benchmark's target band and deadline, each
result labelled, one that misses the target drawn as a cross and said so in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional, Sequence

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
    coord,
    document,
    element,
    heading,
    mix,
    one_line,
    text_width,
    visible,
)
from .i18n import N_, Language, language


@dataclass(frozen=True)
class Point:
    """One result of a line chart: its day, its figure, and whether it meets the target."""

    on: date
    value: float
    label: str
    """The figure as people write it (``93%``): written above the point."""
    met: Optional[bool] = None
    """Whether it meets the target; a point that misses it is drawn as a cross in :data:`WARNING`
    and its label says so in words."""


@dataclass(frozen=True)
class Target:
    """The band a result should fall in: ``low`` and/or ``high`` (one of them may be missing)."""

    low: Optional[float]
    high: Optional[float]
    label: str
    """The target in words: ``at least 90%``, ``at most 2 days``, ``90% to 100%``."""


MISSED = N_("misses the target")
"""What a label and the description add to a point that misses its target (not said by colour alone)."""
PLOT = 130
"""Height of a line chart's plotting area."""
MARK = 5
"""Radius of a point (half the width of the cross of a missed one)."""


def line_chart(points: Sequence[Point], *, ident: str, title: str, summary: str, target: Target,
               deadline: Optional[tuple[date, str]] = None, color: str, lang: Optional[Language] = None) -> Chart:
    """The points in date order joined by a line, each labelled with its figure, over a shaded
    band of the ``target`` (above ``low``, below ``high``, or between), with the ``deadline``
    (its day and how the benchmark says it, ``day 30``) as a dashed vertical line.

    Days are placed in proportion to time along the bottom, each point's day written under it.
    A point that misses the target is a cross in :data:`WARNING` labelled "(misses the target)"
    (the figure alone when that would run into a neighbour's label), and the key says what the
    cross means.
    One point is drawn alone, at the middle of its time. The description states the target, the
    deadline and every point's day and figure. Its words and days are in ``lang`` (English by default).
    """
    lang = lang or language()
    missed_words = lang.gettext(MISSED)
    color = visible(color)
    points = sorted(points, key=lambda p: p.on)
    days = [p.on for p in points] + ([deadline[0]] if deadline else [])
    first, last = min(days), max(days)
    if first == last:  # one day only: it goes in the middle
        first, last = first - timedelta(days=15), last + timedelta(days=15)
    left, right = PAD + 50, WIDTH - PAD - 50  # room for a label centred on the first and last point
    xscale = Scale(first.toordinal(), last.toordinal(), left, right)

    body, y = heading(title)
    # the key: the band's swatch and the target in words
    band_fill, band_edge = mix(color, BACKGROUND, 0.85), MUTED
    y += LINE
    body.append(element("rect", x=coord(PAD), y=coord(y - FONT + 1), width="18", height=coord(FONT), fill=band_fill,
                        stroke=band_edge, stroke_dasharray="4 3", **{"class": "sopgen-chart-band"}))
    key = lang.gettext("target: %(target)s", target=one_line(target.label))
    body.append(element("text", key, x=coord(PAD + 24), y=coord(y - 1)))
    if any(p.met is False for p in points):  # and what a cross means, in case a label is too long to say it
        x = PAD + 24 + text_width(key) + 3 * PAD
        body += [_cross(x + MARK, y - FONT / 2 + 1, key=True),
                 element("text", missed_words, x=coord(x + 2 * MARK + PAD), y=coord(y - 1), fill=WARNING,
                         **{"class": "sopgen-chart-warning"})]
    if deadline:
        y += LINE
        when = lang.gettext("by %(deadline)s: %(date)s", deadline=one_line(deadline[1]), date=lang.short_date(deadline[0]))
        body.append(_centred(when, xscale(deadline[0].toordinal()), y - 1, fill=MUTED, css="sopgen-chart-muted"))
    top = y + LINE + 4  # room for the label of a point at the very top
    bottom = top + PLOT
    values = [p.value for p in points] + [v for v in (target.low, target.high) if v is not None]
    low, high = min(values), max(values)
    margin = (high - low) * 0.15 or abs(high) * 0.1 or 1.0
    yscale = Scale(low - margin, high + margin, bottom - LINE, top)  # a line of room for a label below

    # the target: shaded from its bound(s) to the edge of the plot, each bound a dashed line
    band_top = yscale(target.high) if target.high is not None else top
    band_bottom = yscale(target.low) if target.low is not None else bottom
    body.append(element("rect", x=coord(left - 30), y=coord(band_top), width=coord(right - left + 60),
                        height=coord(max(band_bottom - band_top, 1)), fill=band_fill, **{"class": "sopgen-chart-band"}))
    for bound in (target.low, target.high):
        if bound is not None:
            body.append(element("line", x1=coord(left - 30), x2=coord(right + 30), y1=coord(yscale(bound)),
                                y2=coord(yscale(bound)), stroke=band_edge, stroke_width="1", stroke_dasharray="4 3",
                                **{"class": "sopgen-chart-axis"}))
    if deadline:
        x = xscale(deadline[0].toordinal())
        body.append(element("line", x1=coord(x), x2=coord(x), y1=coord(top - LINE), y2=coord(bottom), stroke=MUTED,
                            stroke_width="1.5", stroke_dasharray="6 4", **{"class": "sopgen-chart-axis"}))
    # the time axis
    body.append(element("line", x1=coord(left - 30), x2=coord(right + 30), y1=coord(bottom), y2=coord(bottom), stroke=MUTED,
                        stroke_width="1", **{"class": "sopgen-chart-axis"}))

    at = [(xscale(p.on.toordinal()), yscale(p.value)) for p in points]
    if len(points) > 1:
        body.append(element("polyline", points=" ".join(f"{coord(x)},{coord(y)}" for x, y in at), fill="none",
                            stroke=color, stroke_width="2.5", stroke_linejoin="round", **{"class": "sopgen-chart-line"}))
    labels = _point_labels(points, at, missed_words)
    rows: list[float] = []  # where the last day label of each row ends, so that labels do not overlap
    for i, (point, (x, y)) in enumerate(zip(points, at)):
        missed = point.met is False
        if missed:  # a cross, not a dot: the shape says it too
            body.append(_cross(x, y))
        else:
            body.append(element("circle", cx=coord(x), cy=coord(y), r=coord(MARK), fill=color, stroke=BACKGROUND,
                                stroke_width="1.5", **{"class": "sopgen-chart-point"}))
        # above the point, or below it where the line rises from it on both sides (not across the line)
        near = [at[j][1] for j in (i - 1, i + 1) if 0 <= j < len(at)]
        under = bool(near) and all(n < y for n in near)
        at_y = y + MARK + FONT if under else y - MARK - 5
        body += [_plate(labels[i], x, at_y), _centred(labels[i], x, at_y, fill=WARNING if missed else None,
                                                      css="sopgen-chart-warning" if missed else None)]
        day = lang.short_date(point.on)
        row = next((r for r, end in enumerate(rows) if x - text_width(day) / 2 >= end + PAD), len(rows))
        if row == len(rows):
            rows.append(0.0)
        body.append(_centred(day, x, bottom + LINE * (row + 1), fill=MUTED, css="sopgen-chart-muted"))
        rows[row] = x + text_width(day) / 2
    height = bottom + LINE * max(len(rows), 1) + PAD + 4

    said = "; ".join(f"{lang.short_date(p.on)}: {one_line(p.label)}" + (f" ({missed_words})" if p.met is False else "")
                     for p in points)
    description = (lang.gettext("%(summary)s: target %(target)s", summary=summary.rstrip(". "),
                                target=one_line(target.label))
                   + (lang.gettext(", by %(deadline)s (%(date)s)", deadline=one_line(deadline[1]),
                                   date=lang.short_date(deadline[0])) if deadline else "")
                   + ". " + lang.ngettext("Result: %(results)s.", "Results: %(results)s.", len(points), results=said))
    return document(body, ident=ident, title=title, description=description, height=height)


def _cross(x: float, y: float, *, key: bool = False) -> str:
    """The mark of a result that misses its target: a cross in :data:`WARNING` (``key``: the one
    of the chart's key)."""
    return element("path", d=f"M{coord(x - MARK)},{coord(y - MARK)}L{coord(x + MARK)},{coord(y + MARK)}"
                             f"M{coord(x - MARK)},{coord(y + MARK)}L{coord(x + MARK)},{coord(y - MARK)}",
                   stroke=WARNING, stroke_width="3", **{"class": "sopgen-chart-missed" + (" sopgen-chart-key" if key else "")})


def _point_labels(points: Sequence[Point], at: Sequence[tuple[float, float]], missed: str) -> list[str]:
    """Each point's figure, and "(misses the target)" after a missed one's, unless such a label
    would run into a neighbour's (results close in time): then the figures alone, the cross and
    the key saying what it means."""
    short = [one_line(p.label) for p in points]
    full = [f"{label} ({missed})" if p.met is False else label for p, label in zip(points, short)]
    spans = []
    for label, (x, _) in zip(full, at):
        x, anchor = _place(label, x)
        width = text_width(label)
        spans.append((x - width / 2, x + width / 2) if anchor == "middle" else
                     (x - width, x) if anchor == "end" else (x, x + width))
    crowded = any(a[1] + PAD > b[0] for a, b in zip(spans, spans[1:]))
    return short if crowded else full


def _plate(label: str, x: float, y: float) -> str:
    """A patch of the background behind a label placed as :func:`_centred` places it, so that no
    line (the deadline, the line of results) runs through its words."""
    x, anchor = _place(label, x)
    width = text_width(label) * 0.85 + 4  # the average character is narrower than CHAR allows
    start = x - 2 if anchor is None else x - width / 2 if anchor == "middle" else x - width + 2
    return element("rect", x=coord(start), y=coord(y - FONT + 2), width=coord(width), height=coord(FONT + 2), fill=BACKGROUND,
                   **{"class": "sopgen-chart-plate"})


def _place(text: str, x: float) -> tuple[float, Optional[str]]:
    """Where a label centred on ``x`` goes, and its anchor: at its start or end near an edge."""
    half = text_width(text) / 2
    if x - half < PAD:
        return PAD, None
    if x + half > WIDTH - PAD:
        return WIDTH - PAD, "end"
    return x, "middle"


def _centred(text: str, x: float, y: float, *, fill: Optional[str] = None, css: Optional[str] = None) -> str:
    """A label centred on ``x``, kept inside the chart."""
    x, anchor = _place(text, x)
    extra = {"class": css} if css else {}
    return element("text", text, x=coord(x), y=coord(y), text_anchor=anchor, fill=fill, **extra)
