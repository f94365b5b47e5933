"""The project rendered for Zensical: what it will ignore, where it is kept, how it is made, what
Zensical says about it, and sopgen's last look at the pages Zensical makes of it."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path
from typing import Callable, Container, Optional

from ....core.catalog import Catalog
from ...config import marks as config_marks
from ...config import read as read_config
from ...export import export, generated_for, translations_of
from ...generate import Generated
from ...languages import switcher, with_alternates

ANSI = re.compile(r"\x1b\[[0-9;]*m")
ISSUE = re.compile(r"^(Warning|Error): (.*)$")
WHERE = re.compile(r"╭─\[\s*(.+?)\s*\]")


def ignored(config_file: Path) -> list[str]:
    """What ``mkdocs.yml`` asks for that Zensical will not do, as warnings: the MkDocs plugins
    it does not know (besides ``sopgen``, which sopgen stands in for) and MkDocs ``hooks``.

    The plugins Zensical knows are its own list (``zensical.config``); when a version of
    Zensical does not say, nothing can be told and nothing is said."""
    from zensical import config as zensical_config

    known = getattr(zensical_config, "_PLUGIN_UNSUPPORTED_OPTIONS", None)
    config = read_config(config_file)
    names = [name for name in config.plugins if name != "sopgen"] if isinstance(known, dict) else []
    unknown = [name for name in names if name.removeprefix("material/").split("/")[0] not in known]
    hooks = bool(config.raw.get("hooks"))
    if not unknown and not hooks:
        return []
    marks = config_marks(config_file)
    said = [f"{marks.get(name, config_file.name)}: warning: plugins: Zensical ignores the MkDocs plugin '{name}': "
            "what it adds will be missing from the site (build with --engine mkdocs or properdocs to keep it)"
            for name in unknown]
    if hooks:
        said.append(f"{marks.get('hooks', config_file.name)}: warning: hooks: Zensical runs no MkDocs hooks: what "
                    "they do will be missing from the site (build with --engine mkdocs or properdocs to keep them)")
    return said


KEPT = 8
"""How many rendered projects the cache keeps (the most recently built); older ones are removed."""


def cache_dir(site: Path) -> Path:
    """Where the project rendered for Zensical is kept between builds of ``site``."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    key = hashlib.blake2b(str(site.resolve()).encode(), digest_size=8).hexdigest()
    return root / "sopgen" / "zensical" / key


