"""YAML syntax errors in words someone who has never read YAML's rules can act on.

The parser says where it stopped and what it expected (``mapping values are not allowed in this
context``); the author needs to know what she wrote that YAML read otherwise, and the line as it
should be. Each explainer below recognises one kind of mistake from the parser's message and the
source line, and says it plainly with the fix; a mistake none of them recognises keeps the parser's
own words. The kinds, and the messages, are listed in the README ("YAML rules").
"""

from __future__ import annotations

import re
from typing import Callable, Optional

import yaml

from .errors import Problem
from .yamlhints import lead, shown, shown_line, split_lines

Explained = tuple[int, int, str]
"""0-based line and column, and the message."""

_KEY = re.compile(r"([^\s#'\"\[\]{}|>@`%*&!?,:-][^:#]*?)[ \t]*:(?:[ \t]|$)")
"""A mapping key at the start of a line's content: the first ': ' (or ':' at the end)."""
_FIELD = re.compile(r"[a-z_][a-z0-9_]*:[ \t]+")
"""A field name of sopgen's format, then its ': '."""
_QUOTES = {"'": ("apostrophe", "single quotes"), '"': ('"', "double quotes")}


def syntax_problem(exc: yaml.YAMLError, text: str, display: str) -> Problem:
    """``exc`` as a located problem, in plain words where the mistake is a known kind."""
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Problem(display, 1, 1, "", f"invalid YAML: {exc}")
    mark = exc.problem_mark or exc.context_mark
    lines = split_lines(text)
    for explain in _EXPLAINERS:
        found = explain(exc, lines)
        if found:
            line, col, message = found
            return Problem(display, line + 1, col + 1, "", f"invalid YAML: {message}")
    what = exc.problem or "invalid YAML"
    if exc.context and exc.context_mark and exc.context_mark is not mark:
        what = f"{what} ({exc.context} at line {exc.context_mark.line + 1})"
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(display, line, col, "", f"invalid YAML: {what}")


def _line(lines: list[str], mark: Optional[yaml.Mark]) -> str:
    return lines[mark.line] if mark is not None and mark.line < len(lines) else ""


def _suggest(line: str, start: int, text: str) -> str:
    """``line`` without its indentation, the part from ``start`` replaced by ``text`` quoted."""
    return shown_line(line, start, text)


def _value_start(line: str) -> int:
    """Where the value of a line's field (or its list item) starts."""
    start = lead(line)
    field = _FIELD.match(line, start)
    return field.end() if field else start


# -- the explainers, tried in this order --------------------------------------------------


def _tab(exc: yaml.MarkedYAMLError, lines: list[str]) -> Optional[Explained]:
    """A tab in the indentation (``\\t- do:``), or after the ``-`` of an item (``-\\tdo:``)."""
    mark = exc.problem_mark
    line = _line(lines, mark)
    indent = line[: lead(line)]
    if "\t" not in indent or not ("tab" in (exc.problem or "") or "cannot start any token" in (exc.problem or "")):
        return None
    return (mark.line, indent.index("\t"),
            "this line is indented with a tab, and YAML does not allow tabs for indentation; use spaces")


def _quote_too_soon(exc: yaml.MarkedYAMLError, lines: list[str]) -> Optional[Explained]:
    """Quotes closed by a quote inside the text (``'Order the week's supplies'``, ``"Say "hi""``),
    or text after the closing quote (``"Spore test" weekly``)."""
    mark = exc.problem_mark
    line = _line(lines, mark)
    col = mark.column if mark else 0
    end = col - 1
    while end >= 0 and line[end] in " \t":
        end -= 1
    if end < 0 or line[end] not in _QUOTES or col >= len(line) or line[col] in " \t,]}#:":
        return None
    q = line[end]
    opening = line.rfind(q, 0, end)
    name, these = _QUOTES[q]
    if opening < 0:  # the text began on a line above
        row = next((r for r in range(mark.line - 1, max(mark.line - 50, -1), -1) if q in lines[r]), None)
        if row is None or end != col - 1:
            return None
        other = "double quotes" if q == "'" else "single quotes"
        return (mark.line, end, f"the {name} in {shown(_word(line, end))} closes the {these} that open the text "
                                f"on line {row + 1}; put that text in {other} instead")
    if end == col - 1:  # a quote inside the text closed it
        closing = re.compile(re.escape(q) + r"(?=[ \t]*(?:$|[,\]}#]))").search(line, end + 1)
        inside = line[opening + 1: closing.start() if closing else len(line.rstrip())]
        after = line[closing.end():].rstrip() if closing else ""
        word = _word(line, end)
        where = f"in {shown(word)}" if line[end - 1: end].isalnum() else f"before {shown(word[1:])}"
        fixed = _suggest(line, opening, inside)
        return (mark.line, end, f"the {name} {where} closes the {these} that open the text; put the text in "
                                f"{_kind(fixed)} instead: {fixed}{after}")
    fixed = _suggest(line, opening, line[opening:].rstrip())
    return (mark.line, col, f"the text goes on after its closing {name}; to keep the quotes as part of the "
                            f"text, put all of it in {_kind(fixed)}: {fixed}")


