"""A generated site in MkDocs' terms: the plugin's options, what it adds to MkDocs' configuration,
the files and navigation it hands MkDocs, and the site folder it refuses.

Generated pages are virtual files (``File.generated``: nothing is written into ``docs/``), or
under serve files rewritten only when their Markdown changed (:meth:`ServeState.page_file`), so
that a dirty build renders again only what changed. A hand-written page in ``docs/`` of the same
path wins over the generated one; the navigation is the generated one merged with the
project's own (see :func:`sopgen.site.navigation.merge_nav`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, ContextManager, Iterable, Optional

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.structure.files import File, Files

from ....core import outputs
from ....core.markdown import markdown_extensions
from ....print.handbook import PAGE_SIZES
from ...config import read, theme_language
from ...generate import Generated
from ...languages import own_pages
from ...navigation import merge_nav
from ...pages import ASSETS, FEATURES, Site, source_in_docs
from .servestate import SERVE_JS, ServeState

log = logging.getLogger("mkdocs.plugins.sopgen")


class SopgenConfig(base.Config):
    """The plugin's options, under ``plugins: - sopgen:`` in mkdocs.yml."""

    sops_dir = c.Type(str, default="sops")
    """Folder of the YAML sources, relative to mkdocs.yml."""
    pdf = c.Type(bool, default=True)
    """Build the PDF handbooks with the site (never under `serve`)."""
    pdf_page_size = c.Choice(PAGE_SIZES, default="A4")
    """Paper size of the PDF handbooks: A4 or Letter."""


def guard_site(config: Any, *, sops_dir: str, command: str, dirty: bool) -> Optional[ContextManager[None]]:
    """Refuse MkDocs' site folder where it would overwrite the project's work (plain `mkdocs build`
    refuses fewer folders), and where MkDocs would empty what is no site (a :class:`SopgenError`
    says why); for a command that writes it, the lock that keeps other builds out while held
    (:func:`sopgen.core.outputs.lock`; `sopgen build` holds it already: then it is only counted)."""
    project, site_dir = Path(config.config_file_path or ".").resolve().parent, Path(config.site_dir)
    outputs.check(site_dir, project=project, what="the site", shown=config.site_dir,
                  kept=outputs.kept_folders(project, sops_dir=sops_dir, docs_dir=config.docs_dir))
    writes = command in ("build", "gh-deploy")
    if writes and not dirty:  # MkDocs empties the folder next
        outputs.check_site(site_dir, shown=config.site_dir)
    return outputs.lock(site_dir, echo=log.info) if writes else None


def add_files(files: Files, config: Any, generated: Generated, *, serving: Optional[ServeState]) -> None:
    """Add ``generated``'s pages, files, texts and PDF placeholders to MkDocs' ``files``, and its
    navigation to ``config.nav``; "edit this page" of a generated page opens its YAML source."""
    project, site = Path(config.config_file_path or ".").resolve().parent, generated.site
    docs_dir = Path(config.docs_dir).resolve()
    if not docs_dir.is_relative_to(project):  # `sopgen build` without docs/ uses an empty stand-in
        docs_dir = project / "docs"
    _own_pages(files, config, generated)
    own = set()
    for page in site.pages.values():
        if files.get_file_from_path(page.path) is not None:
            log.info(f"sopgen: docs/{page.path} replaces the generated page")
            continue
        if serving is None:
            file = File.generated(config, page.path, content=page.markdown)
        else:
            file = File.generated(config, page.path, abs_src_path=str(serving.page_file(page.path, page.markdown)))
        if page.source is not None:
            file.edit_uri = source_in_docs(page.source, docs_dir=docs_dir)
        files.append(file)
        own.add(page.path)
    for dest, source in site.files.items():
        if files.get_file_from_path(dest) is None:
            files.append(File.generated(config, dest, abs_src_path=str(source)))
    for dest, text in site.texts.items():
        if files.get_file_from_path(dest) is None:
            files.append(File.generated(config, dest, content=text))
    if serving is not None:
        files.append(File.generated(config, SERVE_JS, abs_src_path=str(ASSETS / "serve.js")))
        serving.keep_pages(own)
        serving.link_editor(site, project)  # the Edit buttons of `sopgen serve` (serve.js)
    for dest in generated.pdfs.values():
        # a placeholder, so links to the handbook validate; the plugin's on_post_build writes the PDF
        files.append(File.generated(config, dest, content=b""))
    handwritten = sorted(f.src_uri for f in files.documentation_pages()
                         if f.generated_by is None and f.src_uri not in site.pages)
    config.nav = merge_nav(config.nav, site.nav, handwritten)


def _own_pages(files: Files, config: Any, generated: Generated) -> None:
    """The files of ``docs/`` that ``generated``'s language publishes (:func:`sopgen.site.languages.own_pages`):
    those of ``docs/<lang>/`` only in that language's site, in place of the file they are named after."""
    if len(generated.languages) < 2:
        return
    written = [f for f in files if f.generated_by is None]
    shown = own_pages([f.src_uri for f in written], generated.languages, generated.translation)
    published = {source: dest for dest, source in shown.items()}
    moved = []
    for file in written:
        dest = published.get(file.src_uri)
        if dest == file.src_uri:
            continue
        files.remove(file)  # another language's, or the source's page that this language's replaces
        if dest is not None:  # docs/es/how-to.md, published at /es/how-to/; its edit link still to it
            page = File(dest, config.docs_dir, config.site_dir, config.use_directory_urls)
            page.abs_src_path, page.edit_uri = file.abs_src_path, file.src_uri
            moved.append(page)
    for page in moved:
        files.append(page)


def add_to_mkdocs(config: Any, site: Site, *, extra_js: Iterable[str] = (), language: str = "en",
                  translation: bool = False) -> None:
    """Add to MkDocs' loaded ``config`` what ``site`` needs: the Markdown extensions the templates
    need, Material's features the navigation relies on and no fonts from Google (Material loads
    Roboto from there by default: a handbook must not call out), the interface ``language`` as the
    theme's (unless mkdocs.yml sets one, for the source's pages: a ``translation``'s language always wins;
    the search plugin's ``lang`` follows it), organization.yml's
    logo (over ``theme.logo``), the site's stylesheets and scripts (and ``extra_js``)."""
    own = {name: config.mdx_configs.get(name) for name in config.markdown_extensions}
    for name, options in markdown_extensions(own).items():
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
        if options:
            config.mdx_configs[name] = options
    if config.theme.name == "material":
        features = config.theme.get("features") or []
        config.theme["features"] = features + [f for f in FEATURES if f not in features]
        if config.theme.get("font") in (None, {"text": "Roboto", "code": "Roboto Mono"}):
            config.theme["font"] = False
        written = read(Path(config.config_file_path)).theme if config.config_file_path else {}
        if "language" not in written or translation:  # Material's default is English
            config.theme["language"] = theme_language(language, config.theme.dirs)
    if site.logo:
        config.theme["logo"] = site.logo
    for css in site.css:
        if css not in config.extra_css:
            config.extra_css.append(css)
    for js in [*site.js, *extra_js]:
        if js not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(js)
