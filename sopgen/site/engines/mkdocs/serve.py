"""``sopgen serve``: MkDocs' live-reload server over the project, its sources and templates
watched, its rebuilds "dirty" (only the pages whose Markdown changed are rendered again, see
:mod:`sopgen.site.engines.mkdocs.servestate`)."""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

from .. import stopped_like_ctrl_c
from .build import docs_dir_override, mkdocs_logging


def _quiet_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns at every dirty build; sopgen serve chose it and says what it means."""
    return "'dirty' build" not in record.getMessage() and "stale files" not in record.getMessage()


def serve(config_file: Path, *, dev_addr: Optional[str] = None, open_browser: bool = False,
          after_first_build: Optional[Callable[[], None]] = None,
          echo: Callable[[str], None] = print, verbose: bool = False, editor_url: str = "") -> None:
    """``mkdocs serve`` with sopgen's sources and templates watched; Ctrl+C (or SIGTERM) stops it.

    ``after_first_build`` is called once, when the first build is done and before serving;
    ``editor_url`` is the editor's address, which the pages' Edit buttons open.
    """
    with contextlib.ExitStack() as stack:
        stack.enter_context(stopped_like_ctrl_c())
        stack.enter_context(mkdocs_logging(echo, verbose=verbose, shown=logging.INFO))
        overrides: dict[str, Any] = docs_dir_override(config_file, stack)
        if dev_addr:
            overrides["dev_addr"] = dev_addr
        logging.getLogger("mkdocs.commands.build").addFilter(_quiet_dirty_warning)
        _serve_dirty(config_file, overrides, open_browser=open_browser, after_first_build=after_first_build,
                     editor_url=editor_url)


def _serve_dirty(config_file: Path, overrides: dict[str, Any], *, open_browser: bool,
                 after_first_build: Optional[Callable[[], None]], editor_url: str = "") -> None:
    """MkDocs' ``serve`` (``mkdocs/commands/serve.py`` of MkDocs 1.6), step for step, with its
    live-reload server made here: MkDocs' ``serve`` cannot pass the polling interval that
    ``LiveReloadServer`` takes. Builds are "dirty": after the first, only pages whose Markdown
    changed are rebuilt (see the plugin)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    log = logging.getLogger("mkdocs.commands.serve")
    site_dir = tempfile.mkdtemp(prefix="mkdocs_")

    def get_config() -> Any:
        return load_config(config_file=str(config_file), site_dir=site_dir, **overrides)

    def builder(config: Any = None) -> None:
        log.info("Building documentation...")
        if config is None:
            config = get_config()
            config.site_url = serve_url
        build(config, serve_url=serve_url, dirty=True)

    def error_page(code: int) -> Optional[bytes]:
        page = Path(site_dir) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    try:
        config = get_config()
        config.plugins.on_startup(command="serve", dirty=True)
        serving = getattr(config.plugins.get("sopgen"), "serving", None)
        if serving is not None:  # the plugin instance is kept across rebuilds, and its state with it
            serving.editor_url = editor_url
        host, port = config.dev_addr
        # MkDocs looks for changed files every 0.5 s; every 0.2 s a save shows 0.15 s sooner on
        # average (a look over 1,000 source files costs about 5 ms)
        server = LiveReloadServer(builder=builder, host=host, port=port, root=site_dir,
                                  mount_path=urlsplit(config.site_url or "/").path,
                                  polling_interval=POLLING_INTERVAL)
        config.site_url = serve_url = server.url
        server.error_handler = error_page
        try:
            builder(config)
            if after_first_build is not None:
                after_first_build()
            server.watch(config.docs_dir)
            if config.config_file_path:
                server.watch(config.config_file_path)
            server = config.plugins.on_serve(server, config=config, builder=builder)
            for item in config.watch:
                server.watch(item)
            try:
                server.serve(open_in_browser=open_browser)
            except KeyboardInterrupt:
                log.info("Shutting down...")
            finally:
                server.shutdown()
        finally:
            config.plugins.on_shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


POLLING_INTERVAL = 0.2
"""Seconds between two looks for changed files under `sopgen serve`."""
