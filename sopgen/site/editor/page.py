"""The editor's own page: the form that the Edit and New buttons of the served site open.

``GET /edit?path=sops/tasks/x.yml&back=/sops/x/``
    the form of one source file; ``back`` is the served page to return to after a save
``GET /new?kind=task&back=/``
    the form of a new SOP (``kind=role``: a new role)
``GET /static/NAME``
    the form's script, style and the JSON-schema form library it is made with (bundled: the page
    fetches nothing from anywhere else)

The page is the only place the token of this start is written: the served site's pages link to
it and never hold the token. It is answered, like every request, only under this server's own
Host header, and its Content-Security-Policy lets it load and call nothing but this server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any, Optional
from urllib.parse import parse_qs, urlsplit

from ...core.escape import markup
from .places import Refused, place

STATIC = Path(__file__).parent / "static"
STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                ".txt": "text/plain; charset=utf-8"}
NEW_KINDS = {"task": "tasks", "role": "roles"}
"""What the New buttons make, and the folder of sops/ each new file goes into."""
PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'")
"""The page loads and calls its own server only (the form library writes its styles inline)."""


@dataclass(frozen=True)
class Raw:
    """An answer that is not JSON: the page, or one of its files."""

    body: bytes
    content_type: str
    policy: str = "default-src 'none'; frame-ancestors 'none'"


def answer(editor: Any, target: str) -> Optional[Raw]:
    """The page or static file ``target`` names, or None when it names neither."""
    url = urlsplit(target)
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    if url.path.startswith("/static/"):
        return _static(url.path[len("/static/"):])
    if url.path == "/edit":
        where = place(editor.project, editor.sops, query.get("path", ""))
        return _page(editor, mode="edit", kind=where.kind, path=where.rel, back=query.get("back", ""))
    if url.path == "/new":
        kind = query.get("kind", "")
        if kind not in NEW_KINDS:
            raise Refused(404, f"the editor makes a new {' or '.join(NEW_KINDS)}, not '{kind[:40]}'")
        folder = editor.sops.relative_to(editor.project).as_posix() + "/" + NEW_KINDS[kind]
        return _page(editor, mode="new", kind=kind, path=folder, back=query.get("back", ""))
    return None


def back_path(back: str) -> str:
    """The served page to return to, as a path of the served site (``/sops/x/``): never another site."""
    if not back.startswith("/") or back.startswith("//") or re.search(r"[\s\\]", back):
        return "/"
    return back


def _page(editor: Any, *, mode: str, kind: str, path: str, back: str) -> Raw:
    template = Template((STATIC / "editor.html").read_text(encoding="utf-8"))
    values = {"token": editor.token, "mode": mode, "kind": kind, "path": path, "back": back_path(back),
              "site": editor.site or "", "title": _title(mode, kind, path)}
    text = template.substitute({k: str(markup(v)) for k, v in values.items()})
    return Raw(text.encode("utf-8"), "text/html; charset=utf-8", PAGE_POLICY)


def _title(mode: str, kind: str, path: str) -> str:
    shown = {"task": "SOP", "role": "role", "person": "person", "organization": "organization"}[kind]
    return f"New {shown}" if mode == "new" else f"Edit {path}"


def _static(name: str) -> Raw:
    file = STATIC / name
    if "/" in name or name.startswith(".") or file.suffix not in STATIC_TYPES or not file.is_file():
        raise Refused(404, f"nothing at /static/{name[:80]}")
    return Raw(file.read_bytes(), STATIC_TYPES[file.suffix])
