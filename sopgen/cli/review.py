"""Commands for keeping the handbook current: ``review`` and ``changes``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Optional

import click

from .common import DATE, Failed, config_option, load_checked, stop_on_errors
from .console import say


def _within(value: str) -> int:
    """``30d``, ``30 days``, ``2 weeks``, ``1 month`` → days."""
    from ..core.durations import Duration, DurationTooLong

    text = re.sub(r"^(\d+)\s*d$", r"\1 days", value.strip())
    text = re.sub(r"^(\d+)\s*w$", r"\1 weeks", text)
    try:
        duration = Duration.parse(text)
    except DurationTooLong as exc:
        raise click.BadParameter(str(exc), param_hint="--within") from None
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a length of time: write e.g. 30d, 2 weeks, 1 month",
                                 param_hint="--within") from None
    if duration.minutes:
        raise click.BadParameter("use days, weeks or months", param_hint="--within")
    start = date(2000, 1, 1)
    return (duration.after(start) - start).days


def _within_words(ctx: click.Context, within: str) -> str:
    """``--within 2 weeks`` unquoted: the shell splits it, Click gives the option ``2`` and leaves
    ``weeks`` over; the word is taken back when it follows a bare number. Anything else left over is
    the usual usage error."""
    extra = ctx.args
    if len(extra) == 1 and within.strip().isdigit() and re.fullmatch(r"[A-Za-z]+", extra[0]):
        return f"{within} {extra[0]}"
    if extra:
        noun = "argument" if len(extra) == 1 else "arguments"
        raise click.UsageError(f"Got unexpected extra {noun} ({' '.join(extra)})", ctx)
    return within


@click.command(context_settings={"allow_extra_args": True})
@config_option
@click.option("--within", default="30d", show_default=True, metavar="TIME",
              help="What counts as due soon: 30d, 2 weeks, 1 month (quotes optional).")
@click.option("--check", is_flag=True, help="Exit with 1 when an SOP is overdue (for a scheduled CI job).")
@click.option("--today", "today_", type=DATE, default=None, metavar="YYYY-MM-DD",
              help="Pretend today is this date (to plan ahead). Default: today.")
@click.pass_context
def review(ctx: click.Context, config_file: Optional[str], within: str, check: bool, today_: Any) -> None:
    """List the SOPs whose review is overdue, due soon or never done, by maintainer.

    An SOP is due for review at its `reviewed` date plus `review_every` (its
    own, or the organization's). Retired SOPs are left out.
    """
    from ..core.durations import days_after
    from ..text.views import review_groups

    days = _within(_within_words(ctx, within))
    today = today_.date() if today_ else date.today()
    _config, catalog, problems = load_checked(config_file)
    stop_on_errors(problems)
    groups = review_groups(catalog, today, soon=days)
    titles = {"overdue": "Overdue", "due-soon": f"Due by {days_after(today, days):%Y-%m-%d}",
              "never": "Never reviewed"}
    for key in titles:
        tasks = groups[key]
        click.echo(f"{titles[key]} ({len(tasks)})")
        by_maintainer: dict[str, list[Any]] = {}
        for task in tasks:
            name = task.maintainer.title if task.maintainer else "No maintainer"
            by_maintainer.setdefault(name, []).append(task)
        for name in sorted(by_maintainer):
            click.echo(f"  {name}")
            for task in by_maintainer[name]:
                when = (f"due {task.next_review:%Y-%m-%d}, reviewed {task.reviewed:%Y-%m-%d}"
                        if task.next_review else "no 'reviewed' date")
                click.echo(f"    {task.title} ({task.source.rel}): {when}")
        click.echo("")
    if groups["overdue"]:
        message = f"{len(groups['overdue'])} SOP{'s' if len(groups['overdue']) != 1 else ''} overdue for review"
        if check:
            say(f"✗ {message}", "error")
            raise Failed()
        click.echo(f"! {message}", err=True)
    else:
        say("✓ no SOP is overdue for review", "ok")


@click.command()
@click.argument("rev", metavar="REV")
@config_option
@click.option("--role", default=None, metavar="ID", help="Only the changes for this role.")
def changes(rev: str, config_file: Optional[str], role: Optional[str]) -> None:
    """What changed in the procedures since REV (a tag or commit), as Markdown.

    For the people who must re-learn: SOPs added, removed, renamed and
    retired, for each changed SOP the steps added, removed, reworded, moved or
    updated, with their old and new text, and the benchmarks of each role and
    SOP that changed. The working tree (uncommitted edits included) is compared
    with REV.
    """
    from ..history.changes import catalog_at, compare, describe_rev, renamed_tasks, to_markdown
    from ..history.revisions import resolve
    from ..site.config import read as read_config

    config, catalog, problems = load_checked(config_file)
    stop_on_errors(problems)
    sops_dir = read_config(config).sops_dir
    root = config.parent
    revision = resolve(root, rev)  # one git rev-parse for the three questions below
    old = catalog_at(root, revision, sops_dir=sops_dir)
    found = compare(old, catalog, renames=renamed_tasks(root, revision, sops_dir=sops_dir))
    click.echo(to_markdown(found, since=describe_rev(root, revision), role=role), nl=False)
