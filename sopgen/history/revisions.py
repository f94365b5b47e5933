"""The sources as they were at a tag or commit, read with git.

:func:`catalog_at` reads the project at a revision with one ``git archive``;
:func:`renamed_tasks` lists the task files renamed since; :func:`describe_rev`
names a revision for people ("v1 (3f2a9c1, 2026-10-01)").
"""

from __future__ import annotations

import os
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..core.catalog import Catalog
from ..core.errors import SopgenError
from ..core.loader import YAML_SUFFIXES, load
from .git import GitUnavailable, Output, git, stream


class ChangesError(SopgenError):
    """A repository or revision that ``sopgen changes`` cannot compare with."""


@dataclass(frozen=True)
class NamedRevision:
    """A revision the user names (``sopgen changes v1.0``), resolved to its commit and the project's place
    in the repository; not a commit of a file's history (:class:`sopgen.history.log.Revision`)."""

    name: str
    """The revision as the user wrote it: ``v1.0``, ``HEAD~3``, a hash."""
    commit: str
    top: Path
    """The repository's top folder."""
    prefix: str
    """The project folder inside the repository: ``""`` or ``"handbook/"``."""


def _git(root: Path, *args: str) -> Output:
    try:
        return git(root, *args)
    except GitUnavailable as exc:
        raise ChangesError(f"{exc}: `sopgen changes` needs git") from None


def resolve(root: Path, rev: "str | NamedRevision") -> NamedRevision:
    """The commit ``rev`` names, and where the project is in its repository (one ``git rev-parse``).

    A :class:`NamedRevision` already resolved is returned as it is, so that a command that asks
    several questions of one revision resolves it once.
    """
    if isinstance(rev, NamedRevision):
        return rev
    done = _git(root, "rev-parse", "--show-toplevel", "--show-prefix", "--is-shallow-repository",
                "--verify", "--quiet", f"{rev.lstrip('-')}^{{commit}}")  # never an option, even in old gits
    lines = os.fsdecode(done.stdout).splitlines()
    if len(lines) < 3:  # git stopped before printing where the repository is
        if "not a git repository" in done.stderr:
            raise ChangesError(f"{root} is not in a git repository: `sopgen changes` compares the SOPs with "
                               "an earlier commit, so keep the project in git (`git init`, then commit)")
        raise ChangesError(f"git cannot read the repository at {root}: {done.stderr.strip()}")
    if done.returncode != 0 or len(lines) < 4 or rev.startswith("-"):
        shallow = (" (this is a shallow clone: fetch the history with `git fetch --unshallow --tags`)"
                   if lines[2] == "true" else "")
        raise ChangesError(f"'{rev}' is not a commit or tag of this repository: "
                           f"try `git tag` or `git log --oneline`{shallow}")
    return NamedRevision(name=rev, commit=lines[3], top=Path(lines[0]), prefix=lines[1])


def catalog_at(root: Path, rev: "str | NamedRevision", *, sops_dir: str = "sops") -> Catalog:
    """The project's sources as they were at ``rev``: one ``git archive``, then :func:`load`.

    A revision from before the sources folder existed gives an empty catalog.
    Files that did not validate at ``rev`` are missing from it, as :func:`load`
    leaves them. The entries' source paths point into a temporary folder that is
    gone once this returns; media are left out (the comparison needs the YAML only).
    """
    revision = resolve(root, rev)
    with tempfile.TemporaryDirectory(prefix="sopgen-changes-") as tmp:
        project = Path(tmp) / Path(root).resolve().name  # same name: the same default organization name
        _extract_sources(revision, sops_dir, project)
        (project / sops_dir).mkdir(parents=True, exist_ok=True)
        return load(project, sops_dir=sops_dir)


@dataclass(frozen=True)
class _Sources:
    """Where the sources were at a revision: the repository holding them (the project's, or
    a submodule's), its commit then, the sources' path in it, and the project's prefix in it."""

    top: Path
    commit: str
    inside: str
    prefix: str
    within: str = ""
    """The submodule's folder in the project (``"sops/"``), or ``""``."""


def _sources_at(revision: NamedRevision, sops_dir: str) -> _Sources:
    """Follow a submodule that held the sources at ``revision`` (git's own tree has only its commit)."""
    inside = revision.prefix + PurePosixPath(sops_dir).as_posix()
    parts = PurePosixPath(inside).parts
    ancestors = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    for path, commit in _gitlinks(revision.top, revision.commit, *ancestors):
        if path.startswith(revision.prefix):
            return _Sources(revision.top / path, commit, inside[len(path) + 1:] or ".", "",
                            within=path[len(revision.prefix):] + "/")
    return _Sources(revision.top, revision.commit, inside, revision.prefix)


