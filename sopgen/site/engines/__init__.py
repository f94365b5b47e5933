"""The engines that can build the site, and how sopgen finds one.

- ``mkdocs`` (the default) runs the ``sopgen`` plugin (:mod:`sopgen.site.plugin`) in
  sopgen's own process (:mod:`sopgen.site.build`).
- ``properdocs``, the MkDocs 1.x fork, runs the same plugin unchanged, in a child process that
  sends every ``mkdocs`` import to ``properdocs`` (:mod:`.properdocs`).
- ``zensical``, Material's successor, ignores plugins it does not know: sopgen renders the
  project for it and keeps its own guarantees around its build (:mod:`.zensical`).

An engine is found in sopgen's own environment (the Python that runs sopgen): installing its
extra there is all it takes. The adapters never import each other (an import-linter contract
in pyproject.toml); what they share lives here.
"""

from __future__ import annotations

import importlib.util

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