def _word(line: str, at: int) -> str:
    """The word around the quote at ``at`` (``week's``), without other quotes."""
    before = re.search(r"[^\s'\"]*$", line[:at])
    after = re.match(r"[^\s'\"]*", line[at + 1:])
    return f"{before.group() if before else ''}{line[at]}{after.group() if after else ''}"


def _kind(fixed: str) -> str:
    """The name of the quotes a suggestion ends with."""
    return _QUOTES[fixed[-1]][1]


def _text_after_list(exc: yaml.MarkedYAMLError, lines: list[str]) -> Optional[Explained]:
    """A text that begins with ``[`` or ``{`` (``title: [draft] Spore test``), read as a list or mapping."""
    mark = exc.problem_mark
    line = _line(lines, mark)
    start = _value_start(line)
    closer = {"[": "]", "{": "}"}.get(line[start: start + 1])
    if mark is None or closer is None or closer not in line[start: mark.column] or mark.column >= len(line.rstrip()):
        return None
    kind = "a list" if closer == "]" else "a mapping"
    return (mark.line, start, f"a text that begins with '{line[start]}' is read as {kind}; put the whole text in "
                              f"double quotes: {_suggest(line, start, line[start:].rstrip())}")


def _unclosed_quote(exc: yaml.MarkedYAMLError, lines: list[str]) -> Optional[Explained]:
    """A quote that opens a text and is never closed."""
    if exc.context != "while scanning a quoted scalar" or exc.context_mark is None:
        return None
    mark = exc.context_mark
    line = _line(lines, mark)
    q = line[mark.column: mark.column + 1]
    if q not in _QUOTES:
        return None
    name = _QUOTES[q][0]
    return (mark.line, mark.column, f"the {name} that opens this text is never closed; end the text with "
                                    f"{q} too: {line.strip()}{q}")


def _unclosed_list(exc: yaml.MarkedYAMLError, lines: list[str]) -> Optional[Explained]:
    """A ``[`` list or ``{`` mapping with no end on its line, or cut there by a ``#`` comment."""
    if exc.context not in ("while parsing a flow sequence", "while parsing a flow mapping") or exc.context_mark is None:
        return None
    mark = exc.context_mark
    line = _line(lines, mark)
    close = "]" if exc.context.endswith("sequence") else "}"
    rest = line[mark.column:]
    comment = re.search(r"[ \t]#", rest)
    if comment:
        return (mark.line, mark.column + comment.start() + 1,
                "the text after '#' was read as a comment, so the list is not closed; put the item with "
                "'#' in double quotes")
    if close in rest:
        return (exc.problem_mark.line, exc.problem_mark.column,
                f"inside {line[mark.column]} {close}, a comma separates items; put an item that holds ': ', "
                "',', a quote or '#' in double quotes") if exc.problem_mark else None
    if close == "}":
        start = _value_start(line)
        return (mark.line, mark.column, "the '{' here opens a mapping that is not closed; if the '{' is part of the "
                                        f"text, put the whole text in double quotes: {_suggest(line, start, line[start:].rstrip())}")
    return (mark.line, mark.column, f"the list that '[' opens is not closed; end it with ']' on the same line: "
                                    f"{line.strip()}]")


_BAD_START = {
    "found character that cannot start any token": "@`%",
    "did not find expected alphabetic or numeric character": "*&",
    "found undefined alias": "*",
    "did not find expected comment or line break": "|>",
    "block sequence entries are not allowed in this context": "-",
    "mapping keys are not allowed in this context": "?",
}


def _bad_start(exc: yaml.MarkedYAMLError, lines: list[str]) -> Optional[Explained]:
    """A text that starts with a character YAML reserves (``@home``, ``*bold*``, ``| x``, ``- x``)."""
    chars = next((c for p, c in _BAD_START.items() if (exc.problem or "").startswith(p)), "")
    mark = exc.context_mark if exc.context_mark and exc.context_mark.line == getattr(exc.problem_mark, "line", -1) else exc.problem_mark
    line = _line(lines, mark)
    start = _value_start(line)
    if not chars or start >= len(line) or line[start] not in chars or start == lead(line) and line[start] == "-":
        return None
    return (mark.line, start, f"a text cannot begin with '{line[start]}' in YAML; put it in double quotes: "
                              f"{_suggest(line, start, line[start:].rstrip())}")