def forget_old(kept: Path) -> None:
    """Keep the cache's size bounded: the :data:`KEPT` most recently built projects, ``kept`` among them."""
    os.utime(kept)
    others = sorted((p for p in kept.parent.iterdir() if p.is_dir() and p != kept),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[KEPT - 1:]:
        shutil.rmtree(old, ignore_errors=True)


def prepare(config_file: Path, catalog: Catalog, project: Path, *, pdfs: bool) -> list[Generated]:
    """The project for Zensical in ``project``, rendered from ``catalog`` (validated, its history
    attached), and the project of each translation in ``project/<lang>`` (its site built into the
    source's, :func:`sopgen.site.export.export`); what each was made from, the source's first. With
    ``pdfs``, the pages link to the handbooks, each with an empty stand-in, so that Zensical finds
    every link's target (the build puts the real handbooks in their place)."""
    generated = generated_for(config_file, catalog, pdfs=pdfs)
    every = [generated, *translations_of(config_file, generated, pdfs=pdfs)]
    export(config_file, catalog, project, generated=generated, translations=every[1:])
    for each in every:
        docs = project / (each.translation or "") / "docs"
        for dest in each.pdfs.values():
            (docs / dest).parent.mkdir(parents=True, exist_ok=True)
            (docs / dest).write_bytes(b"")
    return every


def environment(generated: Generated) -> dict[str, str]:
    """Zensical's environment: the build's one date as SOURCE_DATE_EPOCH, as the plugin sets it
    for MkDocs (unless the user set one)."""
    env = dict(os.environ)
    if generated.epoch is not None:
        env["SOURCE_DATE_EPOCH"] = generated.epoch
    return env


def issues(output: str, *, docs: Optional[Path] = None, shown: str = "docs",
           own: Optional[dict[str, str]] = None, language: str = "") -> list[str]:
    """Zensical's warnings and errors, one line each: ``docs/notes.md:3:17: warning: page does
    not exist`` for a page of the project's own ``docs`` folder (``shown`` as mkdocs.yml names
    it; ``own``: the file of it each published path is, a translation's ``es/notes.md`` for
    ``notes.md``), ``warning: … (in the generated page sops/x.md, line 3)`` for one sopgen wrote
    (``es/sops/x.md`` in the translation into ``language``)."""
    found: list[tuple[str, str]] = []
    for line in ANSI.sub("", output).splitlines():
        match = ISSUE.match(line.strip())
        if match:
            found.append((f"{match[1].lower()}: {match[2]}", ""))
            continue
        where = WHERE.search(line)
        if where and found and not found[-1][1]:
            found[-1] = (found[-1][0], where[1])
    said = []
    for message, where in found:
        path, _, place = where.partition(":")
        if where and own is not None and path in own:
            said.append(f"{shown.rstrip('/')}/{own[path]}:{place}: {message}")
        elif where and own is None and docs is not None and (docs / path).is_file():
            said.append(f"{shown.rstrip('/')}/{where}: {message}")
        elif where:
            page = f"{language}/{path}" if language else path
            said.append(f"{message} (in the generated page {page}, line {place.split(':')[0]})")
        else:
            said.append(message)
    return said


ARTICLE = re.compile(r"<article\b[^>]*\bmd-content__inner\b[^>]*>")


def last_look(site: Path, generated: Generated, own: Container[str], *, echo: Callable[[str], None]) -> list[str]:
    """sopgen's last look at each generated page (:meth:`Generated.checked`), which the plugin
    takes at each page's content: here at the content of the page Zensical wrote (its
    ``<article>``). The project's own pages (``own``: their paths as published) are left as they
    are, as the plugin leaves them. Returns the warnings."""
    warnings: list[str] = []

    def warn(message: str) -> None:
        warnings.append(f"sopgen: {message}")
        echo(f"warning: {warnings[-1]}")

    for rel in sorted(generated.site.pages):
        if rel in own:
            continue
        stem = rel[:-len(".md")]
        page = site / (stem[:-len("index")] if stem == "index" or stem.endswith("/index") else stem + "/")
        page /= "index.html"
        try:
            text = page.read_text(encoding="utf-8")
        except OSError:
            continue
        start = ARTICLE.search(text)
        end = text.rfind("</article>")
        if start is None or end < start.end():
            continue
        content = text[start.end():end]
        checked = generated.checked(rel, content, warn=warn)
        if checked != content:
            page.write_text(text[:start.end()] + checked + text[end:], encoding="utf-8")
    return warnings


H1 = re.compile(r"<h1\b")


def add_switchers(site: Path, generated: Generated, *, site_url: Optional[str] = None) -> None:
    """The switcher to the same page in each language (:func:`sopgen.site.languages.switcher`) on
    every page Zensical wrote into ``site`` (the root of ``generated``'s language), hand-written ones
    too, where the plugin puts it for MkDocs: at the top of the page's content, before its title;
    and in its head the links to them (:func:`sopgen.site.languages.with_alternates`, absolute
    under ``site_url``, the language's own)."""
    if len(generated.languages) < 2:
        return
    others = [site / code for code in generated.languages[1:]] if generated.translation is None else []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        if rel == "404.html" or any(page.is_relative_to(other) for other in others):
            continue
        text = page.read_text(encoding="utf-8")
        start = ARTICLE.search(text)
        if start is None:
            continue
        title = H1.search(text, start.end())
        at = title.start() if title and title.start() < text.find("</article>", start.end()) else start.end()
        url = rel[:-len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel
        text = text[:at] + switcher(generated, url) + text[at:]
        page.write_text(with_alternates(generated, url, text, site_url=site_url), encoding="utf-8")
