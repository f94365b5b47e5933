"""What every print document is made of besides its layout: Markdown fields as Typst markup,
links between the parts it holds, the project files it shows, and the data every document
starts with (README.md, "PDF templates").
"""

from __future__ import annotations

import contextlib
import posixpath
from contextvars import ContextVar
from datetime import date
from typing import Any, Iterator, Optional, Union

from ..core.addresses import path_of
from ..core.branding import Brand
from ..core.catalog import Catalog
from ..core.entries import RoleEntry, TaskEntry
from ..core.escape import typst_string
from ..core.images import image_file, is_project_image
from ..core.translation import Stale, untranslated
from ..text.filters import isodate
from ..text.i18n import Language, language, typst_words
from ..text.templating import search_path
from .markup import Converter, external_link

Target = Union[str, RoleEntry, TaskEntry]


def converter_for(catalog: Catalog) -> Converter:
    """The Markdown converter of ``catalog``'s documents; one serves every document of a build
    (:class:`Printed` points its links and images at its own document)."""
    return Converter(allow_html=catalog.organization.allow_html)


class Printed:
    """What a print document is made of besides its layout: Markdown made Typst markup, links
    between the parts it holds, and the project files it shows."""

    def __init__(self, catalog: Catalog, labels: Optional[dict[str, str]] = None, *,
                 converter: Optional[Converter] = None, lang: Optional[Language] = None) -> None:
        self.catalog = catalog
        self.lang = lang or language(catalog.organization.language)
        """The document's interface language (by default the organization's ``language``)."""
        self.labels = labels if labels is not None else {}
        """Page path (as on the site) → the label of its part in this document."""
        self.files: list[str] = []
        """Project files the document shows (posix paths relative to the project folder)."""
        self._convert = converter or converter_for(catalog)

    def md(self, text: Any, level: int = 3) -> Optional[str]:
        """A Markdown field as Typst markup (``None`` when empty); its headings start at ``level``."""
        if text is None or not str(text).strip():
            return None
        self._convert.link, self._convert.image = self._link, self._image  # this document's, as it may be shared
        return marked(text, self._convert(str(text), heading_level=level))

    def ref(self, target: Target, title: str) -> dict[str, Any]:
        """A title that links to ``target``'s part of the document when the document has it."""
        return {"text": title, "label": self.labels.get(path_of(target))}

    def file(self, path: str) -> Optional[str]:
        """``path`` (relative to the project) as the document reads it, or ``None`` if it is not a file there."""
        full = (self.catalog.root / path).resolve()
        if not full.is_file() or not full.is_relative_to(self.catalog.root.resolve()):
            return None
        rel = full.relative_to(self.catalog.root.resolve()).as_posix()
        if rel not in self.files:
            self.files.append(rel)
        return "/" + rel

    def _link(self, href: str) -> Optional[str]:
        if external_link(href):
            return href
        page = posixpath.normpath(href.split("#", 1)[0]).lstrip("./")
        label = self.labels.get(page)
        return label

    def source_file(self, path: str) -> Optional[str]:
        """``path`` under the sources (``media/x.png``, as fields name images) as the document reads it."""
        return self.file(posixpath.join(self.catalog.sops.relative_to(self.catalog.root).as_posix(), path))

    def _image(self, src: str) -> Optional[str]:
        # an address as the site reads it: from sops/, decoded (media/my%20shot.png); others show their alt text
        if not is_project_image(src):
            return None
        return self.source_file(image_file(src))


_QUIET: ContextVar[Optional[str]] = ContextVar("quiet", default=None)
"""The sources' language while a part nobody has translated yet is made: its missing texts unmarked."""


@contextlib.contextmanager
def part_of(entry: Union[RoleEntry, TaskEntry], printed: Printed) -> Iterator[bool]:
    """Within: the part of ``entry`` (its role's manual, its SOP) is being made; when nobody has
    translated ``entry`` yet (:func:`~sopgen.core.translation.untranslated`), its missing texts are
    printed in the sources' language unmarked (its note says it once: :mod:`sopgen.print.untranslated`).
    Yields whether it is so."""
    quiet = untranslated(entry.data)
    code = printed.catalog.organization.language.replace("_", "-").split("-")[0].lower()
    token = _QUIET.set(code if quiet else None)
    try:
        yield quiet
    finally:
        _QUIET.reset(token)


def quiet_missing(text: Stale) -> bool:
    """Whether stale ``text`` is a missing text of a part nobody has translated yet: printed unmarked."""
    return text.reason == "missing" and _QUIET.get() is not None


def marked(text: str, markup: str) -> str:
    """The Typst markup of ``text``, inside the template's ``stale(reason)[…]`` mark when ``text`` is a
    :class:`~sopgen.core.translation.Stale` source text standing in for its translation (in a part
    nobody has translated yet, a missing one only says its language)."""
    if not isinstance(text, Stale):
        return markup
    quiet = _QUIET.get()
    if quiet and text.reason == "missing":
        return f"#text(lang: {typst_string(quiet)})[{markup}];"
    return f"#stale({typst_string(text.reason)})[{markup}];"


def plain(**texts: Any) -> dict[str, Any]:
    """Plain texts of the data by key, and ``<key>_stale`` (``missing`` or ``fuzzy``) beside each
    one that is a stale source text (but a missing one of a part nobody has translated yet): the
    template marks it (``plain(o, "title")``)."""
    out = dict(texts)
    for key, text in texts.items():
        if isinstance(text, Stale) and not quiet_missing(text):
            out[f"{key}_stale"] = text.reason
    return out


def base(catalog: Catalog, *, title: str, today: date, version: str, page_size: str, look: Brand,
         printed: Printed) -> dict[str, Any]:
    """What every print document's data starts with (README.md, "PDF templates"): ``lang`` and
    ``words``, what the templates say (``t("…")``) in the document's language, among them."""
    return {
        "title": title,
        "organization": {"name": catalog.organization.name},
        "brand": {"color": look.color, "logo": printed.file(look.logo) if look.logo else None},
        "page_size": page_size,
        "version": version,
        "date": isodate(today, printed.lang),
        "lang": printed.lang.locale.language,  # Typst's text language and region: hyphenation, quotes
        "region": printed.lang.locale.territory,
        "words": typst_words(printed.lang, [folder / "pdf" for folder in search_path(catalog.root)]),
    }
