"""``sopgen serve --engine zensical``: Zensical's live reload on the rendered project, rendered
again at each save of a source, a template, a page of ``docs/`` or ``mkdocs.yml``."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Optional

from ....core.errors import Problem, SopgenError
from ....core.validate import NOTED
from ...build import BuildFailed
from ...config import ConfigInvalid
from ...editor.links import SERVE_JS, SERVE_JS_FILE, SERVE_STATUS, links
from ...config import read as read_config
from ...export import export, translations_of
from ...generate import Caches, Generated, generate
from .rendered import add_switchers, environment, ignored, issues

POLLING_INTERVAL = 0.3
"""Seconds between two looks for saved sources under ``sopgen serve --engine zensical``."""


def serve(config_file: Path, *, dev_addr: Optional[str] = None, open_browser: bool = False,
          echo: Callable[[str], None] = print, editor_url: str = "") -> None:
    """``zensical serve`` on the rendered project, rendered again when a source, a template,
    a page of ``docs/`` or ``mkdocs.yml`` is saved, so that Zensical's live reload shows it.
    A save that does not validate is said, and the last good render stays on show. With
    ``editor_url``, the SOP and role pages have the editor's Edit buttons (serve.js)."""
    from .. import stopped_like_ctrl_c

    with contextlib.ExitStack() as stack:
        stack.enter_context(stopped_like_ctrl_c())
        folder = Path(tempfile.mkdtemp(prefix="sopgen-zensical-"))
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
        rendered, served = folder / "rendered", folder / "served"
        state = _Sources(config_file, editor_url, work=folder / "translations")
        generated, failed = state.render(rendered, echo)
        if generated is None:
            raise BuildFailed(f"{failed}; fix it and serve again")
        for warning in ignored(config_file):
            echo(warning)
        if generated.languages[1:]:
            echo("sopgen: serving the translations too, rebuilt when a file of sops/locale/ is saved: "
                 + ", ".join(f"/{code}/" for code in generated.languages[1:]))
        _sync(rendered, served)
        seen = state.fingerprint()
        command = [sys.executable, "-m", "zensical", "serve", "-f", str(served / "mkdocs.yml")]
        command += (["-a", dev_addr] if dev_addr else []) + (["-o"] if open_browser else [])
        child = subprocess.Popen(command, cwd=served, env=environment(generated))
        stack.callback(_stop, child)
        try:
            while child.poll() is None:
                time.sleep(POLLING_INTERVAL)
                now = state.fingerprint()
                if now == seen:
                    continue
                seen = now
                generated, failed = state.render(rendered, echo)
                if generated is None:
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
    """The project's sources as serve watches and reads them (what did not change is kept across
    saves: :class:`sopgen.site.generate.Caches`)."""

    def __init__(self, config_file: Path, editor_url: str = "", *, work: Path) -> None:
        self.config_file = config_file
        self.editor_url = editor_url
        self.project = config_file.parent.resolve()
        self.caches = Caches()
        self.work = work  # each translation's project, built there

    def watched(self) -> list[Path]:
        try:
            config = read_config(self.config_file)
        except (OSError, SopgenError):  # being saved: what it names is looked at again next time
            return [self.config_file, self.project / "sops", self.project / "templates", self.project / "docs"]
        custom = config.theme.get("custom_dir")
        folders = [config.sops_dir, "templates", config.docs_dir_as_written] + ([str(custom)] if custom else [])
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

    def render(self, target: Path, echo: Callable[[str], None]) -> tuple[Optional[Generated], str]:
        """The project rendered into ``target`` and what it was made from; or None and why not
        (the problems echoed), ``target`` left as it was."""
        try:
            config = read_config(self.config_file)  # before anything that reads it: said once, in its terms
        except ConfigInvalid as exc:
            echo(str(exc))
            return None, f"{self.config_file.name} could not be read"
        errors: list[str] = []

        def report(problem: Problem) -> None:
            if problem.rule not in NOTED:
                echo(str(problem))
            if problem.severity == "error":
                errors.append(str(problem))

        try:
            generated = generate(self.project, sops_dir=config.sops_dir, site_name=config.site_name,
                                 theme=config.theme, docs_dir=config.docs_dir, caches=self.caches, report=report,
                                 say=lambda note: echo(f"note: {note}"))
            if self.editor_url:
                _with_editor(generated, self.project, self.editor_url)
            export(self.config_file, generated.catalog, target, generated=generated, translations=[])
            failed = _translations(self.config_file, generated, self.work, target)
            if failed:
                echo(f"error: {failed}")
                return None, "a translation could not be built"
        except SopgenError as exc:
            if errors:  # the problems were said one by one: now what they add up to
                return None, str(exc).split(";")[0]
            for line in str(exc).splitlines():  # sources that cannot be read, a template that fails
                echo(line)
            return None, "the sources could not be rendered"
        return generated, ""


def _translations(config_file: Path, generated: Generated, work: Path, target: Path) -> str:
    """Each translation of ``generated`` built by Zensical in ``work/<lang>`` and its site put into
    the rendered project's ``target/docs/<lang>/``, which Zensical serves as it is (as static files,
    at /<lang>/); why not, or "". Its pages have the switcher; the source's, rendered by Zensical as
    it serves them, have none."""
    for translated in translations_of(config_file, generated):
        code = str(translated.translation)
        export(config_file, translated.catalog, work / code, generated=translated, translations=[])
        shutil.rmtree(work / code / "site", ignore_errors=True)
        result = subprocess.run([sys.executable, "-m", "zensical", "build", "-f", str(work / code / "mkdocs.yml")],
                                cwd=work / code, env=environment(translated), capture_output=True, text=True,
                                encoding="utf-8", errors="replace")
        if result.returncode != 0:
            said = issues(result.stderr)
            return f"Zensical could not build the site of /{code}/: {said[-1] if said else 'no reason given'}"
        add_switchers(work / code / "site", translated)  # and links in the head, relative (served locally)
        shutil.copytree(work / code / "site", target / "docs" / code, dirs_exist_ok=True)
    return ""


def _with_editor(generated: Generated, project: Path, url: str) -> None:
    """The served render's pages with the editor's buttons: serve.js on every page, and what it reads."""
    site = generated.site
    site.files[SERVE_JS] = SERVE_JS_FILE
    if SERVE_JS not in site.js:
        site.js.append(SERVE_JS)
    site.texts[SERVE_STATUS] = json.dumps({"problems": [], "editor": links(site, project, url)})


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
