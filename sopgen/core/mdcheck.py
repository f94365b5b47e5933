"""What a Markdown field may carry: no raw HTML, no script in attributes, no script links.

A handbook site is built from many people's files and opened by staff who are
logged in to other intranet pages, so by default a Markdown field (README.md, "The source format")
may not carry:

* raw HTML: tags, comments, processing instructions (``<script>``, ``<img onerror=…>``, ``<!-- -->``);
* attributes set with attr_list (``{onclick="…"}``, ``{href="javascript:…"}``,
  ``{style="…"}``), except classes and the few presentational ones in
  :data:`SAFE_ATTRIBUTES`; an allowlist, because the attributes that run
  script or redirect a link (``on*``, ``href``, ``src``, ``formaction``,
  ``srcdoc``, ``style``) are too many to list;
* links and images whose address has a scheme other than those of :data:`SAFE_SCHEMES`
  (``javascript:``, ``data:``, ``vbscript:``, ``file:``);
* snippet includes (``--8<-- ".env"``): when a site's ``mkdocs.yml`` turns on
  pymdownx.snippets, they would paste any file of the project into the page,
  even inside code blocks, so they are found in the text itself.

A page assembles many fields into one Markdown document, so a field must not
leave behind what another field could use there:

* a link reference definition (``[portal]: javascript:…``) with an address of a
  scheme not in :data:`SAFE_SCHEMES`, used or not in its own field: another
  field of the page (``[the portal][portal]``) would link to it;
* a code fence left open: alone it shows as text, but on the page it pairs with
  a fence of the next field, and what that field wrote inside its code block
  (``<script>``) would come out as HTML.

A project whose authors are all trusted opts out with ``allow_html: true`` in
``organization.yml``.

The text is not searched with regular expressions: it goes through
Python-Markdown with the site's own extensions, and what Markdown itself
treats as raw HTML, attributes or link targets is recorded. So ``a < b``,
``<b>`` in a code span or fenced block, and ``<https://…>`` autolinks are
fine, exactly as they are on the page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE, HtmlStash

from .escape import markdown_line
from .markdown import EXTENSIONS

SAFE_SCHEMES = ("http", "https", "mailto", "tel")
"""Schemes a link or image in Markdown may use; an address without a scheme (relative, ``#anchor``) is fine too."""
SAFE_ATTRIBUTES = ("class", "width", "height", "loading", "title", "alt")
"""Attributes attr_list may set (``{ .wide width=300 }``)."""
FIX = "or set 'allow_html: true' in {organization} if every author of the project is trusted"


@dataclass(frozen=True)
class Finding:
    """What one Markdown field may not carry, of one kind, said for its author."""

    kind: str
    """``html``, ``attribute``, ``link`` or ``include``."""
    shown: tuple[str, ...]
    """What was written, each shortened to one line."""

    def message(self, organization: str) -> str:
        fix = FIX.format(organization=organization)
        what = ", ".join(f"'{s}'" for s in self.shown[:3])
        if len(self.shown) > 3:
            what += f" and {len(self.shown) - 3} more"
        many = len(self.shown) > 1
        verb = "are" if many else "is"
        if self.kind == "html":
            return f"raw HTML {what} {verb} not allowed in Markdown: write it as text (in `backticks` it shows as code), {fix}"
        if self.kind == "attribute":
            return (f"the attribute{'s' if many else ''} {what} {verb} not allowed in Markdown (only classes and "
                    f"{', '.join(SAFE_ATTRIBUTES[1:])}): remove {'them' if many else 'it'}, {fix}")
        if self.kind == "include":
            return f"the file include {what} is not allowed in Markdown: copy the text in, {fix}"
        if self.kind == "fence":
            marks = re.match(r"`+|~+", self.shown[0]).group(0)  # type: ignore[union-attr] - a fence starts so
            return (f"the code fence {what} is not closed: end the code with a line of {marks} "
                    "(an open fence would pair with one of another field on the page)")
        return (f"the address{'es' if many else ''} {what} {verb} not allowed in a link or image: use http(s), "
                f"mailto: or tel: addresses or relative ones, {fix}")


def findings(text: str) -> list[Finding]:
    """What ``text`` (a Markdown field) may not carry, one :class:`Finding` per kind; empty when it is fine."""
    # only '<' starts HTML, only '{' attributes, a link with a scheme needs '[' and ':', a fence '```' or '~~~'
    if "<" not in text and "{" not in text and not ("[" in text and ":" in text) \
            and "```" not in text and "~~~" not in text:
        return []
    # Markdown depends on where the text lands: the templates show a field as blocks, and
    # joined on one line as a checklist item or a table cell, where an indented code block
    # becomes inline HTML and `{: onclick=… }` becomes an attribute of the cell.
    # What the cell shows counts only for kinds the blocks did not already show.
    by_kind = _by_kind(_audit(text))
    includes = [brief(m.group(0)) for m in _SNIPPET.finditer(text)]
    if includes:
        by_kind["include"] = includes
    fence = open_fence(text)
    if fence is not None:
        by_kind["fence"] = [brief(fence)]
    for kind, shown in _by_kind(_audit(f"| {markdown_line(text)} |\n| --- |")).items():
        by_kind.setdefault(kind, shown)
    return [Finding(kind, tuple(shown)) for kind, shown in by_kind.items()]


def _by_kind(found: tuple[tuple[str, str], ...]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for kind, shown in found:
        out.setdefault(kind, []).append(shown)
    return out


@lru_cache(maxsize=4096)
def _audit(text: str) -> tuple[tuple[str, str], ...]:
    """``(kind, what was written)`` for each thing Markdown lets through from ``text``."""
    md = _auditor()
    md.reset()
    md.findings = []
    md.convert(text)
    for address, _title in md.references.values():  # defined here, so usable by any field of the page
        if not safe_address(address):
            md.findings.append(("link", brief(address)))
    return tuple(dict.fromkeys(md.findings))


@lru_cache(maxsize=1)
def _auditor() -> markdown.Markdown:
    """A Markdown converter with the site's extensions that records what it lets through."""
    configs = {name: dict(options) for name, options in EXTENSIONS.items()}
    md = markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=configs)
    md.htmlStash = _RecordingStash(md)
    # same names and priorities as Markdown's own (see its docs), so they replace them
    md.preprocessors.register(_HtmlBlocks(md, md.preprocessors["html_block"]), "html_block", 20)
    md.inlinePatterns.register(_InlineHtml(HTML_RE, md), "html", 90)
    md.treeprocessors.register(_Attributes(md), "attr_list", 8)
    md.treeprocessors.register(_Addresses(md), "sopgen_addresses", -1)  # after every other
    return md


class _RecordingStash(HtmlStash):
    """Markdown's stash of raw HTML, noting what the HTML-block preprocessor puts in it.

    Fenced code is stashed too, but by an earlier preprocessor: only what is stored
    while ``recording`` is raw HTML written by the author.
    """

    def __init__(self, md: Any) -> None:
        super().__init__()
        self.md = md
        self.recording = False

    def store(self, html: Any) -> str:
        if self.recording:
            text = html if isinstance(html, str) else f"<{getattr(html, 'tag', 'html')}>"
            self.md.findings.append(("html", brief(text)))
        return super().store(html)


class _HtmlBlocks(Preprocessor):
    def __init__(self, md: Any, inner: Preprocessor) -> None:
        super().__init__(md)
        self.inner = inner

    def run(self, lines: list[str]) -> list[str]:
        self.md.htmlStash.recording = True
        try:
            return self.inner.run(lines)
        finally:
            self.md.htmlStash.recording = False


class _InlineHtml(HtmlInlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> Any:  # noqa: N802 - Markdown's name
        self.md.findings.append(("html", brief(m.group(1))))
        return super().handleMatch(m, data)


class _Attributes(AttrListTreeprocessor):
    def assign_attrs(self, elem: Element, attrs_string: str, *, strict: bool = False) -> str:
        attrs, remainder = get_attrs_and_remainder(attrs_string)
        if not (strict and remainder):
            for name, value in attrs:
                if name != "." and name.lower() not in SAFE_ATTRIBUTES:
                    shown = name if name == "#" or value is None else f"{name}={value}"
                    self.md.findings.append(("attribute", brief("#" + value if name == "#" else shown)))
        return super().assign_attrs(elem, attrs_string, strict=strict)


class _Addresses(Treeprocessor):
    def run(self, root: Element) -> None:
        for elem in root.iter():
            for name in ("href", "src"):
                address = elem.get(name)
                if address is not None and not safe_address(address):
                    self.md.findings.append(("link", brief(address)))


_FENCE = re.compile(r"^[ \t]*((`{3,})[^`\n]*|(~{3,})[^\n]*)$", re.MULTILINE)


def open_fence(text: str) -> str | None:
    """The line of the code fence ``text`` leaves open, if one (fences pair as in pymdownx.superfences:
    a fence closes with a line of at least as many of the same character and nothing else)."""
    opened: str | None = None
    for m in _FENCE.finditer(text):
        marks = m.group(2) or m.group(3)
        if opened is None:
            opened = m.group(0)
            need = marks
        elif marks[0] == need[0] and len(marks) >= len(need) and m.group(1).rstrip() == marks:
            opened = None
    return opened.strip() if opened is not None else None


_SNIPPET = re.compile(r"-+8<-+[^\n]*")
"""pymdownx.snippets' include marker, with what follows it on its line."""
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def safe_address(address: str) -> bool:
    """Whether ``address`` is relative or of a safe scheme (http(s), mailto:, tel:)."""
    return scheme(address) in ("", *SAFE_SCHEMES)


def scheme(address: str) -> str:
    """The scheme of ``address`` as a browser reads it (lower case; empty when relative).

    Browsers ignore leading spaces and control characters, tabs and newlines inside,
    and entities are decoded before: ``" jav&#x09;ascript:"`` is ``javascript``.
    """
    text = html.unescape(address.replace(AMP_SUBSTITUTE, "&"))
    text = re.sub(r"[\t\n\r]", "", text).lstrip("".join(map(chr, range(33))))
    m = _SCHEME.match(text)
    return m.group(1).lower() if m else ""


def brief(text: str) -> str:
    """``text`` on one line, cut at 60 characters: what a message quotes."""
    line = " ".join(str(text).split())
    return line if len(line) <= 60 else line[:57] + "..."
