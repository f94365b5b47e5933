"""Appending a sign-off or a result to a person's file, keeping what its author wrote.

The file is read and written back with ruamel.yaml's round trip, which keeps
comments, key order, quotes and flow or block style; its indentation is
guessed from the file. A comment that ends a list (``# results below``)
stays after the list rather than before the new record. What would be
written is read back with sopgen's own loader first: it must be the same
record as before plus the new one, or nothing is written.
"""

from __future__ import annotations

import copy
import io
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any, Callable, Union

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from .errors import SopgenError
from .model import Person, Result, SignOff
from .outputs import lock
from .yamlsource import load_bytes


class RecordRefused(SopgenError):
    """The record cannot be added: the file cannot be kept as it is, or the result would not read back."""


def append_record(path: Path, field: str, record: dict[str, Union[str, float, date]], *,
                  echo: Callable[[str], None] = lambda _: None) -> None:
    """Add ``record`` (a sign-off under ``trained``, a result under ``results``) at the end of that list.

    Two commands recording at once (two trainers signing the same day) take turns: the file is
    read, changed and replaced under the lock of its folder (:func:`sopgen.core.outputs.lock`), so
    neither record is lost; ``echo`` says when one waits for the other."""
    with lock(path, echo=echo):
        _append(path, field, record)


def _append(path: Path, field: str, record: dict[str, Union[str, float, date]]) -> None:
    text = path.read_text(encoding="utf-8")
    before = _person(text.encode("utf-8"), path)
    updated = _appended(text, field, record, path)
    after = _person(updated.encode("utf-8"), path)
    expected = before.model_dump()
    model = SignOff if field == "trained" else Result
    expected[field] = [*expected[field], model.model_validate(record).model_dump()]
    if after.model_dump() != expected:  # a round trip must change nothing but the list it adds to
        raise RecordRefused(f"{path.name}: writing the record back would change other fields; add it by hand")
    replace_file(path, updated)


def _appended(text: str, field: str, record: dict[str, Any], path: Path) -> str:
    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the author kept on one
    try:
        _, indent, offset = load_yaml_guess_indent(text)
        data = yaml.load(text)
    except YAMLError as exc:
        raise RecordRefused(f"{path.name} is not valid YAML ({exc}); fix it first") from None
    if offset is None:  # no list in the file yet: lists as `sopgen init` writes them
        indent, offset = 4, 2
    yaml.indent(mapping=max(2, indent - offset) if offset else indent or 2, sequence=indent or 2, offset=offset)
    new = CommentedMap(record)
    items = data.get(field)
    if isinstance(items, CommentedSeq) and items:
        if isinstance(items[-1], CommentedMap) and items[-1].fa.flow_style():
            new.fa.set_flow_style()
        _move_trailing_comment(items[-1], new)
        items.append(new)
    elif isinstance(items, CommentedSeq):  # `trained: []`
        items.fa.set_block_style()
        items.append(new)
    else:  # no list yet, or `trained:` left empty
        previous = next(reversed(data), None) if field not in data else None
        seq = CommentedSeq([new])
        if previous is not None:
            _move_trailing_comment(data[previous] if _collection(data[previous]) else (data, previous), seq)
        data[field] = seq
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _collection(value: Any) -> bool:
    return isinstance(value, (CommentedMap, CommentedSeq)) and len(value) > 0


def _last(node: Any) -> tuple[Any, Any]:
    """The innermost (container, key or index) that ends ``node``: where ruamel keeps a comment that follows it."""
    if isinstance(node, tuple):
        container, key = node
    else:
        container = node
        key = list(container)[-1] if isinstance(container, CommentedMap) else len(container) - 1
    value = container[key]
    return _last(value) if _collection(value) else (container, key)


def _move_trailing_comment(old: Any, new: Any) -> None:
    """Leave ``old``'s end-of-line comment on it, and move the comment lines and blank lines after it to ``new``."""
    container, key = _last(old)
    slot = 2 if isinstance(container, CommentedMap) else 0
    entry = container.ca.items.get(key)
    token = entry[slot] if entry and len(entry) > slot else None
    if token is None or "\n" not in token.value:
        return
    cut = token.value.index("\n") + 1
    rest = token.value[cut:]
    if not rest:
        return
    token.value = token.value[:cut]
    moved = copy.copy(token)
    moved.value = "\n" + rest  # the new last line ends without a comment of its own
    target, target_key = _last(new)
    target_slot = 2 if isinstance(target, CommentedMap) else 0
    target.ca.items.setdefault(target_key, [None] * (4 if target_slot == 2 else 2))[target_slot] = moved


def _person(raw: bytes, path: Path) -> Person:
    doc, found = load_bytes(raw, path.name)
    problems = [p for p in found if p.severity == "error"]  # a warning does not stop a record
    if doc is None or problems or not isinstance(doc.data, dict):
        reason = "; ".join(str(p) for p in problems) or "it is not a mapping of fields"
        raise RecordRefused(f"{path.name} cannot be read ({reason}); fix it first")
    try:
        return Person.model_validate(doc.data)
    except ValueError:
        raise RecordRefused(f"{path.name} has errors: run `sopgen validate` and fix them first") from None


def replace_file(path: Path, text: str) -> None:
    """Replace ``path`` (or create it) at once, through a file beside it: a reader never sees half a file."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:  # mkstemp's 0600 is for secrets; a source file is read by those who read the folder
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
