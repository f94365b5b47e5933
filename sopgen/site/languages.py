"""What ties the languages of a translated site together, whatever engine builds it: the switcher
to the same page in each language (:func:`switcher`), the one sitemap listing every language's
pages (:func:`merge_sitemaps`), and which hand-written pages of ``docs/`` each language publishes
(:func:`own_pages`: ``docs/<lang>/`` are that language's own). Each engine's adapter builds the
site of each translation into ``<site>/<lang>`` (:mod:`sopgen.site.engines`) and calls these."""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path
from typing import Iterable, Optional

from babel import Locale, UnknownLocaleError

from ..core.escape import markup
from .generate import Generated

_URL = re.compile(r"<url>.*?</url>", re.S)


def language_name(code: str) -> str:
    """A language's name as its readers write it ("Español"), or its code."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_")) or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:]


def with_switcher(generated: Optional[Generated], page_url: str, content: str) -> str:
    """A page's HTML ``content`` with the :func:`switcher` before it, when the site has translations."""
    if generated is None or len(generated.languages) < 2:
        return content
    return switcher(generated, page_url) + content


def switcher(generated: Generated, page_url: str) -> str:
    """The links from the page at ``page_url`` (relative to its language's root, ``sops/x/``) to the
    same page in each language of the site, the page's own language marked as current."""
    languages = generated.languages
    here = generated.translation or languages[0]
    up = "../" * (page_url.count("/") + (1 if generated.translation else 0))
    items = []
    for code in languages:
        name = markup(language_name(code))
        if code == here:
            items.append(f'<li><span lang="{code}" aria-current="page">{name}</span></li>')
            continue
        target = up + ("" if code == languages[0] else f"{code}/") + page_url
        # target: Material's instant navigation leaves the link alone, so the other language's site
        # loads whole (its scripts' words, its search, its theme language)
        items.append(f'<li><a href="{markup(target or "./")}" hreflang="{code}" lang="{code}" target="_self">{name}</a></li>')
    label = markup(generated.lang.gettext("Languages"))
    return f'<nav class="sopgen-languages" aria-label="{label}"><ul>{"".join(items)}</ul></nav>\n'


def merge_sitemaps(site: Path, codes: list[str]) -> None:
    """Add the pages of each translation's ``<lang>/sitemap.xml`` to the site's own (and to its gzip,
    where the engine writes one), so that the one sitemap search engines read lists every language's pages."""
    main = site / "sitemap.xml"
    if not main.is_file():
        return
    text = main.read_text(encoding="utf-8")
    added = []
    for code in codes:
        theirs = site / code / "sitemap.xml"
        if theirs.is_file():
            # an engine writes a page's address only with site_url, the translation's ending in /<lang>/
            added += _URL.findall(theirs.read_text(encoding="utf-8"))
    if not added:
        return
    text = text.replace("</urlset>", "".join(f"    {url}\n" for url in added) + "</urlset>")
    main.write_text(text, encoding="utf-8")
    if not (site / "sitemap.xml.gz").is_file():  # MkDocs writes one, Zensical none
        return
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()  # MkDocs dates its gzip by it too
    with gzip.GzipFile(site / "sitemap.xml.gz", "wb", mtime=int(epoch) if epoch else None) as out:
        out.write(text.encode("utf-8"))


def own_pages(paths: Iterable[str], languages: list[str], translation: Optional[str]) -> dict[str, str]:
    """Which files of ``docs/`` (``paths``, relative to it) the site of ``translation`` (None: the
    source's) publishes, by the path each is published at: ``docs/<lang>/…`` are the hand-written
    pages (and images) of that language of ``translations``, published in its site in place of the
    file of the same path without ``<lang>/`` (``docs/es/how-to.md`` is ``/es/how-to/``), and in no
    other language's; every other file is published in each language as written."""
    codes = [f"{code}/" for code in languages[1:]]
    shown: dict[str, str] = {}
    for path in sorted(paths):
        owner = next((code for code in codes if path.startswith(code)), None)
        if owner is None:
            shown.setdefault(path, path)
        elif translation is not None and owner == f"{translation}/":
            shown[path[len(owner):]] = path  # the language's own, over the source's
    return shown
