"""What the MkDocs plugin keeps across the rebuilds of ``sopgen serve`` (and ``mkdocs serve``).

Serve's builds are "dirty": MkDocs renders again only the pages whose source is newer than
their HTML, so that saving one SOP rebuilds the few pages it shows on, not the site. For that
to give what a fresh build would, :class:`ServeState` keeps the generated pages as files
rewritten only when their Markdown changed, makes a page whose navigation changed older than
its source, removes the files of pages and images that are gone, and keeps the search index
whole. It also keeps :class:`sopgen.site.generate.Caches`, and why the last save could not be
built (shown on every page by ``serve.js``, the last good build staying on show).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterable, Optional

from ...editor.links import SERVE_JS, SERVE_STATUS, links
from ...generate import Caches

__all__ = ["SERVE_JS", "SERVE_STATUS", "ServeState"]



class ServeState:
    """One serve's state, from its first build to its end."""

    def __init__(self) -> None:
        self.caches = Caches()
        self.server: Any = None
        """MkDocs' live-reload server, once serving (to watch the sources and templates)."""
        self.watched: set[str] = set()
        self.problems_shown: list[str] = []
        """Why the last save could not be built; empty when it could."""
        self.editor_url = ""
        """The address of the editor ``sopgen serve`` started beside this site ("" if none)."""
        self.editor: Optional[dict[str, Any]] = None
        """What serve.js needs to show the editor's buttons (:func:`sopgen.site.editor.links.links`)."""
        self.page_dir: Optional[Path] = None
        """Where generated pages are kept as files, so that unchanged ones are not rebuilt."""
        self.written: dict[str, str] = {}
        """The Markdown last written for each page in ``page_dir``."""
        self.outputs: set[str] = set()
        """The site's files (``dest_uri``) of the last build, to remove those that vanish."""
        self.outputs_gone: list[str] = []
        """The site's files of the last build that this build no longer has."""
        self.page_urls: list[str] = []
        """The address of every page of this build, in order."""
        self.built: set[str] = set()
        """The addresses of the pages this build rendered."""
        self.search_entries: dict[str, list[Any]] = {}
        """Each page's entries of the search index, from the build that last rendered it."""
        self.nav_shown: dict[str, int] = {}
        """For each page, a digest of the navigation it shows (see :func:`nav_shown`)."""
        self.said_translations = False
        """Whether the startup said that the translations are served too."""

    def watch(self, folders: Iterable[Path], *, server: Any = None) -> None:
        """Have the live-reload ``server`` (given once serving, then kept) watch ``folders`` (once
        each, those that exist: templates/ may appear later)."""
        self.server = server or self.server
        if self.server is None:
            return
        for folder in folders:
            if folder.is_dir() and str(folder) not in self.watched:
                self.server.watch(str(folder))
                self.watched.add(str(folder))

    def link_editor(self, site: Any, project: Path) -> None:
        """Note what serve.js needs for the editor's Edit and New buttons on ``site``'s pages (when
        serve started the editor)."""
        if self.editor_url:
            self.editor = links(site, project, self.editor_url)

    def rebuilding(self, folders: Iterable[Path]) -> None:
        """A rebuild begins: no problem shown yet, and ``folders`` watched (templates/ may have appeared)."""
        self.problems_shown = []
        self.watch(folders)

    def page_file(self, path: str, markdown: str) -> Path:
        """The file holding page ``path``, rewritten only when its Markdown changed (compared in
        memory: no read of every page per save)."""
        if self.page_dir is None:
            self.page_dir = Path(tempfile.mkdtemp(prefix="sopgen-serve-"))
            atexit.register(shutil.rmtree, self.page_dir, ignore_errors=True)
        cached = self.page_dir / path
        if self.written.get(path) != markdown:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(markdown, encoding="utf-8")
            self.written[path] = markdown
        return cached

    def keep_pages(self, own: set[str]) -> None:
        """Forget the files of pages this build no longer generates (an SOP deleted or renamed)."""
        for path in [p for p in self.written if p not in own]:
            del self.written[path]
            if self.page_dir is not None:
                (self.page_dir / path).unlink(missing_ok=True)

    def begin(self, plugins: Iterable[Any]) -> None:
        """Before a build: no page rendered yet, and the search index of this build alone."""
        self.built = set()
        for plugin in plugins:
            # Material's search carries the last index over a dirty build and replaces the entries
            # of one page only (all of them, when that page is the home page): the entries of each
            # page are kept here instead (see whole_search_index)
            if hasattr(plugin, "search_index_prev"):
                plugin.search_index_prev = None

    def rendered(self, url: str) -> None:
        self.built.add(_address(url))

    def renavigated(self, nav: Any) -> None:
        """Make each page whose navigation changed (an SOP added, renamed or deleted beside it)
        older than its source, so that it is rendered again too and links to no page that is gone."""
        shown = nav_shown(nav)
        for page in nav.pages:
            before = self.nav_shown.get(page.file.src_uri)
            if before is not None and before != shown[page.file.src_uri]:
                with contextlib.suppress(OSError):
                    os.utime(page.file.abs_dest_path, ns=(0, 0))
        self.nav_shown = shown

    def listed(self, files: Any) -> None:
        """Every file of the site as it is now (MkDocs' ``Files``), to remove what vanished."""
        dests = {f.dest_uri for f in files}
        self.outputs_gone = sorted(self.outputs - dests)
        self.outputs = dests
        self.page_urls = [_address(f.url) for f in files.documentation_pages()]

    def finish(self, site_dir: Path) -> None:
        """After a build: the served site made what a fresh build would give (the files of pages
        and images no longer part of it removed, the search index whole), and the problems of
        this save written for serve.js."""
        for dest in self.outputs_gone:
            target = site_dir / dest
            target.unlink(missing_ok=True)
            for folder in target.parents:  # and the folders that held only it
                if folder == site_dir or not folder.is_relative_to(site_dir) or any(folder.iterdir()):
                    break
                folder.rmdir()
        self.whole_search_index(site_dir / "search" / "search_index.json")
        status: dict[str, Any] = {"problems": self.problems_shown}
        if self.editor is not None:
            status["editor"] = self.editor
        (site_dir / SERVE_STATUS).write_text(json.dumps(status), encoding="utf-8")

    def whole_search_index(self, index: Path) -> None:
        """Rewrite the search index with the entries of every page of the site: this build's for
        the pages it rendered, the last ones for the others; none for a page that is gone."""
        try:
            data = json.loads(index.read_text(encoding="utf-8"))
            fresh = data["docs"]
        except (OSError, ValueError, KeyError, TypeError):
            return  # no search plugin, or one that writes another format
        by_page: dict[str, list[Any]] = {url: [] for url in self.built}
        for entry in fresh:
            page = str(entry.get("location", "")).split("#", 1)[0]
            if page in by_page:
                by_page[page].append(entry)
        self.search_entries.update(by_page)
        current = set(self.page_urls)
        self.search_entries = {url: e for url, e in self.search_entries.items() if url in current}
        data["docs"] = [entry for url in self.page_urls for entry in self.search_entries.get(url, [])]
        index.write_text(json.dumps(data, separators=(",", ":"), default=str), encoding="utf-8")


def nav_shown(nav: Any) -> dict[str, int]:
    """A digest, for each page, of the navigation it shows: the top-level entries, the entries of
    every section it lies in (with ``navigation.prune`` that is all a page carries), and the pages
    before and after it."""
    memo: dict[int, tuple[Any, ...]] = {}

    def target(item: Any) -> Any:
        """Where an entry links: a page's or link's address, a (collapsed) section's first page's."""
        while getattr(item, "children", None):
            item = item.children[0]
        return getattr(item, "url", None)

    def entries(items: list[Any]) -> tuple[Any, ...]:
        if id(items) not in memo:
            memo[id(items)] = tuple((item.title, target(item)) for item in items)
        return memo[id(items)]

    shown = {}
    for page in nav.pages:
        parts = [entries(nav.items)]
        section = page.parent
        while section is not None:
            parts.append(entries(section.children))
            section = section.parent
        parts.append(tuple((p.title, p.url) if p else None for p in (page.previous_page, page.next_page)))
        shown[page.file.src_uri] = hash(tuple(parts))
    return shown


def _address(url: str) -> str:
    """A page's address as search entries give it: the home page's ``./`` is ``""``."""
    return "" if url == "./" else url
