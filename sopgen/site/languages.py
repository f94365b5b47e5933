"""What ties the languages of a translated site together, whatever engine builds it: the switcher
to the same page in each language (:func:`switcher`), the links to them in each page's head for
search engines (:func:`with_alternates`), the one sitemap listing every language's pages
(:func:`merge_sitemaps`), and which hand-written pages of ``docs/`` each language publishes
(:func:`own_pages`: ``docs/<lang>/`` are that language's own). Each engine's adapter builds the
site of each translation into ``<site>/<lang>`` (:mod:`sopgen.site.engines`) and calls these."""

from __future__ import annotations

import gzip
import os
import posixpath
import re
from pathlib import Path
from typing import Iterable, Optional

from babel import Locale, UnknownLocaleError

from ..core.escape import markup
from .generate import Generated

_URL = re.compile(r"<url>.*?</url>", re.S)
_NAV_LINK = re.compile(r'<a href="([^"#]*)" class="md-(?:nav|footer)__link[^"]*"')


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


def with_alternates(generated: Optional[Generated], page_url: str, output: str, *, site_url: Optional[str]) -> str:
    """A built page's HTML ``output`` with a ``<link rel="alternate" hreflang>`` in its head to the
    same page in each language of the site, and ``x-default`` to the source's (for search engines);
    absolute under ``site_url``, relative without. In a translation, the theme's links to a page
    nobody has translated yet (navigation, footer) say its title is in the source's language
    (:func:`_english_links`). Unchanged when the site has no translations."""
    if generated is None or len(generated.languages) < 2 or "</head>" not in output:
        return output
    if generated.translation:
        output = _english_links(generated, page_url, output)
    languages = generated.languages
    if site_url:
        mine = f"{generated.translation}/" if generated.translation else ""
        root = site_url if not mine or not site_url.endswith(mine) else site_url[:-len(mine)]
    else:
        root = "../" * (page_url.count("/") + (1 if generated.translation else 0))
    links = []
    for code in [*languages, "x-default"]:
        target = root + ("" if code in (languages[0], "x-default") else f"{code}/") + page_url
        links.append(f'<link rel="alternate" hreflang="{code}" href="{markup(target or "./")}">')
    return output.replace("</head>", "".join(links) + "</head>", 1)


def _english_links(generated: Generated, page_url: str, output: str) -> str:
    """``output`` with ``lang`` on each navigation or footer link (Material's ``md-nav__link``,
    ``md-footer__link``) to a page nobody has translated yet: its title there is the source's."""
    english = {_url(path) for path, page in generated.site.pages.items() if page.untranslated}
    if not english:
        return output
    here = page_url if page_url.endswith("/") else posixpath.dirname(page_url)  # what its links are relative to
    source = markup(generated.catalog.organization.language)

    def marked(found: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(here or ".", found.group(1)))
        target = "" if target == "." else target + "/"
        return f'{found.group(0)} lang="{source}"' if target in english else found.group(0)

    return _NAV_LINK.sub(marked, output)


def _url(path: str) -> str:
    """The address of page ``path`` (``sops/x.md``: ``sops/x/``; ``roles/x/index.md``: ``roles/x/``)."""
    stem = path[:-3]
    stem = stem[:-len("index")] if stem == "index" or stem.endswith("/index") else stem + "/"
    return stem


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
