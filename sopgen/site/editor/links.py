"""What the served site's pages need to show the editor's buttons, and nothing more.

Under ``sopgen serve`` only, every page's ``serve.js`` reads this from ``sopgen-status.json``
(on the site's own origin): the editor's address and, for each SOP page and role page, the source
file its Edit button opens. It never holds the editor's token, which only the editor's own page
has; and ``sopgen build`` and ``sopgen render`` never write it, so a published site has no editor.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..pages import ASSETS, Site

SERVE_JS = "assets/sopgen/serve.js"
"""Under serve only, on every page: why the last save could not be built, and the editor's buttons."""
SERVE_JS_FILE = ASSETS / "serve.js"
SERVE_STATUS = "sopgen-status.json"
"""Under serve only, at the site's top: the problems of the last save and the editor's links, read by serve.js."""
EDITED = ("sop", "role")
"""The kinds of page that have an Edit button: their source is the file the editor opens."""


def links(site: Site, project: Path, url: str) -> dict[str, Any]:
    """The editor at ``url`` as serve.js needs it: ``{"url", "pages": {address: source}}``, with the
    addresses of SOP and role pages as the site has them (``sops/x/``, ``roles/x/``)."""
    pages = {}
    for page in site.pages.values():
        if page.kind in EDITED and page.source is not None and page.source.resolve().is_relative_to(project):
            pages[address(page.path)] = page.source.resolve().relative_to(project).as_posix()
    return {"url": url, "pages": pages}


def address(path: str) -> str:
    """A page's address from the site's top, with directory URLs: ``sops/x.md`` → ``sops/x/``."""
    stem = path[: -len(".md")] if path.endswith(".md") else path
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"
