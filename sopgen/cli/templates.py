"""``sopgen templates``: which templates exist, which file wins, and copying a default to adapt.

A template is found the way :func:`sopgen.text.templating.environment` finds it:
the project's ``templates/NAME`` first, then sopgen's default. The starter
files under ``init/`` are the exception: ``sopgen init`` runs before there is
a project, so only the defaults make them.
"""

from __future__ import annotations

import difflib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..core.errors import TemplateExists, UnknownTemplate
from ..text.templating import default_templates

PROJECT_FOLDER = "templates"
"""The folder of a project's overrides, beside mkdocs.yml."""


@dataclass(frozen=True)
class Candidate:
    """One place a template is looked for, in search order."""

    path: Path
    exists: bool
    wins: bool
    note: str = ""


TEMPLATE_SUFFIXES = (".j2", ".typ")


def default_names() -> list[str]:
    """Every default template, as the name an override uses: the pages' Jinja templates
    (``sop.md.j2``) and the PDFs' Typst ones (``pdf/handbook.typ``)."""
    root = default_templates()
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and p.suffix in TEMPLATE_SUFFIXES)


def check_name(name: str) -> str:
    """``name`` without a ``default:`` prefix; :class:`UnknownTemplate` (with a did-you-mean) if there is none."""
    name = name.removeprefix("default:")
    names = default_names()
    if name in names:
        return name
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
    hint = f" — did you mean '{close[0]}'?" if close else "; 'sopgen templates list' shows them all"
    raise UnknownTemplate(f"no template '{name}'{hint}")


def override_of(project_dir: Path, name: str) -> Optional[Path]:
    """The project's file that replaces the default ``name``, if it has one that is used."""
    path = project_dir / PROJECT_FOLDER / name
    return path if path.is_file() and not name.startswith("init/") and not _is_defaults(project_dir) else None


def _is_defaults(project_dir: Path) -> bool:
    """Whether the project's templates/ is sopgen's own (the example project in sopgen's repository)."""
    return (project_dir / PROJECT_FOLDER).resolve() == default_templates().resolve()


def listing(project_dir: Path) -> list[str]:
    """One line per default template: its name, and the project's file that overrides it."""
    lines = []
    for name in default_names():
        override = override_of(project_dir, name)
        if override is not None:
            name += f"  (overridden by {override.relative_to(project_dir).as_posix()})"
        elif name.startswith("init/"):
            name += "  (sopgen init only: not overridable)"
        lines.append(name)
    return lines


def explain(project_dir: Path, name: str) -> list[Candidate]:
    """Where ``name`` is looked for, most specific first, and which file wins."""
    name = check_name(name)
    own = project_dir / PROJECT_FOLDER / name
    default = default_templates() / name
    if name.startswith("init/"):
        return [Candidate(default, True, True, "sopgen init starts a project, so only the default is used")]
    if _is_defaults(project_dir):
        return [Candidate(default, True, True, "the project's templates/ is sopgen's own default folder")]
    overridden = own.is_file()
    return [
        Candidate(own, overridden, overridden, "" if (project_dir / PROJECT_FOLDER).is_dir()
                  else f"no {PROJECT_FOLDER}/ folder in the project"),
        Candidate(default, True, not overridden, f"also reachable as default:{name}"),
    ]


def eject(project_dir: Path, name: str, *, force: bool = False) -> Path:
    """Copy the default ``name`` into the project's ``templates/``, to adapt it there."""
    name = check_name(name)
    if name.startswith("init/"):
        raise UnknownTemplate(f"'{name}' makes new projects and cannot be overridden in one; "
                              "edit the files sopgen init wrote instead")
    target = project_dir / PROJECT_FOLDER / name
    if _is_defaults(project_dir):
        raise TemplateExists(f"this project's {PROJECT_FOLDER}/ is sopgen's own default folder: "
                             f"edit {PROJECT_FOLDER}/{name} there")
    if target.exists() and not force:
        raise TemplateExists(f"{PROJECT_FOLDER}/{name} already exists (use --force to replace it with the default)")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(default_templates() / name, target)
    return target
