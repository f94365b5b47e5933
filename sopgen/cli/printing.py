"""Commands that make PDFs for the owner's eyes: ``pdf`` and ``report`` (``train record`` is in :mod:`sopgen.cli.train`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Optional

import click

from ..history.log import reference_time
from .common import Progress, config_option, load_checked, shown_path, stop_on_errors, write_private_pdf
from .console import say


@click.command("pdf")
@config_option
@click.option("--role", "roles", multiple=True, metavar="ID",
              help="Only this role's handbook (repeat for several; 'handbook' is the whole business).")
@click.option("-o", "--output", type=click.Path(file_okay=False), default=None,
              help="Folder for the PDFs. Default: pdf/ in the site folder (site/pdf/).")
@click.option("--page-size", type=click.Choice(["A4", "Letter"]), default=None,
              help="Paper size. Default: the plugin's pdf_page_size option (A4).")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Handbooks rendered at once (each on a core of its own). Default: one per CPU core.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
def pdf_command(config_file: Optional[str], roles: tuple[str, ...], output: Optional[str],
                page_size: Optional[str], jobs: Optional[int], quiet: bool) -> None:
    """Build the PDF handbooks only: one per role with SOPs in force, and one of everything.

    Each has a cover, a table of contents with page numbers, the role's manual,
    onboarding timeline, every SOP on its own page and checklists to sign.
    """
    from ..core.outputs import lock, writing
    from ..print import pdf as pdfs
    from ..print.handbook import handbook_names
    from ..site.build import brand_of, check_output
    from ..site.config import read as read_config

    config, catalog, problems = load_checked(config_file, with_history=True)
    stop_on_errors(problems, warnings=not quiet, outcome="no PDF was made")
    known = handbook_names(catalog)
    for name in roles:
        if name not in known:
            import difflib

            close = difflib.get_close_matches(name, known, n=1)
            hint = f" — did you mean '{close[0]}'?" if close else f"; choose from: {', '.join(known)}"
            raise click.BadParameter(f"no handbook for '{name}'{hint}", param_hint="--role")
    project_config = read_config(config)
    options = project_config.plugin_options
    out = Path(output) if output else project_config.site_dir / "pdf"
    if output:
        # handbooks are files added to the folder, which keeps the rest: only the user's folders are refused
        check_output(config, out, what="the PDF handbooks", shown=output, example="handbooks", replaces=False)
    else:
        check_output(config)
    plan = pdfs.plan(catalog, out, roles=list(roles) or None, today=reference_time(catalog.history).date(),
                     page_size=page_size or str(options.get("pdf_page_size", "A4")), look=brand_of(config, catalog))
    progress = Progress(quiet)
    progress.start(len(plan), "Building PDFs")
    try:
        with lock(out if output else project_config.site_dir, echo=lambda m: say(m, "warning")), \
                writing(out, "the PDF handbooks"):
            results = pdfs.build(plan, processes=jobs, on_done=lambda r: progress.advance())
    finally:
        progress.stop()
    for result in sorted(results, key=lambda r: r.name):
        for warning in dict.fromkeys(result.warnings):
            click.echo(f"warning: {result.target.name}: {warning}", err=True)
        if not quiet:
            click.echo(f"✓ {shown_path(result.target)}: {result.pages} pages ({result.seconds:.1f} s)", err=True)


@click.command("report")
@config_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="The PDF file to write, e.g. owner.pdf: never inside sops/, docs/, templates/ or the site folder.")
@click.option("--page-size", type=click.Choice(["A4", "Letter"]), default=None,
              help="Paper size. Default: the plugin's pdf_page_size option (A4).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
def report_command(config_file: Optional[str], output: str, page_size: Optional[str], quiet: bool) -> None:
    """Write the owner's private report: delegation with its money, the training matrix, and SOPs overdue for review.

    Rates and money are in it even when publish_money is false in organization.yml,
    which keeps them off the site and the staff's handbooks. It is written only where
    -o says, never into the site, which staff are served.
    """
    from ..print.report import TEMPLATE, report

    config, catalog, problems = load_checked(config_file, with_history=True)
    stop_on_errors(problems, warnings=not quiet, outcome="no report was made")
    today = reference_time(catalog.history).date()
    write_private_pdf(
        config, catalog, output=output, what="the owner's report", name="owner", template=TEMPLATE, quiet=quiet,
        data=lambda version, size, look: report(catalog, today=today, version=version, page_size=page_size or size,
                                                look=look, training=_training(config, catalog, today)))


def _training(config: Path, catalog: Any, today: date) -> list[Any]:
    """Where each active person stands on ``today`` (:func:`sopgen.core.training.team_status`)."""
    from ..core.training import team_status
    from ..history.steps import StepHistory

    return team_status(list(catalog.people.values()), today=today, changes=StepHistory(config.parent))
