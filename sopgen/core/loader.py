"""Finding a project, reading its files and checking each one against the models.

``load(project_dir)`` reads every source file into a :class:`~sopgen.core.catalog.Catalog`.
Problems that one file shows on its own (YAML, unknown or missing fields, wrong
types) are collected on the catalog; the checks across files are in
:mod:`sopgen.core.validate`.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import os
import re
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from pydantic import BaseModel, ValidationError

from .catalog import Catalog
from .entries import PersonEntry, RoleEntry, Source, TaskEntry
from .errors import Problem, ProjectNotFound
from .fields import ID_PATTERN, suggested_id, taken_id
from .model import Organization, Person, Role, Task
from .walk import model_at
from .yamldoc import Document
from .yamlhints import key_and_value
from .yamlsource import load_bytes, load_file, read_bytes

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")
YAML_SUFFIXES = (".yml", ".yaml")
ReadCache = dict
"""Files already read, by path: (digest of the bytes, what reading gave). See :func:`load`."""


def find_config(config_file: str | Path | None = None, *, cwd: Path | None = None) -> Path:
    """The project's ``mkdocs.yml``: the one given, or the one in ``cwd``, like MkDocs."""
    if config_file is not None:
        path = Path(config_file)
        if not path.is_file():
            raise ProjectNotFound(f"config file '{config_file}' does not exist")
        return path.resolve()
    here = cwd or Path.cwd()
    for name in CONFIG_NAMES:
        if (here / name).is_file():
            return (here / name).resolve()
    raise ProjectNotFound(
        f"no mkdocs.yml in {here}: run sopgen in a project folder, pass -f path/to/mkdocs.yml, "
        "or start a project with 'sopgen init DIR'"
    )


def load(project_dir: Path, *, sops_dir: str = "sops", cache: Optional[ReadCache] = None,
         replaced: Optional[dict[Path, bytes]] = None) -> Catalog:
    """Read the project whose sources are in ``project_dir/sops_dir``.

    With a ``cache`` (a dict kept between calls, as `sopgen serve` does), a file whose
    bytes are unchanged is not parsed again. ``replaced`` holds the bytes to read instead of
    those of a file on disk (the editor checks what a form would save before saving it).
    """
    replaced = replaced or {}
    project_dir = Path(project_dir).resolve()
    sops = project_dir / sops_dir
    if not sops.is_dir():
        raise ProjectNotFound(
            f"no '{sops_dir}' folder in {project_dir}: create it with roles/ and tasks/ inside, "
            "or start a project with 'sopgen init DIR'"
        )
    catalog = Catalog(project_dir, sops)
    org_files = [sops / f"organization{s}" for s in YAML_SUFFIXES if (sops / f"organization{s}").is_file()]
    if org_files:
        source, data = _read(catalog, org_files[0], Organization, cache, replaced.get(org_files[0]))
        if data is not None:
            catalog.organization, catalog.organization_source = data, source
    seen: dict[tuple[str, str], str] = {}  # (folder, lower-case id) → file that defined it
    read = set(org_files[:1])
    for folder, kind, model, entry_cls, table in (
        ("roles", "role", Role, RoleEntry, catalog.roles),
        ("tasks", "task", Task, TaskEntry, catalog.tasks),
        ("people", "person", Person, PersonEntry, catalog.people),
    ):
        for file in _yaml_files(sops / folder, new=[f for f in replaced if f.parent == sops / folder]):
            read.add(file)
            source, data = _read(catalog, file, model, cache, replaced.get(file))
            ident = file.stem
            if source is None:  # unreadable: report it once, not again at every reference
                catalog.broken.add((folder, ident))
                continue
            if not re.match(ID_PATTERN, ident):
                catalog.problems.append(Problem(
                    source.rel, 1, 1, "",
                    f"'{file.name}' is not a valid id: name files in lower-case letters, digits and "
                    f"hyphens, e.g. '{suggested_id(ident) or 'my-id'}{file.suffix}'",
                ))
                continue
            taken = taken_id(kind, ident)
            if taken is not None:
                catalog.problems.append(Problem(source.rel, 1, 1, "", f"{taken[0]}: rename the file, e.g. "
                                                f"'{taken[1]}{file.suffix}' (and the references to it)"))
                catalog.broken.add((folder, ident))  # references to it are not reported again
                continue
            clash = seen.get((folder, ident.lower()))
            if clash is not None:
                catalog.problems.append(Problem(
                    source.rel, 1, 1, "",
                    f"{kind} id '{ident}' is also defined by {clash}; rename or remove one",
                ))
                continue
            seen[(folder, ident.lower())] = source.rel
            if data is not None:
                table[ident] = entry_cls(ident, source, data)
            else:
                catalog.broken.add((folder, ident))
    catalog.problems += unread_files(catalog, read)
    catalog.resolve()
    return catalog