def _gitlinks(top: Path, commit: str, *paths: str, recursive: bool = False) -> list[tuple[str, str]]:
    """(path, commit) of the submodules among ``paths`` at ``commit`` (or anywhere under them)."""
    found = []
    for entry in _git(top, "ls-tree", *(["-r"] if recursive else []), "-z", commit, "--", *paths).fields():
        meta, _, path = entry.partition("\t")  # "mode type object<TAB>path"
        mode, _, rest = meta.partition(" ")
        if mode == "160000":
            found.append((path, rest.partition(" ")[2]))
    return found


def _extract_sources(revision: NamedRevision, sops_dir: str, project: Path) -> None:
    """Write the YAML files under ``sops_dir`` at ``revision`` into ``project``, streamed from ``git archive``."""
    _extract(_sources_at(revision, sops_dir), revision, project)


def _submodules_in(where: _Sources) -> list[_Sources]:
    """The submodules inside the sources at ``where``, each at the commit it was at then."""
    return [_Sources(where.top / path, commit, ".", "", within=where.within + path[len(where.prefix):] + "/")
            for path, commit in _gitlinks(where.top, where.commit, where.inside, recursive=True)
            if path.startswith(where.prefix)]


def _extract(where: _Sources, revision: NamedRevision, project: Path) -> None:
    """Write the YAML files of one repository's sources (then of the submodules among them) into ``project``."""
    unreadable: tarfile.TarError | None = None
    with tempfile.TemporaryFile() as errors:
        try:
            archive = stream(where.top, "archive", "--format=tar", where.commit, "--", where.inside, stderr=errors)
        except GitUnavailable as exc:
            raise ChangesError(f"{exc}: `sopgen changes` needs git") from None
        with archive:
            try:
                with tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
                    for member in tar:
                        rel = _source_path(member, where.prefix)
                        data = tar.extractfile(member) if rel is not None else None
                        if rel is not None and data is not None:
                            target = project / where.within / rel
                            target.parent.mkdir(parents=True, exist_ok=True)
                            target.write_bytes(data.read())
            except tarfile.TarError as exc:  # an empty stream when git failed: its message says why
                unreadable = exc
            archive.communicate()
        errors.seek(0)
        message = errors.read().decode("utf-8", "replace").strip()
    if archive.returncode != 0 and "did not match any files" in message:
        return  # the sources folder did not exist yet at that revision
    if archive.returncode != 0 and where.within:
        raise ChangesError(f"{where.within.rstrip('/')} is a git submodule, and its commit {where.commit[:7]} of "
                           f"'{revision.name}' is not in it here: run `git submodule update --init`, or fetch "
                           f"in {where.within.rstrip('/')} ({message})")
    if archive.returncode != 0 or unreadable is not None:
        raise ChangesError(f"cannot read the sources at {revision.commit[:7]}: {message or unreadable}")
    for submodule in _submodules_in(where):
        _extract(submodule, revision, project)


def _source_path(member: tarfile.TarInfo, prefix: str) -> PurePosixPath | None:
    """Where a file of the archive goes in the project's copy; ``None`` to leave it out."""
    if not member.isfile() or not member.name.startswith(prefix):
        return None
    rel = PurePosixPath(member.name[len(prefix):])
    if rel.is_absolute() or ".." in rel.parts or rel.suffix not in YAML_SUFFIXES:
        return None
    return rel


def renamed_tasks(root: Path, rev: "str | NamedRevision", *, sops_dir: str = "sops") -> dict[str, str]:
    """Old task id → new task id, for task files renamed between ``rev`` and the working tree.

    Git sees a rename when the new file is tracked (``git mv``, or ``git add``)
    and still looks like the old one; otherwise the task reads as removed and added.
    """
    revision = resolve(root, rev)
    where = _sources_at(revision, sops_dir)
    done = _git(where.top, "diff", "--name-status", "-M", "-z", "--no-ext-diff",
                where.commit, "--", f"{where.inside}/tasks")
    if done.returncode != 0:
        raise ChangesError(f"git cannot compare with '{rev}': {done.stderr.strip()}")
    renames: dict[str, str] = {}
    fields = iter(done.fields())
    for status in fields:
        paths = [PurePosixPath(next(fields, ""))]
        if status.startswith(("R", "C")):  # a rename or copy lists the old path, then the new
            paths.append(PurePosixPath(next(fields, "")))
        if (status.startswith("R") and paths[0].stem != paths[1].stem
                and all(p.suffix in YAML_SUFFIXES for p in paths)):
            renames[paths[0].stem] = paths[1].stem
    return renames


def describe_rev(root: Path, rev: "str | NamedRevision") -> str:
    """``rev`` as a reader sees it: ``v1.0 (3f2a9c1, 2026-10-01)``, the date of its commit."""
    revision = resolve(root, rev)
    name = revision.name
    done = _git(root, "log", "-1", "--date=short", "--format=%h%x1f%cd",
                revision.commit, "--")
    short, _, day = done.text.strip().partition("\x1f")
    if len(name) >= 4 and revision.commit.startswith(name.lower()):  # a hash already: do not repeat it
        return f"{short} ({day})"
    return f"{name} ({short}, {day})"

