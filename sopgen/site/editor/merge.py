"""A form's data written into a file's YAML, keeping what did not change as its author wrote it.

The file is read with ruamel.yaml's round trip (comments, key order, quotes, block or flow
style, indentation guessed from the file, as :mod:`sopgen.core.records` does for people files),
and the form's data is laid over it: a value equal to what sopgen reads there keeps its node
untouched; a changed value is replaced; a key the form drops is removed; a new key goes after
the key before it in the form. A list item equal to one of the old items keeps that item (and
its comments), so reordering steps moves them whole. Text with a line break is written as a
``|`` block, which needs no quoting.

The caller reads the result back with sopgen's own loader: it must be exactly the form's data
(:func:`sopgen.site.editor.sources.save` refuses otherwise).
"""

from __future__ import annotations

import copy
import io
import re
from typing import Any, Optional

from merge3 import Merge3
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString, SingleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from ...core.yamlsource import load_text
from .places import Refused


def merged(text: str, old: Any, new: Any) -> str:
    """``text`` (a YAML file whose data sopgen reads as ``old``) with ``new`` laid over it."""
    changed = _dumped(text, old, new)
    if not text.strip():
        return changed
    # ruamel writes what it keeps in its own way (a long plain text the author wrapped over two lines
    # comes out on one): the lines that only that changed are taken back from the file as written
    kept = _with_layout(text, _dumped(text, old, old), changed)
    return kept if _reads_as_same(kept, changed) else changed


def _dumped(text: str, old: Any, new: Any) -> str:
    yaml = _yaml()
    try:
        _, indent, offset = load_yaml_guess_indent(text) if text.strip() else (None, None, None)
        tree = yaml.load(text) if text.strip() else None
    except YAMLError as exc:
        raise Refused(409, f"the file on disk is not valid YAML, so the form cannot be laid over it ({exc})") from None
    if offset is None:  # no list in the file yet: lists as `sopgen init` writes them
        indent, offset = 4, 2
    yaml.indent(mapping=max(2, indent - offset) if offset else indent or 2, sequence=indent or 2, offset=offset)
    tree = _over(tree, old, new)
    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue()


def _with_layout(text: str, unchanged: str, changed: str) -> str:
    """A three-way merge of lines: from ``unchanged`` (the file as ruamel writes it) to ``text`` (as its
    author wrote it) and to ``changed`` (with the form's data); where both differ, the form's lines win."""
    base, written, form = (t.splitlines(keepends=True) for t in (unchanged, text, changed))
    lines: list[str] = []
    for region in Merge3(base, written, form).merge_regions():
        kind, *at = region
        if kind == "unchanged":
            lines += base[at[0]:at[1]]
        elif kind in ("a", "same"):
            lines += written[at[0]:at[1]]
        elif kind == "b":
            lines += form[at[0]:at[1]]
        else:  # conflict: (base, written, form) ranges
            lines += form[at[4]:at[5]]
    return "".join(lines)


def _reads_as_same(text: str, expected: str) -> bool:
    first, second = load_text(text, "x.yml")[0], load_text(expected, "x.yml")[0]
    return first is not None and second is not None and first.data == second.data


def fresh(new: Any) -> str:
    """``new`` as a file of its own, laid out as ``sopgen init`` writes files."""
    return merged("", None, new)


def _yaml() -> YAML:
    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the author kept on one
    return yaml


def _over(node: Any, old: Any, new: Any) -> Any:
    """``node`` (ruamel's, read as ``old`` by sopgen) changed to hold ``new``."""
    if same(old, new):
        return node
    if isinstance(new, dict) and isinstance(node, CommentedMap) and isinstance(old, dict):
        return _mapping(node, old, new)
    if isinstance(new, list) and isinstance(node, CommentedSeq) and isinstance(old, list):
        return _sequence(node, old, new)
    return _built(new, node)


def _mapping(node: CommentedMap, old: dict, new: dict) -> CommentedMap:
    tail = _cut_tail(node)
    for key in [k for k in node if k not in new]:
        del node[key]
    previous: Optional[str] = None
    for key, value in new.items():
        if key in node:
            node[key] = _over(node[key], old.get(key), value)
        elif not empty(value):  # an empty field the form shows is not written into a file that never had it
            at = list(node).index(previous) + 1 if previous in node else len(node)
            node.insert(at, key, _built(value, None))
        if key in node:
            previous = key
    _put_tail(node, tail)
    return node


def _sequence(node: CommentedSeq, old: list, new: list) -> CommentedSeq:
    olds = list(zip(node, old, range(len(old))))
    taken: set[int] = set()
    chosen: list[Optional[int]] = []
    for value in new:  # an item equal to an old one keeps that one, wherever it moved
        match = next((i for _, was, i in olds if i not in taken and same(was, value)), None)
        if match is not None:
            taken.add(match)
        chosen.append(match)
    tail = _cut_tail(node)
    items, comments = [], {}
    sibling = node[0] if len(node) else None  # a new item is laid out as the first one is
    for at, value in enumerate(new):
        i = chosen[at]
        if i is None and at < len(olds) and at not in taken and _kin(old[at], value):
            i = at  # an item edited in place keeps its comments and layout
            taken.add(at)
        if i is None:
            i = _closest(olds, taken, value)  # an item edited and moved too: the old one it shares most with
            if i is not None:
                taken.add(i)
        if i is None:
            items.append(_built(value, sibling))
            continue
        items.append(_over(node[i], old[i], value))
        if i in node.ca.items:
            comments[at] = node.ca.items[i]
    node.clear()
    node.ca.items.clear()
    node.extend(items)
    node.ca.items.update(comments)
    _put_tail(node, tail)
    return node


