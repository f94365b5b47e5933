"""Each version of an SOP read back from git, for re-learning: what its steps were, and whether the
commit that made it said ``Retrain: no``.

One ``git cat-file --batch`` reads every version of the SOPs asked about, and one ``git log
--no-walk`` the trailers of the commits that made them, in the folder of the sources (a submodule's
own repository when the sources are one). A version whose file did not validate then is compared
with the last one that did.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Optional

from ..core.entries import TaskEntry
from ..core.model import Step, Task
from ..core.stepdiff import step_diff
from ..core.training import VersionChange
from ..core.yamlsource import load_bytes
from .git import GitUnavailable, git

RETRAIN = "Retrain"
"""The trailer that, set to ``no``, tells that a commit asks nobody to re-learn."""


class StepHistory:
    """The :class:`VersionChange` list of each SOP of one project, read once and kept (a ``Changes``)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._known: dict[tuple[object, ...], list[VersionChange]] = {}

    def __call__(self, task: TaskEntry) -> list[VersionChange]:
        # keyed by the SOP's revisions as well, so that one kept across `sopgen serve`'s rebuilds
        # reads git again only for an SOP that a new commit changed
        revisions = task.history.revisions if task.history is not None else []
        key = (task.id, *((r.commit, r.subject) for r in revisions))
        if key not in self._known:
            self._known[key] = self._read(task)
        return self._known[key]

    def _read(self, task: TaskEntry) -> list[VersionChange]:
        history = task.history
        if history is None or not history.revisions:
            return []
        where = task.source.file.parent  # the folder of the file now: its repository, even a submodule's
        oldest_first = list(reversed(history.revisions))
        specs = [f"{r.commit}:./{_relative(history.paths.get(r.commit, task.source.rel), task.source.rel)}"
                 for r in oldest_first]
        try:
            blobs = _cat_files(where, specs)
            skipped = _skipping_retraining(where, [r.commit for r in oldest_first])
        except GitUnavailable:
            return []
        out: list[VersionChange] = []
        before: Optional[list[Step]] = None
        for version, (revision, blob) in enumerate(zip(oldest_first, blobs), 1):
            steps = _steps(blob)
            changed = step_diff(before, steps) if before is not None and steps is not None else []
            out.append(VersionChange(version, revision.commit, revision.date.date(), revision.subject,
                                     tuple(changed), retrain=revision.commit not in skipped))
            if steps is not None:
                before = steps
        return out


def _relative(then: str, now: str) -> str:
    """The path the file had ``then`` as seen from the folder it is in ``now`` (both from the project)."""
    return PurePosixPath(os.path.relpath(then, PurePosixPath(now).parent)).as_posix()


def _cat_files(where: Path, specs: list[str]) -> list[Optional[bytes]]:
    """The contents of ``commit:./path`` for each spec (``None`` when git has no such file)."""
    done = git(where, "cat-file", "--batch", input="".join(f"{spec}\n" for spec in specs).encode())
    out: list[Optional[bytes]] = []
    data, at = done.stdout, 0
    for _ in specs:
        end = data.find(b"\n", at)
        if end < 0:
            out.append(None)
            continue
        header = data[at:end].split(b" ")
        at = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            out.append(data[at:at + size])
            at += size + 1
        else:
            out.append(None)
    return out


def _skipping_retraining(where: Path, commits: list[str]) -> set[str]:
    """The commits whose message carries ``Retrain: no`` (git parses the trailers; the key in any case)."""
    if not commits:
        return set()
    done = git(where, "log", "--no-walk=unsorted", f"--format=%H%x00%(trailers:key={RETRAIN},valueonly,"
               "separator=%x1f)%x00", *commits, "--")
    fields = done.text.split("\0")
    skipped = set()
    for commit, values in zip(fields[0::2], fields[1::2]):
        said = [v.strip().lower() for v in values.split("\x1f") if v.strip()]
        if said and said[-1] == "no":
            skipped.add(commit.strip())
    return skipped


def _steps(blob: Optional[bytes]) -> Optional[list[Step]]:
    """The steps of an SOP's file as it was, or ``None`` when it did not read as an SOP then."""
    if blob is None:
        return None
    doc, problems = load_bytes(blob, "then.yml")
    if doc is None or any(p.severity == "error" for p in problems) or not isinstance(doc.data, dict):
        return None
    try:
        return list(Task.model_validate(doc.data).steps)
    except ValueError:
        return None
