"""Markdown fields as Typst markup, for the PDF templates.

A PDF template shows a Markdown field (a step's ``do``, a tip, a role's
summary…) with ``eval(markup, mode: "markup", scope: (...))``. This module
makes that markup: :class:`Converter` parses the field with Python-Markdown and
the site's own extensions (:data:`sopgen.core.markdown.EXTENSIONS`), so the page and
the paper can never disagree on what a field says, and writes the tree it builds
as Typst, every piece of the author's text escaped (:func:`escape`) or quoted
(:func:`string`): nothing an author writes is ever run as Typst code.

What the markup calls: Typst's own ``strong``, ``emph``, ``raw``, ``link``,
``label``, ``list``, ``enum``, ``table``, ``heading``, ``quote``, ``line`` and
``linebreak``, and two helpers the template puts in the eval scope:
``admonition(kind, title, body)`` and ``figure-image(path, alt)``.
"""

from __future__ import annotations

import html
import posixpath
import re
from html.parser import HTMLParser
from typing import Callable, Optional, Union
from xml.etree.ElementTree import Element

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE, HTML_PLACEHOLDER_RE
from pymdownx.superfences import SuperFencesCodeExtension

from ..core.markdown import EXTENSIONS

_SPECIAL = re.compile(r"""[\\#*_`$<>@=+\-/~\[\]"'.]""")
"""What Typst markup gives a meaning to: code, strong, emph, raw, math, labels, references,
headings, lists, terms, comments, escapes, smart quotes and the shorthands (``~``, ``--``,
``...``, ``-?``, ``-1``); ``.`` for the ``1.`` of a numbered list."""
_NEWLINES = re.compile("[\n\r\x0b\x0c\x85\u2028\u2029]+")
"""Typst's line breaks: in markup a blank line would end the paragraph."""
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_IN_STRING = re.compile('[\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029]')
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(text: str) -> str:
    """Plain text → Typst markup that shows exactly that text.

    Every character markup gives a meaning to is escaped with a backslash, wherever it
    stands, so the result is safe at the start of a line or inside ``[...]``; line breaks
    become spaces (as in a Markdown paragraph) and control characters are dropped.
    """
    return _SPECIAL.sub(r"\\\g<0>", _CONTROLS.sub("", _NEWLINES.sub(" ", text)))


def string(text: str) -> str:
    """A Typst string literal for code mode: ``"…"`` holding exactly ``text``."""
    return '"' + _IN_STRING.sub(_string_escape, text) + '"'


def _string_escape(m: re.Match[str]) -> str:
    char = m.group(0)
    return _STRING_ESCAPES.get(char) or f"\\u{{{ord(char):x}}}"


ADMONITION_KINDS = {
    "summary": "abstract", "tldr": "abstract", "todo": "info", "hint": "tip", "important": "tip",
    "check": "success", "done": "success", "help": "question", "faq": "question",
    "caution": "warning", "attention": "warning", "fail": "failure", "missing": "failure",
    "error": "danger", "cite": "quote",
}
"""Material's other names for its admonition types, and the type each one is: the markup
passes the type (``!!! hint`` → ``"tip"``), and a kind of the project's own as written."""
MAX_NESTING = 6
"""The most lists, quotes, admonitions and tables a field's Markdown nests as such; what is
deeper shows as paragraphs of its text (Typst stops at some twenty nested quotes)."""
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_EXTERNAL = ("http:", "https:", "mailto:")
_INLINE = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i", "img",
    "input", "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strong", "sub",
    "sup", "time", "u", "var", "wbr",
})
"""Elements that sit inside a paragraph; any other is a block of its own."""
_HIDDEN = frozenset({"script", "style", "template"})
"""Elements whose text no reader sees."""
_SILENT = _HIDDEN | {"input", "summary"}
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_SUBSTITUTED = re.compile(re.escape(AMP_SUBSTITUTE) + r"(#?[A-Za-z0-9]+;)")
_ALIGN = re.compile(r"text-align:\s*(left|right|center)")
_CHECKBOX = {False: "☐", True: "☑"}


def external_link(href: str) -> Optional[str]:
    """The default ``link``: http(s) and mailto addresses link to themselves, others show as text."""
    return href if href.lower().startswith(_EXTERNAL) else None


def no_image(src: str) -> Optional[str]:
    """The default ``image``: no file is shown, its alt text is."""
    return None


class _Code(str):
    """A fenced code block's HTML as superfences stashes it, with what the author wrote."""

    source: str
    language: str

    def __new__(cls, html: str, source: str, language: str) -> _Code:
        code = super().__new__(cls, html)
        code.source, code.language = source, language
        return code


