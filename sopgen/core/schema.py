"""JSON Schemas of the source files, for editors and CI.

The schemas come from the pydantic models (so the descriptions are the
format reference) and follow JSON Schema draft 2020-12, which the YAML
language server in VS Code reads through a ``# yaml-language-server: $schema=``
line at the top of a file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .. import __version__
from .fields import ID_PATTERN
from .model import KINDS

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = ".sopgen/schemas"
"""Where the schemas of a project are written, relative to the project folder."""


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of source file: ``organization``, ``role`` or ``task``."""
    model = KINDS[kind]
    schema = model.model_json_schema(mode="validation")
    out: dict[str, Any] = {
        "$schema": DIALECT,
        "title": f"sopgen {kind} (format of sopgen {__version__})",
    }
    out.update({k: v for k, v in schema.items() if k != "title"})
    out["description"] = (schema.get("description") or "").strip()
    if kind != "organization":
        out["x-sopgen-id-pattern"] = ID_PATTERN
    return out


def schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def schema_file(project_dir: Path, kind: str) -> Path:
    return project_dir / SCHEMA_DIR / f"{kind}.schema.json"


def schema_ref(project_dir: Path, kind: str, from_dir: Path) -> str:
    """The relative path a ``# yaml-language-server: $schema=`` line in ``from_dir`` uses."""
    return os.path.relpath(schema_file(project_dir, kind), from_dir).replace(os.sep, "/")


def write_schemas(project_dir: Path) -> list[Path]:
    """Write (or refresh) every kind's schema under the project's ``.sopgen/schemas/``."""
    written = []
    for kind in KINDS:
        path = schema_file(project_dir, kind)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = schema_text(kind)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
