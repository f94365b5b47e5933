"""Which files the editor may read and write: the one rule, in one place.

A path comes from a browser, so it is taken as hostile: it must be relative, name a file sopgen
reads as a source (``organization.yml``, ``roles/*.yml``, ``tasks/*.yml``, ``people/*.yml``
under ``sops/``), and stay inside ``sops/`` once every link is followed. Anything else is
refused with a sentence saying why, before any file is opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ...core.errors import SopgenError
from ...core.fields import ID_PATTERN

SUFFIXES = (".yml", ".yaml")
FOLDERS = {"roles": "role", "tasks": "task", "people": "person"}
"""The folders of sops/ whose files the editor edits, and the kind of file each holds."""


class Refused(SopgenError):
    """A request the editor will not carry out; ``status`` is the HTTP status that says why."""

    def __init__(self, status: int, message: str, **details: object) -> None:
        self.status = status
        self.details = details
        """More for the form: the problems found, or both versions of a file changed meanwhile."""
        super().__init__(message)


@dataclass(frozen=True)
class Place:
    """A source file the editor may write: where it is, how messages name it, and its kind."""

    file: Path
    rel: str
    """Its path from the project folder, with forward slashes (``sops/tasks/x.yml``), as problems name it."""
    kind: str
    """``organization``, ``role``, ``task`` or ``person``: which schema and model it follows."""


def place(project: Path, sops: Path, requested: object) -> Place:
    """The source file that ``requested`` (``sops/tasks/x.yml``, from the project folder) names,
    or :class:`Refused` (403) when it names anything else."""
    if not isinstance(requested, str) or not requested:
        raise Refused(400, "say which file: 'path' must be a path such as 'sops/tasks/my-sop.yml'")
    if "\\" in requested or "\0" in requested or "%" in requested:
        raise Refused(403, f"'{_shown(requested)}' is not a path the editor writes: use '/' between folders, "
                           "and no '\\', '%' or NUL")
    path = PurePosixPath(requested)
    if path.is_absolute() or re.match(r"^[A-Za-z]:", requested):
        raise Refused(403, f"'{_shown(requested)}' is an absolute path: the editor writes only inside sops/, "
                           "named from the project folder (sops/tasks/my-sop.yml)")
    if ".." in path.parts:
        raise Refused(403, f"'{_shown(requested)}' goes up a folder ('..'): the editor writes only inside sops/")
    sops_rel = sops.relative_to(project).as_posix()
    inner = path.parts[len(PurePosixPath(sops_rel).parts):]
    if path.parts[:len(PurePosixPath(sops_rel).parts)] != PurePosixPath(sops_rel).parts or not inner:
        raise Refused(403, f"'{_shown(requested)}' is outside {sops_rel}/: the editor writes only the "
                           "project's source files")
    kind = _kind(inner)
    if kind is None:
        raise Refused(403, f"'{_shown(requested)}' is not a source file sopgen reads: the editor writes "
                           f"{sops_rel}/organization.yml, {sops_rel}/roles/ID.yml, {sops_rel}/tasks/ID.yml "
                           f"and {sops_rel}/people/ID.yml")
    file = sops.joinpath(*inner)
    real_sops = sops.resolve()
    if not file.resolve().is_relative_to(real_sops) or not file.parent.resolve().is_relative_to(real_sops):
        raise Refused(403, f"'{_shown(requested)}' is a link to a file outside {sops_rel}/: the editor writes "
                           f"only inside {sops_rel}/")
    return Place(file, path.as_posix(), kind)


MEDIA = "media"
"""The folder of sops/ that uploaded images go to; steps name them ``media/NAME``."""
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".webp": "image/webp", ".svg": "image/svg+xml"}
"""The images the editor takes, by suffix, with the type a browser sends for each."""


def media_place(sops: Path, name: object) -> Path:
    """Where an uploaded image named ``name`` goes: ``sops/media/NAME``, a plain file name with an image's
    suffix, the folder inside ``sops/`` once links are followed; or :class:`Refused` (403)."""
    if not isinstance(name, str) or not re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", name) or ".." in name:
        raise Refused(403, f"'{_shown(str(name))}' is not a name the editor gives an image: use letters, digits, "
                           "'.', '-' and '_' (receipt-form.png), no folders")
    suffix = PurePosixPath(name).suffix
    if suffix not in IMAGE_TYPES:
        raise Refused(403, f"'{_shown(name)}' is not an image the editor takes: the name must end in "
                           f"{', '.join(IMAGE_TYPES)}, in lower case")
    folder = sops / MEDIA
    if not folder.resolve().is_relative_to(sops.resolve()) or (folder / name).is_symlink():
        raise Refused(403, f"sops/{MEDIA}/ (or {name} in it) is a link out of sops/: the editor writes only inside sops/")
    return folder / name


def _kind(inner: tuple[str, ...]) -> str | None:
    name = PurePosixPath(inner[-1])
    if name.suffix not in SUFFIXES:
        return None
    if len(inner) == 1:
        return "organization" if name.stem == "organization" else None
    if len(inner) == 2 and inner[0] in FOLDERS and re.match(ID_PATTERN, name.stem):
        return FOLDERS[inner[0]]
    return None


def _shown(requested: str) -> str:
    return requested if len(requested) <= 80 and requested.isprintable() else repr(requested[:80])
