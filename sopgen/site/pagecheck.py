"""The last look at a generated page: its HTML carries no script, whatever its fields did together.

Validation checks each Markdown field (:mod:`sopgen.core.mdcheck`), and what one
field could leave for another (link definitions, open code fences). A page,
though, is many fields in one Markdown document, and Markdown has more ways
to join them than a check of fields can promise to foresee. So, unless the
project sets ``allow_html``, the HTML of every generated page goes through
:func:`neutralise` before it is written: elements that run or load script
are shown as text, and attributes that do (``on*``, an address of a scheme
other than http(s), mailto: or tel:) are taken out; ``style`` stays, as tables
align their columns with it (validation refuses it in fields). What it removes
is reported, since it means a check of the fields missed something.

Python's own HTML parser reads the page; a page with nothing suspect (the
common case) is recognised by one regular expression and left byte for byte.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Optional

from ..core.mdcheck import brief, safe_address

ELEMENTS = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta",
                      "link", "style", "noscript", "template"})
"""Elements that run, load or restyle the page: shown as text."""
ADDRESSES = frozenset({"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background",
                       "cite", "srcset", "ping", "srcdoc"})
"""Attributes holding an address (``srcdoc`` a whole document): taken out unless the address is safe."""

_SAFE_ADDRESS = r"(?:https?:|mailto:|tel:|[\w.~%+-]*[/?#\"'>])"
"""An address plainly safe: of a safe scheme, or with a '/', '?', '#' or its end before any ':' (and no
'&', which could start an entity, nor a control character, which a browser would drop)."""
_SUSPECT = re.compile(
    r"<\s*/?\s*(?:" + "|".join(ELEMENTS) + r")\b"
    r"|\son[a-z]+\s*="
    r"|\s(?:" + "|".join(ADDRESSES) + r")\s*=\s*"
    + rf"(?:[\"'](?!{_SAFE_ADDRESS})|(?![\"'])(?!{_SAFE_ADDRESS}))",
    re.IGNORECASE)
"""What a page needs for a closer look; most pages have none of it."""


def neutralise(page: str) -> tuple[str, list[str]]:
    """``page`` (HTML) without what could run script, and what was taken out, each on one line."""
    if not _SUSPECT.search(page):
        return page, []
    scan = _Scan(page)
    if not scan.edits:
        return page, []
    out, last = [], 0
    for start, end, replacement in sorted(scan.edits):
        out += [page[last:start], replacement]
        last = end
    out.append(page[last:])
    return "".join(out), scan.removed


class _Scan(HTMLParser):
    """Finds the tags to rewrite, as (start, end, replacement) edits of the page's text."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.lines = [0] + [m.end() for m in re.finditer("\n", page)]
        self.edits: list[tuple[int, int, str]] = []
        self.removed: list[str] = []
        self.feed(page)
        self.close()

    def _here(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        self._start(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        self._start(tag, attrs)

    def _start(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        raw = self.get_starttag_text() or ""
        start = self._here()
        if tag in ELEMENTS:
            self.edits.append((start, start + len(raw), html.escape(raw, quote=False)))
            self.removed.append(brief(raw))
            return
        bad = [(name, value) for name, value in attrs if _unsafe(name, value)]
        if not bad:
            return
        kept = "".join(f" {name}" if value is None else f' {name}="{html.escape(value)}"'
                       for name, value in attrs if (name, value) not in bad)
        self.edits.append((start, start + len(raw), f"<{tag}{kept}{'/>' if raw.endswith('/>') else '>'}"))
        self.removed += [brief(f"{name}={value or ''}") for name, value in bad]

    def handle_endtag(self, tag: str) -> None:
        if tag in ELEMENTS:
            start = self._here()
            end = self.page.find(">", start) + 1 or len(self.page)
            self.edits.append((start, end, html.escape(self.page[start:end], quote=False)))


def _unsafe(name: str, value: Optional[str]) -> bool:
    if name.startswith("on"):
        return True
    if name not in ADDRESSES or value is None:
        return False
    if name == "srcdoc":
        return True
    addresses = [part.split()[0] for part in value.split(",") if part.split()] if name == "srcset" else [value]
    return not all(map(safe_address, addresses))
