"""The Markdown of the fields: the extensions the pages rely on, one set for the site, the
validator and the PDFs' converter.
"""

from __future__ import annotations

from typing import Any

EXTENSIONS: dict[str, dict[str, Any]] = {
    "admonition": {},
    "attr_list": {},
    "md_in_html": {},
    "tables": {},
    "toc": {"permalink": True},
    "pymdownx.details": {},
    "pymdownx.superfences": {},
    "pymdownx.tasklist": {"custom_checkbox": True},
}
"""The Markdown extensions the templates need, with the options they rely on (see :func:`markdown_extensions`)."""


def markdown_extensions(own: dict[str, Any]) -> dict[str, Any]:
    """A site's own Markdown extensions (name → options, in its order) with :data:`EXTENSIONS` added:
    an extension it lacks is appended, and one it lists gets the options the pages rely on that it
    leaves unset. So ``toc`` listed bare, or always present under MkDocs, still gives headings their
    permalinks, and ``toc: {permalink: false}`` is the site's choice, kept. The one rule for the
    plugin and for ``sopgen render``."""
    merged = dict(own)
    for name, options in EXTENSIONS.items():
        mine = merged.get(name) or {}
        if isinstance(mine, dict):  # options under a tag (`!ENV`) are the site's, whole
            merged[name] = {**options, **mine}
    return merged


def md(value: Any) -> str:
    """A Markdown field, trimmed; indent it with ``|indent(n)`` where it nests."""
    if value is None:
        return ""
    return str(value).strip()
