"""The private folder a PDF is compiled in, holding only what the document may read:

    templates/pdf/*.typ          sopgen's templates, then the project's over them (by file name)
    templates/pdf/data.json      the job's data: a template reads it with ``json("data.json")``
    sops/media/x.png, ...        the project files the job lists, at their project-relative paths

Typst reads nothing outside its root, so a template reads nothing else of the machine. It gets no
packages either: Typst would download an ``@preview/...`` one, and typst-py has no switch to stop
that, so a template naming a package is refused before Typst runs (and the package folders
Typst is given are empty ones).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path, PurePosixPath
from typing import Optional

from ..core.errors import TemplateFailed
from ..text.templating import default_templates, search_path

TEMPLATES = "templates/pdf"
"""Where PDF templates are: in a project, in sopgen's defaults, and in the staging folder."""
DATA = "data.json"


def stage(staging: Path, data: str, *, project: Path, files: list[str],
          template: str) -> tuple[dict[str, str], list[str]]:
    """Fill ``staging`` for the document of ``template`` (its file name under ``templates/pdf/``)
    reading ``data`` and the project ``files`` (project-relative paths) of the ``project`` folder;
    return the name under which the user knows each template, and warnings."""
    warnings = []
    for name in files:
        source, dest = _project_file(project, name)
        if source is None or dest is None:
            warnings.append(f"{name} is outside the project, so the PDF leaves it out")
        elif source.is_file():
            _copy(source, staging / dest)
    origins = {}
    ours = default_templates().resolve()
    for folder in reversed(search_path(project)):  # sopgen's first, the project's over them
        own = folder.resolve() == ours
        top = folder / "pdf"
        for base, dirs, files in os.walk(top):
            dirs.sort()
            for file in sorted(files):
                path = Path(base, file)
                rel = f"{TEMPLATES}/{path.relative_to(top).as_posix()}"
                if own:  # sopgen's folder also holds other things than Typst templates
                    if path.suffix == ".typ":
                        _copy(path, staging / rel)
                        origins[rel] = f"sopgen's {rel}"
                    continue
                source, _ = _project_file(project, rel)
                if source is None:
                    warnings.append(f"{rel} is a link to a file outside the project, which the PDF does not read")
                    continue
                if not source.is_file():  # a named pipe, a broken link: nothing a template can read
                    continue
                _copy(source, staging / rel)
                origins[rel] = rel
    (staging / TEMPLATES).mkdir(parents=True, exist_ok=True)
    (staging / TEMPLATES / DATA).write_text(data, encoding="utf-8", errors="replace")  # a lone surrogate: ?
    if f"{TEMPLATES}/{template}" not in origins:
        raise TemplateFailed(f"{TEMPLATES}/{template}: no such template, in the project or in sopgen")
    return origins, warnings


def _project_file(root: Path, name: str) -> tuple[Optional[Path], Optional[PurePosixPath]]:
    """The file a project-relative ``name`` is (links followed) and where it goes in the staging
    folder; ``None`` for one outside the project or inside its ``.git`` folder."""
    dest = PurePosixPath(os.path.normpath(name.replace("\\", "/")))
    root = root.resolve()
    source = (root / name).resolve()
    if dest.is_absolute() or dest.parts[:1] == ("..",) or not source.is_relative_to(root) \
            or source.is_relative_to(root / ".git"):
        return None, None
    return source, dest


def _copy(source: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, dest)


def link_file(source: Path, dest: Path) -> None:
    """``dest`` as a link to ``source``, or a copy where links cannot be made."""
    try:
        dest.symlink_to(source)
    except OSError:  # Windows without the right to make links
        shutil.copyfile(source, dest)


_STRING_PACKAGE = re.compile(r'"(?:@|\\u\{0*40\})[\w.-]+/[\w.-]+:[^"\n]*"')
"""A package in a string: ``"@preview/cetz:0.3.0"`` (``@`` escaped too)."""


def refuse_packages(staging: Path, origins: dict[str, str]) -> None:
    """Refuse templates that import a Typst package (``"@preview/cetz:0.3.0"``): Typst would
    download it. The package folders given to Typst are empty, so nothing of the machine's is
    used either."""
    found = []
    for rel, shown in origins.items():
        if not rel.endswith(".typ"):
            continue
        source = (staging / rel).read_text(encoding="utf-8", errors="replace")
        for match in _STRING_PACKAGE.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            col = match.start() - (source.rfind("\n", 0, match.start()) + 1) + 1
            found.append(f"{shown}:{line}:{col}: {match.group()}: sopgen makes PDFs without the network, so a "
                         "template cannot use Typst packages; copy what you need into templates/pdf/ and "
                         "import it by its file name")
    if found:
        raise TemplateFailed("\n".join(found))
