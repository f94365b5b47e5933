"""Every rule that makes an author's text safe in an output: one function per kind of output.

Text written in a YAML file is data. Wherever it lands it must show as written, and never
become markup, a table's column, a link or code. Each output has its own special characters,
so each has its rule, and each rule lives here, once:

=====================  ======================================  ========================================================
Function               Output                                  Rule
=====================  ======================================  ========================================================
``markdown_text``      Markdown text a page shows: a title, a  on one line; ``\\ ` * _ { } [ ] ( ) ! #``
                       trigger, a checklist item (proof        backslash-escaped, and a ``1.``, ``-`` or ``+`` that
                       against the extensions a project adds)  starts it (a list); ``& < > |`` as entities (HTML; a
                                                               table's column)
``readable_markdown``  Markdown text people read as it is:     on one line; only ``\\ ` * _ [ ]`` escaped, ``&`` before
                       the ``sopgen changes`` report           an entity, ``<``, a ``# > + - 1.`` that starts it, and a
                                                               ``#`` that a heading would drop at its end
``table_cell``         a Markdown table cell of plain text     ``markdown_text``, or a space when empty
``markdown_line``      a Markdown field on one line (a table   paragraphs joined; ``|`` as ``&#124;``, except in a code
                       cell, a list item)                      span, which Python-Markdown's tables leave alone
``github_cell``        a table cell of Markdown that GitHub    ``|`` as ``\\|``, which GitHub needs even in a code span
                       shows (the README's references)
``link_address``       a Markdown link's address               space, ``|``, ``(``, ``)``, ``<``, ``>``, ``"`` and a ``%``
                                                               that starts no encoding, percent-encoded
``markup``             HTML or SVG text, and attribute values  ``& < > " '`` as entities (markupsafe); text that is
                                                               :class:`~markupsafe.Markup` already is kept
``html_text``          an HTML element's text on one line:     whitespace collapsed; ``& < >`` as entities, quotes as
                       quiz forms, navigation titles           written (they mean nothing between tags)
``typst_markup``       Typst markup (the PDFs)                 every character markup gives a meaning to
                                                               backslash-escaped; line breaks as spaces; control
                                                               characters dropped
``typst_string``       a Typst string (code mode)              ``\\``, ``"`` and control characters as string escapes
``yaml_string``        a YAML double-quoted text (a file       JSON's string rule (``\\``, ``"`` and control characters
                       sopgen writes, a fix a message shows)   escaped), which YAML reads back as written
=====================  ======================================  ========================================================

Two rules stay where their output is made, as they answer to it alone: a problem's text in a
terminal (:func:`sopgen.core.errors.printable`: control characters shown as ``\\x1b``), and the
page check's re-serialised HTML (``sopgen/site/pagecheck.py``: :func:`html.escape`, text as
:func:`html_text`, attribute values with the entities of :func:`markup`).

This module imports nothing of sopgen: every floor of the house may use it.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from markupsafe import Markup, escape

# -- Markdown ---------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()!#])")
"""Python-Markdown's escapable characters that may start markup anywhere in a line."""
_LIST_START = re.compile(r"^(\s*)(\d+)?([-+.])")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def markdown_text(value: Any) -> str:
    """Plain text as literal inline Markdown: what it shows is what was written.

    One line (a newline would end the paragraph or list item it stands in); Markdown's special
    characters backslash-escaped wherever they stand (a ``#`` ends a heading too); a ``1.`` or
    ``-`` that would start a list escaped; ``&``, ``<``, ``>`` and ``|`` as entities, so that no
    HTML tag or entity forms and a ``|`` cannot split a table's row.
    """
    if value is None:
        return ""
    line = " ".join(str(value).split())
    line = _MARKDOWN_SPECIAL.sub(r"\\\1", line)
    line = _LIST_START.sub(lambda m: f"{m.group(1)}{m.group(2) or ''}\\{m.group(3)}", line)
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "&#124;")


_READABLE_SPECIAL = re.compile(r"([\\`*_\[\]])")
_READABLE_ENTITY = re.compile(r"&(?=#?\w+;)")
_READABLE_LINE_START = re.compile(r"^([#>+-]|\d+(?=[.)]))")
_CLOSING_HASHES = re.compile(r"#+(?=\s*$)")


def readable_markdown(value: Any) -> str:
    """Plain text as literal Markdown that stays readable as it is (a report printed to a terminal,
    pasted into a message): on one line, and only what could start a link, emphasis, code, an HTML
    tag or entity, a heading, a quote or a list escaped, and a ``#`` that a heading would drop as
    its closing sequence (``## Call #`` is the heading "Call"; Python-Markdown drops ``Call#``'s too)."""
    line = " ".join(("" if value is None else str(value)).split())
    line = _READABLE_SPECIAL.sub(r"\\\1", line)
    line = _READABLE_ENTITY.sub("&amp;", line).replace("<", "&lt;")
    line = _CLOSING_HASHES.sub(lambda m: "\\#" * len(m[0]), line)
    return _READABLE_LINE_START.sub(lambda m: f"{m[1]}\\" if m[1][0].isdigit() else f"\\{m[1]}", line)


