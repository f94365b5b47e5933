"""Document control from git: each source file's version, effective date and revisions.

One ``git log`` process reads the history of every file under ``sops/``,
following renames, so that each SOP and role can show which version is in
force, since when, and what changed. Outside a git repository, or in a
shallow clone, it degrades to what it can know and says so once (``note``).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from .errors import BadEnvironment

_RECORD = "\x1e"  # separates commits in the log output
_FIELD = "\x1f"


@dataclass(frozen=True)
class Revision:
    """One commit that changed a file."""

    commit: str
    date: datetime
    author: str
    subject: str

    @property
    def short(self) -> str:
        return self.commit[:7]


@dataclass
class FileHistory:
    """The revisions of one file, newest first."""

    revisions: list[Revision] = field(default_factory=list)
    modified: bool = False
    """The working tree differs from the last commit (uncommitted changes)."""

    @property
    def version(self) -> int:
        """How many commits changed the file (its current name or an earlier one)."""
        return len(self.revisions)

    @property
    def effective(self) -> Optional[datetime]:
        """When the version in force was committed."""
        return self.revisions[0].date if self.revisions else None


@dataclass
class Change:
    """One commit in the changelog, with the source files it touched."""

    revision: Revision
    files: list[str]
    """Paths today of the files it changed."""
    gone: list[str] = field(default_factory=list)
    """Paths it changed of files that no longer exist."""


@dataclass
class History:
    """Every file's history under the sources folder, by path relative to the project."""

    files: dict[str, FileHistory] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    """Commits that touched the sources, newest first."""
    head_time: Optional[datetime] = None
    """When the last commit was made (the default reference time of a reproducible build)."""
    head: Optional[str] = None
    """The commit the history was read at."""
    source: tuple[str, str] = ("", "")
    """The project folder and sources folder it was read for."""
    note: Optional[str] = None
    """Why the history is missing or partial, said once to the user; ``None`` when complete."""

    def of(self, rel: str) -> FileHistory:
        return self.files.get(rel) or FileHistory()


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=120)


def read_history(root: Path, *, sops_dir: str = "sops", previous: Optional[History] = None) -> History:
    """The history of every file under ``root/sops_dir``, from one pass over ``git log``.

    With the ``previous`` history of the same project (as `sopgen serve` keeps it), the log is
    read again only when HEAD moved; uncommitted changes are always looked at afresh.
    """
    try:
        inside = _git(root, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository", "--show-prefix")
    except (OSError, subprocess.SubprocessError):
        return History(note="git is not installed: versions and revision history are left out")
    if inside.returncode != 0:
        return History(note="not a git repository: versions and revision history are left out")
    answers = inside.stdout.splitlines()
    shallow = answers[1:2] == ["true"]
    prefix = answers[2].strip() if len(answers) > 2 else ""  # the project's folder in the repository
    head = _git(root, "log", "-1", "--format=%H%x1f%ct")
    if head.returncode != 0 or not head.stdout.strip():  # a repository without commits yet
        return History(note="no commits yet: versions and revision history start with the first commit")
    commit, stamp = head.stdout.strip().split(_FIELD)
    source = (str(root.resolve()), sops_dir)
    if previous is not None and previous.head == commit and previous.source == source:
        history = History({path: FileHistory(h.revisions) for path, h in previous.files.items() if h.revisions},
                          previous.changes)
    else:
        log = _git(root, "log", "-M", "--no-merges", "--relative", "--name-status",
                   f"--format={_RECORD}%H{_FIELD}%ct{_FIELD}%an{_FIELD}%s", commit, "--", sops_dir)
        history = _parse(log.stdout, _current_files(root, sops_dir))
    history.head, history.head_time = commit, datetime.fromtimestamp(int(stamp), timezone.utc)
    history.source = source
    status = _git(root, "status", "--porcelain", "--", sops_dir)  # paths relative to the repository
    for line in status.stdout.splitlines():
        path = line[3:].split(" -> ")[-1].strip('"')
        if path.startswith(prefix):
            history.files.setdefault(path[len(prefix):], FileHistory()).modified = True
    if shallow:
        first = history.changes[-1].revision.date.date().isoformat() if history.changes else "?"
        history.note = (f"shallow clone: history starts at {first}, so versions count only the commits "
                        "present (fetch with --unshallow, or fetch-depth: 0 in CI, for the full count)")
    return history


def _current_files(root: Path, sops_dir: str) -> set[str]:
    listed = _git(root, "ls-files", "--", sops_dir)
    return set(listed.stdout.splitlines())


def _parse(output: str, current: set[str]) -> History:
    """Walk the log newest first; a rename makes older commits of the old name count for the new one."""
    history = History()
    alias = {path: path for path in current}  # name in the commit being read → path today
    for record in output.split(_RECORD)[1:]:
        header, _, body = record.partition("\n")
        commit, stamp, author, subject = header.split(_FIELD, 3)
        revision = Revision(commit, datetime.fromtimestamp(int(stamp), timezone.utc), author, subject)
        touched: list[str] = []
        gone: list[str] = []
        for line in body.splitlines():
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            status = parts[0]
            if status.startswith(("R", "C")) and len(parts) == 3:
                old, new = parts[1], parts[2]
                target = alias.get(new)
                if status.startswith("R"):
                    alias.pop(new, None)
                if target is not None:
                    alias[old] = target
            else:
                old = new = parts[1]
                target = alias.get(new)
                if status == "A":
                    alias.pop(new, None)  # older commits knew no file of that name (or another one)
            if target is not None:
                history.files.setdefault(target, FileHistory()).revisions.append(revision)
                touched.append(target)
            else:
                gone.append(new)
        history.changes.append(Change(revision, touched, gone))
    return history


def reference_time(history: History) -> datetime:
    """The time a build is "made at": SOURCE_DATE_EPOCH, else the last commit's, else now.

    Building the same commit twice thus gives the same dates everywhere (review
    status, PDF covers, MkDocs' sitemap), whatever the clock says.
    """
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    if history.head_time is not None:
        return history.head_time
    return datetime.now(timezone.utc)


LATEST_EPOCH = 2**32 - 1
"""2106-02-07 06:28:15 UTC: gzip headers (MkDocs' sitemap.xml.gz) hold the time in 32 bits."""


def source_date_epoch() -> Optional[datetime]:
    """The time SOURCE_DATE_EPOCH names, ``None`` when it is unset or empty.

    It must be a whole number of seconds since 1970 (reproducible-builds.org's
    specification), within the calendar: MkDocs reads it too, and would fail on
    anything else with an error of its own.
    """
    import os

    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 12 and int(text) <= LATEST_EPOCH):
        raise BadEnvironment(f"SOURCE_DATE_EPOCH is '{value}', which is not a time: set it to a whole number of "
                             f"seconds since 1970-01-01 UTC, from 0 to {LATEST_EPOCH}, or unset it")
    return datetime.fromtimestamp(int(text), timezone.utc)


def attach(catalog, history: History) -> None:  # noqa: ANN001 - Catalog, kept import-free
    """Give every role and task of ``catalog`` its ``history`` (a :class:`FileHistory`)."""
    catalog.history = history
    for entry in list(catalog.roles.values()) + list(catalog.tasks.values()):
        entry.history = history.of(entry.source.rel)