class _Checkbox(str):
    """A task list's checkbox as pymdownx.tasklist stashes it."""


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
            return escape(text.strip())  # what the parse gives for it, 30 times faster (tested)
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
            configs = {name: dict(options) for name, options in EXTENSIONS.items()}
            md = markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=configs)
            for ext in md.registeredExtensions:
                if isinstance(ext, SuperFencesCodeExtension):
                    for fence in ext.superfences:
                        if fence.get("formatter") is not None:
                            fence["formatter"] = _keeping_source(fence["formatter"])
            if "task-list" in md.treeprocessors:
                inner = md.treeprocessors["task-list"]
                md.treeprocessors.register(_MarkingCheckboxes(md, inner), "task-list", 25)
            md.treeprocessors.register(_Walk(md, self), "sopgen_typst", -100)  # after every other
            self._md = md
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
            if child.tag not in _SILENT and not _is_permalink(child):
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
            return False, f"#raw({string(_NEWLINES.sub(' ', _code_text(el.text or '')))});"
        if tag == "br":
            return False, "#linebreak();"
        if tag == "a":
            return False, self._link(el)
        if tag == "img":
            return False, self._image(el)
        if tag in _INLINE:
            return False, self.inline(el)
        if tag == "p":
            return True, self.blocks(el)
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            return True, self._heading(el, int(tag[1]))
        if tag == "pre":
            code = el.find("code")
            text = "".join((code if code is not None else el).itertext())
            return True, _raw_block(_code_text(text).rstrip("\n"), "")
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
            return self._list(el)
        if tag == "blockquote":
            return f"#quote(block: true)[{self.blocks(el)}];"
        if tag == "table":
            return self._table(el)
        if tag == "details" or (tag == "div" and "admonition" in _classes(el)):
            return self._admonition(el)
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
            block = el.tag not in _INLINE
            if done:
                if block:
                    _flush(run, paragraphs)
                if el is not root:
                    add(self._text(el.tail))
                continue
            if el.tag in _SILENT or _is_permalink(el):
                stack.append((el, True))
                continue
            if block:
                _flush(run, paragraphs)
            if el.tag == "img":
                run.append(self._image(el))
            elif el.tag == "code":
                run.append(escape(_code_text(el.text or "")))
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
        href = _resolved(el.get("href", ""))
        self._asked = True
        target = self.link(href) if href else None
        if not target:
            return content
        if not content:
            content = escape(href.split(":", 1)[1] if href.lower().startswith("mailto:") else href)
        if _SCHEME.match(target):
            return f"#link({string(target)})[{content}];"
        return f"#link(label({string(target)}))[{content}];"

    def _image(self, el: Element) -> str:
        src = _resolved(el.get("src", ""))
        alt = " ".join(_unentity(_resolved(el.get("alt") or el.get("title") or "")).split())
        self._asked = True
        path = self.image(src) if src else None
        if path is None:
            return escape(alt)
        alt = alt or posixpath.basename(src)  # PDF/UA: every image says what it is
        return f"#figure-image({string(path)}, {string(alt)});"

    def _list(self, el: Element) -> str:
        items = [li for li in el if li.tag == "li"]
        args = []
        start = el.get("start", "1")
        if el.tag == "ol" and start.isdigit() and int(start) != 1:
            args.append(f"start: {int(start)}")
        if any(child.tag == "p" for li in items for child in li):
            args.append("tight: false")
        if el.tag == "ul" and "task-list" in _classes(el):
            args.append("marker: []")
        args += [f"[{self.blocks(li)}]" for li in items]
        return f"#{'enum' if el.tag == 'ol' else 'list'}({', '.join(args)});"

    def _table(self, el: Element) -> str:
        head = [tr for part in el if part.tag == "thead" for tr in part if tr.tag == "tr"]
        body = [tr for part in el if part.tag == "tbody" for tr in part if tr.tag == "tr"]
        body += [tr for tr in el if tr.tag == "tr"]
        rows = head + body
        columns = max((len([c for c in tr if c.tag in ("th", "td")]) for tr in rows), default=0)
        if not columns:
            return ""
        aligns = ["auto"] * columns
        for i, cell in enumerate(c for c in rows[0] if c.tag in ("th", "td")):
            m = _ALIGN.search(cell.get("style", "")) or re.match(r"(left|right|center)$", cell.get("align", ""))
            aligns[i] = m.group(1) if m else "auto"

        def cells(tr: Element) -> list[str]:
            found = [f"[{self.inline(c)}]" for c in tr if c.tag in ("th", "td")]
            return found + ["[]"] * (columns - len(found))

        args = [f"columns: {columns}", f"align: ({', '.join(aligns)},)"]
        if head:
            args.append(f"table.header({', '.join(c for tr in head for c in cells(tr))})")
        args += [c for tr in body for c in cells(tr)]
        return f"#table({', '.join(args)});"

    def _admonition(self, el: Element) -> str:
        kinds = [c for c in _classes(el) if c != "admonition"]
        kind = kinds[0].lower() if kinds else "note"
        kind = ADMONITION_KINDS.get(kind, kind)
        title: Optional[str] = None
        body = Element("div")
        body.text = el.text
        for child in el:
            if title is None and (child.tag == "summary" or "admonition-title" in _classes(child)):
                title = self.inline(child)
                body.text = (body.text or "") + (child.tail or "")
            else:
                body.append(child)
        shown = f"[{title}]" if title else "none"
        return f"#admonition({string(kind)}, {shown}, [{self.blocks(body)}]);"

    # --- text, with what Python-Markdown stashed in it

    def _text(self, text: Optional[str]) -> list[Piece]:
        if not text:
            return []
        pieces: list[Piece] = []
        last = 0
        stash = self._md.htmlStash.rawHtmlBlocks if self._md is not None else []
        for m in HTML_PLACEHOLDER_RE.finditer(text):
            pieces.append((False, escape(_resolved(text[last:m.start()]))))
            index = int(m.group(1))
            if index < len(stash):
                pieces += self._stashed(stash[index])
            last = m.end()
        pieces.append((False, escape(_resolved(text[last:]))))
        return [p for p in pieces if p[1]]

    def _stashed(self, item: Union[str, Element]) -> list[Piece]:
        if isinstance(item, _Code):
            return [(True, _raw_block(item.source.rstrip("\n"), item.language))]
        if isinstance(item, _Checkbox):
            return [(False, _CHECKBOX[" checked" in item] + " ")]
        if not isinstance(item, str):  # md_in_html keeps an element
            return [(True, self.blocks(item))]
        if _ENTITY.fullmatch(item):
            return [(False, escape(html.unescape(item)))]
        if not self.allow_html:
            return [(False, escape(item))] if item.strip() else []
        paragraphs = _html_text(item)
        if len(paragraphs) == 1:
            return [(False, escape(paragraphs[0]))]
        return [(True, escape(p)) for p in paragraphs]


