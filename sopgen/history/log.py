"""Document control from git: each source file's version, effective date and revisions.

One ``git log`` process reads the history of every file under ``sops/``
(one more for each submodule among them), following renames, so that each SOP
and role can show which version is in force, since when, and what changed.
Outside a git repository, or in a shallow clone, it degrades to what it can
know and says so once (``note``). Git runs through :mod:`sopgen.history.git`.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Iterator, Optional

from ..core.errors import BadEnvironment
from ..text.i18n import N_  # the notes the changelog page shows, in its language
from .git import GitUnavailable, git


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
    paths: dict[str, str] = field(default_factory=dict)
    """The file's path (from the project) in each of its revisions, by commit: renames change it."""

    @property
    def version(self) -> int:
        """How many commits changed the file (its current name or an earlier one)."""
        return len(self.revisions)

    def version_on(self, day: date) -> int:
        """The version in force on ``day``: how many of its commits were made by then (their committer's date)."""
        return sum(1 for revision in self.revisions if revision.date.date() <= day)

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
    submodules: list[str] = field(default_factory=list)
    """Submodules inside the sources folder, whose own histories were read into this one."""
    made_at: Optional[datetime] = None
    """The time of the build that reads this history, once :func:`reference_time` decided it."""

    def of(self, rel: str) -> FileHistory:
        return self.files.get(rel) or FileHistory()


def read_history(root: Path, *, sops_dir: str = "sops", previous: Optional[History] = None) -> History:
    """The history of every file under ``root/sops_dir``, from one pass over ``git log``.

    Git runs in the sources folder, so that sources kept in a repository of their own
    (a submodule) bring their own history. A change counts from when it reached the
    checked-out branch: a merge is one revision, dated when it was merged (the first-parent
    line), and every date is the committer's, in the commit's own time zone.
    With the ``previous`` history of the same project (as `sopgen serve` keeps it), the log is
    read again only when HEAD moved; uncommitted changes are always looked at afresh.
    """
    if previous is not None and previous.submodules:
        previous = None  # it holds the submodules' histories too: read them all afresh
    try:
        return _read(Path(root), sops_dir, previous)
    except GitUnavailable as exc:
        return History(note=f"{exc}: versions and revision history are left out")


def _read(root: Path, sops_dir: str, previous: Optional[History]) -> History:
    sources = root / sops_dir
    where, base = (sources, PurePosixPath(sops_dir)) if sources.is_dir() else (root, PurePosixPath())
    inside = git(where, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository", "--show-prefix",
                 "--show-toplevel")
    if not inside.ok:
        return History(note=N_("not a git repository: versions and revision history are left out"))
    answers = inside.fields()[0].split("\n")
    shallow = answers[1:2] == ["true"]
    prefix = answers[2] if len(answers) > 2 else ""  # the sources' folder in their repository
    top = Path(answers[3]) if len(answers) > 3 and answers[3] else None
    head = git(where, "log", "-1", "--format=%H%x00%cI")
    if not head.ok or not head.stdout.strip():  # a repository without commits yet
        return History(note=N_("no commits yet: versions and revision history start with the first commit"))
    commit, stamp = head.text.strip().split("\0")
    source = (str(root.resolve()), sops_dir)
    if previous is not None and previous.head == commit and previous.source == source:
        history = History({path: FileHistory(h.revisions, paths=h.paths)
                           for path, h in previous.files.items() if h.revisions},
                          previous.changes)
    else:
        current, submodules = _current_files(where, base)
        log = git(where, "log", "-z", "-M", "--first-parent", "-m", "--relative", "--name-status",
                  "--format=%x00%H%x00%cI%x00%an%x00%s", commit, "--", ".")
        history = _parse(log.fields(), current, base, submodules=set(submodules))
        history.submodules = submodules
    project = root.resolve()
    if top is not None and top != project and top.is_relative_to(project):
        # sources in a repository of their own (a submodule): the build is dated by the project's last commit
        outer = git(root, "log", "-1", "--format=%cI")
        stamp = outer.text.strip() if outer.ok and outer.text.strip() else stamp
    history.head, history.head_time = commit, datetime.fromisoformat(stamp)
    history.source = source
    _mark_modified(history, where, base, prefix)
    notes = [_shallow_note(history) if shallow else None]
    for path in history.submodules:  # a submodule inside the sources: its own repository, its own log
        if (root / path / ".git").exists():  # (one not checked out has no files to give a history to)
            inner = _read(root, path, None)
            history.files.update(inner.files)
            history.changes = list(heapq.merge(history.changes, inner.changes, key=lambda c: c.revision.date,
                                               reverse=True))
            notes.append(inner.note)
    history.note = "; ".join(note for note in notes if note) or None
    return history


