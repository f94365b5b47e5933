"""From YAML's composed nodes to plain values, under the format's rules: YAML 1.2 core schema
scalars (only ``true``/``false`` are booleans; a number remembers how it was written), no tag that
builds objects, no key given twice, merges, and aliases expanded up to :data:`MAX_VALUES` values
and nesting up to :data:`MAX_DEPTH` levels.
"""

from __future__ import annotations

import re
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from .errors import Problem
from .yamldoc import Document, Loc, format_loc
from .yamlhints import comma_split, comment_cut

MAX_VALUES = 100_000
"""Values one document may hold once its aliases are expanded."""
MAX_DEPTH = 100
"""How deeply mappings and lists may nest."""


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


class CoreResolver(BaseResolver):
    """Implicit types of YAML 1.2's core schema, not YAML 1.1's surprises."""


CoreResolver.add_implicit_resolver(_TAG + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
CoreResolver.add_implicit_resolver(_TAG + "int", _INT, list("-+0123456789"))
CoreResolver.add_implicit_resolver(_TAG + "float", _FLOAT, list("-+0123456789."))
CoreResolver.add_implicit_resolver(_TAG + "null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
CoreResolver.add_implicit_resolver(_TAG + "merge", re.compile(r"^(?:<<)$"), ["<"])


class Refused(Exception):
    """Stops the conversion of a document that must not be expanded further."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class Builder:
    """Turns composed nodes into plain values, recording marks and problems."""

    def __init__(self, doc: Document, root: Node) -> None:
        self.doc = doc
        self.root = root
        self.problems: list[Problem] = []
        self.count = 0
        self.active: set[int] = set()
        self.hinted: set[int] = set()  # nodes already checked for lost text (aliases repeat them)

    def _problem(self, node: Node, loc: Loc, message: str) -> Problem:
        m = node.start_mark
        return Problem(self.doc.path, m.line + 1, m.column + 1, format_loc(loc), message)

    def value(self, node: Node, loc: Loc, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            how = "through anchors and aliases" if _distinct_nodes(self.root) <= MAX_VALUES else "in all"
            top = loc[:1]  # the deep path inside an expansion means nothing to the author
            mark = self.doc.mark(top, key=True)
            raise Refused(Problem(
                self.doc.path, mark.line, mark.col, format_loc(top),
                f"this document expands to more than {MAX_VALUES:,} values {how}; "
                "sopgen refuses it (split the file, or use fewer aliases)",
            ))
        if depth >= MAX_DEPTH and not isinstance(node, ScalarNode):
            # the top-level mapping is level 1, as for the event check in yamlsource._too_deep, so both
            # refuse the same list or mapping; the field is the top one: a path of a hundred
            # [0]s helps nobody
            raise Refused(self._problem(node, loc[:1], f"values nest more than {MAX_DEPTH} levels deep"))
        if id(node) in self.active:
            raise Refused(self._problem(node, loc, "an alias refers to the value that contains it (a cycle)"))
        self.doc.values.setdefault(loc, node.start_mark)
        if id(node) not in self.hinted:
            self.hinted.add(id(node))
            self.hint(node, loc)
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

    def hint(self, node: Node, loc: Loc) -> None:
        """Warnings where text was probably lost to a comment or split at a comma (:mod:`.yamlhints`)."""
        if isinstance(node, ScalarNode):
            cut = comment_cut(node, self.doc.lines, self.doc.path, loc)
            if cut:
                self.problems.append(cut)
        elif isinstance(node, SequenceNode) and node.flow_style:
            self.problems += comma_split(node, self.doc.lines, self.doc.path, loc)

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
