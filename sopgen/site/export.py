"""``sopgen render DIR``: a self-contained MkDocs project that needs no plugin.

``DIR/mkdocs.yml`` is the project's own configuration with the ``sopgen``
plugin replaced by what it would have added (the navigation, Markdown
extensions, theme features and stylesheet); ``DIR/docs/`` holds the
project's hand-written pages and every generated page and image, and
``DIR/overrides/`` the project's ``theme.custom_dir`` and, with edit links,
the partial that points a generated page's at its YAML source. Tags in
``mkdocs.yml`` (``!ENV``, ``!!python/name:…``) are written back as they were.

Each language of ``translations`` is a project of its own in ``DIR/<lang>/``, of the same
shape, its pages translated (:func:`sopgen.site.generate.generate` with ``translation``), its
theme language and ``site_url`` its own; its site goes to ``site/<lang>/`` of the source's. The
hand-written pages of ``docs/<lang>/`` are that language's own
(:func:`sopgen.site.languages.own_pages`).
"""

from __future__ import annotations

import json
import os
import posixpath
import secrets
import shutil
from pathlib import Path
from typing import Any, Callable, Optional
from urllib.parse import urljoin

from mkdocs.config import base
from mkdocs.config import config_options as c

from ..core.catalog import Catalog
from ..core.errors import SopgenError
from ..core.outputs import exchange
from .config import ProjectConfig, dump, with_extensions, with_features, without_sopgen
from .config import read as read_config
from .generate import Generated, generate
from .languages import own_pages
from .navigation import merge_nav
from .pages import source_in_docs

MARKER = ".sopgen-render"
"""The file that marks a folder as written by ``sopgen render``, listing the files it wrote."""


STAGING = ".sopgen-new-"
"""Where a render is written inside its folder before it is put in place."""


OVERRIDES = "overrides"
"""The rendered project's ``theme.custom_dir``: the project's own, and the edit links' partial."""
FOLDERS = ("docs", OVERRIDES)
"""The folders a render writes whole, and replaces whole."""
EDIT_LINKS = Path(__file__).parent / "assets" / "overrides" / "partials" / "actions.html"
"""Material's (and Zensical's) partial with the edit link, reading a page's own ``edit_url``."""


class NotARender(SopgenError):
    """A folder that ``sopgen render`` may not replace: it holds files render did not write."""


def check_target(target: Path, *, force: bool, shown: str) -> None:
    """Refuse ``target`` unless it is new, empty, or an earlier render (with ``force``) that
    holds no file render did not write: render never deletes a file it did not write."""
    if not target.is_dir() or not [e for e in target.iterdir() if not e.name.startswith(STAGING)]:
        return
    written = _written(target)
    if written is None:
        raise NotARender(f"{shown} is not empty and was not written by sopgen render, which never deletes "
                         "files it did not write; choose a new or empty folder")
    if not force:
        raise NotARender(f"{shown} holds an earlier render (use --force to replace it)")
    strangers = sorted(p.relative_to(target).as_posix() for folder in FOLDERS for p in (target / folder).rglob("*")
                       if not p.is_dir() and p.relative_to(target).as_posix() not in written)
    if strangers:
        folder = strangers[0].split("/")[0]
        raise NotARender(f"{shown}/{strangers[0]} was not written by sopgen render, which never deletes files "
                         f"it did not write; move it out of {shown}/{folder}/, or render into a new folder")


