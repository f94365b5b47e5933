"""Text that YAML read, but probably not as its author meant, and the fix in her words.

Someone who does not know YAML's rules writes ``title: Submit claims #1 priority`` and gets the
title "Submit claims" with no word said, or ``choices: [A, Nobody, just call]`` and gets four
choices. These checks warn where that probably happened (the rules are in the README, "YAML
rules"), and help the messages of :mod:`sopgen.core.yamlsyntax` and the loader suggest the
corrected line: the author's own line, with the text put in quotes.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from yaml.nodes import ScalarNode, SequenceNode

from .errors import Problem
from .escape import yaml_string
from .yamldoc import Document, Loc, format_loc

HASH_COMMENT = "hash-comment"
"""The rule of the warning for text probably lost to a ``#`` comment."""
COMMA_SPLIT = "comma-split"
"""The rule of the warning for a text probably split in two at a comma of a ``[ ]`` list."""

_BREAK = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")
_LEAD = re.compile(r"[ \t]*(?:-[ \t]+)*")
"""A line's indentation, the ``- `` of list items counted as indentation."""
_CUT = re.compile(r"[ \t]+#(?=[^\s#])")
"""A comment after a value on its line, whose ``#`` is directly followed by text (``#1``)."""


def split_lines(text: str) -> list[str]:
    """``text``'s lines as YAML counts them (the lines of its marks)."""
    return _BREAK.split(text)


def lead(line: str) -> int:
    """Where a line's content starts, after its indentation and the ``- `` of list items."""
    return _LEAD.match(line).end()  # type: ignore[union-attr]


def shown_line(line: str, end: int, text: str) -> str:
    """``line`` without its indentation, from ``end`` on replaced by ``text`` in quotes: the line as
    it should be, for a message."""
    before = line[len(line) - len(line.lstrip()):end]
    if before and not before.endswith((" ", "\t", "[")):
        before += " "
    return before + quoted(text)


def quoted(text: str) -> str:
    """``text`` as YAML reads it back: in double quotes, or in single ones if that spares escapes."""
    if '"' in text and "'" not in text:
        return f"'{text}'"
    return yaml_string(text)


def shown(text: str) -> str:
    """A value quoted in a message, cut when long."""
    return '"' + (text if len(text) <= 40 else text[:37] + "...") + '"'


def comment_cut(node: ScalarNode, lines: list[str], path: str, loc: Loc) -> Optional[Problem]:
    """A warning when an unquoted text is followed by a ``#`` with no space after it, on its line
    (``title: Submit claims #1 priority``) or at the start of the next, indented as more of the
    text: YAML read the rest as a comment. An ordinary comment (``weekly  # Fridays``) is left alone.
    """
    start, end = node.start_mark, node.end_mark
    if node.style or end.line >= len(lines):
        return None
    line = lines[end.line]
    after = _CUT.match(line, end.column)
    if after:
        row, col = end.line, after.end() - 1
        comment = line[col:].rstrip()
    else:
        following = lines[end.line + 1] if end.line + 1 < len(lines) else ""
        hashed = re.match(r"[ \t]*#(?=[^\s#])", following)
        if line[end.column:].strip() or not hashed or hashed.end() - 1 <= lead(lines[start.line]):
            return None
        row, col, comment = end.line + 1, hashed.end() - 1, ""
    kept = f"only {shown(node.value)}" if node.value else "empty"
    if comment and start.line == end.line:
        whole = f"{node.value} {comment}" if node.value else comment
        fix = f"put the whole text in double quotes: {shown_line(line, start.column, whole)}"
    else:
        fix = "put the whole text in double quotes"
    return Problem(path, row + 1, col + 1, format_loc(loc),
                   f"the text from '#' on was read as a comment, so the value is {kept}; to keep it, "
                   f"{fix} (for a comment, write a space after '#')", "warning", HASH_COMMENT)


def comma_split(seq: SequenceNode, lines: list[str], path: str, loc: Loc) -> list[Problem]:
    """A warning for each unquoted item of a ``[ ]`` list that starts in lower case right after one
    that starts with a capital (``[A, Nobody, just call]``): probably one text cut at its comma."""
    found = []
    items = seq.value
    for i in range(1, len(items)):
        before, item = items[i - 1], items[i]
        if not (isinstance(before, ScalarNode) and isinstance(item, ScalarNode)) or before.style or item.style:
            continue
        if not (before.value[:1].isupper() and item.value[:1].islower()):
            continue
        a, b = before.start_mark, item.end_mark
        fix = "put the text in double quotes"
        if a.line == b.line < len(lines):
            line = lines[a.line]
            fix += f": {shown_line(line, a.column, line[a.column:b.column])}{line[b.column:].rstrip()}"
        found.append(Problem(
            path, item.start_mark.line + 1, item.start_mark.column + 1, format_loc(loc + (i,)),
            f"{shown(before.value)} and {shown(item.value)} may be one text split at the comma "
            f"(in [ ], every comma starts a new item); to keep them together, {fix}",
            "warning", COMMA_SPLIT,
        ))
    return found


def key_and_value(doc: Document, loc: Loc, value: Any) -> str:
    """Why a text came out as a mapping (``- HIPAA basics: never read…``), and the quoted line;
    empty when the mapping does not look like one text with ``: `` in it."""
    if not isinstance(value, dict) or len(value) != 1:
        return ""
    (key, inner), = value.items()
    if isinstance(inner, (dict, list)):
        return ""
    mark = doc.mark(loc)
    line = doc.lines[mark.line - 1] if mark.line <= len(doc.lines) else ""
    rest = line[mark.col - 1:].rstrip()
    written = "" if inner is None else str(getattr(inner, "raw", inner))
    fix = f"put the text in double quotes: {quoted(f'{key}: {written}'.rstrip())}"
    if lead(line) == mark.col - 1 and rest.startswith(key) and rest.endswith(written or ":"):
        fix = f"put the whole line in double quotes: {shown_line(line, mark.col - 1, rest)}"
    return f": the ': ' after {shown(key)} made it a field and its value; {fix}"
