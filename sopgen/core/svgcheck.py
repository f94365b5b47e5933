"""What an SVG picture may carry: nothing that runs, nothing fetched from elsewhere.

A step image or logo is copied to the site as it is, and an SVG opened at its
own address is a document of the site: its ``<script>`` and ``onload=`` run
there, with the staff's session. So, unless the project sets ``allow_html``,
an SVG may not carry:

* ``<script>``, ``<foreignObject>`` (which holds HTML) or HTML elements that
  load or run something (``<iframe>``, ``<embed>``, ``<object>``…);
* event handlers (``on*`` attributes);
* references to anything outside the picture: ``href``/``xlink:href`` other
  than ``#fragment`` or an embedded raster (``data:image/png``…), any value of
  a script scheme (``<animate values="javascript:…">``), ``@import``,
  ``url(…)`` of other addresses, ``image-set()`` and escapes in styles,
  ``<?xml-stylesheet?>``;
* a DOCTYPE: its entities can make a small file expand without end (billion
  laughs), or read other files; pictures do not need one.

The file is read by Python's own XML parser (expat) with a DOCTYPE refused as
soon as it starts, before any entity is declared.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Optional
from xml.parsers import expat

from .mdcheck import brief, scheme

ELEMENTS = frozenset({"script", "foreignobject", "iframe", "frame", "embed", "object", "applet", "meta", "link",
                      "base", "handler", "listener"})
"""Elements that run or load something (local names, lower case)."""
SCRIPT_SCHEMES = ("javascript", "vbscript", "livescript")
_RASTER = re.compile(r"^\s*data:image/(png|jpeg|jpg|gif|webp);", re.IGNORECASE)
_CSS_LOAD = re.compile(r"@import|\\\S{0,8}|\b(?:-webkit-)?(?:image-set|image|src)\(|url\(\s*(['\"]?)\s*(?!#)([^)'\"]*)\1\s*\)",
                       re.IGNORECASE)
"""What in a style can load something: ``@import``, ``url()`` of anything but ``#…`` (checked further),
``image-set()`` and the like, and any escape (``\\75 rl(`` is ``url(`` to a browser)."""
LARGEST = 20 * 1024 * 1024
"""The largest SVG read (bytes); a picture beyond it is refused."""


class _Refused(Exception):
    pass


def svg_problem(path: Path) -> Optional[str]:
    """What is wrong with ``path`` (an SVG file), said for its author (``carries a <script> element (line 3)``,
    ``is not well-formed XML: …``); ``None`` when it is fine."""
    try:
        stat = path.stat()
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    return _checked(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _checked(path: str, _mtime: int, size: int) -> Optional[str]:
    # keyed on the file's time and size too: many SOPs show the same picture, and serve checks it at every save
    if size > LARGEST:
        return f"is larger than {LARGEST // (1024 * 1024)} MB"
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    return _Scan().run(data)


class _Scan:
    """One pass of expat over the file; the first finding stops it."""

    def __init__(self) -> None:
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartDoctypeDeclHandler = lambda *args: self.refuse("a DOCTYPE")
        self.parser.EntityDeclHandler = lambda *args: self.refuse("an ENTITY declaration")
        self.parser.ExternalEntityRefHandler = lambda *args: self.refuse("an external entity")
        self.parser.ProcessingInstructionHandler = lambda target, data: self.refuse(
            f"the processing instruction <?{target}?>")
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text
        self.style: Optional[list[str]] = None

    def refuse(self, what: str) -> None:
        raise _Refused(f"carries {what} (line {self.parser.CurrentLineNumber})")

    def run(self, data: bytes) -> Optional[str]:
        try:
            self.parser.Parse(data, True)
        except _Refused as exc:
            return str(exc)
        except expat.ExpatError as exc:
            return f"is not well-formed XML: {exc}"
        return None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1].lower()
        if local in ELEMENTS:
            self.refuse(f"a <{name.rsplit(' ', 1)[-1]}> element")
        for key, value in attrs.items():
            attribute = key.rsplit(" ", 1)[-1].lower()
            if attribute.startswith("on"):
                self.refuse(f"the event handler {attribute}=")
            if attribute == "style":
                self.css(value)
            elif attribute == "href":
                if not (value.strip().startswith("#") or _RASTER.match(value)):
                    self.refuse(f"a reference to '{brief(value)}'")
            else:  # <animate attributeName="href" values="…;javascript:…">: any value may become an address
                for part in value.split(";"):
                    if scheme(part) in SCRIPT_SCHEMES or (scheme(part) == "data" and not _RASTER.match(part)):
                        self.refuse(f"a reference to '{brief(part)}'")
        if local == "style":
            self.style = []

    def end(self, name: str) -> None:
        if self.style is not None and name.rsplit(" ", 1)[-1].lower() == "style":
            self.css("".join(self.style))
            self.style = None

    def text(self, data: str) -> None:
        if self.style is not None:
            self.style.append(data)

    def css(self, text: str) -> None:
        for m in _CSS_LOAD.finditer(text):
            if m.group(2) is None or not _RASTER.match(m.group(2)):
                self.refuse(f"a style that loads '{brief(m.group(0))}'")