def _colon_in_text(exc: yaml.MarkedYAMLError, lines: list[str]) -> Optional[Explained]:
    """``title: Spore test: weekly``: a ': ' inside a text."""
    mark = exc.problem_mark
    if exc.problem != "mapping values are not allowed in this context" or mark is None:
        return None
    line = _line(lines, mark)
    key = _KEY.match(line, lead(line))
    if key and key.end(1) <= mark.column <= key.end() and line.find(":", key.end(1)) == mark.column:
        return None  # the line's own key: an indentation mistake
    start = _value_start(line)
    text = line[start:].rstrip()
    what = "ends in ':'" if mark.column >= len(line.rstrip()) - 1 else "contains ': '"
    return (mark.line, mark.column, f"this text {what}, so put it in double quotes: {_suggest(line, start, text)}")


def _missing_colon(exc: yaml.MarkedYAMLError, lines: list[str]) -> Optional[Explained]:
    """A field written without its ':' (``role bookkeeper``), which YAML reads as text."""
    mark = exc.problem_mark
    if exc.context == "while scanning a simple key" and exc.context_mark is not None:
        row = exc.context_mark.line
    elif exc.problem == "mapping values are not allowed in this context" and mark is not None:
        line = _line(lines, mark)
        row = mark.line - 1
        while row >= 0 and (not lines[row].strip() or lines[row].lstrip().startswith("#")):
            row -= 1
        if row < 0 or lead(lines[row]) != lead(line) or _KEY.match(lines[row], lead(lines[row])):
            return None
    else:
        return None
    text = _line(lines, mark) if row == getattr(mark, "line", -1) else lines[row] if row < len(lines) else ""
    start = lead(text)
    name = re.match(r"([a-z_][a-z0-9_]*)(:(?=\S)| +|$)", text[start:])
    if not text.strip() or text[start:].startswith(("#", "'", '"', "[", "{")):
        return None
    if not name:
        return (row, start, "this line is not a field ('name: value') or a '- ' item; if it is text that "
                            "belongs to the field above it, indent it further than that field")
    value = text[start + name.end():].rstrip()
    fixed = f"{text[len(text) - len(text.lstrip()):start]}{name.group(1)}:{' ' + value if value else ''}"
    if name.group(2) == ":":
        return (row, start + name.end(), f"a field's ':' needs a space after it; write it as {fixed}")
    return (row, start, f"this line has no ':' after its field name; write it as {fixed}")


def _indentation(exc: yaml.MarkedYAMLError, lines: list[str]) -> Optional[Explained]:
    """A list item or a field that does not line up with the items or fields above it."""
    mark = exc.problem_mark
    if mark is None or not (exc.problem or "").startswith(("did not find expected", "mapping values are not allowed")):
        return None
    line = _line(lines, mark)
    col = len(line) - len(line.lstrip(" "))
    content = line[col:]
    item = content == "-" or content.startswith("- ")
    key = None if item else _KEY.match(line, col)
    if not content or not (item or key):
        return None
    columns: dict[int, int] = {}  # column → the nearest line above that starts an item or field there
    lowest = len(line) + 1_000  # deeper than any line: the nearest line above is always open
    for row in range(mark.line - 1, -1, -1):
        above = lines[row]
        start = len(above) - len(above.lstrip(" "))
        if not above.strip() or above.lstrip().startswith("#") or start >= lowest:
            continue
        lowest = start
        is_item = above[start:].startswith("- ") or above[start:].rstrip() == "-"
        if item and is_item:
            columns.setdefault(start, row)
        elif not item:
            inner = lead(above)
            if _KEY.match(above, inner) and (inner == start or is_item):
                columns.setdefault(inner, row)
        if start == 0:
            break
    if col in columns or not columns:
        return None
    near = sorted(columns.items(), key=lambda c: -c[1])
    higher = [c for c in near if c[0] > col][:1]
    lower = [c for c in near if c[0] < col][:1]
    shown_cols = " and ".join(f"column {c + 1} (line {r + 1})" for c, r in sorted(higher + lower, key=lambda c: -c[1]))
    if item:
        return (mark.line, col, f"this '- ' item starts in column {col + 1}, but the items of the lists above it "
                                f"start in {shown_cols}; indent it with spaces to line up with the items of its own list")
    name = key.group(1) if re.fullmatch(r"[A-Za-z_][\w-]*", key.group(1)) else ""  # type: ignore[union-attr]
    message = (f"{repr(name + ':') if name else 'this line'} starts in column {col + 1}, but the fields above it start "
               f"in {shown_cols}; indent it with spaces to line up with the fields it belongs with")
    if exc.problem.startswith("mapping values"):  # type: ignore[union-attr]
        message += "; if it is more of the text above, put that whole text in double quotes"
    return (mark.line, col, message)


_EXPLAINERS: list[Callable[[yaml.MarkedYAMLError, list[str]], Optional[Explained]]] = [
    _tab, _unclosed_quote, _quote_too_soon, _text_after_list, _unclosed_list, _bad_start, _colon_in_text, _missing_colon,
    _indentation,
]
