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

Every text in a chart is escaped (:func:`sopgen.core.escape.markup`: a role's title is the user's text), and
colours are given as ``#RRGGBB``: a brand colour too light to see against the
page is darkened until it shows (:func:`visible`).

The drawing is plain data in, SVG out. This module holds what every chart shares: the
layout's units, the colours and their contrast, escaped elements, :func:`document` and
:class:`Scale`; the charts themselves are :func:`sopgen.text.barchart.bar_chart` (value freed by
role) and :func:`sopgen.text.linechart.line_chart` (a person's results against a benchmark's
target). None of them imports anything of sopgen but its escaping rule.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from typing import Iterable, Sequence

from markupsafe import Markup

from ..core.escape import markup

WIDTH = 640
"""Width of every chart's coordinate system (its ``viewBox``); it is drawn at the width of its page."""
FONT = 14
"""Size of a chart's text, in the units of :data:`WIDTH`."""
CHAR = 0.65 * FONT
"""A generous average width of a character: labels are laid out by it, as no font is measured."""
PAD = 6
LINE = FONT + 4
"""Height of a line of text."""
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


def attributes(**attrs: object) -> str:
    """Attributes of an SVG element, their values escaped; names as SVG spells them (text_anchor →
    text-anchor), ``None`` left out."""
    return "".join(f' {name.replace("_", "-")}="{markup(value)}"' for name, value in attrs.items()
                   if value is not None)


def element(tag: str, content: object = None, **attrs: object) -> str:
    """One SVG element; ``content`` is text, escaped (a :class:`Markup` is kept as it is)."""
    if content is None:
        return f"<{tag}{attributes(**attrs)}/>"
    return f"<{tag}{attributes(**attrs)}>{markup(content)}</{tag}>"


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
            f' aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {WIDTH} {coord(height)}"'
            f' width="100%" preserveAspectRatio="xMinYMin meet"'
            f' style="max-width: {WIDTH * 1.5:.0f}px; height: auto"'
            f' font-size="{FONT}" fill="{TEXT}">')
    chart = Chart("\n".join([head, element("title", one_line(title), id=f"{ident}-title"),
                              element("desc", one_line(description), id=f"{ident}-desc"), *body, "</svg>"]))
    chart.alt = ". ".join(x.rstrip(".") for x in (one_line(title), one_line(description)) if x) + "."
    return chart


def coord(value: float) -> str:
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


def heading(title: str) -> tuple[list[str], float]:
    """The chart's title drawn at its top (a reader sees what is drawn), and where below it to go on."""
    body: list[str] = []
    y = PAD
    for text in lines(one_line(title), WIDTH - 2 * PAD):
        y += LINE
        body.append(element("text", text, x=coord(PAD), y=coord(y - 4), font_size=coord(FONT * 1.1), font_weight="bold"))
    return body, y