SOURCE_FOLDERS = ("roles", "tasks", "people")
NOT_SOURCES = ("media", "locale")
"""Folders of sops/ whose files are not YAML sources: images, translations."""
UNREAD = "unread-file"
"""The rule of the warning for a YAML file under sops/ that sopgen does not read."""


def unread_files(catalog: Catalog, read: set[Path]) -> list[Problem]:
    """A warning for each YAML file under ``sops/`` that is not read: in a subfolder of
    ``tasks/``, in a misspelt folder (``task/``), with a suffix in capitals (``.YML``), or
    anywhere sopgen does not look. Such a file would otherwise be skipped in silence, and the
    SOP its author wrote would be missing from the site with no word said."""
    found = []
    for path in _walk(catalog.sops):
        if path.suffix.lower() not in YAML_SUFFIXES or path in read:
            continue
        rel = path.relative_to(catalog.sops)
        shown = path.relative_to(catalog.root).as_posix()
        found.append(Problem(shown, 0, 0, "", f"not read: {_why_unread(catalog, rel)}",
                             severity="warning", rule=UNREAD))
    return found


def _walk(folder: Path) -> Iterator[Path]:
    """Every file under ``folder``, hidden ones and those of :data:`NOT_SOURCES` left out."""
    for dirpath, dirnames, filenames in os.walk(folder):
        top = Path(dirpath) == folder
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (top and d in NOT_SOURCES))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath, name)


def _why_unread(catalog: Catalog, rel: Path) -> str:
    sops = catalog.sops.relative_to(catalog.root).as_posix()
    suffix = rel.suffix.lower()
    if rel.suffix not in YAML_SUFFIXES:
        return f"the name must end in '{suffix}', in lower case; rename it to '{rel.stem}{suffix}'"
    parts = rel.parts
    if len(parts) == 1:
        if rel.stem == "organization":
            return f"{sops}/{catalog.organization_source.file.name if catalog.organization_source else 'organization.yml'} is read instead; keep one of the two"
        close = difflib.get_close_matches(rel.stem, ["organization"], n=1, cutoff=0.7)
        if close:
            return f"did you mean {sops}/organization{suffix}? Rename it"
        return _what_is_read(sops)
    if parts[0] in SOURCE_FOLDERS:
        return (f"only the files directly in {sops}/{parts[0]}/ are read, not those in subfolders; "
                f"move it to {sops}/{parts[0]}/{rel.name}")
    close = difflib.get_close_matches(parts[0].lower(), SOURCE_FOLDERS, n=1, cutoff=0.6)
    if close:
        return f"{sops}/{parts[0]}/ is not a folder sopgen reads — did you mean {sops}/{close[0]}/? Move the file there"
    return _what_is_read(sops)


def _what_is_read(sops: str) -> str:
    return (f"sopgen reads {sops}/organization.yml, {sops}/roles/*.yml, {sops}/tasks/*.yml and "
            f"{sops}/people/*.yml; move it into roles/, tasks/ or people/, or remove it")


def _yaml_files(folder: Path, *, new: Iterable[Path] = ()) -> list[Path]:
    """The source files of ``folder``, with ``new`` ones (read from given bytes) among them."""
    found = {p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file()} if folder.is_dir() else set()
    return sorted(found | {p for p in new if p.suffix in YAML_SUFFIXES})


def _read(catalog: Catalog, file: Path, model: type[BaseModel],
          cache: Optional[ReadCache], raw: Optional[bytes] = None) -> tuple[Source | None, Any]:
    if not _inside(file, catalog.sops):
        # a link committed to the repository must not publish (or quote in errors) a file of the machine
        rel = file.relative_to(catalog.root).as_posix()
        catalog.problems.append(Problem(rel, 1, 1, "", "the file is a link to a file outside sops/, "
                                                       "which sopgen does not read; put the file itself here"))
        return None, None
    if raw is not None:
        return _read_now(catalog, file, model, raw=raw)  # not cached: it is not what the file holds
    if cache is None:
        return _read_now(catalog, file, model)
    try:
        raw = read_bytes(file)
    except OSError:
        return _read_now(catalog, file, model)
    # Keyed on the content, not on size and time of change: a save of the same size within
    # the file system's time resolution (or by a tool that keeps times) is a change all the same.
    digest = hashlib.blake2b(raw, digest_size=16).digest()
    known = cache.get(file)
    if known is not None and known[0] == digest:
        source, data, problems = known[1]
        catalog.problems.extend(problems)
        return source, data
    before = len(catalog.problems)
    source, data = _read_now(catalog, file, model, raw=raw)
    cache[file] = (digest, (source, data, catalog.problems[before:]))
    return source, data


