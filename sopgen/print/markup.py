"""Markdown fields as Typst markup, for the PDF templates.

A PDF template shows a Markdown field (a step's ``do``, a tip, a role's
summary…) with ``eval(markup, mode: "markup", scope: (...))``. This module
makes that markup: :class:`Converter` parses the field with Python-Markdown and
the site's own extensions (:data:`sopgen.core.markdown.EXTENSIONS`), so the page and
the paper can never disagree on what a field says, and writes the tree it builds
as Typst, every piece of the author's text escaped (:func:`~sopgen.core.escape.typst_markup`)
or quoted (:func:`~sopgen.core.escape.typst_string`): nothing an author writes is ever run as
Typst code. What Python-Markdown leaves is read in :mod:`sopgen.print.markdowntree`; lists,
tables and admonitions are written in :mod:`sopgen.print.typstblocks`.

What the markup calls: Typst's own ``strong``, ``emph``, ``raw``, ``link``,
``label``, ``list``, ``enum``, ``table``, ``heading``, ``quote``, ``line`` and
``linebreak``, and two helpers the template puts in the eval scope:
``admonition(kind, title, body)`` and ``figure-image(path, alt)``.
"""

from __future__ import annotations

import html
import posixpath
import re
from typing import Callable, Optional, Union
from xml.etree.ElementTree import Element

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from ..core.escape import TYPST_NEWLINES, typst_markup, typst_string
from .markdowntree import (
    ENTITY,
    INLINE,
    SILENT,
    Checkbox,
    FencedCode,
    classes,
    code_text,
    html_paragraphs,
    is_permalink,
    parser,
    resolved,
    unentity,
)
from .typstblocks import CHECKBOX, admonition, raw_block, typst_list, typst_table

MAX_NESTING = 6
"""The most lists, quotes, admonitions and tables a field's Markdown nests as such; what is
deeper shows as paragraphs of its text (Typst stops at some twenty nested quotes)."""
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_EXTERNAL = ("http:", "https:", "mailto:")


def external_link(href: str) -> Optional[str]:
    """The default ``link``: http(s) and mailto addresses link to themselves, others show as text."""
    return href if href.lower().startswith(_EXTERNAL) else None


def no_image(src: str) -> Optional[str]:
    """The default ``image``: no file is shown, its alt text is."""
    return None


Piece = tuple[bool, str]
"""A piece of markup and whether it is a block (a paragraph, a list…) or inline."""


_PLAIN = re.compile(r"(?![\s+=-]|\d+[.)](?:\s|$))(?:[^\W_]|[ .,;:'\"()%/?$€£@+=—–’‘“”…-])*")
"""Text that Markdown leaves as it is, one paragraph of it: one line of letters, digits, spaces and
punctuation with no meaning in Markdown (no ``* _ ` [ ] ! < > & \\ # | { } ~``), not starting with a
space (code), ``-``, ``+`` or ``=`` (a list, a rule) or like a numbered item (``1. ``). Most checklist
items and steps are such text."""


