"""YAML with line marks, under sopgen's rules.

PyYAML (its C parser when available) composes the node graph; this module turns
it into plain Python values itself, so that it can enforce the rules of the
format and remember where every value came from:

* only ``true``/``false`` are booleans (YAML 1.2 core schema): ``no``, ``on``,
  ``yes`` stay text, and so do dates and ``1:30``;
* a key given twice in one mapping is an error naming both lines;
* tags that would build objects (``!!python/…``, ``!!set``, ``!custom``) are refused;
* anchors and aliases work, but a document that expands past
  :data:`MAX_VALUES` values is refused at once ("billion laughs");
* a file larger than :data:`MAX_FILE_BYTES`, or nested deeper than
  :data:`MAX_DEPTH`, is refused with a message, never a hang or a crash;
* UTF-8 with or without a byte-order mark, LF or CRLF line ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from .errors import Problem

MAX_VALUES = 100_000
"""Values one document may hold once its aliases are expanded."""
MAX_DEPTH = 100
"""How deeply mappings and lists may nest."""
MAX_FILE_BYTES = 1_000_000
"""The largest source file sopgen reads. A long SOP is a few kilobytes; a
megabyte leaves room for any real one while keeping a runaway file (a pasted
log, a generated dump) from filling memory."""
_SHALLOW_ENOUGH = 4_096
"""Text with at most this many of the characters that open a level (``[``, ``{``,
``-``, ``:``, ``?``: each level needs one of its own) cannot nest deeper than
libyaml's recursive composer can take (it crashes the process past some 20,000
levels); other text is measured first."""

Loc = tuple[Union[str, int], ...]
"""Where a value sits in a document: ``("steps", 2, "image")``."""


@dataclass(frozen=True)
class Mark:
    line: int
    col: int


@dataclass
class Document:
    """One YAML file as plain data, with the position of every value and key."""

    path: str
    """The file's path relative to the project (for messages)."""
    data: Any
    values: dict[Loc, Any] = field(default_factory=dict)
    """Where each value starts (PyYAML marks, 0-based; converted only when asked)."""
    keys: dict[Loc, Any] = field(default_factory=dict)
    """Where each mapping key starts."""

    def mark(self, loc: Loc, *, key: bool = False) -> Mark:
        """Position of ``loc``, or of its closest enclosing value that has one."""
        if key and loc in self.keys:
            return _mark(self.keys[loc])
        while loc:
            if loc in self.values:
                return _mark(self.values[loc])
            loc = loc[:-1]
        return _mark(self.values[()]) if () in self.values else Mark(1, 1)

    def problem(self, loc: Loc, message: str, *, key: bool = False, severity: str = "error", rule: str = "") -> Problem:
        mark = self.mark(loc, key=key)
        return Problem(self.path, mark.line, mark.col, format_loc(loc), message, severity, rule)  # type: ignore[arg-type]


def _mark(yaml_mark: Any) -> Mark:
    return Mark(yaml_mark.line + 1, yaml_mark.column + 1)


def format_loc(loc: Loc) -> str:
    """``("steps", 2, "image")`` → ``steps[2].image``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# -- scalars: the YAML 1.2 core schema ------------------------------------------------

class YamlInt(int):
    """An integer that remembers how it was written, so a text field can keep ``007``."""

    raw: str


class YamlFloat(float):
    """A float that remembers how it was written, so a text field can keep ``1.10``."""

    raw: str


_TAG = "tag:yaml.org,2002:"
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


class _CoreResolver(BaseResolver):
    """Implicit types of YAML 1.2's core schema, not YAML 1.1's surprises."""


_CoreResolver.add_implicit_resolver(_TAG + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_CoreResolver.add_implicit_resolver(_TAG + "int", _INT, list("-+0123456789"))
_CoreResolver.add_implicit_resolver(_TAG + "float", _FLOAT, list("-+0123456789."))
_CoreResolver.add_implicit_resolver(_TAG + "null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_CoreResolver.add_implicit_resolver(_TAG + "merge", re.compile(r"^(?:<<)$"), ["<"])

from yaml.composer import Composer
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner


class _PureParser(Reader, Scanner, Parser):
    """PyYAML's own Python parser: slower than libyaml, but with no nesting limit of its
    own, so the depth at which sopgen refuses a document does not depend on the libyaml a
    PyYAML release bundles (6.0.4's stops at 1,000 levels, with its own message)."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


if getattr(yaml, "__with_libyaml__", False):
    from yaml.cyaml import CParser

    class _Composer(CParser, _CoreResolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _CoreResolver.__init__(self)
else:  # pragma: no cover - PyYAML built without libyaml
    class _Composer(_PureParser, Composer, _CoreResolver):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            _PureParser.__init__(self, stream)
            Composer.__init__(self)
            _CoreResolver.__init__(self)


# -- loading --------------------------------------------------------------------------

class _Refused(Exception):
    """Stops the conversion of a document that must not be expanded further."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def load_file(file: Path, display: str) -> tuple[Document | None, list[Problem]]:
    """Read ``file`` (shown as ``display`` in messages) into a :class:`Document`."""
    try:
        raw = read_bytes(file)
    except OSError as exc:
        return None, [Problem(display, 1, 1, "", f"cannot read the file: {exc.strerror}")]
    return load_bytes(raw, display)


def read_bytes(file: Path) -> bytes:
    """The bytes of ``file``, up to one more than the most sopgen reads (:func:`load_bytes` refuses that)."""
    with file.open("rb") as fh:
        return fh.read(MAX_FILE_BYTES + 1)


def load_bytes(raw: bytes, display: str) -> tuple[Document | None, list[Problem]]:
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(
            display, 1, 1, "",
            f"the file is larger than {MAX_FILE_BYTES:,} bytes, the most sopgen reads; "
            "split it into several roles or tasks",
        )]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [Problem(
            display, line, col, "",
            f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
            "save it as UTF-8 in your editor",
        )]
    return load_text(text, display)


def load_text(text: str, display: str) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML document held in ``text``."""
    measured = len(text) > _SHALLOW_ENOUGH and sum(map(text.count, "[{-:?")) > _SHALLOW_ENOUGH
    if measured:
        too_deep = _too_deep(text, display)
        if too_deep:
            return None, [too_deep]
    composer = _Composer(text)
    try:
        node = composer.get_single_node()
    except yaml.YAMLError as exc:
        # a parser's own nesting limit (libyaml's, since PyYAML 6.0.4) must not decide the
        # message: whatever stopped it, a document deeper than ours is refused as such (unless
        # it was measured above already)
        too_deep = None if measured else _too_deep(text, display, _PureParser)
        return None, [too_deep or _syntax_problem(exc, display)]
    finally:
        composer.dispose()
    doc = Document(display, None)
    if node is None:  # an empty file
        doc.data = {}
        return doc, []
    builder = _Builder(doc, node)
    try:
        doc.data = builder.value(node, (), 0)
    except _Refused as refused:
        return None, [refused.problem]
    return doc, builder.problems


def _syntax_problem(exc: yaml.YAMLError, display: str) -> Problem:
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Problem(display, 1, 1, "", f"invalid YAML: {exc}")
    mark = exc.problem_mark or exc.context_mark
    what = exc.problem or "invalid YAML"
    if exc.context and exc.context_mark and exc.context_mark is not mark:
        what = f"{what} ({exc.context} at line {exc.context_mark.line + 1})"
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(display, line, col, "", f"invalid YAML: {what}")


def _too_deep(text: str, display: str, parser_class: type = _Composer) -> Problem | None:
    """A problem when ``text`` nests past :data:`MAX_DEPTH`, found from a parser's flat
    event stream before the recursive composer sees it; syntax errors are left to the composer.

    The fast parser goes first; if it stops on an error (a syntax error, or a nesting limit
    of its own that lies deeper than ours), PyYAML's Python parser, which has no such limit,
    finds the level where ours is passed, so the message and its column are always the same.
    """
    parser = None
    depth = 0
    try:
        parser = parser_class(text)  # Python's reader checks the characters here
        while True:
            event = parser.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return None
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    m = event.start_mark
                    return Problem(display, m.line + 1, m.column + 1, "",
                                   f"values nest more than {MAX_DEPTH} levels deep")
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        if parser_class is _PureParser:
            return None
        return _too_deep(text, display, _PureParser)
    finally:
        if parser is not None:
            parser.dispose()


class _Builder:
    """Turns composed nodes into plain values, recording marks and problems."""

    def __init__(self, doc: Document, root: Node) -> None:
        self.doc = doc
        self.root = root
        self.problems: list[Problem] = []
        self.count = 0
        self.active: set[int] = set()

    def _problem(self, node: Node, loc: Loc, message: str) -> Problem:
        m = node.start_mark
        return Problem(self.doc.path, m.line + 1, m.column + 1, format_loc(loc), message)

    def value(self, node: Node, loc: Loc, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            how = "through anchors and aliases" if _distinct_nodes(self.root) <= MAX_VALUES else "in all"
            top = loc[:1]  # the deep path inside an expansion means nothing to the author
            mark = self.doc.mark(top, key=True)
            raise _Refused(Problem(
                self.doc.path, mark.line, mark.col, format_loc(top),
                f"this document expands to more than {MAX_VALUES:,} values {how}; "
                "sopgen refuses it (split the file, or use fewer aliases)",
            ))
        if depth >= MAX_DEPTH and not isinstance(node, ScalarNode):
            # the top-level mapping is level 1, as for the event check in _too_deep, so both
            # refuse the same list or mapping; the field is the top one: a path of a hundred
            # [0]s helps nobody
            raise _Refused(self._problem(node, loc[:1], f"values nest more than {MAX_DEPTH} levels deep"))
        if id(node) in self.active:
            raise _Refused(self._problem(node, loc, "an alias refers to the value that contains it (a cycle)"))
        self.doc.values.setdefault(loc, node.start_mark)
        if isinstance(node, ScalarNode):
            return self.scalar(node, loc)
        if node.tag not in (_TAG + "seq", _TAG + "map"):
            self.problems.append(self._problem(node, loc, _refused_tag(node.tag)))
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [self.value(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]
            return self.mapping(node, loc, depth)
        finally:
            self.active.discard(id(node))

    def scalar(self, node: ScalarNode, loc: Loc) -> Any:
        tag, text = node.tag, node.value
        if tag == _TAG + "str":
            return text
        if tag == _TAG + "null" and re.fullmatch(r"~|null|Null|NULL|", text):
            return None
        if tag == _TAG + "bool" and text.lower() in ("true", "false"):
            return text.lower() == "true"
        if tag == _TAG + "int" and _INT.match(text):
            if text.startswith(("0o", "0x")):
                number = YamlInt(int(text[2:], 8 if text[1] == "o" else 16))
            else:
                number = YamlInt(int(text, 10))
            number.raw = text
            return number
        if tag == _TAG + "float" and _FLOAT.match(text):
            lower = text.lower()
            if lower.endswith(".inf"):
                number = YamlFloat("-inf" if lower.startswith("-") else "inf")
            else:
                number = YamlFloat("nan" if lower == ".nan" else text)
            number.raw = text
            return number
        if tag in (_TAG + s for s in ("null", "bool", "int", "float")):
            self.problems.append(self._problem(node, loc, f"'{text}' is not a valid {tag[len(_TAG):]}"))
            return None
        self.problems.append(self._problem(node, loc, _refused_tag(tag)))
        return None

    def mapping(self, node: MappingNode, loc: Loc, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        merges: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                merges.append((key_node, value_node))
                continue
            if not isinstance(key_node, ScalarNode):
                self.problems.append(self._problem(key_node, loc, "a key must be plain text, not a list or mapping"))
                continue
            key = key_node.value
            if key in first_line:
                self.problems.append(self._problem(
                    key_node, loc + (key,),
                    f"duplicate key '{key}': given at line {first_line[key]} and again at line "
                    f"{key_node.start_mark.line + 1}; keep only one",
                ))
                continue
            first_line[key] = key_node.start_mark.line + 1
            self.doc.keys[loc + (key,)] = key_node.start_mark
            out[key] = self.value(value_node, loc + (key,), depth + 1)
        for key_node, value_node in merges:
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, MappingNode):
                    self.problems.append(self._problem(source, loc, "'<<' merges only mappings"))
                    continue
                merged = self.value(source, loc, depth + 1)
                for key, value in merged.items():
                    out.setdefault(key, value)
        return out


def _distinct_nodes(root: Node) -> int:
    """How many nodes the document really has, aliases counted once."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack += [key, value]
    return len(seen)


def _refused_tag(tag: str) -> str:
    shown = "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag
    return (f"the tag '{shown}' is not allowed: sopgen files hold only text, numbers, "
            "true/false, lists and mappings")
