"""What Python-Markdown leaves for the Typst converter, read as the converter needs it: the parser
with the site's extensions, fenced code that keeps what the author wrote, task-list checkboxes
marked in the stash, entities back to characters, and the text of raw HTML.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Callable, Optional
from xml.etree.ElementTree import Element

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from pymdownx.superfences import SuperFencesCodeExtension

from ..core.markdown import EXTENSIONS

INLINE = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i", "img",
    "input", "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strong", "sub",
    "sup", "time", "u", "var", "wbr",
})
"""Elements that sit inside a paragraph; any other is a block of its own."""
HIDDEN = frozenset({"script", "style", "template"})
"""Elements whose text no reader sees."""
SILENT = HIDDEN | {"input", "summary"}
"""Elements the converter skips: hidden ones, a checkbox (the stash marks it), a details' summary
(the admonition takes it as its title)."""
ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
"""An HTML entity as written: ``&amp;``, ``&#35;``, ``&#x27;``."""
_SUBSTITUTED = re.compile(re.escape(AMP_SUBSTITUTE) + r"(#?[A-Za-z0-9]+;)")


class FencedCode(str):
    """A fenced code block's HTML as superfences stashes it, with what the author wrote."""

    source: str
    language: str

    def __new__(cls, html: str, source: str, language: str) -> FencedCode:
        code = super().__new__(cls, html)
        code.source, code.language = source, language
        return code


class Checkbox(str):
    """A task list's checkbox as pymdownx.tasklist stashes it."""


def classes(el: Element) -> list[str]:
    """The classes of an element."""
    return (el.get("class") or "").split()


def is_permalink(el: Element) -> bool:
    """Whether ``el`` is the permalink ``toc`` adds to a heading (the PDF has none)."""
    return el.tag == "a" and "headerlink" in classes(el)


def resolved(text: str) -> str:
    """``text`` with the entities Python-Markdown wrote for itself (obfuscated e-mail addresses) as characters."""
    if AMP_SUBSTITUTE not in text:
        return text
    text = _SUBSTITUTED.sub(lambda m: html.unescape("&" + m.group(1)), text)
    return text.replace(AMP_SUBSTITUTE, "&")


def code_text(text: str) -> str:
    """A code span's or indented block's text as written (Python-Markdown keeps ``&``, ``<``, ``>`` as entities)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def unentity(text: str) -> str:
    """``text`` with the entities written in it (``&amp;``, ``&#35;``) as characters; a bare ``&`` stays."""
    return ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def keeping_source(formatter: Callable[..., Optional[str]]) -> Callable[..., Optional[str]]:
    """A superfences formatter that also keeps the code as written (the HTML is the site's)."""

    def format(*args: object, src: str = "", language: str = "", **kwargs: object) -> Optional[str]:
        out = formatter(*args, src=src, language=language, **kwargs)
        return None if out is None else FencedCode(out, src, language)

    return format


class MarkingCheckboxes(Treeprocessor):
    """pymdownx.tasklist, marking the checkboxes it stashes as such (raw HTML is stashed alike)."""

    def __init__(self, md: markdown.Markdown, inner: Treeprocessor) -> None:
        super().__init__(md)
        self.inner = inner

    def run(self, root: Element) -> Optional[Element]:
        stash = self.md.htmlStash.rawHtmlBlocks
        before = len(stash)
        out = self.inner.run(root)
        stash[before:] = [Checkbox(item) if isinstance(item, str) else item for item in stash[before:]]
        return out


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
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.paragraphs.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.paragraphs.append([])

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.paragraphs[-1].append(data)


def html_paragraphs(source: str) -> list[str]:
    parser = _Text()
    parser.feed(source)
    parser.close()
    return [text for text in (" ".join("".join(p).split()) for p in parser.paragraphs) if text]


def parser(walk: Callable[[markdown.Markdown], Treeprocessor]) -> markdown.Markdown:
    """Python-Markdown with the site's extensions (:data:`sopgen.core.markdown.EXTENSIONS`): fenced
    code keeps its source, task-list checkboxes are marked in the stash, and ``walk(md)`` gets the
    finished tree, after every other tree processor."""
    configs = {name: dict(options) for name, options in EXTENSIONS.items()}
    md = markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=configs)
    for ext in md.registeredExtensions:
        if isinstance(ext, SuperFencesCodeExtension):
            for fence in ext.superfences:
                if fence.get("formatter") is not None:
                    fence["formatter"] = keeping_source(fence["formatter"])
    if "task-list" in md.treeprocessors:
        inner = md.treeprocessors["task-list"]
        md.treeprocessors.register(MarkingCheckboxes(md, inner), "task-list", 25)
    md.treeprocessors.register(walk(md), "sopgen_typst", -100)
    return md
