"""``sopgen init``: a new project that validates and builds at once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from ..core.schema import schema_ref, write_schemas
from ..text.templating import environment

FILES = {
    "mkdocs.yml": "init/mkdocs.yml.j2",
    "sops/organization.yml": "init/organization.yml.j2",
    "sops/roles/owner.yml": "init/owner.yml.j2",
    "sops/roles/virtual-assistant.yml": "init/virtual-assistant.yml.j2",
    "sops/tasks/triage-inbox.yml": "init/triage-inbox.yml.j2",
    ".gitignore": "init/gitignore.j2",
}
"""Files of a new project, and the default template each is made from."""


def create_project(target: Path, *, name: Optional[str] = None) -> list[Path]:
    """Write a starter project into ``target``; refuses to overwrite any file."""
    clashes = [rel for rel in FILES if (target / rel).exists() and rel != ".gitignore"]
    if clashes:
        raise FileExistsError(f"{target / clashes[0]} already exists: sopgen init only starts new projects")
    folder = target.resolve().name
    name = name or re.sub(r"[-_]+", " ", folder).strip().title() or "My Business"
    env = environment(None)
    created = []
    for rel, template in FILES.items():
        path = target / rel
        if path.exists():
            continue
        kind = "organization" if rel.endswith("organization.yml") else "role" if "/roles/" in rel else "task"
        schema = schema_ref(target, kind, path.parent)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(env.get_template(template).render(name=name, schema=schema), encoding="utf-8")
        created.append(path)
    created += write_schemas(target)
    (target / "sops" / "media").mkdir(exist_ok=True)
    return created
