"""What the commands share: the config option, loading and validating a project, reporting problems, progress bars and writing a private PDF.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any, Callable, Optional

import click

from ..core.errors import Problem, summary
from ..core.loader import find_config, load
from ..core.validate import errors_in, validate
from ..history.log import attach, read_history, reference_time
from .console import say, show_problem

DATE = click.DateTime(["%Y-%m-%d"])
"""A day as options take it: YYYY-MM-DD."""


def config_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-f", "--config-file", type=click.Path(dir_okay=False), default=None,
        help="The project's mkdocs.yml. Default: mkdocs.yml in the current folder.",
    )(func)


def project_dir(config_file: Optional[str]) -> Path:
    return find_config(config_file).parent


class Failed(click.ClickException):
    """Problems were reported already: exit 1 without another message."""

    def __init__(self) -> None:
        super().__init__("")

    def show(self, file: Any = None) -> None:
        pass


def report(problems: list[Problem], *, fmt: str, strict: bool, counts: str, quiet: bool = False) -> bool:
    """Print ``problems`` (``quiet``: only those that fail); return whether they fail the command."""
    failing = errors_in(problems, strict=strict)
    if fmt == "json":
        click.echo(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False))
        return bool(failing)
    for problem in failing if quiet else problems:
        show_problem(problem)
    if failing:
        note = " (--strict: warnings fail too)" if strict and any(p.severity == "warning" for p in failing) else ""
        say(f"✗ {summary(problems)}{note}", "error")
    elif quiet:
        return False
    elif problems:
        say(f"✓ {counts}, with {summary(problems)} (use --strict to fail on warnings)", "warning")
    else:
        say(f"✓ {counts}: no problems", "ok", err=False)
    return bool(failing)


def stop_on_errors(problems: list[Problem], *, failing: Optional[list[Problem]] = None, warnings: bool = False,
                    outcome: str = "fix them first") -> None:
    """Print ``problems`` (the errors; the warnings too with ``warnings``) and stop with exit 1
    when one of them fails the command (by default: any error), saying what that means."""
    failing = errors_in(problems) if failing is None else failing
    for problem in problems:
        if problem.severity == "error" or warnings:
            show_problem(problem)
    if failing:
        say(f"✗ {summary(problems)}: {outcome}", "error")
        raise Failed()


def load_checked(config_file: Optional[str], *, with_history: bool = False) -> tuple[Path, Any, list[Problem]]:
    """The project's config file, catalog and problems (which the caller reports)."""
    from ..site.config import read as read_config
    from ..site.engines import ignored_by_ci

    config = find_config(config_file)
    sops_dir = read_config(config).sops_dir
    catalog = loaded(config.parent, sops_dir)
    if with_history or catalog.people:  # a sign-off's version is checked against the SOP's history
        attach(catalog, read_history(config.parent, sops_dir=sops_dir))
    # what builds (with history) validate against is the date their pages show; `validate` is about today
    today = reference_time(catalog.history).date() if with_history else date.today()
    return config, catalog, validate(catalog, today=today) + ignored_by_ci(config)


def loaded(project: Path, sops_dir: str) -> Any:
    """The catalog, read with the cycle collector tuned for a command that keeps it to the end.

    The collector is the program's to tune, here, once per command (``load`` leaves it alone):
    reading keeps every document alive, so each full collection walked all that was read
    before (loading 10,000 tasks took 7.4 s, 3.9 s paused; what is read holds no cycles).
    Then the catalog, which lives as long as the command, is frozen out of the collector's
    sight: its millions of objects are not walked again at every collection (a third of
    `validate` at 10,000 tasks). `sopgen serve` freezes after its first build instead.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        catalog = load(project, sops_dir=sops_dir)
    finally:
        if was_on:
            gc.enable()
    gc.freeze()
    return catalog


class Progress:
    """Progress bars on standard error: pages, then PDF handbooks."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None

    def start(self, total: int, label: str) -> None:
        self.stop()
        if not self.quiet:
            self.bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True, width=30)
            self.bar.__enter__()

    def advance(self) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def pdf(self, total: int, done: Optional[str]) -> None:
        if done is None:
            self.start(total, "Building PDFs ")
        else:
            self.advance()

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def write_private_pdf(config: Path, catalog: Any, *, output: str, what: str, name: str, template: str, quiet: bool,
                      data: Callable[[str, str, Any], tuple[dict[str, Any], list[str]]]) -> None:
    """Write a PDF for the owner's eyes (her report, a training record) to ``output``, refused in the
    sources, docs/, templates/, .git/ and the site folder; ``data(version, page_size, look)`` makes
    the data of ``template`` and the project files it shows."""
    from ..core.outputs import writing
    from ..site.build import brand_of, check_private_file
    from ..site.config import read as read_config

    target = Path(output).absolute()
    check_private_file(config, target, what=what, shown=output)
    from ..print import pdf as pdfs  # the engine, once the target is known to be allowed

    values, files = data(pdfs.source_version(catalog.root), str(read_config(config).plugin_options.get("pdf_page_size", "A4")),
                         brand_of(config, catalog))
    job = pdfs.PdfJob(name, template, values, target, catalog.root, files=files,
                      timestamp=int(reference_time(catalog.history).timestamp()))
    with writing(target.parent, what):
        result = pdfs.render(job)
    for warning in dict.fromkeys(result.warnings):
        click.echo(f"warning: {target.name}: {warning}", err=True)
    if not quiet:
        click.echo(f"✓ {shown_path(target)}: {result.pages} pages ({result.seconds:.1f} s)", err=True)


def shown_path(path: Path) -> str:
    """A path as short as it can be said: relative to here when inside, else absolute."""
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel


def counts(catalog: Any) -> str:
    return f"{len(catalog.tasks):,} SOP{'s' if len(catalog.tasks) != 1 else ''} in " \
           f"{len(catalog.roles):,} role{'s' if len(catalog.roles) != 1 else ''}"
