"""``sopgen build --engine zensical``: Zensical's build of the rendered project, inside sopgen's
validation, strict mode, site lock, atomic swap and PDF handbooks."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Optional

from ....core import outputs
from ....core.catalog import Catalog
from ....history.log import reference_time
from ....print.handbook import handbook_names, pdf_path
from ...build import BuildFailed, BuildResult, brand_of, plugin_options, recover, site_dir_of, swap
from ...export import read_config
from .rendered import ANSI, cache_dir, environment, forget_old, ignored, issues, last_look, prepare


def build(config_file: Path, catalog: Catalog, *, site_dir: Optional[str] = None, strict: bool = False,
          pdf: Optional[bool] = None, on_pdf: Optional[Callable[[int, Optional[str]], None]] = None,
          echo: Callable[[str], None] = print, quiet: bool = False, verbose: bool = False) -> BuildResult:
    """Build the site of ``config_file`` from ``catalog`` (loaded, validated, history attached)
    with Zensical; the old site survives any failure. Warnings are shown unless ``quiet``."""
    started = time.perf_counter()
    final = Path(site_dir).resolve() if site_dir else site_dir_of(config_file)
    warn = (lambda message: None) if quiet else echo
    warnings = ignored(config_file)
    for warning in warnings:
        warn(warning)
    enabled = pdf if pdf is not None else bool(plugin_options(config_file).get("pdf", True))
    pdfs = {name: pdf_path(name) for name in handbook_names(catalog)} if enabled else {}
    with contextlib.ExitStack() as stack:
        stack.enter_context(outputs.lock(final, echo=echo))
        stack.enter_context(outputs.writing(final, "the site"))
        recover(final)
        outputs.check_site(final, shown=site_dir or str(read_config(config_file).get("site_dir", "site")),
                           source="" if site_dir else f"site_dir in {config_file.name}")
        project = cache_dir(final)
        project.mkdir(parents=True, exist_ok=True)
        forget_old(project)
        shutil.rmtree(project / "site", ignore_errors=True)  # left by a build that was stopped
        prepare(config_file, catalog, project, pdfs=pdfs)
        result = subprocess.run([sys.executable, "-m", "zensical", "build", "-f", str(project / "mkdocs.yml")],
                                cwd=project, env=environment(catalog), capture_output=True, text=True,
                                encoding="utf-8", errors="replace")
        if verbose:  # Zensical's own progress messages
            for line in ANSI.sub("", result.stdout).splitlines():
                echo(line)
        docs = str(read_config(config_file).get("docs_dir", "docs"))
        said = issues(result.stderr, docs=config_file.parent / docs, shown=docs)
        if result.returncode != 0:
            last = said[-1].replace("error: ", "", 1) if said else None
            reason = last or (ANSI.sub("", result.stderr).strip().splitlines() or ["no reason given"])[-1]
            raise BuildFailed(f"Zensical could not build the site: {reason}; the previous site was left as it was")
        for issue in said:
            (echo if "error: " in issue else warn)(issue)
        warnings += said
        _stop_if_strict(strict, warnings)
        for stale in final.parent.glob(f".{final.name}.sopgen-new*"):  # left by a killed build
            shutil.rmtree(stale, ignore_errors=True)
        staging = final.parent / f".{final.name}.sopgen-new-{os.getpid()}-{secrets.token_hex(3)}"
        stack.callback(shutil.rmtree, staging, ignore_errors=True)  # whatever happens, no staging stays
        shutil.move(str(project / "site"), str(staging))  # a rename where both are on one disk
        warnings += last_look(staging, project / "docs", config_file.parent / docs, catalog, echo=warn)
        _stop_if_strict(strict, warnings)
        warnings += _handbooks(config_file, catalog, staging, pdfs, on_pdf=on_pdf, echo=warn)
        _stop_if_strict(strict, warnings)
        swap(staging, final)
        pages = sum(1 for _ in final.rglob("index.html"))
        built = sorted(final.glob("pdf/*.pdf"))
    return BuildResult(final, pages, warnings, time.perf_counter() - started, built)


def _stop_if_strict(strict: bool, warnings: list[str]) -> None:
    if strict and warnings:
        raise BuildFailed(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''} in strict mode; "
                          "the previous site was left as it was")


def _handbooks(config_file: Path, catalog: Catalog, site: Path, pdfs: dict[str, str], *,
               on_pdf: Optional[Callable[[int, Optional[str]], None]], echo: Callable[[str], None]) -> list[str]:
    """The PDF handbooks into ``site`` (as the plugin makes them); their warnings."""
    for dest in pdfs.values():
        (site / dest).unlink(missing_ok=True)  # the stand-in
    if not pdfs:
        return []
    from ....print import pdf

    page_size = str(plugin_options(config_file).get("pdf_page_size", "A4"))
    jobs = pdf.plan(catalog, site / "pdf", roles=list(pdfs), today=reference_time(catalog.history).date(),
                    page_size=page_size, look=brand_of(config_file, catalog))
    if on_pdf:
        on_pdf(len(jobs), None)
    results = pdf.build(jobs, on_done=lambda r: on_pdf and on_pdf(len(jobs), r.name))
    warnings = [f"pdf/{r.target.name}: {w}" for r in results for w in dict.fromkeys(r.warnings)]
    for warning in warnings:
        echo(f"warning: {warning}")
    return warnings
