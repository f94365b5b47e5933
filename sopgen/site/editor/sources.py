"""One source file as the editor reads, checks, saves and commits it.

A save is refused, and nothing written, when the file changed on disk since the form read it
(the form sends the digest of what it read: 409, with both versions), when sopgen's own
validator finds an error in the result, or one it would cause in another file (a cycle of
prerequisites is told on the task whose id sorts first) (422, with the problems), or when what would be written
does not read back as the form's data. Otherwise the file is replaced at once.
"""

from __future__ import annotations

import hashlib
import re
import threading
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel

from ...core.errors import Problem
from ...core.loader import ReadCache, load
from ...core.model import KINDS
from ...core.outputs import lock
from ...core.records import replace_file
from ...core.validate import validate
from ...core.yamlsource import MAX_FILE_BYTES, load_bytes, read_bytes
from ...history.git import GitUnavailable, git
from .merge import empty, fresh, merged, same
from .places import Place, Refused

ABSENT = ""
"""The digest of a file that does not exist: a form for a new file sends it."""


def digest(raw: Optional[bytes]) -> str:
    return ABSENT if raw is None else hashlib.sha256(raw).hexdigest()


class Sources:
    """The project's source files, as one editor reads and writes them (one save at a time)."""

    def __init__(self, project: Path, sops: Path) -> None:
        self.project = project
        self.sops = sops
        self.cache: ReadCache = {}
        self._one_at_a_time = threading.RLock()  # the server answers in threads; the read cache is shared

    def read(self, place: Place) -> dict[str, Any]:
        """The file's data for the form, and the digest the form sends back with a save."""
        raw = _raw(place)
        if raw is None:
            raise Refused(404, f"{place.rel} does not exist")
        data, problems = _data(raw, place)
        if problems:
            raise Refused(422, f"{place.rel} cannot be read, so it cannot be edited in a form: fix it in a text "
                               "editor first", problems=problems)
        return {"path": place.rel, "kind": place.kind, "data": _as_read(data, place.kind), "digest": digest(raw)}

    def check(self, place: Place, data: Any) -> tuple[str, list[Problem]]:
        """What saving ``data`` would write, and the problems sopgen finds then: those of that file, and the
        errors it would cause in others (which they do not have now)."""
        if not isinstance(data, dict):
            raise Refused(400, "'data' must be an object of the file's fields")
        raw = _raw(place)
        if raw is None:
            text = fresh(data)
        else:
            old, problems = _data(raw, place)
            if problems:
                raise Refused(422, f"{place.rel} on disk cannot be read: fix it in a text editor first",
                              problems=problems)
            if _reads_as(old, data):  # nothing changed: the file as it is (a dump would refold long lines)
                return self._checked(place, raw.decode("utf-8"))
            text = merged(raw.decode("utf-8-sig").replace("\r\n", "\n"), old, data)
            if b"\r\n" in raw:  # line ends as the file had them (ruamel reads and writes "\n")
                text = text.replace("\n", "\r\n")
            if raw.startswith(b"\xef\xbb\xbf"):
                text = "\ufeff" + text
        back, problems = _data(text.encode("utf-8"), place)
        if not problems and not _reads_as(back, data):
            raise Refused(500, f"the editor could not write this form into {place.rel} so that it reads back the "
                               "same; nothing was written (please report this, with the file)")
        return self._checked(place, text)

    def _checked(self, place: Place, text: str) -> tuple[str, list[Problem]]:
        with self._one_at_a_time:
            after = self._problems({place.file: text.encode("utf-8")})
            caused = [p for p in after if p.path != place.rel and p.severity == "error"]
            if caused:  # a cycle is told on the file whose id sorts first: this edit may break another file
                before = set(self._problems({}))
                caused = [p for p in caused if p not in before]
        return text, [p for p in after if p.path == place.rel] + caused

    def _problems(self, replaced: dict[Path, bytes]) -> list[Problem]:
        sops_dir = self.sops.relative_to(self.project).as_posix()
        return validate(load(self.project, sops_dir=sops_dir, cache=self.cache, replaced=replaced))

    def save(self, place: Place, data: Any, read_digest: object) -> tuple[list[Problem], str]:
        """Write ``data`` into the file the form read as ``read_digest``; its warnings once written, and
        its new digest (for the next save from the same form)."""
        if not isinstance(read_digest, str):
            raise Refused(400, "'digest' must be the digest the file had when the form read it ('' for a new file)")
        with self._one_at_a_time, lock(place.file, echo=lambda _: None):
            raw = _raw(place)
            if digest(raw) != read_digest:
                raise self._changed(place, raw, data, read_digest)
            text, problems = self.check(place, data)
            errors = [p for p in problems if p.severity == "error"]
            if errors:
                raise Refused(422, f"{place.rel} was not saved: {_count(errors)} to fix first", problems=problems)
            try:
                place.file.parent.mkdir(parents=True, exist_ok=True)
                replace_file(place.file, text)
            except OSError as exc:
                raise Refused(500, f"{place.rel} could not be written ({exc.strerror or exc}); the file is as it "
                                   "was") from None
            return problems, digest(text.encode("utf-8"))

    def _changed(self, place: Place, raw: Optional[bytes], data: Any, read_digest: str) -> Refused:
        if raw is None:
            return Refused(409, f"{place.rel} was deleted since the form was opened; nothing was written",
                           theirs=None, yours=data, digest=ABSENT)
        theirs, problems = _data(raw, place)
        what = "created" if read_digest == ABSENT else "changed on disk"
        return Refused(409, f"{place.rel} was {what} since the form was opened, so it was not overwritten: "
                            "compare both versions and save again", theirs=None if problems else theirs,
                       theirs_text=raw.decode("utf-8", "replace"), yours=data,
                       yours_text=_as_text(raw, None if problems else theirs, data), digest=digest(raw))

    def commit(self, place: Place, message: object) -> str:
        """Commit the file alone as the git user configured; what git says, or :class:`Refused`."""
        text = message.strip() if isinstance(message, str) else ""
        text = text or f"Edit {place.rel}"
        try:
            inside = git(self.project, "rev-parse", "--is-inside-work-tree")
            if not inside.ok or inside.text.strip() != "true":
                raise Refused(409, f"{place.rel} was saved but not committed: the project folder is not a git "
                                   "repository (run 'git init' in it to keep versions)")
            rel = place.file.relative_to(self.project).as_posix()
            added = git(self.project, "add", "--", rel)
            done = git(self.project, "commit", "--only", "-m", text, "--", rel) if added.ok else added
        except GitUnavailable as exc:
            raise Refused(409, f"{place.rel} was saved but not committed: {exc}") from None
        if not done.ok:
            said = (done.stderr.strip() or done.text.strip()).splitlines()
            if any("nothing to commit" in line or "no changes added" in line for line in said):
                raise Refused(409, f"{place.rel} was saved; nothing to commit: it is as the last commit has it")
            if any("tell me who you are" in line or "user.email" in line for line in said):
                raise Refused(409, f"{place.rel} was saved but not committed: git does not know who you are; run "
                                   "git config user.name 'Your Name' and git config user.email you@example.com")
            raise Refused(409, f"{place.rel} was saved but not committed: git said: {' '.join(said[-3:])}")
        head = git(self.project, "rev-parse", "--short", "HEAD").text.strip()
        return f"{place.rel} was saved and committed ({head}: {text.splitlines()[0]})"


