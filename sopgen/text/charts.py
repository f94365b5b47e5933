"""Charts as inline SVG, drawn in Python at build time.

A chart is a string of SVG that a page or a PDF carries inline: no script, no
request to anywhere, nothing to hover. It is read three ways, and each is
served:

* by eye, on screen and in print: every figure is also written as a text label
  beside what shows it, and the picture scales with the page (``viewBox`` and
  ``width: 100%``);
* by a screen reader: ``role="img"`` named by a ``<title>``, with a ``<desc>``
  that states every figure in words;
* by the HTML check of generated pages (:mod:`sopgen.site.pagecheck`): the SVG has no
  ``<style>``, ``href`` or event handler, so there is nothing for it to take out.

Every text in a chart is escaped here (a role's title is the user's text), and
colours are given as ``#RRGGBB``: a brand colour too light to see against the
page is darkened until it shows (:func:`visible`).

The drawing is plain data in, SVG out: :func:`bar_chart` (value freed by role)
and :func:`line_chart` (a person's results against a benchmark's target) share
:func:`document`, :class:`Scale`, :func:`element` and the colour helpers. This module imports
nothing of sopgen.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Optional, Sequence

from markupsafe import Markup, escape

WIDTH = 640
"""Width of every chart's coordinate system (its ``viewBox``); it is drawn at the width of its page."""
FONT = 14
"""Size of a chart's text, in the units of :data:`WIDTH`."""
CHAR = 0.65 * FONT
"""A generous average width of a character: labels are laid out by it, as no font is measured."""
PAD = 6
TEXT = "#1f2328"
"""The colour of a chart's text (15:1 against white)."""
MUTED = "#57606a"
"""The colour of secondary text and of axes (6:1 against white)."""
WARNING = "#b42318"
"""The colour of a bar that goes the wrong way (a cost that exceeds what is freed; 6:1 against white)."""
BACKGROUND = "#ffffff"
NON_TEXT_CONTRAST = 3.0
"""WCAG 2's least contrast for the parts of a picture that carry meaning (1.4.11)."""


# -- colours ------------------------------------------------------------------------------------

_HEX = re.compile(r"^#([0-9a-fA-F]{6})$")


def _rgb(color: str) -> tuple[int, int, int]:
    match = _HEX.match(color)
    if not match:
        raise ValueError(f"not a #RRGGBB colour: {color!r}")
    value = int(match.group(1), 16)
    return value >> 16, (value >> 8) & 0xFF, value & 0xFF


