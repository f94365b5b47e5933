"""``sopgen init``: a new project that validates and builds at once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from ..core.escape import yaml_string
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


FOLDER_WORDS = {"handbook", "handbooks", "sop", "sops", "docs", "site", "my", "our"}
"""Words of a folder's name that say what the folder is, not whose: ``acme-handbook`` is Acme's."""


def business_name(folder: str) -> str:
    """The business a project folder is named after: ``acme-plumbing`` → ``Acme Plumbing``,
    ``acme-handbook`` → ``Acme``; ``my-handbook`` and ``handbook`` name none: ``My Business``.
    Words written in capitals or mixed case (``ACME``, ``McKay``) stay as written."""
    words = [w for w in re.split(r"[\s_-]+", folder) if w and w.casefold() not in FOLDER_WORDS]
    return " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in words) or "My Business"


def site_name(business: str) -> str:
    """The site's title: ``Acme handbook``, or the name as given when it already ends in "handbook"."""
    return business if re.search(r"\bhandbook$", business, re.IGNORECASE) else f"{business} handbook"


def create_project(target: Path, *, name: Optional[str] = None) -> list[Path]:
    """Write a starter project into ``target``; refuses to overwrite any file."""
    clashes = [rel for rel in FILES if (target / rel).exists() and rel != ".gitignore"]
    if clashes:
        raise FileExistsError(f"{target / clashes[0]} already exists: sopgen init only starts new projects")
    name = name or business_name(target.resolve().name)
    env = environment(None, filters={"yaml_scalar": yaml_scalar})
    created = []
    for rel, template in FILES.items():
        path = target / rel
        if path.exists():
            continue
        kind = "organization" if rel.endswith("organization.yml") else "role" if "/roles/" in rel else "task"
        schema = schema_ref(target, kind, path.parent)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(env.get_template(template).render(name=name, site_name=site_name(name),
                                                                  schema=schema), encoding="utf-8")
        created.append(path)
    created += write_schemas(target)
    (target / "sops" / "media").mkdir(exist_ok=True)
    return created


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when that is safe, double-quoted otherwise."""
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9 ,.()'/&-]*", text) and text.lower() not in (
            "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~") and not text.endswith(" "):
        return text
    return yaml_string(text)