def _mark_modified(history: History, where: Path, base: PurePosixPath, prefix: str) -> None:
    """Flag the files with uncommitted changes (``git status`` gives paths from the repository's top)."""
    fields = iter(git(where, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", ".").fields())
    for entry in fields:  # "XY path", then the old path of a rename or copy
        if entry[:1] in ("R", "C") or entry[1:2] in ("R", "C"):
            next(fields, None)
        path = entry[3:]
        if path and path.startswith(prefix):
            history.files.setdefault((base / path[len(prefix):]).as_posix(), FileHistory()).modified = True


def _shallow_note(history: History) -> str:
    first = history.changes[-1].revision.date.date().isoformat() if history.changes else "?"
    return (f"shallow clone: history starts at {first}, so versions count only the commits "
            "present (fetch with --unshallow, or fetch-depth: 0 in CI, for the full count)")


def _current_files(where: Path, base: PurePosixPath) -> tuple[set[str], list[str]]:
    """The files git tracks under the sources (paths from the project), and the submodules among them."""
    files: set[str] = set()
    submodules: list[str] = []
    for entry in git(where, "ls-files", "-z", "--stage", "--", ".").fields():
        mode, _, path = entry.partition("\t")  # "mode object stage<TAB>path"
        if path:
            (submodules.append if mode.startswith("160000") else files.add)((base / path).as_posix())
    return files, submodules


_HASH = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")


def _records(fields: list[str]) -> Iterator[tuple[list[str], list[str]]]:
    """(header, name-status fields) of each commit in ``git log -z`` output.

    A commit starts with an empty field and its hash: no path or status is ever empty.
    """
    starts = [i for i in range(len(fields) - 4) if fields[i] == "" and _HASH.fullmatch(fields[i + 1])]
    for start, end in zip(starts, [*starts[1:], len(fields)]):
        yield fields[start + 1:start + 5], [f for f in fields[start + 5:end] if f]


def _text(field: str) -> str:
    """A name or message read as a file name, shown as text (undecodable bytes as �)."""
    return field.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _parse(fields: list[str], current: set[str], base: PurePosixPath = PurePosixPath(), *,
           submodules: frozenset[str] | set[str] = frozenset()) -> History:
    """Walk the log newest first; a rename makes older commits of the old name count for the new one.

    A commit that only moved ``submodules`` to other commits of theirs is left out: their own
    histories tell what changed.
    """
    history = History()
    alias = {path: path for path in current}  # name in the commit being read → path today
    for header, body in _records(fields):
        commit, stamp, author, subject = header
        revision = Revision(commit, datetime.fromisoformat(stamp), _text(author), _text(subject))
        touched: list[str] = []
        gone: list[str] = []
        entries = iter(body)
        for status in entries:
            status = status.strip()
            if status.startswith(("R", "C")):
                old, new = (base / next(entries, "")).as_posix(), (base / next(entries, "")).as_posix()
                target = alias.get(new)
                if status.startswith("R"):
                    alias.pop(new, None)
                if target is not None:
                    alias[old] = target
            else:
                old = new = (base / next(entries, "")).as_posix()
                if new in submodules:
                    continue
                target = alias.get(new)
                if status == "A":
                    alias.pop(new, None)  # older commits knew no file of that name (or another one)
            if target is not None:
                file = history.files.setdefault(target, FileHistory())
                if file.revisions[-1:] != [revision]:  # a commit counts once, however many of its entries lead here
                    file.revisions.append(revision)
                    file.paths[commit] = new
                if target not in touched:
                    touched.append(target)
            else:
                gone.append(_text(new))
        if touched or gone:
            history.changes.append(Change(revision, touched, gone))
    return history


def reference_time(history: Optional[History] = None) -> datetime:
    """The time a build is "made at": SOURCE_DATE_EPOCH, else the last commit's, else now.

    Building the same commit twice thus gives the same dates everywhere (review
    status, PDF covers, MkDocs' sitemap), whatever the clock says. This is the one
    "today" of sopgen, decided once per ``history`` (per build: the CLI hands its
    history to the plugin) and kept on it, so that what validates a build and what
    writes its pages and PDFs cannot disagree. A commit's time keeps its own time
    zone, so its date is the one its committer saw; now is local.
    """
    if history is not None and history.made_at is not None:
        return history.made_at
    made_at = source_date_epoch()
    if made_at is None and history is not None and history.head_time is not None:
        made_at = history.head_time
    if made_at is None:
        made_at = datetime.now().astimezone()
    if history is not None:
        history.made_at = made_at
    return made_at


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
    from ..core.catalog import unnamed_revision

    unnamed = catalog.unnamed  # private training records: no person named by a revision either
    hidden: dict[Revision, Revision] = {}  # a commit that changed many files is redacted once
    for entry in list(catalog.roles.values()) + list(catalog.tasks.values()):
        found = history.of(entry.source.rel)
        if unnamed is None:
            entry.history = found
            continue
        for revision in found.revisions:
            if revision not in hidden:
                hidden[revision] = unnamed_revision(revision, unnamed)
        entry.history = FileHistory([hidden[r] for r in found.revisions], found.modified, found.paths)

