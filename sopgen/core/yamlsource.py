"""YAML with line marks, under sopgen's rules.

PyYAML (its C parser when available) composes the node graph; this module turns
it into plain Python values itself (:mod:`sopgen.core.yamlvalues`), so that it
can enforce the rules of the format and remember where every value came from
(:mod:`sopgen.core.yamldoc`):

* only ``true``/``false`` are booleans (YAML 1.2 core schema): ``no``, ``on``,
  ``yes`` stay text, and so do dates and ``1:30``;
* a key given twice in one mapping is an error naming both lines;
* tags that would build objects (``!!python/…``, ``!!set``, ``!custom``) are refused;
* anchors and aliases work, but a document that expands past
  :data:`~sopgen.core.yamlvalues.MAX_VALUES` values is refused at once ("billion laughs");
* a file larger than :data:`MAX_FILE_BYTES`, or nested deeper than
  :data:`~sopgen.core.yamlvalues.MAX_DEPTH`, is refused with a message, never a hang or a crash;
* UTF-8 with or without a byte-order mark, LF or CRLF line ends.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner

from .errors import Problem
from .yamldoc import Document
from .yamlhints import split_lines
from .yamlsyntax import syntax_problem
from .yamlvalues import MAX_DEPTH, Builder, CoreResolver, Refused

MAX_FILE_BYTES = 1_000_000
"""The largest source file sopgen reads. A long SOP is a few kilobytes; a
megabyte leaves room for any real one while keeping a runaway file (a pasted
log, a generated dump) from filling memory."""
_SHALLOW_ENOUGH = 4_096
"""Text with at most this many of the characters that open a level (``[``, ``{``,
``-``, ``:``, ``?``: each level needs one of its own) cannot nest deeper than
libyaml's recursive composer can take (it crashes the process past some 20,000
levels); other text is measured first."""


# -- parsers ------------------------------------------------------------------------


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

    class _Composer(CParser, CoreResolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            CoreResolver.__init__(self)
else:  # pragma: no cover - PyYAML built without libyaml
    class _Composer(_PureParser, Composer, CoreResolver):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            _PureParser.__init__(self, stream)
            Composer.__init__(self)
            CoreResolver.__init__(self)


# -- loading --------------------------------------------------------------------------


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
        return None, [too_deep or syntax_problem(exc, text, display)]
    finally:
        composer.dispose()
    doc = Document(display, None, lines=split_lines(text))
    if node is None:  # an empty file
        doc.data = {}
        return doc, []
    builder = Builder(doc, node)
    try:
        doc.data = builder.value(node, (), 0)
    except Refused as refused:
        return None, [refused.problem]
    return doc, builder.problems


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
