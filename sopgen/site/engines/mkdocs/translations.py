"""A translation's site, ``/<lang>/…``: MkDocs once more per language of ``translations``, into the
site folder being built, and what ties the languages together.

Each translation is a whole MkDocs build of its own (Material's documented way to publish a site in
several languages): its pages, navigation, theme language, search index (stemmed in its language)
and PDFs are its own, and the plugin hands it the translated project
(:func:`sopgen.site.generate.generate` with ``translation``). It runs from the source build's
``on_post_build`` into ``<site>/<lang>``, so that ``sopgen build``'s lock and atomic swap cover
both languages, and ``mkdocs build`` and ``serve`` publish it too. Then:

- every page gets a switcher to the same page in the other languages (:func:`sopgen.site.languages.switcher`),
  and links to them in its head for search engines (:func:`sopgen.site.languages.with_alternates`), which
  also marks the theme's links to a page nobody has translated yet as in the source's language;
- the site's ``sitemap.xml`` lists every language's pages (:func:`sopgen.site.languages.merge_sitemaps`).
"""

from __future__ import annotations

import logging
import posixpath
from pathlib import Path
from typing import Any, Optional

from ...generate import Generated, Handover
from ...languages import merge_sitemaps
from .servestate import ServeState

log = logging.getLogger("mkdocs.plugins.sopgen")


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
