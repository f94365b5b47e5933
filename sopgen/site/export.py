"""``sopgen render DIR``: a self-contained MkDocs project that needs no plugin.

``DIR/mkdocs.yml`` is the project's own configuration with the ``sopgen``
plugin replaced by what it would have added (the navigation, Markdown
extensions, theme features and stylesheet); ``DIR/docs/`` holds the
project's hand-written pages and every generated page and image, and
``DIR/overrides/`` the project's ``theme.custom_dir`` and, with edit links,
the partial that points a generated page's at its YAML source. Tags in
``mkdocs.yml`` (``!ENV``, ``!!python/name:…``) are written back as they were.
"""

from __future__ import annotations

import json
import os
import posixpath
import secrets
import shutil
from datetime import date
from pathlib import Path
from typing import Any, Callable, Optional
from urllib.parse import urljoin

import yaml
from mkdocs.config import base
from mkdocs.config import config_options as c

from ..core.catalog import Catalog
from ..core.errors import SopgenError
from ..core.markdown import markdown_extensions
from ..core.outputs import exchange
from ..history.steps import StepHistory
from ..text.templating import environment
from .navigation import merge_nav, nav_title
from .pages import FEATURES, UNSEARCHED, render, source_in_docs


class Tagged:
    """A value under a tag we do not interpret, kept to be written back as it was."""

    def __init__(self, tag: str, value: Any) -> None:
        self.tag, self.value = tag, value


class _KeepTags(yaml.SafeLoader):
    pass


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return Tagged(node.tag, value)


_KeepTags.add_multi_constructor("!", _construct_tagged)
_KeepTags.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)


class _Dumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Dumper.add_representer(Tagged, _represent_tagged)


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


def read_config(config_file: Path) -> dict[str, Any]:
    with open(config_file, encoding="utf-8-sig") as fh:
        return yaml.load(fh, Loader=_KeepTags) or {}  # noqa: S506 - a SafeLoader that keeps tags as data


def export(config_file: Path, catalog: Catalog, target: Path, *, today: date,
           pdfs: Optional[dict[str, str]] = None, color: Optional[str] = None) -> int:
    """Write the project of ``config_file`` to ``target``; returns the number of files under docs/.

    ``pdfs`` (handbook name → its path in the site) are the handbooks the pages link to, for a
    build that puts them into the site (see :mod:`sopgen.site.engines.zensical`); ``color``
    the business's colour for the charts, when the caller knows mkdocs.yml's too."""
    project = config_file.parent
    raw = read_config(config_file)
    catalog.name_after_site(raw.get("site_name") and str(raw["site_name"]))
    site = render(catalog, environment(project), today=today, changes=StepHistory(project), pdfs=pdfs, color=color)

    created = not target.exists()
    target.mkdir(parents=True, exist_ok=True)
    for stale in target.glob(f"{STAGING}*"):  # left by a killed render
        shutil.rmtree(stale, ignore_errors=True)
    staging = target / f"{STAGING}{os.getpid()}-{secrets.token_hex(3)}"
    try:
        staging.mkdir()
        written = _write(staging, site, raw, config_file)
        _put_in_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            shutil.rmtree(target, ignore_errors=True)  # nothing but what this render made
        raise
    shutil.rmtree(staging, ignore_errors=True)
    return written


def _write(staging: Path, site: Any, raw: dict[str, Any], config_file: Path) -> int:
    """The rendered project, whole, into ``staging``; the number of files under its docs/."""
    project = config_file.parent
    docs = staging / "docs"
    docs.mkdir()
    own_docs = project / str(raw.get("docs_dir", "docs"))
    handwritten: list[str] = []
    if own_docs.is_dir():
        shutil.copytree(own_docs, docs, dirs_exist_ok=True)
        handwritten = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    theme = _with_features(raw.get("theme", "mkdocs"))
    edit_url = _edit_urls(raw) if theme.get("name") == "material" else None
    written = 0
    for page in site.pages.values():
        path = docs / page.path
        if path.exists():
            continue  # the project's own page of that name wins, as in a plugin build
        path.parent.mkdir(parents=True, exist_ok=True)
        # the title as escaped text, which themes put into <title> as HTML (see the plugin)
        search = "search:\n  exclude: true\n" if page.kind in UNSEARCHED else ""
        if edit_url is not None:  # its YAML source, as in a plugin build (read by the overrides' partial)
            url = edit_url(source_in_docs(page.source, docs_dir=own_docs.resolve())) if page.source else None
            search += f"edit_url: {json.dumps(url)}\n"
        front = f"---\ntitle: {json.dumps(nav_title(page.title), ensure_ascii=False)}\n{search}---\n\n"
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
    config["plugins"] = _without_sopgen(raw.get("plugins"))
    config["markdown_extensions"] = _with_extensions(raw.get("markdown_extensions"))
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
    text = yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    (staging / "mkdocs.yml").write_text(header + text, encoding="utf-8")
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


def _without_sopgen(plugins: Any) -> Any:
    if plugins is None:
        return ["search"]
    if isinstance(plugins, dict):
        return {k: v for k, v in plugins.items() if k != "sopgen"}
    return [p for p in plugins if p != "sopgen" and not (isinstance(p, dict) and "sopgen" in p)]


def _with_extensions(extensions: Any) -> list[Any]:
    if isinstance(extensions, dict):
        own = dict(extensions)
    else:
        own = {}
        for item in extensions or []:
            own.update(item if isinstance(item, dict) else {item: None})
    return [{name: options} if options else name for name, options in markdown_extensions(own).items()]


def _with_features(theme: Any) -> Any:
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    if theme.get("name") == "material":
        features = list(theme.get("features") or [])
        theme["features"] = features + [f for f in FEATURES if f not in features]
        theme.setdefault("font", False)  # no fonts from Google: the handbook makes no outside request
    return theme
