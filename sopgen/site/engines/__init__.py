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
import os
import re
import shlex
import signal
import threading
from pathlib import Path
from typing import Any, Iterator

from ...core.errors import Problem, SopgenError
from ..config import read as read_config

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


IGNORES_PLUGINS = re.compile(r"\bzensical\s+(?:build|serve)\b(.*)")
"""A command that runs Zensical itself, which ignores the plugins it does not know, sopgen's among them."""
CI_FILES = (".github/workflows/*.yml", ".github/workflows/*.yaml", ".gitlab-ci.yml", ".gitlab-ci.yaml",
            ".forgejo/workflows/*.yml", ".gitea/workflows/*.yml", "netlify.toml", "vercel.json")
"""Where a repository says how its site is built and published, from its top folder."""
IGNORED_BY_CI = "engine-ignores-sopgen"


def ignored_by_ci(config_file: Path) -> list[Problem]:
    """Warnings for each line of the repository's CI files (:data:`CI_FILES`) that builds the site
    of ``config_file``, which lists the ``sopgen`` plugin, with an engine that ignores it (plain
    ``zensical build``): a one-page site, without an error. That is what sopgen can see of a
    build it does not run; ``sopgen build --engine zensical`` is the build that keeps the pages."""
    config = read_config(config_file)
    if "sopgen" not in config.plugins:
        return []
    project = config.project
    top = next((folder for folder in (project, *project.parents) if (folder / ".git").exists()), project)
    found = []
    for pattern in CI_FILES:
        for ci_file in sorted(top.glob(pattern)):
            try:
                lines = ci_file.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            for number, line in enumerate(lines, 1):
                match = IGNORES_PLUGINS.search(line.split("#", 1)[0] if ci_file.suffix != ".json" else line)
                if match is None or not _builds(match[1], config_file.resolve(), top):
                    continue
                found.append(Problem(
                    Path(os.path.relpath(ci_file, project)).as_posix(), number, match.start() + 1, "",
                    f"'{match[0].split()[0]} {match[0].split()[1]}' builds {config_file.name}, which lists the sopgen "
                    "plugin: Zensical ignores plugins it does not know, and makes a one-page site without an "
                    "error; run 'sopgen build --engine zensical' there instead", "warning", IGNORED_BY_CI))
    return found


def _builds(arguments: str, config_file: Path, top: Path) -> bool:
    """Whether a ``zensical build`` with ``arguments`` builds ``config_file``: the file its
    ``-f``/``--config-file`` names, or without one the ``mkdocs.yml`` of the repository's top."""
    try:
        words = shlex.split(arguments, comments=False)
    except ValueError:
        words = arguments.split()
    for i, word in enumerate(words):
        named = words[i + 1] if word in ("-f", "--config-file") and i + 1 < len(words) else \
            word.split("=", 1)[1] if word.startswith("--config-file=") else None
        if named is not None:
            return (top / named).resolve() == config_file
    return config_file.parent == top.resolve() and config_file.name in ("mkdocs.yml", "mkdocs.yaml")


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
