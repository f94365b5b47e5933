"""Running MkDocs for ``sopgen build`` and ``sopgen serve``.

The build goes into a fresh folder beside the site and replaces the old site
only when everything succeeded: a failure leaves the last good site as it
was. Warnings are counted whatever the verbosity, so ``--strict`` really
fails on them (``mkdocs build --strict -q`` does not count what it hides).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import logging
import os
import secrets
import shutil
import signal
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Optional
from urllib.parse import urlsplit

from ..core import outputs
from ..core.branding import Brand, brand
from ..core.catalog import Catalog
from ..core.errors import Problem, SopgenError


class BuildFailed(SopgenError):
    """MkDocs could not build the site (or warned, under --strict)."""


@dataclass
class BuildResult:
    site_dir: Path
    pages: int
    warnings: list[str]
    seconds: float
    pdfs: list[Path]


class _Collect(logging.Handler):
    """Keeps every warning MkDocs and its plugins log, to count and show them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class _Show(logging.Handler):
    def __init__(self, echo: Callable[[str], None], level: int) -> None:
        super().__init__(level)
        self.echo = echo

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.name != "mkdocs.plugins.sopgen":  # sopgen's own problems say their severity
            message = {logging.WARNING: "warning: ", logging.ERROR: "error: "}.get(record.levelno, "") + message
        self.echo(message)


@contextlib.contextmanager
def mkdocs_logging(echo: Callable[[str], None], *, verbose: bool = False, quiet: bool = False,
                   shown: int = logging.WARNING) -> Iterator[_Collect]:
    """Route MkDocs' log to ``echo`` (from level ``shown``) and collect its warnings."""
    logger = logging.getLogger("mkdocs")
    saved = (logger.level, logger.propagate, list(logger.handlers))
    collect = _Collect()
    show = _Show(echo, logging.DEBUG if verbose else logging.ERROR if quiet else shown)
    logger.handlers = [collect, show]
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False
    try:
        yield collect
    finally:
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
        logger.handlers = saved[2]


def _raw_config(config_file: Path) -> dict[str, Any]:
    """``mkdocs.yml`` as data; parsed once per content of the file, however many options are asked."""
    digest = hashlib.blake2b(config_file.read_bytes(), digest_size=16).digest()
    return _read_config(str(config_file), digest)


@functools.lru_cache(maxsize=8)
def _read_config(path: str, _digest: bytes) -> dict[str, Any]:
    from mkdocs.utils.yaml import yaml_load

    with open(path, "rb") as fh:
        return yaml_load(fh) or {}


def plugin_options(config_file: Path) -> dict[str, Any]:
    """The options given to ``sopgen`` under ``plugins:`` in ``mkdocs.yml``."""
    plugins = _raw_config(config_file).get("plugins") or []
    items = plugins.items() if isinstance(plugins, dict) else (
        next(iter(p.items())) if isinstance(p, dict) else (p, None) for p in plugins)
    for name, options in items:
        if name == "sopgen":
            return dict(options or {})
    return {}


def site_dir_of(config_file: Path) -> Path:
    """The site folder ``mkdocs.yml`` names (``site/`` by default)."""
    return (config_file.parent / str(_raw_config(config_file).get("site_dir", "site"))).resolve()


def check_output(config_file: Path, target: Optional[Path] = None, *, what: str = "the site",
                 shown: Optional[str] = None, example: str = "site", replaces: bool = True) -> None:
    """Refuse ``target`` (``shown`` as the user gave it), by default the site folder that
    ``mkdocs.yml`` names, as an output folder of this project (see :func:`outputs.refusal`)."""
    source = ""
    if target is None:
        target, shown = site_dir_of(config_file), _site_dir_as_written(config_file)
        source = f"site_dir in {config_file.name}"
    outputs.check(target, project=config_file.parent.resolve(), kept=_kept(config_file), what=what,
                  shown=shown or str(target), example=example, source=source, replaces=replaces)


def check_private_file(config_file: Path, target: Path, *, what: str, shown: str) -> None:
    """Refuse a private file (the owner's report) in the project's folders of work, and in the
    site folder too: whatever lies there is served to the staff."""
    kept = _kept(config_file)
    site = _site_dir_as_written(config_file).rstrip("/\\")
    kept[f"site folder ({site}/)"] = site_dir_of(config_file)
    outputs.check(target.parent, project=config_file.parent.resolve(), kept=kept, what=what, shown=shown,
                  example="reports", replaces=False)