def table_cell(value: Any) -> str:
    """Plain text for a Markdown table cell: :func:`markdown_text` (``|`` is harmless already), and a
    space for an empty cell, which keeps the row's columns."""
    return markdown_text(value) or " "


def markdown_line(value: Any) -> str:
    """A Markdown field on one line (for table cells and list items): paragraphs joined.

    A ``|`` becomes an entity so it cannot split a table cell, except inside a code span, where an
    entity would show literally (and Python-Markdown's tables leave it alone).
    """
    line = " ".join(("" if value is None else str(value)).split())
    out, last = [], 0
    for m in _CODE_SPAN.finditer(line):
        out.append(line[last:m.start()].replace("|", "&#124;"))
        out.append(m.group(0))
        last = m.end()
    out.append(line[last:].replace("|", "&#124;"))
    return "".join(out)


def github_cell(text: str) -> str:
    """Markdown for a table cell that GitHub shows (the README's references): ``|`` as ``\\|``,
    which GitHub honours inside code spans too, where an entity would show as written."""
    return text.replace("|", "\\|")


_LINK_ADDRESS = (("%", "%25"), (" ", "%20"), ("|", "%7C"), ("(", "%28"), (")", "%29"),
                 ("<", "%3C"), (">", "%3E"), ('"', "%22"))


def link_address(value: Any) -> str:
    """An address for a Markdown link: characters that would end or split it are percent-encoded
    (encodings already in it are kept)."""
    if value is None:
        return ""
    address = str(value).strip()
    for char, code in _LINK_ADDRESS:
        if char == "%":
            address = re.sub(r"%(?![0-9A-Fa-f]{2})", code, address)
        else:
            address = address.replace(char, code)
    return address


# -- HTML and SVG -----------------------------------------------------------------------------

def markup(value: Any) -> Markup:
    """Text for HTML or SVG, as element content or an attribute's value: ``& < > " '`` as entities.
    A :class:`~markupsafe.Markup` (markup made here already) is kept as it is."""
    return escape(value)


def html_text(value: Any) -> str:
    """Plain text as the content of an HTML element, on one line (a quiz's question, a navigation
    title): whitespace collapsed, ``& < >`` as entities. Quotes stay as written: they mean nothing
    between tags, and a search of the site finds an apostrophe as it was typed. (An attribute's
    value takes :func:`markup`.)"""
    return html.escape(" ".join(str("" if value is None else value).split()), quote=False)


# -- Typst ------------------------------------------------------------------------------------

_TYPST_SPECIAL = re.compile(r"""[\\#*_`$<>@=+\-/~\[\]"'.]""")
"""What Typst markup gives a meaning to: code, strong, emph, raw, math, labels, references,
headings, lists, terms, comments, escapes, smart quotes and the shorthands (``~``, ``--``,
``...``, ``-?``, ``-1``); ``.`` for the ``1.`` of a numbered list."""
TYPST_NEWLINES = re.compile("[\n\r\x0b\x0c\x85\u2028\u2029]+")
"""Typst's line breaks: in markup a blank line would end the paragraph."""
_TYPST_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_IN_TYPST_STRING = re.compile('[\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029]')
_TYPST_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def typst_markup(text: str) -> str:
    """Plain text → Typst markup that shows exactly that text.

    Every character markup gives a meaning to is escaped with a backslash, wherever it
    stands, so the result is safe at the start of a line or inside ``[...]``; line breaks
    become spaces (as in a Markdown paragraph) and control characters are dropped.
    """
    return _TYPST_SPECIAL.sub(r"\\\g<0>", _TYPST_CONTROLS.sub("", TYPST_NEWLINES.sub(" ", text)))


def typst_string(text: str) -> str:
    """A Typst string literal for code mode: ``"…"`` holding exactly ``text``."""
    return '"' + _IN_TYPST_STRING.sub(_typst_string_escape, text) + '"'


def _typst_string_escape(m: re.Match[str]) -> str:
    char = m.group(0)
    return _TYPST_STRING_ESCAPES.get(char) or f"\\u{{{ord(char):x}}}"


# -- YAML -----------------------------------------------------------------------------------------


def yaml_string(text: str) -> str:
    """``text`` as a YAML double-quoted scalar: a JSON string is one, and YAML reads it back as written."""
    return json.dumps(text, ensure_ascii=False)
