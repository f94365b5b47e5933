"""Running MkDocs (or ProperDocs, in its child process) for ``sopgen build``, with the plugin.

The build goes into a fresh folder beside the site and replaces the old site
only when everything succeeded (:func:`sopgen.site.build.swap`): a failure
leaves the last good site as it was. Warnings are counted whatever the
verbosity, so ``--strict`` really fails on them (``mkdocs build --strict -q``
does not count what it hides).
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator, Optional

from ....core import outputs
from ....core.catalog import Catalog
from ....core.errors import Problem
from ...build import BuildFailed, BuildResult, check_output, swap
from ...config import read as read_config
from ...generate import Handover


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


def docs_dir_override(config_file: Path, stack: contextlib.ExitStack) -> dict[str, str]:
    """An empty stand-in for ``docs/`` when the project has none (MkDocs insists on one)."""
    if read_config(config_file).docs_dir.is_dir():
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
    """Build the site of ``config_file``; the old site survives any failure.

    ``preloaded`` (the catalog and problems the caller validated and reported), ``pdf`` and the
    progress callbacks are handed to the plugin as a :class:`sopgen.site.generate.Handover`."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    from .plugin import SopgenPlugin

    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        collect = stack.enter_context(mkdocs_logging(echo, verbose=verbose, quiet=quiet))
        overrides = docs_dir_override(config_file, stack)
        try:
            config = load_config(str(config_file), **overrides)
        except MkDocsException as exc:
            raise BuildFailed(f"{config_file.name}: {exc}") from None
        final = Path(site_dir).resolve() if site_dir else Path(config.site_dir).resolve()
        check_output(config_file, Path(site_dir) if site_dir else None, shown=site_dir)
        stack.enter_context(outputs.lock(final, echo=echo))
        stack.enter_context(outputs.writing(final, "the site"))
        outputs.check_site(final, shown=site_dir or read_config(config_file).site_dir_as_written,
                           source="" if site_dir else f"site_dir in {config_file.name}")
        for stale in final.parent.glob(f".{final.name}.sopgen-new*"):  # left by a killed build
            shutil.rmtree(stale, ignore_errors=True)
        staging = final.parent / f".{final.name}.sopgen-new-{os.getpid()}-{secrets.token_hex(3)}"
        stack.callback(shutil.rmtree, staging, ignore_errors=True)  # whatever happens, no staging stays
        config.site_dir = str(staging)
        plugin = config.plugins.get("sopgen")
        if not isinstance(plugin, SopgenPlugin):
            raise BuildFailed(f"{config_file.name} does not list 'sopgen' under plugins: add it "
                              "(plugins: [search, sopgen])")
        plugin.hand_over(Handover(preloaded=preloaded, pdf=pdf, on_pages=on_start, on_page=on_page, on_pdf=on_pdf))
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
        swap(staging, final)
        pages = sum(1 for _ in final.rglob("index.html"))
        pdfs = sorted(final.glob("pdf/*.pdf")) + sorted(final.glob("*/pdf/*.pdf"))  # a translation's too (/es/pdf/)
    return BuildResult(final, pages, warnings, time.perf_counter() - started, pdfs)