def _kept(config_file: Path) -> dict[str, Path]:
    """The project's folders of work (:func:`outputs.kept_folders`), as ``mkdocs.yml`` names them."""
    return outputs.kept_folders(config_file.parent.resolve(),
                                sops_dir=str(plugin_options(config_file).get("sops_dir", "sops")),
                                docs_dir=str(_raw_config(config_file).get("docs_dir", "docs")))


def _site_dir_as_written(config_file: Path) -> str:
    return str(_raw_config(config_file).get("site_dir", "site"))


def brand_of(config_file: Path, catalog: Catalog) -> Brand:
    """The PDFs' brand: organization.yml's, completed by what mkdocs.yml's ``theme`` says."""
    raw = _raw_config(config_file)
    theme = raw.get("theme") or {}
    return brand(catalog, theme=theme if isinstance(theme, dict) else {"name": theme},
                 docs_dir=config_file.parent / str(raw.get("docs_dir", "docs")))


def _docs_dir_override(config_file: Path, stack: contextlib.ExitStack) -> dict[str, str]:
    """An empty stand-in for ``docs/`` when the project has none (MkDocs insists on one)."""
    raw = _raw_config(config_file)
    docs = config_file.parent / str(raw.get("docs_dir", "docs"))
    if docs.is_dir():
        return {}
    return {"docs_dir": stack.enter_context(tempfile.TemporaryDirectory(prefix="sopgen-docs-"))}


def build(
    config_file: Path,
    *,
    site_dir: Optional[str] = None,
    strict: bool = False,
    preloaded: Optional[tuple[Catalog, list[Problem]]] = None,
    on_start: Optional[Callable[[int], None]] = None,
    on_page: Optional[Callable[[str], None]] = None,
    pdf: Optional[bool] = None,
    on_pdf: Optional[Callable[[int, Optional[str]], None]] = None,
    echo: Callable[[str], None] = print,
    verbose: bool = False,
    quiet: bool = False,
) -> BuildResult:
    """Build the site of ``config_file``; the old site survives any failure."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        collect = stack.enter_context(mkdocs_logging(echo, verbose=verbose, quiet=quiet))
        overrides = _docs_dir_override(config_file, stack)
        try:
            config = load_config(str(config_file), **overrides)
        except MkDocsException as exc:
            raise BuildFailed(f"{config_file.name}: {exc}") from None
        final = Path(site_dir).resolve() if site_dir else Path(config.site_dir).resolve()
        check_output(config_file, Path(site_dir) if site_dir else None, shown=site_dir)
        stack.enter_context(outputs.lock(final, echo=echo))
        stack.enter_context(outputs.writing(final, "the site"))
        outputs.check_site(final, shown=site_dir or str(_raw_config(config_file).get("site_dir", "site")),
                           source="" if site_dir else f"site_dir in {config_file.name}")
        for stale in final.parent.glob(f".{final.name}.sopgen-new*"):  # left by a killed build
            shutil.rmtree(stale, ignore_errors=True)
        staging = final.parent / f".{final.name}.sopgen-new-{os.getpid()}-{secrets.token_hex(3)}"
        stack.callback(shutil.rmtree, staging, ignore_errors=True)  # whatever happens, no staging stays
        config.site_dir = str(staging)
        plugin = config.plugins.get("sopgen")
        if plugin is None:
            raise BuildFailed(f"{config_file.name} does not list 'sopgen' under plugins: add it "
                              "(plugins: [search, sopgen])")
        plugin.preloaded = preloaded  # type: ignore[attr-defined]
        plugin.progress_start = on_start  # type: ignore[attr-defined]
        plugin.progress_page = on_page  # type: ignore[attr-defined]
        plugin.pdf_enabled = pdf  # type: ignore[attr-defined]
        plugin.progress_pdf = on_pdf  # type: ignore[attr-defined]
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build.build(config)
        except BaseException as exc:
            if isinstance(exc, Abort):  # MkDocs logged the reason already; say what it means
                raise BuildFailed("the build failed; the previous site was left as it was") from None
            said = outputs.failure(exc, final, "the site") if isinstance(exc, OSError) else None
            if said:
                raise BuildFailed(f"{said}; the previous site was left as it was") from None
            if isinstance(exc, (MkDocsException, OSError)):
                raise BuildFailed(str(exc) or type(exc).__name__) from None
            if isinstance(exc, Exception):  # a hook's or another plugin's own error
                raise BuildFailed(f"{type(exc).__name__}: {exc} (raised by a hook or plugin); "
                                  "the previous site was left as it was") from None
            raise
        finally:
            config.plugins.on_shutdown()
        warnings = [r.getMessage() for r in collect.records if r.levelno == logging.WARNING]
        if strict and warnings:
            raise BuildFailed(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''} in strict mode; "
                              "the previous site was left as it was")
        _swap(staging, final)
        pages = sum(1 for _ in final.rglob("index.html"))
        pdfs = sorted(final.glob("pdf/*.pdf"))
    return BuildResult(final, pages, warnings, time.perf_counter() - started, pdfs)


_exchange = outputs.exchange


def _swap(new: Path, final: Path) -> None:
    """Put ``new`` where ``final`` is. Where the system can exchange two folders in one step
    (Linux), ``final`` is never missing, even to a process killed mid-swap; elsewhere the old
    site is set aside, and put back by the next build if a kill came between the two renames.
    A ``final`` that cannot be moved (a mount point, such as a Docker volume) gets its contents
    replaced instead."""
    old = final.parent / f".{final.name}.sopgen-old"
    try:
        if final.exists() and _exchange(new, final):
            shutil.rmtree(new, ignore_errors=True)  # the old site, now
            return
        shutil.rmtree(old, ignore_errors=True)
        if final.exists():
            final.rename(old)
    except OSError as exc:
        if exc.errno != errno.EBUSY:
            raise
        _replace_contents(new, final)
        return
    new.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def _replace_contents(new: Path, final: Path) -> None:
    """Replace what ``final`` holds by what ``new`` holds, keeping ``final`` itself: the old
    contents are set aside inside ``final`` first, and put back if the move fails."""
    aside = final / f".sopgen-old-{os.getpid()}-{secrets.token_hex(3)}"
    aside.mkdir()
    old_entries = [e for e in final.iterdir() if e != aside]
    for entry in old_entries:
        entry.rename(aside / entry.name)
    moved: list[Path] = []
    try:
        for entry in sorted(new.iterdir()):
            moved.append(final / entry.name)
            shutil.move(str(entry), str(final / entry.name))  # copies across file systems
    except BaseException:
        for path in moved:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.exists() or path.is_symlink():
                path.unlink()
        for entry in old_entries:
            (aside / entry.name).rename(entry)
        aside.rmdir()
        raise
    shutil.rmtree(aside, ignore_errors=True)


def recover(final: Path) -> None:
    """Put back a site that a build killed mid-swap had set aside (see :func:`_swap`)."""
    old = final.parent / f".{final.name}.sopgen-old"
    if old.is_dir() and not final.exists():
        old.rename(final)


swap = _swap
"""For the engines that build outside MkDocs (:mod:`sopgen.site.engines.zensical`)."""


def _quiet_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns at every dirty build; sopgen serve chose it and says what it means."""
    return "'dirty' build" not in record.getMessage() and "stale files" not in record.getMessage()