def _cut_tail(node: Any) -> Any:
    """Cut what follows ``node``'s last line (the comments and blank lines after the list or mapping,
    which ruamel keeps on its last value, or at the end of a collection that ends it) and return it:
    it stays where the collection ends, whichever item ends it after the change."""
    if not _collection(node):
        return None
    ends = []
    inner = node
    while _collection(inner) and not inner.fa.flow_style():
        ends += inner.ca.end or []
        inner.ca.end = []
        key = list(inner)[-1] if isinstance(inner, CommentedMap) else len(inner) - 1
        inner = inner[key]
    container, key = _last(node)
    entry = container.ca.items.get(key)
    slot = _slot(container)
    token = entry[slot] if entry and len(entry) > slot else None
    rest = None
    if token is not None and "\n" in token.value and token.value.split("\n", 1)[1]:
        line, after = token.value.split("\n", 1)
        token.value = line + "\n"
        rest = copy.copy(token)
        rest.value = after
    if ends:  # put with the rest: after the last value is a place every emitter of ruamel writes
        if rest is None:
            rest = copy.copy(ends[0])
            rest.value = ""
        rest.value += "".join(end.value for end in ends)
    return rest


def _put_tail(node: Any, tail: Any) -> None:
    if tail is None or not _collection(node):
        return
    container, key = _last(node)
    slot = _slot(container)
    entry = container.ca.items.setdefault(key, [None] * (4 if slot == 2 else 2))
    if entry[slot] is None:
        tail.value = "\n" + tail.value  # the last line ends without a comment of its own
        entry[slot] = tail
    else:
        entry[slot].value = entry[slot].value.rstrip("\n") + "\n" + tail.value


def _slot(container: Any) -> int:
    return 2 if isinstance(container, CommentedMap) else 0


def _collection(value: Any) -> bool:
    return isinstance(value, (CommentedMap, CommentedSeq)) and len(value) > 0


def _last(node: Any) -> tuple[Any, Any]:
    """The innermost (container, key or index) that ends ``node``: where ruamel keeps the comment after it."""
    key = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
    inner = node[key]
    return _last(inner) if _collection(inner) and not inner.fa.flow_style() else (node, key)  # [a, b]: after it


def _closest(olds: list[tuple[Any, Any, int]], taken: set[int], value: Any) -> Optional[int]:
    """The old mapping not matched yet that shares the most fields (key and value) with ``value``, if any."""
    if not isinstance(value, dict):
        return None
    best, most = None, 0
    for _, was, i in olds:
        if i not in taken and isinstance(was, dict):
            shared = sum(1 for k, v in value.items() if k in was and not empty(v) and same(was[k], v))
            if shared > most:
                best, most = i, shared
    return best


def _kin(old: Any, new: Any) -> bool:
    return isinstance(old, dict) == isinstance(new, dict) and isinstance(old, list) == isinstance(new, list)


def _built(value: Any, node: Any) -> Any:
    """A new node for ``value``, in the style of ``node`` (the one it replaces, or a sibling) where that is safe."""
    if isinstance(value, dict):
        built = CommentedMap()
        for key, item in value.items():
            if not empty(item):
                built[key] = _built(item, node.get(key) if isinstance(node, CommentedMap) else None)
        return built
    if isinstance(value, list):
        seq = CommentedSeq(_built(item, None) for item in value)
        if isinstance(node, CommentedSeq) and node.fa.flow_style() and not any(isinstance(v, (dict, list)) for v in value):
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and not value.replace("\n", "").isprintable():
        return DoubleQuotedScalarString(value)  # a control character or a line break of Unicode's, escaped
    if isinstance(value, str) and "\n" in value and _literal_keeps(value):
        return LiteralScalarString(value)
    if isinstance(value, str) and value.startswith(("?", ":")):
        return SingleQuotedScalarString(value)  # in [a, b] PyYAML reads a plain ?x or :x as a key
    if isinstance(value, str) and isinstance(node, str) and type(node) is not str and "\n" not in node:
        try:
            return type(node)(value)  # 'quoted' or "quoted" stays so
        except TypeError:
            return value
    return value


def _literal_keeps(text: str) -> bool:
    """Whether a ``|`` block holds ``text`` exactly; otherwise it is written quoted, with its line breaks escaped."""
    return text[:1] not in (" ", "\t", "\n") and not re.search(r"[ \t]\n|[ \t]$|\r|[^\S\n ]", text)


def same(old: Any, new: Any) -> bool:
    """Whether sopgen reads ``old`` (from the file) as the form's ``new``: a number written ``007``
    is the text '007' to a text field."""
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(same(old[k], new[k]) for k in old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(same(a, b) for a, b in zip(old, new))
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    if isinstance(new, str) and isinstance(old, (int, float)):
        return getattr(old, "raw", None) == new
    if isinstance(old, (dict, list)) or isinstance(new, (dict, list)):
        return False
    return old == new


def empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}
