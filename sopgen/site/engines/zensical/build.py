"""``sopgen build --engine zensical``: Zensical's build of the rendered project, inside sopgen's
validation, strict mode, site lock, atomic swap and PDF handbooks."""

from __future__ import annotations

import contextlib
import os
import posixpath
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Optional

from ....core import outputs
from ....core.catalog import Catalog
from ...build import BuildFailed, BuildResult, recover, swap
from ...config import ProjectConfig
from ...config import read as read_config
from ...generate import Generated
from ...languages import merge_sitemaps, own_pages
from ...pdfs import make_pdfs
from .rendered import ANSI, add_switchers, cache_dir, environment, forget_old, ignored, issues, last_look, prepare


def build(config_file: Path, catalog: Catalog, *, site_dir: Optional[str] = None, strict: bool = False,
          pdf: Optional[bool] = None, on_pdf: Optional[Callable[[int, Optional[str]], None]] = None,
          echo: Callable[[str], None] = print, quiet: bool = False, verbose: bool = False) -> BuildResult:
    """Build the site of ``config_file`` from ``catalog`` (loaded, validated, history attached)
    with Zensical; the old site survives any failure. Warnings are shown unless ``quiet``."""
    started = time.perf_counter()
    config = read_config(config_file)
    final = Path(site_dir).resolve() if site_dir else config.site_dir
    warn = (lambda message: None) if quiet else echo
    warnings = ignored(config_file)
    for warning in warnings:
        warn(warning)
    enabled = pdf if pdf is not None else bool(config.plugin_options.get("pdf", True))
    with contextlib.ExitStack() as stack:
        stack.enter_context(outputs.lock(final, echo=echo))
        stack.enter_context(outputs.writing(final, "the site"))
        recover(final)
        outputs.check_site(final, shown=site_dir or config.site_dir_as_written,
                           source="" if site_dir else f"site_dir in {config_file.name}")
        project = cache_dir(final)
        project.mkdir(parents=True, exist_ok=True)
        forget_old(project)
        shutil.rmtree(project / "site", ignore_errors=True)  # left by a build that was stopped
        every = prepare(config_file, catalog, project, pdfs=enabled)  # the source's, then each translation's
        docs = config.docs_dir
        files = [p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()] if docs.is_dir() else []
        own = {g.translation: own_pages(files, g.languages, g.translation) for g in every}
        for generated in every:  # each into its site/, a translation's then moved to site/<lang>
            folder = project / (generated.translation or "")
            shutil.rmtree(folder / "site", ignore_errors=True)
            said = _zensical(folder, generated, own=own[generated.translation],
                             shown=config.docs_dir_as_written, verbose=verbose, echo=echo)
            if generated.translation:
                shutil.move(str(folder / "site"), str(project / "site" / generated.translation))
            for issue in said:
                (echo if "error: " in issue else warn)(issue)
            warnings += said
            _stop_if_strict(strict, warnings)
        for stale in final.parent.glob(f".{final.name}.sopgen-new*"):  # left by a killed build
            shutil.rmtree(stale, ignore_errors=True)
        staging = final.parent / f".{final.name}.sopgen-new-{os.getpid()}-{secrets.token_hex(3)}"
        stack.callback(shutil.rmtree, staging, ignore_errors=True)  # whatever happens, no staging stays
        shutil.move(str(project / "site"), str(staging))  # a rename where both are on one disk
        for generated in every:
            root = staging / (generated.translation or "")
            warnings += last_look(root, generated, own[generated.translation], echo=warn)
            add_switchers(root, generated, site_url=_site_url(config, generated))  # the same page in each language
        _stop_if_strict(strict, warnings)
        merge_sitemaps(staging, every[0].languages[1:])
        for generated in every:
            progress = on_pdf if generated.translation is None else None  # one bar, as under MkDocs
            warnings += _handbooks(generated, staging / (generated.translation or ""), on_pdf=progress, echo=warn,
                                   page_size=str(config.plugin_options.get("pdf_page_size", "A4")))
        _stop_if_strict(strict, warnings)
        swap(staging, final)
        pages = sum(1 for _ in final.rglob("index.html"))
        built = sorted(final.glob("pdf/*.pdf")) + sorted(final.glob("*/pdf/*.pdf"))  # a translation's too (/es/pdf/)
    return BuildResult(final, pages, warnings, time.perf_counter() - started, built)


def _zensical(folder: Path, generated: Generated, *, own: dict[str, str], shown: str, verbose: bool,
              echo: Callable[[str], None]) -> list[str]:
    """Zensical's build of the rendered project in ``folder``; what it said, one issue a line (a page
    of ``docs/`` named as the user wrote it). Raises :class:`BuildFailed` when it failed."""
    result = subprocess.run([sys.executable, "-m", "zensical", "build", "-f", str(folder / "mkdocs.yml")],
                            cwd=folder, env=environment(generated), capture_output=True, text=True,
                            encoding="utf-8", errors="replace")
    if verbose:  # Zensical's own progress messages
        for line in ANSI.sub("", result.stdout).splitlines():
            echo(line)
    said = issues(result.stderr, shown=shown, own=own, language=generated.translation or "")
    if result.returncode != 0:
        last = said[-1].replace("error: ", "", 1) if said else None
        reason = last or (ANSI.sub("", result.stderr).strip().splitlines() or ["no reason given"])[-1]
        which = f"the site of /{generated.translation}/" if generated.translation else "the site"
        raise BuildFailed(f"Zensical could not build {which}: {reason}; the previous site was left as it was")
    return said


def _site_url(config: ProjectConfig, generated: Generated) -> Optional[str]:
    """The address of ``generated``'s language's site: mkdocs.yml's ``site_url``, ``/<lang>/`` of it for a translation."""
    url = config.value("site_url")
    if not url:
        return None
    return posixpath.join(str(url), f"{generated.translation}/") if generated.translation else str(url)


def _stop_if_strict(strict: bool, warnings: list[str]) -> None:
    if strict and warnings:
        raise BuildFailed(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''} in strict mode; "
                          "the previous site was left as it was")


def _handbooks(generated: Generated, site: Path, *, page_size: str,
               on_pdf: Optional[Callable[[int, Optional[str]], None]], echo: Callable[[str], None]) -> list[str]:
    """The PDF handbooks into ``site`` in place of their stand-ins (:func:`sopgen.site.pdfs.make_pdfs`,
    as the plugin makes them); their warnings."""
    for dest in generated.pdfs.values():
        (site / dest).unlink(missing_ok=True)  # the stand-in
    warnings: list[str] = []

    def warn(message: str) -> None:
        warnings.append(message)
        echo(f"warning: {message}")

    make_pdfs(generated, site, page_size=page_size, progress=on_pdf, warn=warn)
    return warnings