def _as_text(raw: bytes, theirs: Any, data: Any) -> str:
    """The form's ``data`` as a file, laid over the file on disk where it can be (to show beside it)."""
    if theirs is not None:
        try:
            return merged(raw.decode("utf-8-sig").replace("\r\n", "\n"), theirs, data)
        except Exception:  # noqa: BLE001 - only shown: the form's data as a new file says the same
            pass
    try:
        return fresh(data)
    except Exception:  # noqa: BLE001 - only shown
        return ""


def _raw(place: Place) -> Optional[bytes]:
    try:
        return read_bytes(place.file)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise Refused(409, f"{place.rel} cannot be read: {exc.strerror}") from None


def _data(raw: bytes, place: Place) -> tuple[Any, list[Problem]]:
    if len(raw) > MAX_FILE_BYTES:
        raise Refused(413, f"{place.rel} would be larger than {MAX_FILE_BYTES:,} bytes, the most sopgen reads")
    doc, problems = load_bytes(raw, place.rel)
    errors = [p for p in problems if p.severity == "error"]
    return (None if doc is None else doc.data), errors


def _as_read(data: Any, kind: str) -> Any:
    """``data`` with a number in a text field as the text sopgen reads there (``target: 1.10`` is '1.10',
    not 1.1), so that the form shows it as written and a save leaves it so."""
    try:
        model = KINDS[kind].model_validate(data)
    except ValueError:
        return data  # the form shows what the file holds; the validator says what is wrong
    return _texts(data, model)


def _texts(data: Any, read: Any) -> Any:
    if isinstance(data, (int, float)) and not isinstance(data, bool) and isinstance(read, str):
        return read
    if isinstance(data, dict) and isinstance(read, BaseModel):
        return {k: _texts(v, getattr(read, k, None)) for k, v in data.items()}
    if isinstance(data, list) and isinstance(read, list) and len(read) == len(data):
        return [_texts(a, b) for a, b in zip(data, read)]
    return data


def _reads_as(back: Any, data: Any) -> bool:
    """Whether the written file reads as the form's ``data``, an empty field the file never had left out."""
    if isinstance(back, dict) and isinstance(data, dict):
        return (all(k in data for k in back)
                and all(_reads_as(back[k], v) if k in back else empty(v) for k, v in data.items()))
    if isinstance(back, list) and isinstance(data, list):
        return len(back) == len(data) and all(_reads_as(a, b) for a, b in zip(back, data))
    return same(back, data)


def _count(errors: list[Problem]) -> str:
    return f"{len(errors)} error{'s' if len(errors) != 1 else ''}"


def pointer(field: str) -> str:
    """The JSON pointer of a problem's field path: ``steps[2].image`` → ``/steps/2/image``."""
    parts = re.findall(r"[^.\[\]]+", field)
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)