def _flush(run: list[str], out: list[str]) -> None:
    text = "".join(run).strip()
    if text:
        out.append(text)
    run.clear()


def _raw_block(source: str, language: str) -> str:
    lang = f"lang: {string(language)}, " if language else ""
    return f"#raw(block: true, {lang}{string(source)});"


def _classes(el: Element) -> list[str]:
    return (el.get("class") or "").split()


def _is_permalink(el: Element) -> bool:
    return el.tag == "a" and "headerlink" in _classes(el)


def _resolved(text: str) -> str:
    """``text`` with the entities Python-Markdown wrote for itself (obfuscated e-mail addresses) as characters."""
    if AMP_SUBSTITUTE not in text:
        return text
    text = _SUBSTITUTED.sub(lambda m: html.unescape("&" + m.group(1)), text)
    return text.replace(AMP_SUBSTITUTE, "&")


def _code_text(text: str) -> str:
    """A code span's or indented block's text as written (Python-Markdown keeps ``&``, ``<``, ``>`` as entities)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _unentity(text: str) -> str:
    """``text`` with the entities written in it (``&amp;``, ``&#35;``) as characters; a bare ``&`` stays."""
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def _keeping_source(formatter: Callable[..., Optional[str]]) -> Callable[..., Optional[str]]:
    """A superfences formatter that also keeps the code as written (the HTML is the site's)."""

    def format(*args: object, src: str = "", language: str = "", **kwargs: object) -> Optional[str]:
        out = formatter(*args, src=src, language=language, **kwargs)
        return None if out is None else _Code(out, src, language)

    return format


class _MarkingCheckboxes(Treeprocessor):
    """pymdownx.tasklist, marking the checkboxes it stashes as such (raw HTML is stashed alike)."""

    def __init__(self, md: markdown.Markdown, inner: Treeprocessor) -> None:
        super().__init__(md)
        self.inner = inner

    def run(self, root: Element) -> Optional[Element]:
        stash = self.md.htmlStash.rawHtmlBlocks
        before = len(stash)
        out = self.inner.run(root)
        stash[before:] = [_Checkbox(item) if isinstance(item, str) else item for item in stash[before:]]
        return out


class _Walk(Treeprocessor):
    """Hands the finished tree (after every other tree processor) to the converter."""

    def __init__(self, md: markdown.Markdown, converter: Converter) -> None:
        super().__init__(md)
        self.converter = converter

    def run(self, root: Element) -> None:
        self.converter._out = self.converter.blocks(root)


class _Text(HTMLParser):
    """The text of raw HTML, a paragraph per block element; scripts, styles and comments dropped."""

    BLOCKS = frozenset({"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
                        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
                        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th",
                        "tr", "ul"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list[str]] = [[]]
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.paragraphs.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.paragraphs.append([])

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.paragraphs[-1].append(data)


def _html_text(source: str) -> list[str]:
    parser = _Text()
    parser.feed(source)
    parser.close()
    return [text for text in (" ".join("".join(p).split()) for p in parser.paragraphs) if text]
