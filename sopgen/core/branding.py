"""The business's look — name, logo, main colour — for the site and the PDF handbooks.

``organization.yml`` is where a business says it (``name``, ``logo``,
``color``); what it leaves out comes from ``mkdocs.yml`` (``theme.logo``,
``theme.palette.primary``), so a site already branded through MkDocs prints
PDFs that match without a template edit. This module does not import MkDocs:
the adapters hand it the ``theme`` of their configuration.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

from .catalog import Catalog

BRAND_CSS = "assets/sopgen-brand.css"
"""The stylesheet that gives the site the organization's colour, when it has one."""

PRINT_COLOR = "#3949ab"
"""The PDFs' colour when neither organization.yml nor mkdocs.yml names one."""

MATERIAL_PRIMARY = {
    "red": "#ef5552", "pink": "#e92063", "purple": "#ab47bd", "deep-purple": "#7e56c2", "indigo": "#4051b5",
    "blue": "#2094f3", "light-blue": "#02a6f2", "cyan": "#00bdd6", "teal": "#009485", "green": "#4cae4f",
    "light-green": "#8bc34b", "lime": "#cbdc38", "yellow": "#ffec3d", "amber": "#ffc105", "orange": "#ffa724",
    "deep-orange": "#ff6e42", "brown": "#795649", "grey": "#757575", "blue-grey": "#546d78", "black": "#000000",
}
"""Material for MkDocs' primary colours (``--md-primary-fg-color`` of its palette stylesheet)."""


@dataclass(frozen=True)
class Brand:
    """What the PDF document receives as ``brand``."""

    name: str
    logo: Optional[str]
    """The logo as a path relative to the project folder (``sops/media/logo.svg``), or ``None``."""
    color: str
    """The main colour, ``#RRGGBB``."""


def site_css(color: str) -> str:
    """Material's custom primary colour (its documented ``:root > *`` variables) as a stylesheet,
    and the header drawn in it under Zensical's modern look too, which draws its header (and the
    search button in it) in the page's own colours; Material's rule for ``.md-header`` is the
    same as the first one here, and it has no ``.md-search__button``."""
    return (":root > * {\n"
            f"  --md-primary-fg-color: {color};\n"
            f"  --md-primary-fg-color--light: {color};\n"
            f"  --md-primary-fg-color--dark: {color};\n"
            "}\n"
            ".md-header {\n"
            "  color: var(--md-primary-bg-color);\n"
            "  background-color: var(--md-primary-fg-color);\n"
            "}\n"
            ".md-header .md-search__button, .md-header .md-search__button:hover, .md-header .md-search__button:focus {\n"
            "  color: var(--md-primary-bg-color);\n"
            "  background-color: rgb(255 255 255 / 0.15);\n"
            "}\n"
            ".md-header .md-search__button::before { background-color: var(--md-primary-bg-color); }\n"
            ".md-header .md-search__button::after { background: rgb(0 0 0 / 0.25); }\n")


def palette_color(palette: Any) -> Optional[str]:
    """The colour of mkdocs.yml's ``theme.palette`` (a mapping, or a list of them: the first counts)."""
    if isinstance(palette, list):
        palette = palette[0] if palette else None
    if not isinstance(palette, Mapping):
        return None
    name = str(palette.get("primary") or "").strip().lower().replace(" ", "-")
    return MATERIAL_PRIMARY.get(name)


def theme_logo(theme: Mapping[str, Any], docs_dir: Path, root: Path) -> Optional[str]:
    """mkdocs.yml's ``theme.logo`` as a path under the project, when it is a file there."""
    logo = theme.get("logo")
    if not logo or "://" in str(logo):
        return None
    path = (docs_dir / str(logo)).resolve()
    if not path.is_file() or not path.is_relative_to(root.resolve()):
        return None
    return path.relative_to(root.resolve()).as_posix()


def brand(catalog: Catalog, *, theme: Optional[Mapping[str, Any]] = None, docs_dir: Optional[Path] = None) -> Brand:
    """The brand of the PDFs: organization.yml first, then mkdocs.yml's ``theme``, then sopgen's."""
    org, theme = catalog.organization, theme or {}
    if org.logo:
        logo: Optional[str] = (catalog.sops / org.logo).relative_to(catalog.root).as_posix()
    else:
        logo = theme_logo(theme, docs_dir or catalog.root / "docs", catalog.root)
    return Brand(org.name, logo, org.color or palette_color(theme.get("palette")) or PRINT_COLOR)
