"""``sopgen train``: training status, and sign-offs and results added to people's files.

Thin commands over :mod:`sopgen.core.training` (the rules) and :mod:`sopgen.core.records` (the writing).
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Any, Optional, Union

import click

from ..core.records import append_record
from ..core.stepdiff import step_lines
from ..core.training import PersonStatus, SopStatus, shown, team_status
from .common import DATE, Failed, config_option, load_checked, stop_on_errors
from .console import say


@click.group()
def train() -> None:
    """Training records: who must learn or re-learn what, sign-offs and benchmark results.

    Records are the files sops/people/<id>.yml; these commands read them and
    add to them, keeping their comments and layout.
    """


@train.command("status")
@click.argument("person", required=False)
@config_option
@click.option("--check", is_flag=True,
              help="Show only the people who must re-learn an SOP or are overdue on one, and exit with 1 when "
                   "there is one (never for SOPs not yet due): for CI and the sopgen-train pre-commit hook.")
@click.option("--today", "today_", type=DATE, default=None, metavar="YYYY-MM-DD",
              help="Pretend today is this date (to plan ahead). Default: today.")
def train_status(person: Optional[str], config_file: Optional[str], check: bool, today_: Any) -> None:
    """What each active person (or PERSON) must learn, re-learn or is overdue on.

    An SOP must be re-learnt when a commit after the version someone was signed
    off on changed its steps, unless the commit's message has the trailer
    'Retrain: no'; the steps that changed are listed. An SOP of an onboarding
    phase 'Day N', 'Week N' or 'Month N' is overdue once the phase's date has
    passed without a sign-off.
    """
    from ..history.steps import StepHistory

    today = today_.date() if today_ else date.today()
    config, catalog, problems = load_checked(config_file, with_history=True)
    stop_on_errors(problems)
    people = list(catalog.people.values())
    if person is not None:
        people = [_person(catalog, person)]
        if not people[0].active:
            click.echo(f"{people[0].name} ({person}) has left: their record is kept, and nothing is due.")
            return
    statuses = team_status(people, today=today, changes=StepHistory(config.parent))
    if not statuses:
        click.echo("Nobody is in training: add a file to sops/people/ (see README, \"Training records\").")
        return
    if catalog.history is not None and catalog.history.note:
        say(f"note: {catalog.history.note}", "warning")
    failing = [s for s in statuses if s.failing]
    for status in failing if check else statuses:  # a check (CI, a hook) shows only what fails
        _show(status, today)
    if not failing:
        say("✓ nobody must re-learn an SOP or is overdue on one", "ok")
        return
    what = "; ".join(f"{s.person.id} ({', '.join(_failing_item(sop) for sop in s.failing)})" for s in failing)
    who = "1 person must re-learn or is" if len(failing) == 1 else f"{len(failing)} people must re-learn or are"
    message = f"{who} overdue: {what}"
    if check:
        say(f"✗ {message}", "error")
        raise Failed()
    say(f"! {message}", "warning")


def _failing_item(sop: SopStatus) -> str:
    return f"re-learn {sop.task.id}" if sop.state == "relearn" else f"overdue on {sop.task.id}"


def _show(status: PersonStatus, today: date) -> None:
    person = status.person
    role = person.role.title if person.role is not None else person.data.role
    click.echo(f"{person.name} ({person.id}), {role}, started {person.data.started:%Y-%m-%d}")
    for sop in status.with_state("relearn"):
        click.echo(f"  must re-learn {_sop(sop)}: signed off on v{sop.learned} ({sop.signed.on:%Y-%m-%d}), "
                   f"now v{sop.version}")
        for change in sop.changes:
            click.echo(f"    v{change.version}, {change.day:%Y-%m-%d}, {change.commit[:7]} \"{change.subject}\":")
            for step in change.steps:
                head, *fields = step_lines(step)
                click.echo(f"      {head}")
                for line in fields:
                    click.echo(f"        {line}")
    for sop in status.with_state("overdue"):
        click.echo(f"  overdue {_sop(sop)}: {sop.phase}, due {sop.due:%Y-%m-%d}")
    for sop in status.with_state("due"):
        click.echo(f"  to learn {_sop(sop)}: {sop.phase}, due {sop.due:%Y-%m-%d}")
    for sop in status.with_state("open"):
        click.echo(f"  to learn {_sop(sop)}" + (f": {sop.phase}" if sop.phase else ""))
    current = status.with_state("current")
    click.echo(f"  signed off and current: {len(current)} of {len(status.sops)} SOPs")
    for mark in status.benchmarks:
        if mark.latest is not None:
            by = f" (by {mark.deadline:%Y-%m-%d})" if mark.deadline is not None else ""
            met = {True: ", met", False: ", not met", None: ""}[mark.met]
            click.echo(f"  benchmark {mark.key}{by}: {shown(mark.latest.value, mark.benchmark.unit)} "
                       f"on {mark.latest.on:%Y-%m-%d}{met}")
    missing = [m for m in status.benchmarks if m.latest is None and m.deadline is not None and m.deadline < today]
    if missing:
        click.echo(f"  no result yet on {len(missing)} benchmark{'s' if len(missing) != 1 else ''} past their date: "
                   f"{', '.join(m.key for m in missing[:3])}{', …' if len(missing) > 3 else ''}")
    click.echo("")


def _sop(sop: SopStatus) -> str:
    return f"{sop.task.title} ({sop.task.id})"


def _person(catalog: Any, ident: str) -> Any:
    """The person ``ident``, or a refusal naming the closest id."""
    found = catalog.people.get(ident)
    if found is None:
        raise click.ClickException(f"unknown person '{ident}'{_hint(ident, catalog.people, 'people')}")
    return found


def _hint(ident: str, known: Any, what: str) -> str:
    close = difflib.get_close_matches(ident, list(known), n=1, cutoff=0.6)
    if close:
        return f" — did you mean '{close[0]}'?"
    if known:
        names = sorted(known)
        return f"; the {what} are: {', '.join(names[:8])}{', …' if len(names) > 8 else ''}"
    return f"; there are no {what}"


def _checked_project(config_file: Optional[str]) -> Any:
    """The catalog, once the project has no errors (a record is added to a project that reads)."""
    _config, catalog, problems = load_checked(config_file)
    stop_on_errors(problems, outcome="fix them before adding a record")
    return catalog


@train.command("record")
@click.argument("person")
@click.argument("sop")
@click.option("--on", "on", type=DATE, default=None, metavar="YYYY-MM-DD", help="The day of the sign-off. Default: today.")
@click.option("--by", "by", default=None, metavar="PERSON",
              help="Person id of who signed them off. Default: their trainer, if their file names one.")
@config_option
def train_record(person: str, sop: str, on: Any, by: Optional[str], config_file: Optional[str]) -> None:
    """Sign PERSON off on SOP: add it to sops/people/PERSON.yml.

    The sign-off is on the SOP's version in force that day. The file keeps its
    comments and layout; it is read back before it is written.
    """
    catalog = _checked_project(config_file)
    entry = _person(catalog, person)
    if sop not in catalog.tasks:
        raise click.ClickException(f"unknown SOP '{sop}'{_hint(sop, catalog.tasks, 'SOPs')}")
    task = catalog.tasks[sop]
    if task.role is not entry.role:
        say(f"note: '{sop}' is an SOP of {task.role.title if task.role else task.data.role}, "
            f"not of {person}'s role", "warning")
    by = by if by is not None else entry.data.trainer
    if by is not None and by not in catalog.people:
        raise click.ClickException(f"unknown person '{by}' (--by){_hint(by, catalog.people, 'people')}")
    day = _day(on, entry)
    if any(r.sop == sop and r.on == day for r in entry.data.trained):
        raise click.ClickException(f"{person} is already signed off on '{sop}' on {day:%Y-%m-%d}")
    record: dict[str, Union[str, float, date]] = {"sop": sop, "on": day}
    if by is not None:
        record["by"] = by
    append_record(entry.source.file, "trained", record, echo=lambda line: say(line, "warning"))
    click.echo(f"{entry.source.rel}: {person} signed off on {sop} on {day:%Y-%m-%d}"
               + (f" by {by}" if by else ""))


@train.command("result")
@click.argument("person")
@click.argument("benchmark")
@click.argument("value")
@click.option("--on", "on", type=DATE, default=None, metavar="YYYY-MM-DD", help="The day of the check-in. Default: today.")
@config_option
def train_result(person: str, benchmark: str, value: str, on: Any, config_file: Optional[str]) -> None:
    """Add PERSON's result VALUE on BENCHMARK to sops/people/PERSON.yml.

    BENCHMARK is the id of one of the role's benchmarks, or <task-id>/<id> for
    one of its SOPs'. VALUE is a number (checked against the benchmark's min
    and max) or text.
    """
    from ..core.entries import benchmarks_of

    catalog = _checked_project(config_file)
    entry = _person(catalog, person)
    known = benchmarks_of(entry.role) if entry.role is not None else {}
    if benchmark not in known:
        raise click.ClickException(f"unknown benchmark '{benchmark}'{_hint(benchmark, known, 'benchmarks')}")
    day = _day(on, entry)
    if any(r.benchmark == benchmark and r.on == day for r in entry.data.results):
        raise click.ClickException(f"{person} already has a result for '{benchmark}' on {day:%Y-%m-%d}")
    number = _number(value)
    append_record(entry.source.file, "results", {"benchmark": benchmark, "on": day,
                                                 "value": number if number is not None else value},
                  echo=lambda line: say(line, "warning"))
    bench = known[benchmark][0]
    met = bench.met(number) if number is not None else None
    verdict = {True: " (met)", False: " (not met)", None: ""}[met]
    click.echo(f"{entry.source.rel}: {person} {benchmark} = "
               f"{shown(number if number is not None else value, bench.unit)} on {day:%Y-%m-%d}{verdict}")


@train.command("report")
@click.argument("person")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="The PDF file to write, e.g. records/dana.pdf: never inside sops/, docs/, templates/ or the "
                   "site folder.")
@click.option("--page-size", type=click.Choice(["A4", "Letter"]), default=None,
              help="Paper size. Default: the plugin's pdf_page_size option (A4).")
@click.option("--today", "today_", type=DATE, default=None, metavar="YYYY-MM-DD",
              help="The date printed on it, and the day its states are told for. Default: today.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@config_option
def train_report(person: str, output: str, page_size: Optional[str], today_: Any, quiet: bool,
                 config_file: Optional[str]) -> None:
    """Print PERSON's training record to a PDF, to sign and to file.

    The person, role, start and trainer; every SOP of the role with the
    version signed off, its date and who signed; blank signature lines for
    each SOP still open (not yet signed off, or to re-learn: the version now
    in force is named); the benchmarks agreed on, their deadlines and the
    results. Each page says when it was printed and the handbook's version.
    """
    from ..core.training import person_status
    from ..history.steps import StepHistory
    from ..print.trainrecord import TEMPLATE, record
    from .common import write_private_pdf

    today = today_.date() if today_ else date.today()
    config, catalog, problems = load_checked(config_file, with_history=True)
    stop_on_errors(problems, warnings=not quiet, outcome="no training record was made")
    entry = _person(catalog, person)
    status = person_status(entry, today=today, changes=StepHistory(config.parent))
    write_private_pdf(
        config, catalog, output=output, what="the training record", name=person, template=TEMPLATE, quiet=quiet,
        data=lambda version, size, look: record(catalog, status, today=today, version=version,
                                                page_size=page_size or size, look=look))


def _day(on: Any, entry: Any) -> date:
    day = on.date() if on else date.today()
    if day < entry.data.started:
        raise click.ClickException(f"{day:%Y-%m-%d} is before {entry.id} started ({entry.data.started:%Y-%m-%d})")
    return day


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def _number(value: str) -> Optional[Union[int, float]]:
    """``97`` → 97, ``2.5`` → 2.5; anything else (``95%``, ``on track``) is text."""
    text = value.strip()
    if not _NUMBER.match(text):
        return None
    return int(text) if text.lstrip("+-").isdigit() else float(text)


__all__ = ["train"]