def _inside(file: Path, folder: Path) -> bool:
    """Whether ``file``, links followed, lies in ``folder``: a link committed to a repository must
    not publish (or quote in errors) a file of the machine. Folders are resolved once each; a file
    only when it is a link itself."""
    if file.is_symlink():
        return file.resolve().is_relative_to(_real(folder))
    return _real(file.parent).is_relative_to(_real(folder))


@functools.lru_cache(maxsize=256)
def _real(folder: Path) -> Path:
    return folder.resolve()


def _read_now(catalog: Catalog, file: Path, model: type[BaseModel],
              raw: Optional[bytes] = None) -> tuple[Source | None, Any]:
    rel = file.relative_to(catalog.root).as_posix()
    doc, problems = load_file(file, rel) if raw is None else load_bytes(raw, rel)
    catalog.problems.extend(problems)
    if doc is None:
        return None, None
    source = Source(file, rel, doc)
    if any(p.severity == "error" for p in problems):  # a value was refused; checking the shape now would only repeat it
        return source, None
    if not isinstance(doc.data, dict):
        catalog.problems.append(doc.problem((), f"expected a mapping of fields (such as 'title: ...'), got {describe(doc.data)}"))
        return source, None
    try:
        return source, model.model_validate(doc.data)
    except ValidationError as exc:
        catalog.problems.extend(translate(exc, doc, model))
        return source, None


# -- pydantic's errors, in the author's words ---------------------------------------------

def translate(exc: ValidationError, doc: Document, model: type[BaseModel]) -> list[Problem]:
    """One :class:`Problem` per pydantic error, located in ``doc``."""
    return [_translate(err, doc, model) for err in exc.errors(include_url=False)]


def _translate(err: Any, doc: Document, model: type[BaseModel]) -> Problem:
    loc = tuple(err["loc"])
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    name = loc[-1] if loc else ""
    if kind == "missing":
        return doc.problem(loc, "required field is missing; add it")
    if kind == "extra_forbidden":
        known = list((model_at(model, loc[:-1]) or model).model_fields)
        close = difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"the fields here are: {', '.join(known)}"
        return doc.problem(loc, f"unknown field '{name}' — {hint}", key=True)
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        close = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.6)
        hint = f" — did you mean '{close[0]}'?" if close else ""
        return doc.problem(loc, f"{describe(value)} is not one of: {', '.join(allowed)}{hint}")
    if kind == "value_error":
        return doc.problem(loc, str(ctx.get("error", err["msg"])))
    if kind == "string_type":
        quote = " (put it in quotes to keep it as text)" if isinstance(value, bool) or value is None else ""
        return doc.problem(loc, f"expected text, got {describe(value)}{quote}{key_and_value(doc, loc, value)}")
    if kind == "bool_type":
        return doc.problem(loc, f"expected true or false, got {describe(value)}")
    if kind == "list_type":
        hint = " (write each item on its own line, starting with '- ')" if isinstance(value, str) else ""
        return doc.problem(loc, f"expected a list, got {describe(value)}{hint}")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        if name == "rate":
            return doc.problem(loc, f"expected a number or {{min, max}}, got {describe(value)}")
        return doc.problem(loc, f"expected a mapping of fields, got {describe(value)}")
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"):
        what = "a whole number" if kind.startswith("int") else "a number"
        return doc.problem(loc, f"expected {what}, got {describe(value)}")
    if kind == "too_short":
        return doc.problem(loc, f"needs at least {ctx['min_length']} item{'s' if ctx['min_length'] != 1 else ''}, "
                                f"has {ctx['actual_length']}")
    if kind in ("greater_than_equal", "greater_than"):
        return doc.problem(loc, f"must be at least {ctx.get('ge', ctx.get('gt')):g}, got {describe(value)}")
    if kind.startswith("date"):
        reason = ctx.get("error", "")
        return doc.problem(loc, f"{describe(value)} is not a valid date{': ' + reason if reason else ''}; write YYYY-MM-DD")
    if kind == "string_pattern_mismatch" and name == "color":
        return doc.problem(loc, f"{describe(value)} is not a colour: write it as #RRGGBB, e.g. #0b7285")
    if kind == "string_pattern_mismatch" and name == "currency":
        return doc.problem(loc, f"{describe(value)} is not a currency code: write three capital letters, e.g. USD, EUR, GBP")
    return doc.problem(loc, f"{err['msg']} (got {describe(value)})")


def describe(value: Any) -> str:
    """A value as an author would name it in a message."""
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {getattr(value, 'raw', value)}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"'{shown}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


__all__ = ["find_config", "load", "translate", "describe"]
