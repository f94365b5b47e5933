"""``--engine properdocs``: the same ``sopgen`` command, run on ProperDocs instead of MkDocs.

ProperDocs is a fork of MkDocs 1.6 that runs MkDocs plugins unchanged: importing
``properdocs.replacement`` sends every later ``import mkdocs…`` to ``properdocs…``. That must
happen before anything imports MkDocs, and sopgen's command imports it early, so the command
runs again in a child process that imports ``properdocs.replacement`` first (:data:`PRELUDE`).
Everything else is sopgen's usual build or serve, plugin and guarantees included: validation,
``--strict``, the site lock and the atomic swap, the PDFs.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
from typing import Any

PRELUDE = "import properdocs.replacement; from sopgen.site.engines.properdocs import main; main()"
"""The child's program: ProperDocs in place of MkDocs, then the ``sopgen`` command."""


def run(args: list[str]) -> int:
    """``sopgen ARGS`` on ProperDocs, in a child process; its exit code. Ctrl+C reaches the child
    (it shares the terminal) and SIGTERM is passed on, so that it cleans up before ending."""
    child = subprocess.Popen([sys.executable, "-c", PRELUDE, *args])

    def pass_on(signum: int, frame: Any) -> None:
        child.send_signal(signum)

    in_main = threading.current_thread() is threading.main_thread()  # only the main thread sets handlers
    saved = signal.signal(signal.SIGTERM, pass_on) if in_main else None
    try:
        while True:
            try:
                return child.wait()
            except KeyboardInterrupt:  # the child got it too, and is stopping
                continue
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, saved)


class _Forward(logging.Handler):
    """ProperDocs logs under ``properdocs…``; sopgen shows and counts what is logged under
    ``mkdocs…`` (see :func:`sopgen.site.engines.mkdocs.build.mkdocs_logging`): a record goes to the logger of
    the same name under ``mkdocs``, with its filters (``--strict`` counts ProperDocs' warnings)."""

    def emit(self, record: logging.LogRecord) -> None:
        logging.getLogger("mkdocs" + record.name[len("properdocs"):]).handle(record)


def main() -> None:
    """The child's ``sopgen`` command (``properdocs.replacement`` is imported already)."""
    import runpy

    logger = logging.getLogger("properdocs")
    logger.handlers = [_Forward()]
    # what is shown is decided by the handlers of ``mkdocs``; debug messages only for --verbose
    logger.setLevel(logging.DEBUG if {"-v", "--verbose"} & set(sys.argv) else logging.INFO)
    logger.propagate = False
    sys.argv[0] = "sopgen"
    runpy.run_module("sopgen", run_name="__main__", alter_sys=True)
