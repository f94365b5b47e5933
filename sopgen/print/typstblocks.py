"""The Typst of Markdown's block containers: lists, tables, admonitions, code blocks and checkboxes.

Each is given the converter's writers for its content (``inline`` for a cell or a title, ``blocks``
for a list item or an admonition's body), so the walk of the tree stays in
:class:`sopgen.print.markup.Converter`.
"""

from __future__ import annotations

import re
from typing import Callable, Optional
from xml.etree.ElementTree import Element

from ..core.escape import typst_string
from .markdowntree import classes

ADMONITION_KINDS = {
    "summary": "abstract", "tldr": "abstract", "todo": "info", "hint": "tip", "important": "tip",
    "check": "success", "done": "success", "help": "question", "faq": "question",
    "caution": "warning", "attention": "warning", "fail": "failure", "missing": "failure",
    "error": "danger", "cite": "quote",
}
"""Material's other names for its admonition types, and the type each one is: the markup
passes the type (``!!! hint`` → ``"tip"``), and a kind of the project's own as written."""
_ALIGN = re.compile(r"text-align:\s*(left|right|center)")
CHECKBOX = {False: "☐", True: "☑"}
"""A task list's checkbox, unticked and ticked, as the characters the PDF shows."""


def raw_block(source: str, language: str) -> str:
    """A code block: ``source`` as written, in ``language`` if one is given."""
    lang = f"lang: {typst_string(language)}, " if language else ""
    return f"#raw(block: true, {lang}{typst_string(source)});"


def typst_list(el: Element, blocks: Callable[[Element], str]) -> str:
    """A ``<ul>`` or ``<ol>`` as Typst's ``list`` or ``enum``: its start, whether it is loose, a task
    list's items without a bullet (their checkbox marks them)."""
    items = [li for li in el if li.tag == "li"]
    args = []
    start = el.get("start", "1")
    if el.tag == "ol" and start.isdigit() and int(start) != 1:
        args.append(f"start: {int(start)}")
    if any(child.tag == "p" for li in items for child in li):
        args.append("tight: false")
    if el.tag == "ul" and "task-list" in classes(el):
        args.append("marker: []")
    args += [f"[{blocks(li)}]" for li in items]
    return f"#{'enum' if el.tag == 'ol' else 'list'}({', '.join(args)});"


def typst_table(el: Element, inline: Callable[[Element], str]) -> str:
    """A ``<table>`` as Typst's ``table``: as many columns as its widest row, each aligned as its
    first row's cell says, the head as ``table.header``, short rows filled with empty cells."""
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
        found = [f"[{inline(c)}]" for c in tr if c.tag in ("th", "td")]
        return found + ["[]"] * (columns - len(found))

    args = [f"columns: {columns}", f"align: ({', '.join(aligns)},)"]
    if head:
        args.append(f"table.header({', '.join(c for tr in head for c in cells(tr))})")
    args += [c for tr in body for c in cells(tr)]
    return f"#table({', '.join(args)});"


def admonition(el: Element, inline: Callable[[Element], str], blocks: Callable[[Element], str]) -> str:
    """An admonition (``!!! tip``, or a ``<details>``) as the template's ``admonition(kind, title,
    body)``: Material's other names for a kind given as the kind they are."""
    kinds = [c for c in classes(el) if c != "admonition"]
    kind = kinds[0].lower() if kinds else "note"
    kind = ADMONITION_KINDS.get(kind, kind)
    title: Optional[str] = None
    body = Element("div")
    body.text = el.text
    for child in el:
        if title is None and (child.tag == "summary" or "admonition-title" in classes(child)):
            title = inline(child)
            body.text = (body.text or "") + (child.tail or "")
        else:
            body.append(child)
    shown = f"[{title}]" if title else "none"
    return f"#admonition({typst_string(kind)}, {shown}, [{blocks(body)}]);"
