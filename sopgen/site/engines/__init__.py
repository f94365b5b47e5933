"""The engines that can build the site, and how sopgen finds one.

- ``mkdocs`` (the default) runs the ``sopgen`` plugin in sopgen's own process
  (:mod:`.mkdocs`).
- ``properdocs``, the MkDocs 1.x fork, runs the same plugin unchanged, in a child process that
  sends every ``mkdocs`` import to ``properdocs`` (:mod:`.properdocs`).
- ``zensical``, Material's successor, ignores plugins it does not know: sopgen renders the
  project for it and keeps its own guarantees around its build (:mod:`.zensical`).

An engine is found in sopgen's own environment (the Python that runs sopgen): installing its
extra there is all it takes. The adapters never import each other (an import-linter contract
in pyproject.toml); what they share lives here, and in :mod:`sopgen.site.build`.
"""

from __future__ import annotations

import contextlib
import importlib.util
import signal
import threading
from typing import Any, Iterator

from ...core.errors import SopgenError

ENGINES = {"mkdocs": "MkDocs", "properdocs": "ProperDocs", "zensical": "Zensical"}
"""The engines ``--engine`` accepts (each the name of its Python package), with their names."""
DEFAULT = "mkdocs"
INSTALL = {"mkdocs": "pip install sopgen", "properdocs": "pip install 'sopgen[properdocs]'",
           "zensical": "pip install 'sopgen[zensical]'"}
"""What installs each engine into sopgen's environment."""


class EngineMissing(SopgenError):
    """The engine asked for is not installed where sopgen runs."""


def installed(engine: str) -> bool:
    """Whether ``engine``'s package can be imported by the Python that runs sopgen (nothing is imported)."""
    try:
        return importlib.util.find_spec(engine) is not None
    except (ImportError, ValueError):
        return False


def require(engine: str) -> None:
    """Raise :class:`EngineMissing`, with the command that installs it, unless ``engine`` is installed."""
    if not installed(engine):
        raise EngineMissing(f"--engine {engine}: {ENGINES[engine]} is not installed in sopgen's environment; "
                            f"install it with: {INSTALL[engine]}")


@contextlib.contextmanager
def stopped_like_ctrl_c() -> Iterator[None]:
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