def serve(config_file: Path, *, dev_addr: Optional[str] = None, open_browser: bool = False,
          after_first_build: Optional[Callable[[], None]] = None,
          echo: Callable[[str], None] = print, verbose: bool = False) -> None:
    """``mkdocs serve`` with sopgen's sources and templates watched; Ctrl+C (or SIGTERM) stops it.

    ``after_first_build`` is called once, when the first build is done and before serving.
    """
    with contextlib.ExitStack() as stack:
        stack.enter_context(_stopped_like_ctrl_c())
        stack.enter_context(mkdocs_logging(echo, verbose=verbose, shown=logging.INFO))
        overrides: dict[str, Any] = _docs_dir_override(config_file, stack)
        if dev_addr:
            overrides["dev_addr"] = dev_addr
        logging.getLogger("mkdocs.commands.build").addFilter(_quiet_dirty_warning)
        _serve_dirty(config_file, overrides, open_browser=open_browser, after_first_build=after_first_build)


def _serve_dirty(config_file: Path, overrides: dict[str, Any], *, open_browser: bool,
                 after_first_build: Optional[Callable[[], None]]) -> None:
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


@contextlib.contextmanager
def _stopped_like_ctrl_c() -> Iterator[None]:
    """SIGTERM (a service manager, ``docker stop``, ``kill``) and SIGHUP (a closed terminal) stop
    serve the way Ctrl+C does, so that MkDocs and sopgen remove their temporary folders; the
    default action would end the process at once and leave them behind."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread can
        yield
        return
    signals = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])

    def stop(signum: int, frame: Any) -> None:
        for number in signals:  # once: a second signal must not cut the clean-up short
            signal.signal(number, signal.SIG_IGN)
        raise KeyboardInterrupt

    saved = {number: signal.signal(number, stop) for number in signals}
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


POLLING_INTERVAL = 0.2
"""Seconds between two looks for changed files under `sopgen serve`."""