def _written(folder: Path) -> Optional[set[str]]:
    """The files an earlier render wrote into ``folder`` (its marker says), or None."""
    try:
        return set(json.loads((folder / MARKER).read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def generated_for(config_file: Path, catalog: Catalog, *, pdfs: bool = False,
                  translation: Optional[str] = None) -> Generated:
    """What the project of ``config_file`` is rendered from: :func:`generate` with what its
    ``mkdocs.yml`` says, from ``catalog`` (validated, with its history: the render is dated by it).
    With ``pdfs``, the pages link to the PDF handbooks, for a build that puts them in the site; with
    ``translation``, the project translated into that language of ``translations``."""
    config = read_config(config_file)
    return generate(config_file.parent, sops_dir=config.sops_dir, site_name=config.site_name,
                    theme=config.theme, docs_dir=config.docs_dir, pdfs=pdfs, preloaded=(catalog, []),
                    translation=translation)


def translations_of(config_file: Path, generated: Generated, *, pdfs: bool = False) -> list[Generated]:
    """What each translation of the source's ``generated`` is rendered from, in the order of
    ``translations``; every page rendered before anything is written."""
    return [generated_for(config_file, generated.catalog, pdfs=pdfs, translation=code)
            for code in generated.languages[1:]]


def export(config_file: Path, catalog: Catalog, target: Path, *, generated: Optional[Generated] = None,
           translations: Optional[list[Generated]] = None) -> int:
    """Write the project of ``config_file`` to ``target``, and the project of each translation to
    ``target/<lang>/`` (its site built into the source's, ``site/<lang>/``); returns the number of
    files under the docs/ folders.

    ``catalog`` is the project's, validated (with its history); ``generated`` what it was made
    into, and ``translations`` what each translation was made into, when the caller made them already
    (by default :func:`generated_for` and :func:`translations_of` make them)."""
    generated = generated or generated_for(config_file, catalog)
    translations = translations_of(config_file, generated) if translations is None else translations
    written = _export_one(config_file, target, generated)
    for translated in translations:
        written += _export_one(config_file, target / str(translated.translation), translated)
    return written


def _export_one(config_file: Path, target: Path, generated: Generated) -> int:
    """One language's project, written whole beside ``target`` then put in its place."""
    config = read_config(config_file)
    created = not target.exists()
    target.mkdir(parents=True, exist_ok=True)
    for stale in target.glob(f"{STAGING}*"):  # left by a killed render
        shutil.rmtree(stale, ignore_errors=True)
    staging = target / f"{STAGING}{os.getpid()}-{secrets.token_hex(3)}"
    try:
        staging.mkdir()
        written = _write(staging, generated, config)
        _put_in_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            shutil.rmtree(target, ignore_errors=True)  # nothing but what this render made
        raise
    shutil.rmtree(staging, ignore_errors=True)
    return written


def _write(staging: Path, generated: Generated, project_config: ProjectConfig) -> int:
    """The rendered project, whole, into ``staging``; the number of files under its docs/."""
    site, raw, config_file = generated.site, project_config.raw, project_config.file
    project = config_file.parent
    docs = staging / "docs"
    docs.mkdir()
    own_docs = project_config.docs_dir
    code = generated.translation
    handwritten: list[str] = []
    if own_docs.is_dir():  # docs/<lang>/ are that language's own (sopgen.site.languages.own_pages)
        files = [p.relative_to(own_docs).as_posix() for p in own_docs.rglob("*") if p.is_file()]
        for dest, source in own_pages(files, generated.languages, code).items():
            (docs / dest).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(own_docs / source, docs / dest)
        handwritten = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    theme = with_features(raw.get("theme", "mkdocs"), language=generated.lang.code, translation=code is not None)
    edit_url = _edit_urls(raw) if theme.get("name") == "material" else None
    written = 0
    for page in site.pages.values():
        path = docs / page.path
        if path.exists():
            continue  # the project's own page of that name wins, as in a plugin build
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = generated.front_matter(page.path)  # what the plugin gives MkDocs beside the Markdown
        search = "search:\n  exclude: true\n" if meta.get("search") == {"exclude": True} else ""
        if edit_url is not None:  # its YAML source, as in a plugin build (read by the overrides' partial)
            url = edit_url(source_in_docs(page.source, docs_dir=own_docs.resolve())) if page.source else None
            search += f"edit_url: {json.dumps(url)}\n"
        front = f"---\ntitle: {json.dumps(meta['title'], ensure_ascii=False)}\n{search}---\n\n"
        path.write_text(front + page.markdown, encoding="utf-8")
        written += 1
    for dest, source in site.files.items():
        path = docs / dest
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)
        written += 1
    for dest, text in site.texts.items():
        (docs / dest).parent.mkdir(parents=True, exist_ok=True)
        (docs / dest).write_text(text, encoding="utf-8")
        written += 1

    config = {k: v for k, v in raw.items() if k not in ("docs_dir", "site_dir", "nav")}
    config["docs_dir"] = "docs"
    if code is not None:  # its site is published at /<lang>/ of the source's
        site_url = project_config.value("site_url")
        if site_url:
            config["site_url"] = posixpath.join(str(site_url), f"{code}/")
    config["plugins"] = without_sopgen(raw.get("plugins"))
    config["markdown_extensions"] = with_extensions(raw.get("markdown_extensions"))
    config["theme"] = theme
    own_overrides = theme.get("custom_dir")
    if isinstance(own_overrides, str) and (project / own_overrides).is_dir():
        shutil.copytree(project / own_overrides, staging / OVERRIDES)
        theme["custom_dir"] = OVERRIDES
    partial = staging / OVERRIDES / EDIT_LINKS.relative_to(EDIT_LINKS.parents[1])
    if edit_url is not None and not partial.exists():  # the project's own partial of that name wins
        partial.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(EDIT_LINKS, partial)
        theme["custom_dir"] = OVERRIDES
    if site.logo:
        config["theme"]["logo"] = site.logo
    config["extra_css"] = list(raw.get("extra_css") or []) + [c for c in site.css if c not in (raw.get("extra_css") or [])]
    config["extra_javascript"] = list(raw.get("extra_javascript") or []) + [
        j for j in site.js if j not in (raw.get("extra_javascript") or [])]
    config["nav"] = merge_nav(raw.get("nav"), site.nav, handwritten)
    header = (f"# Written by `sopgen render` from {config_file.name}: edit the YAML sources and render again.\n"
              "# Builds with plain `mkdocs build` (or Zensical), without the sopgen plugin.\n")
    (staging / "mkdocs.yml").write_text(header + dump(config), encoding="utf-8")
    files = ["mkdocs.yml"] + sorted(p.relative_to(staging).as_posix() for folder in FOLDERS
                                    for p in (staging / folder).rglob("*") if not p.is_dir())
    (staging / MARKER).write_text(json.dumps({"files": files}, indent=0) + "\n", encoding="utf-8")
    return written + len(handwritten)


def _put_in_place(staging: Path, target: Path) -> None:
    """Move the render in ``staging`` into ``target``: docs/ in one step where the system can
    exchange two folders, then mkdocs.yml and the marker; anything else in ``target`` stays."""
    # first a marker of both renders: a kill before the last line leaves a folder the next render replaces
    both = sorted((_written(target) or set()) | (_written(staging) or set()))
    (staging / "both").write_text(json.dumps({"files": both}, indent=0) + "\n", encoding="utf-8")
    os.replace(staging / "both", target / MARKER)
    for folder in FOLDERS:
        old, new = target / folder, staging / folder
        if not new.exists():  # overrides/ this render has none of (check_target made sure it holds only ours)
            if old.exists():
                old.rename(staging / f"old-{folder}")
        elif not (old.exists() and exchange(new, old)):
            if old.exists():
                old.rename(staging / f"old-{folder}")
            new.rename(old)
    os.replace(staging / "mkdocs.yml", target / "mkdocs.yml")
    os.replace(staging / MARKER, target / MARKER)


def _edit_urls(raw: dict[str, Any]) -> Optional[Callable[[str], str]]:
    """Where "edit this page" links for a file (its path from the docs folder) under the rules
    of MkDocs, with its defaults: ``repo_url`` joined with ``edit_uri_template`` or ``edit_uri``;
    None when the site has no edit links."""
    class EditLinks(base.Config):
        repo_url = c.Optional(c.URL())
        edit_uri_template = c.Optional(c.EditURITemplate("edit_uri"))
        edit_uri = c.Optional(c.EditURI("repo_url"))

    config = EditLinks()
    config.load_dict({k: raw[k] for k in ("repo_url", "edit_uri_template", "edit_uri") if k in raw})
    failed, _ = config.validate()
    template, edit_uri, repo_url = config.edit_uri_template, config.edit_uri, config.repo_url or ""
    if failed or not (template or edit_uri):
        return None  # MkDocs says why, building the rendered project

    def url(path: str) -> str:
        link = template.format(path, posixpath.splitext(path)[0]) if template else edit_uri + path
        base_url = repo_url if link.startswith(("?", "#")) or repo_url.endswith("/") else repo_url + "/"
        return urljoin(base_url if repo_url else "", link)

    return url