def _hex(rgb: Sequence[float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def luminance(color: str) -> float:
    """WCAG 2's relative luminance of ``color`` (0 black … 1 white)."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = map(channel, _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2's contrast ratio of two colours (1 … 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(color: str, other: str, share: float) -> str:
    """``color`` with ``share`` (0 … 1) of ``other`` mixed in."""
    return _hex([c + (o - c) * share for c, o in zip(_rgb(color), _rgb(other))])


def visible(color: str, *, against: str = BACKGROUND, ratio: float = NON_TEXT_CONTRAST) -> str:
    """``color``, darkened in small steps until it stands out ``ratio`` : 1 against ``against``
    (a yellow brand colour on white becomes an ochre); a colour that already does is kept."""
    shade = color.lower()
    for step in range(1, 21):
        if contrast(shade, against) >= ratio:
            break
        shade = mix(color.lower(), "#000000", step / 20)
    return shade


# -- text and the document ----------------------------------------------------------------------

def one_line(text: object) -> str:
    """Text as a chart shows it: whitespace collapsed, control characters dropped."""
    return " ".join("".join(ch for ch in str(text) if ch.isprintable() or ch.isspace()).split())


def lines(text: str, width: float, *, most: int = 2) -> list[str]:
    """``text`` wrapped to lines of about ``width`` units, at most ``most`` of them (the last cut
    short with "…" if the text is longer)."""
    chars = max(8, int(width / CHAR))
    wrapped = textwrap.wrap(text, chars, break_long_words=True) or [""]
    if len(wrapped) > most:
        wrapped = wrapped[:most]
        wrapped[-1] = wrapped[-1][: chars - 1].rstrip() + "…"
    return wrapped


def text_width(text: str) -> float:
    return len(text) * CHAR


def _attrs(**attrs: object) -> str:
    # attribute names as SVG spells them: text_anchor → text-anchor
    return "".join(f' {name.replace("_", "-")}="{escape(value)}"' for name, value in attrs.items()
                   if value is not None)


def element(tag: str, content: object = None, **attrs: object) -> str:
    """One SVG element; ``content`` is text, escaped (a :class:`Markup` is kept as it is)."""
    if content is None:
        return f"<{tag}{_attrs(**attrs)}/>"
    return f"<{tag}{_attrs(**attrs)}>{escape(content)}</{tag}>"


class Chart(Markup):
    """An inline ``<svg>`` chart, with ``alt``: what it shows in words (its title and its
    description, every figure stated), for a PDF's alternative text."""

    alt: str = ""


def document(body: Iterable[str], *, ident: str, title: str, description: str, height: float,
             css_class: str = "sopgen-chart") -> Chart:
    """An inline ``<svg>`` of :data:`WIDTH` × ``height`` units that scales to the width of its
    container, named by ``title`` and described by ``description`` for screen readers.
    ``ident`` must be unique on the page (it prefixes the ids of the title and description)."""
    ident = re.sub(r"[^A-Za-z0-9_-]", "-", ident)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img"'
            f' aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {WIDTH} {_n(height)}"'
            f' width="100%" preserveAspectRatio="xMinYMin meet"'
            f' style="max-width: {WIDTH * 1.5:.0f}px; height: auto"'
            f' font-size="{FONT}" fill="{TEXT}">')
    chart = Chart("\n".join([head, element("title", one_line(title), id=f"{ident}-title"),
                              element("desc", one_line(description), id=f"{ident}-desc"), *body, "</svg>"]))
    chart.alt = ". ".join(x.rstrip(".") for x in (one_line(title), one_line(description)) if x) + "."
    return chart


def _n(value: float) -> str:
    """A coordinate, short: 12, 12.5, 12.33."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Scale:
    """A linear map of values (``low`` … ``high``) onto coordinates (``start`` … ``end``)."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        if self.high == self.low:
            return self.start
        return self.start + (value - self.low) * (self.end - self.start) / (self.high - self.low)


def _heading(title: str) -> tuple[list[str], float]:
    """The chart's title drawn at its top (a reader sees what is drawn), and where below it to go on."""
    body: list[str] = []
    y = PAD
    for text in lines(one_line(title), WIDTH - 2 * PAD):
        y += LINE
        body.append(element("text", text, x=_n(PAD), y=_n(y - 4), font_size=_n(FONT * 1.1), font_weight="bold"))
    return body, y


# -- bar chart ------------------------------------------------------------------------------------

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
LINE = FONT + 4
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

    body, y = _heading(title)
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
        body.append(element("line", x1=_n(zero), x2=_n(zero), y1=_n(top - 3), y2=_n(top + BAR + 3),
                            stroke=MUTED, stroke_width="1.5", **{"class": "sopgen-chart-axis"}))
        if bar.low is None:  # words in place of a bar, from the axis (or ending at the right edge)
            words = one_line(bar.value)
            fits = zero + PAD + text_width(words) <= WIDTH - PAD
            body.append(element("text", words, x=_n(zero + PAD if fits else WIDTH - PAD), y=_n(middle),
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
        return element("text", text, x=_n(PAD), y=_n(y))
    warned = element("tspan", note, fill=WARNING, **{"class": "sopgen-chart-warning"})
    return f"<text{_attrs(x=_n(PAD), y=_n(y))}>{escape(text + ' ' if text else '')}{warned}</text>"


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
            out.append(element("rect", x=_n(x), y=_n(top + 0.5), width=_n(max(w, 1)), height=_n(BAR - 1),
                               fill=mix(fill, BACKGROUND, 0.7), stroke=fill, stroke_width="1"))
        else:
            out.append(element("rect", x=_n(x), y=_n(top), width=_n(max(w, 1)), height=_n(BAR), fill=fill))
    label = one_line(bar.value)
    if _left(bar):
        out.append(element("text", label, x=_n(scale(low) - PAD), y=_n(middle), text_anchor="end", fill=WARNING,
                           **{"class": "sopgen-chart-warning"}))
    elif low < 0:
        out.append(element("text", label, x=_n(scale(high) + PAD), y=_n(middle), fill=WARNING,
                           **{"class": "sopgen-chart-warning"}))
    else:
        out.append(element("text", label, x=_n(scale(high) + PAD), y=_n(middle)))
    return out


def _left(bar: Bar) -> bool:
    """Whether a bar's figure is written left of it: when the whole bar is below zero."""
    return bar.top is not None and bar.top < 0


# -- line chart -----------------------------------------------------------------------------------

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


MISSED = "misses the target"
"""What a label and the description add to a point that misses its target (not said by colour alone)."""
PLOT = 130
"""Height of a line chart's plotting area."""
MARK = 5
"""Radius of a point (half the width of the cross of a missed one)."""


def line_chart(points: Sequence[Point], *, ident: str, title: str, summary: str, target: Target,
               deadline: Optional[tuple[date, str]] = None, color: str) -> Chart:
    """The points in date order joined by a line, each labelled with its figure, over a shaded
    band of the ``target`` (above ``low``, below ``high``, or between), with the ``deadline``
    (its day and how the benchmark says it, ``day 30``) as a dashed vertical line.

    Days are placed in proportion to time along the bottom, each point's day written under it.
    A point that misses the target is a cross in :data:`WARNING` labelled "(misses the target)"
    (the figure alone when that would run into a neighbour's label), and the key says what the
    cross means.
    One point is drawn alone, at the middle of its time. The description states the target, the
    deadline and every point's day and figure.
    """
    color = visible(color)
    points = sorted(points, key=lambda p: p.on)
    days = [p.on for p in points] + ([deadline[0]] if deadline else [])
    first, last = min(days), max(days)
    if first == last:  # one day only: it goes in the middle
        first, last = first - timedelta(days=15), last + timedelta(days=15)
    left, right = PAD + 50, WIDTH - PAD - 50  # room for a label centred on the first and last point
    xscale = Scale(first.toordinal(), last.toordinal(), left, right)

    body, y = _heading(title)
    # the key: the band's swatch and the target in words
    band_fill, band_edge = mix(color, BACKGROUND, 0.85), MUTED
    y += LINE
    body.append(element("rect", x=_n(PAD), y=_n(y - FONT + 1), width="18", height=_n(FONT), fill=band_fill,
                        stroke=band_edge, stroke_dasharray="4 3", **{"class": "sopgen-chart-band"}))
    key = f"target: {one_line(target.label)}"
    body.append(element("text", key, x=_n(PAD + 24), y=_n(y - 1)))
    if any(p.met is False for p in points):  # and what a cross means, in case a label is too long to say it
        x = PAD + 24 + text_width(key) + 3 * PAD
        body += [_cross(x + MARK, y - FONT / 2 + 1, key=True),
                 element("text", MISSED, x=_n(x + 2 * MARK + PAD), y=_n(y - 1), fill=WARNING,
                         **{"class": "sopgen-chart-warning"})]
    if deadline:
        y += LINE
        when = f"by {one_line(deadline[1])}: {deadline[0].isoformat()}"
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
    body.append(element("rect", x=_n(left - 30), y=_n(band_top), width=_n(right - left + 60),
                        height=_n(max(band_bottom - band_top, 1)), fill=band_fill, **{"class": "sopgen-chart-band"}))
    for bound in (target.low, target.high):
        if bound is not None:
            body.append(element("line", x1=_n(left - 30), x2=_n(right + 30), y1=_n(yscale(bound)),
                                y2=_n(yscale(bound)), stroke=band_edge, stroke_width="1", stroke_dasharray="4 3",
                                **{"class": "sopgen-chart-axis"}))
    if deadline:
        x = xscale(deadline[0].toordinal())
        body.append(element("line", x1=_n(x), x2=_n(x), y1=_n(top - LINE), y2=_n(bottom), stroke=MUTED,
                            stroke_width="1.5", stroke_dasharray="6 4", **{"class": "sopgen-chart-axis"}))
    # the time axis
    body.append(element("line", x1=_n(left - 30), x2=_n(right + 30), y1=_n(bottom), y2=_n(bottom), stroke=MUTED,
                        stroke_width="1", **{"class": "sopgen-chart-axis"}))

    at = [(xscale(p.on.toordinal()), yscale(p.value)) for p in points]
    if len(points) > 1:
        body.append(element("polyline", points=" ".join(f"{_n(x)},{_n(y)}" for x, y in at), fill="none",
                            stroke=color, stroke_width="2.5", stroke_linejoin="round", **{"class": "sopgen-chart-line"}))
    labels = _point_labels(points, at)
    rows: list[float] = []  # where the last day label of each row ends, so that labels do not overlap
    for i, (point, (x, y)) in enumerate(zip(points, at)):
        missed = point.met is False
        if missed:  # a cross, not a dot: the shape says it too
            body.append(_cross(x, y))
        else:
            body.append(element("circle", cx=_n(x), cy=_n(y), r=_n(MARK), fill=color, stroke=BACKGROUND,
                                stroke_width="1.5", **{"class": "sopgen-chart-point"}))
        # above the point, or below it where the line rises from it on both sides (not across the line)
        near = [at[j][1] for j in (i - 1, i + 1) if 0 <= j < len(at)]
        under = bool(near) and all(n < y for n in near)
        at_y = y + MARK + FONT if under else y - MARK - 5
        body += [_plate(labels[i], x, at_y), _centred(labels[i], x, at_y, fill=WARNING if missed else None,
                                                      css="sopgen-chart-warning" if missed else None)]
        day = point.on.isoformat()
        row = next((r for r, end in enumerate(rows) if x - text_width(day) / 2 >= end + PAD), len(rows))
        if row == len(rows):
            rows.append(0.0)
        body.append(_centred(day, x, bottom + LINE * (row + 1), fill=MUTED, css="sopgen-chart-muted"))
        rows[row] = x + text_width(day) / 2
    height = bottom + LINE * max(len(rows), 1) + PAD + 4

    said = "; ".join(f"{p.on.isoformat()}: {one_line(p.label)}" + (f" ({MISSED})" if p.met is False else "")
                     for p in points)
    description = (f"{summary.rstrip('. ')}: target {one_line(target.label)}"
                   + (f", by {one_line(deadline[1])} ({deadline[0].isoformat()})" if deadline else "")
                   + f". {'Result' if len(points) == 1 else 'Results'}: {said}.")
    return document(body, ident=ident, title=title, description=description, height=height)


def _cross(x: float, y: float, *, key: bool = False) -> str:
    """The mark of a result that misses its target: a cross in :data:`WARNING` (``key``: the one
    of the chart's key)."""
    return element("path", d=f"M{_n(x - MARK)},{_n(y - MARK)}L{_n(x + MARK)},{_n(y + MARK)}"
                             f"M{_n(x - MARK)},{_n(y + MARK)}L{_n(x + MARK)},{_n(y - MARK)}",
                   stroke=WARNING, stroke_width="3", **{"class": "sopgen-chart-missed" + (" sopgen-chart-key" if key else "")})


def _point_labels(points: Sequence[Point], at: Sequence[tuple[float, float]]) -> list[str]:
    """Each point's figure, and "(misses the target)" after a missed one's, unless such a label
    would run into a neighbour's (results close in time): then the figures alone, the cross and
    the key saying what it means."""
    short = [one_line(p.label) for p in points]
    full = [f"{label} ({MISSED})" if p.met is False else label for p, label in zip(points, short)]
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
    return element("rect", x=_n(start), y=_n(y - FONT + 2), width=_n(width), height=_n(FONT + 2), fill=BACKGROUND,
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
    return element("text", text, x=_n(x), y=_n(y), text_anchor=anchor, fill=fill, **extra)