class Converter:
    """Markdown → Typst markup, by walking the tree Python-Markdown builds with the site's extensions.

    ``link(href)`` says where a link goes: a Typst label name for a target in the document
    (shown as ``#link(label("…"))[…]``), an address with a scheme (http(s), mailto) for
    one outside it, or ``None`` to show the link's text alone. ``image(src)`` gives the
    root-absolute path of an image's file (``"/sops/media/x.png"``) or ``None`` to show its
    alt text instead. Raw HTML shows its text (tags dropped) when ``allow_html``, and
    otherwise as written, as text; it never fetches anything either way.
    """

    def __init__(self, *, link: Callable[[str], Optional[str]] = external_link,
                 image: Callable[[str], Optional[str]] = no_image, allow_html: bool = False) -> None:
        self.link, self.image, self.allow_html = link, image, allow_html
        self.heading_level = 3
        self._depth = 0
        self._open: list[int] = []
        """The levels (as written) of the headings the text so far leaves open."""
        self._md: Optional[markdown.Markdown] = None
        self._out = ""
        self._said: dict[tuple[str, int], str] = {}
        """Markup already made, by text and heading level: a handbook and the whole business's
        both hold each SOP. Only for text with no link or image, whose markup is the same whatever
        ``link`` and ``image`` are set to."""
        self._asked = False

    def __call__(self, text: str, *, heading_level: int = 3) -> str:
        """``text`` (Markdown) as Typst markup.

        Headings are neither outlined nor bookmarked, and never skip a level (PDF/UA-1 refuses
        that): the field's first heading is of ``heading_level`` (pass the level below the
        heading the field stands under), and a later one is one level below the nearest earlier
        heading written with fewer ``#``, or of ``heading_level`` when there is none
        (``#`` then ``###`` gives ``heading_level`` then ``heading_level + 1``).
        """
        if _PLAIN.fullmatch(text):
            return typst_markup(text.strip())  # what the parse gives for it, 30 times faster (tested)
        known = self._said.get((text, heading_level))
        if known is not None:
            return known
        self._asked = False
        markup = self.parsed(text, heading_level=heading_level)
        if not self._asked:  # what link() or image() said may change with them: not kept
            self._said[(text, heading_level)] = markup
        return markup

    def parsed(self, text: str, *, heading_level: int = 3) -> str:
        """``text`` as Typst markup, always by the parse (see ``__call__``)."""
        md = self._parser()
        self.heading_level, self._out, self._depth, self._open = heading_level, "", 0, []
        md.reset()
        md.convert(text)  # the tree goes to _Walk (below), which sets self._out
        return self._out

    def _parser(self) -> markdown.Markdown:
        if self._md is None:
            self._md = parser(lambda md: _Walk(md, self))
        return self._md

    # --- the tree, element by element

    def blocks(self, parent: Element) -> str:
        """The content of ``parent`` as blocks: inline pieces gather into paragraphs."""
        out: list[str] = []
        run: list[str] = []
        for is_block, markup in self._pieces(parent):
            if is_block:
                _flush(run, out)
                if markup:
                    out.append(markup)
            else:
                run.append(markup)
        _flush(run, out)
        return "\n\n".join(out)

    def inline(self, parent: Element) -> str:
        """The content of ``parent`` on one line (a block inside shows as it would alone)."""
        return "".join(f" {markup} " if is_block else markup for is_block, markup in self._pieces(parent)).strip()

    def _pieces(self, parent: Element) -> list[Piece]:
        pieces = self._text(parent.text)
        for child in parent:
            if child.tag not in SILENT and not is_permalink(child):
                pieces.append(self._element(child))
            pieces += self._text(child.tail)
        return pieces

    def _element(self, el: Element) -> Piece:
        tag = el.tag
        if tag in ("strong", "b"):
            return False, f"#strong[{self.inline(el)}];"
        if tag in ("em", "i"):
            return False, f"#emph[{self.inline(el)}];"
        if tag == "code":
            return False, f"#raw({typst_string(TYPST_NEWLINES.sub(' ', code_text(el.text or '')))});"
        if tag == "br":
            return False, "#linebreak();"
        if tag == "a":
            return False, self._link(el)
        if tag == "img":
            return False, self._image(el)
        if tag in INLINE:
            return False, self.inline(el)
        if tag == "p":
            return True, self.blocks(el)
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            return True, self._heading(el, int(tag[1]))
        if tag == "pre":
            code = el.find("code")
            text = "".join((code if code is not None else el).itertext())
            return True, raw_block(code_text(text).rstrip("\n"), "")
        if tag == "hr":
            return True, "#line(length: 100%);"
        if self._depth >= MAX_NESTING:
            return True, self._flat(el)
        self._depth += 1
        try:
            return True, self._container(el)
        finally:
            self._depth -= 1

    def _container(self, el: Element) -> str:
        tag = el.tag
        if tag in ("ul", "ol"):
            return typst_list(el, self.blocks)
        if tag == "blockquote":
            return f"#quote(block: true)[{self.blocks(el)}];"
        if tag == "table":
            return typst_table(el, self.inline)
        if tag == "details" or (tag == "div" and "admonition" in classes(el)):
            return admonition(el, self.inline, self.blocks)
        return self.blocks(el)  # md_in_html's <div markdown> and other containers: their content

    def _flat(self, root: Element) -> str:
        """What is nested deeper than :data:`MAX_NESTING`, as paragraphs of its text.

        Typst refuses content nested some twenty quotes or thirty lists deep, and a handbook
        must not fail on one field; walked without recursion, for Python's sake too.
        """
        paragraphs: list[str] = []
        run: list[str] = []

        def add(pieces: list[Piece]) -> None:
            for is_block, markup in pieces:
                if is_block:
                    _flush(run, paragraphs)
                    paragraphs.append(markup)
                else:
                    run.append(markup)

        stack: list[tuple[Element, bool]] = [(root, False)]
        while stack:
            el, done = stack.pop()
            block = el.tag not in INLINE
            if done:
                if block:
                    _flush(run, paragraphs)
                if el is not root:
                    add(self._text(el.tail))
                continue
            if el.tag in SILENT or is_permalink(el):
                stack.append((el, True))
                continue
            if block:
                _flush(run, paragraphs)
            if el.tag == "img":
                run.append(self._image(el))
            elif el.tag == "code":
                run.append(typst_markup(code_text(el.text or "")))
            else:
                add(self._text(el.text))
            stack.append((el, True))
            if el.tag not in ("img", "code"):
                stack += [(child, False) for child in reversed(el)]
        _flush(run, paragraphs)
        return "\n\n".join(paragraphs)

    def _heading(self, el: Element, written: int) -> str:
        # PDF/UA-1 refuses a heading more than one level below the one before it: the field's first
        # heading takes heading_level, and each next one the level of its rank among those open
        while self._open and self._open[-1] >= written:
            self._open.pop()
        self._open.append(written)
        level = max(1, self.heading_level + len(self._open) - 1)
        return f"#heading(level: {level}, outlined: false, bookmarked: false)[{self.inline(el)}];"

    def _link(self, el: Element) -> str:
        content = self.inline(el)
        href = resolved(el.get("href", ""))
        self._asked = True
        target = self.link(href) if href else None
        if not target:
            return content
        if not content:
            content = typst_markup(href.split(":", 1)[1] if href.lower().startswith("mailto:") else href)
        if _SCHEME.match(target):
            return f"#link({typst_string(target)})[{content}];"
        return f"#link(label({typst_string(target)}))[{content}];"

    def _image(self, el: Element) -> str:
        src = resolved(el.get("src", ""))
        alt = " ".join(unentity(resolved(el.get("alt") or el.get("title") or "")).split())
        self._asked = True
        path = self.image(src) if src else None
        if path is None:
            return typst_markup(alt)
        alt = alt or posixpath.basename(src)  # PDF/UA: every image says what it is
        return f"#figure-image({typst_string(path)}, {typst_string(alt)});"

    # --- text, with what Python-Markdown stashed in it

    def _text(self, text: Optional[str]) -> list[Piece]:
        if not text:
            return []
        pieces: list[Piece] = []
        last = 0
        stash = self._md.htmlStash.rawHtmlBlocks if self._md is not None else []
        for m in HTML_PLACEHOLDER_RE.finditer(text):
            pieces.append((False, typst_markup(resolved(text[last:m.start()]))))
            index = int(m.group(1))
            if index < len(stash):
                pieces += self._stashed(stash[index])
            last = m.end()
        pieces.append((False, typst_markup(resolved(text[last:]))))
        return [p for p in pieces if p[1]]

    def _stashed(self, item: Union[str, Element]) -> list[Piece]:
        if isinstance(item, FencedCode):
            return [(True, raw_block(item.source.rstrip("\n"), item.language))]
        if isinstance(item, Checkbox):
            return [(False, CHECKBOX[" checked" in item] + " ")]
        if not isinstance(item, str):  # md_in_html keeps an element
            return [(True, self.blocks(item))]
        if ENTITY.fullmatch(item):
            return [(False, typst_markup(html.unescape(item)))]
        if not self.allow_html:
            return [(False, typst_markup(item))] if item.strip() else []
        paragraphs = html_paragraphs(item)
        if len(paragraphs) == 1:
            return [(False, typst_markup(paragraphs[0]))]
        return [(True, typst_markup(p)) for p in paragraphs]


def _flush(run: list[str], out: list[str]) -> None:
    text = "".join(run).strip()
    if text:
        out.append(text)
    run.clear()


class _Walk(Treeprocessor):
    """Hands the finished tree (after every other tree processor) to the converter."""

    def __init__(self, md: markdown.Markdown, converter: Converter) -> None:
        super().__init__(md)
        self.converter = converter

    def run(self, root: Element) -> None:
        self.converter._out = self.converter.blocks(root)
