"""``sopgen serve --engine zensical``: Zensical's live reload on the rendered project, rendered
again at each save of a source, a template, a page of ``docs/`` or ``mkdocs.yml``."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Optional

import yaml

from ....core.catalog import Catalog
from ....history.log import reference_time
from ...build import BuildFailed, plugin_options
from ...export import read_config
from .rendered import environment, ignored, prepare

POLLING_INTERVAL = 0.3
"""Seconds between two looks for saved sources under ``sopgen serve --engine zensical``."""


def serve(config_file: Path, *, dev_addr: Optional[str] = None, open_browser: bool = False,
          echo: Callable[[str], None] = print) -> None:
    """``zensical serve`` on the rendered project, rendered again when a source, a template,
    a page of ``docs/`` or ``mkdocs.yml`` is saved, so that Zensical's live reload shows it.
    A save that does not validate is said, and the last good render stays on show."""
    from ...build import _stopped_like_ctrl_c

    with contextlib.ExitStack() as stack:
        stack.enter_context(_stopped_like_ctrl_c())
        folder = Path(tempfile.mkdtemp(prefix="sopgen-zensical-"))
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
        rendered, served = folder / "rendered", folder / "served"
        state = _Sources(config_file)
        catalog, failed = state.render(rendered, echo)
        if catalog is None:
            raise BuildFailed(f"{failed}; fix it and serve again")
        for warning in ignored(config_file):
            echo(warning)
        _sync(rendered, served)
        seen = state.fingerprint()
        command = [sys.executable, "-m", "zensical", "serve", "-f", str(served / "mkdocs.yml")]
        command += (["-a", dev_addr] if dev_addr else []) + (["-o"] if open_browser else [])
        child = subprocess.Popen(command, cwd=served, env=environment(catalog))
        stack.callback(_stop, child)
        try:
            while child.poll() is None:
                time.sleep(POLLING_INTERVAL)
                now = state.fingerprint()
                if now == seen:
                    continue
                seen = now
                catalog, failed = state.render(rendered, echo)
                if catalog is None:
                    echo(f"error: {failed}; still serving the last good render")
                    continue
                _sync(rendered, served)
                echo("sopgen: rendered again")
        except KeyboardInterrupt:
            echo("Shutting down...")
            return
        if child.returncode:
            raise BuildFailed(f"Zensical stopped serving (exit code {child.returncode})")


class _Sources:
    """The project's sources as serve watches and reads them (the history kept across saves)."""

    def __init__(self, config_file: Path) -> None:
        self.config_file = config_file
        self.project = config_file.parent.resolve()
        self.sops_dir = str(plugin_options(config_file).get("sops_dir", "sops"))
        self.history: Any = None

    def watched(self) -> list[Path]:
        try:
            raw = read_config(self.config_file)
        except (OSError, yaml.YAMLError):  # being saved: what it names is looked at again next time
            raw = {}
        theme = raw.get("theme")
        custom = theme.get("custom_dir") if isinstance(theme, dict) else None
        folders = [self.sops_dir, "templates", str(raw.get("docs_dir", "docs"))] + ([str(custom)] if custom else [])
        return [self.config_file] + [self.project / f for f in folders]

    def fingerprint(self) -> dict[str, tuple[int, int]]:
        """Every watched file's time of change and size."""
        seen: dict[str, tuple[int, int]] = {}
        for top in self.watched():
            paths = [top] if top.is_file() else [Path(d) / f for d, _, fs in os.walk(top) for f in fs]
            for path in paths:
                with contextlib.suppress(OSError):
                    st = path.stat()
                    seen[str(path)] = (st.st_mtime_ns, st.st_size)
        return seen

    def render(self, target: Path, echo: Callable[[str], None]) -> tuple[Optional[Catalog], str]:
        """The project rendered into ``target`` and its catalog; or None and why not (the
        problems echoed), ``target`` left as it was."""
        from ....core.errors import SopgenError

        try:
            read_config(self.config_file)  # before anything that reads it: said once, in its terms
        except yaml.YAMLError as exc:
            echo(f"{self.config_file.name}: {' '.join(str(exc).split())}")
            return None, f"{self.config_file.name} could not be read"
        catalog, failed = self.load(echo)
        if catalog is None:
            return None, failed
        try:
            prepare(self.config_file, catalog, target, pdfs={})
        except SopgenError as exc:  # a template that fails
            return None, str(exc)
        return catalog, ""

    def load(self, echo: Callable[[str], None]) -> tuple[Optional[Catalog], str]:
        """The catalog, validated, with its history; or None and why not (the problems echoed)."""
        from ....core.errors import SopgenError, summary
        from ....core.loader import load
        from ....core.validate import REVIEW_OVERDUE, validate
        from ....history.log import attach, read_history

        try:
            catalog = load(self.project, sops_dir=self.sops_dir)
        except SopgenError as exc:
            for line in str(exc).splitlines():
                echo(line)
            return None, "the sources could not be read"
        self.history = read_history(self.project, sops_dir=self.sops_dir, previous=self.history)
        attach(catalog, self.history)
        problems = validate(catalog, today=reference_time(catalog.history).date())
        for problem in problems:
            if problem.rule != REVIEW_OVERDUE:
                echo(str(problem))
        if any(p.severity == "error" for p in problems):
            return None, summary(problems)
        return catalog, ""


def _sync(source: Path, target: Path) -> None:
    """Make ``target`` hold what ``source`` holds, writing only the files that changed, in place:
    Zensical watches its project's folders, and would lose sight of one replaced whole."""
    want = {p.relative_to(source): p for p in source.rglob("*") if p.is_file()}
    for rel, path in want.items():
        dest = target / rel
        data = path.read_bytes()
        if dest.is_file() and dest.read_bytes() == data:
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(dest, "wb") as fh:  # the same file, new contents
            fh.write(data)
    for path in sorted(target.rglob("*"), reverse=True):
        rel = path.relative_to(target)
        if rel.parts[0] in (".cache", "site"):
            continue
        if path.is_file() and rel not in want:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def _stop(child: subprocess.Popen[Any]) -> None:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
