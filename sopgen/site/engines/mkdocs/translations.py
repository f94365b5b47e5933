"""A translation's site, ``/<lang>/…``: MkDocs once more per language of ``translations``, into the
site folder being built, and what ties the languages together.

Each translation is a whole MkDocs build of its own (Material's documented way to publish a site in
several languages): its pages, navigation, theme language, search index (stemmed in its language)
and PDFs are its own, and the plugin hands it the translated project
(:func:`sopgen.site.generate.generate` with ``translation``). It runs from the source build's
``on_post_build`` into ``<site>/<lang>``, so that ``sopgen build``'s lock and atomic swap cover
both languages, and ``mkdocs build`` and ``serve`` publish it too. Then:

- every page gets a switcher to the same page in the other languages (:func:`switcher`), and links
  to them in its head for search engines (:func:`with_alternates`), which also marks the theme's
  links to a page nobody has translated yet as in the source's language;
- the site's ``sitemap.xml`` lists every language's pages (:func:`merge_sitemaps`).
"""

from __future__ import annotations

import gzip
import logging
import os
import posixpath
import re
from pathlib import Path
from typing import Any, Optional

from babel import Locale, UnknownLocaleError

from ....core.escape import markup
from ...generate import Generated, Handover
from .servestate import ServeState

log = logging.getLogger("mkdocs.plugins.sopgen")

_URL = re.compile(r"<url>.*?</url>", re.S)
_NAV_LINK = re.compile(r'<a href="([^"#]*)" class="md-(?:nav|footer)__link[^"]*"')


def build_translations(config: Any, generated: Optional[Generated], *, serving: Optional[ServeState]) -> None:
    """Build the site of each translation of ``generated`` (when it is a source build) into
    ``<site>/<lang>``, then list their pages in the site's sitemap; with PDFs when the source has them."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    if generated is None or generated.translation is not None or len(generated.languages) < 2:
        return
    pdf = bool(generated.pdfs)
    if serving and not serving.said_translations:
        serving.said_translations = True
        log.info("sopgen: serving the translations too, rebuilt when a file of sops/locale/ is saved: "
                 + ", ".join(f"/{code}/" for code in generated.languages[1:]))
    for code in generated.languages[1:]:
        overrides: dict[str, Any] = {"site_dir": str(Path(config.site_dir) / code), "docs_dir": config.docs_dir}
        if config.site_url:
            overrides["site_url"] = posixpath.join(config.site_url, f"{code}/")
        nested = _fresh(lambda: load_config(config.config_file_path, **overrides), config)
        plugin = nested.plugins.get("sopgen")
        plugin.hand_over(Handover(preloaded=(generated.catalog, generated.problems), pdf=pdf, translation=code))
        nested.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build.build(nested)
        finally:
            nested.plugins.on_shutdown()
    merge_sitemaps(Path(config.site_dir), generated.languages[1:])


def _fresh(load: Any, config: Any) -> Any:
    """What ``load`` loads, with plugin instances of its own: MkDocs hands out again the instance of
    a plugin that defines ``on_startup`` (ours, kept across serve's rebuilds), which is the source
    build's, busy building; a translation's build must not take its state over."""
    option = dict(type(config)._schema)["plugins"]
    kept, option.plugin_cache = option.plugin_cache, {}
    try:
        return load()
    finally:
        option.plugin_cache = kept


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
    """Add the pages of each translation's ``<lang>/sitemap.xml`` to the site's own (and its gzip),
    so that the one sitemap search engines read lists every language's pages."""
    main = site / "sitemap.xml"
    if not main.is_file():
        return
    text = main.read_text(encoding="utf-8")
    added = []
    for code in codes:
        theirs = site / code / "sitemap.xml"
        if theirs.is_file():
            # MkDocs writes a page's address only with site_url, the translation's ending in /<lang>/
            added += _URL.findall(theirs.read_text(encoding="utf-8"))
    if not added:
        return
    text = text.replace("</urlset>", "".join(f"    {url}\n" for url in added) + "</urlset>")
    main.write_text(text, encoding="utf-8")
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()  # MkDocs dates its gzip by it too
    with gzip.GzipFile(site / "sitemap.xml.gz", "wb", mtime=int(epoch) if epoch else None) as out:
        out.write(text.encode("utf-8"))
