"""The ``sopgen`` command: thin Click commands over the core.

Exit codes: 0 success, 1 problems found (or a project that cannot be read),
2 wrong usage (Click's own).
"""

from __future__ import annotations

import gc
import json
import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any, Callable, Optional

import click

from .. import __version__
from ..core.errors import Problem, SopgenError, summary
from ..core.loader import find_config, load, slugify
from ..core.model import ID_PATTERN, KINDS, taken_id
from ..core.schema import SCHEMA_DIR, schema_ref, schema_text, write_schemas
from ..core.validate import REVIEW_OVERDUE, errors_in, validate
from ..history.log import attach, read_history, reference_time
from ..site.engines import DEFAULT as DEFAULT_ENGINE
from ..site.engines import ENGINES
from .console import say, show_problem

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


DATE = click.DateTime(["%Y-%m-%d"])
"""A day as options take it: YYYY-MM-DD."""


def engine_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--engine", type=click.Choice(list(ENGINES)), default=DEFAULT_ENGINE, show_default=True,
        help="What builds the site: MkDocs, ProperDocs or Zensical (installed in sopgen's environment).",
    )(func)


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


class SopgenGroup(click.Group):
    """Turns sopgen's own errors into Click's, once for every command: a message, exit 1, no traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from ..core.outputs import failure

        try:
            return super().invoke(ctx)
        except SopgenError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:  # a full disk or a read-only folder, wherever a command writes
            path = Path(exc.filename) if exc.filename else None
            said = failure(exc, path.parent if path else Path.cwd(), path.name if path else "a file")
            if said is None:
                raise
            raise click.ClickException(str(said)) from None


@click.group(cls=SopgenGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="sopgen", message="%(prog)s %(version)s")
def main() -> None:
    """Standard operating procedures as code.

    Keep roles and tasks as small YAML files under sops/ and turn them into a
    training site, PDF handbooks, checklists and onboarding guides. Start with
    'sopgen init DIR'; run a command with --help for its options.
    """
    # Material's banner about MkDocs 2.0 is not the concern of someone running sopgen: the
    # program says so for its own process (a library import would say it for its caller's)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


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


def _stop_on_errors(problems: list[Problem], *, failing: Optional[list[Problem]] = None, warnings: bool = False,
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


@main.command("validate")
@config_option
@click.option("--strict", is_flag=True, help="Fail on warnings too (unknown tools, overdue reviews).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one problem a line, like a compiler. json: a list of objects for CI annotations.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the problems that fail the command, and nothing on success.")
def validate_command(config_file: Optional[str], strict: bool, fmt: str, quiet: bool) -> None:
    """Check every role and task file and the references between them.

    Each problem is printed as PATH:LINE:COL: FIELD: MESSAGE. Exits with 1 when
    there is an error (or a warning, under --strict).
    """
    _config, catalog, problems = _load_checked(config_file)
    if report(problems, fmt=fmt, strict=strict, counts=_counts(catalog), quiet=quiet):
        raise Failed()


@main.command()
@click.argument("kind", type=click.Choice(list(KINDS)), required=False)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the schema to this file instead of standard output.")
@click.option("--write", is_flag=True,
              help=f"Write the schema of every kind into the project's {SCHEMA_DIR}/, where editors find them.")
@config_option
def schema(kind: Optional[str], output: Optional[str], write: bool, config_file: Optional[str]) -> None:
    """Print the JSON Schema (draft 2020-12) of a kind of source file.

    KIND is organization, role or task. Editors use it to complete fields and
    flag mistakes while typing: run 'sopgen schema --write' to put every schema
    into the project, and start a file with the '# yaml-language-server' line
    that 'sopgen new' writes.
    """
    if write:
        if kind or output:
            raise click.UsageError("--write writes every kind into the project: give neither KIND nor --output")
        root = project_dir(config_file)
        for path in write_schemas(root):
            click.echo(f"wrote {path.relative_to(root).as_posix()}", err=True)
        return
    if kind is None:
        raise click.UsageError("give a KIND (organization, role or task), or --write")
    text = schema_text(kind)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@main.group()
def new() -> None:
    """Start a new role or task file from a commented template."""


def _write_new(root: Path, kind: str, ident: str, force: bool, context: dict[str, Any]) -> Path:
    from ..text.templating import environment

    if not re.match(ID_PATTERN, ident):
        suggestion = slugify(ident)
        raise click.BadParameter(
            f"'{ident}' is not a valid id: use lower-case letters, digits and hyphens"
            + (f", e.g. '{suggestion}'" if suggestion else ""), param_hint="ID")
    taken = taken_id(kind, ident)
    if taken is not None:
        raise click.BadParameter(f"{taken[0]}: choose another, e.g. '{taken[1]}'", param_hint="ID")
    sops = root / "sops"
    target = sops / f"{kind}s" / f"{ident}.yml"
    if target.exists() and not force:
        raise click.ClickException(f"{target.relative_to(root).as_posix()} already exists (use --force to replace it)")
    write_schemas(root)
    schema_path = schema_ref(root, kind, target.parent)
    env = environment(root, filters={"yaml_scalar": yaml_scalar})
    text = env.get_template(f"new/{kind}.yml.j2").render(id=ident, schema=schema_path, **context)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    click.echo(f"created {target.relative_to(root).as_posix()}")
    return target


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when that is safe, double-quoted otherwise."""
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9 ,.()'/&-]*", text) and text.lower() not in (
            "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~") and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def _title(ident: str) -> str:
    return ident.replace("-", " ").capitalize()


@new.command("role")
@click.argument("ident", metavar="ID")
@click.option("--title", default=None, help="The role's title. Default: from the id.")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@config_option
def new_role(ident: str, title: Optional[str], force: bool, config_file: Optional[str]) -> None:
    """Create sops/roles/ID.yml, a starter role that validates."""
    root = project_dir(config_file)
    _write_new(root, "role", ident, force, {"title": title or _title(ident)})


@new.command("task")
@click.argument("ident", metavar="ID")
@click.option("--role", "role", required=True, help="Id of the role that performs the task.")
@click.option("--title", default=None, help="The task's title. Default: from the id.")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@config_option
def new_task(ident: str, role: str, title: Optional[str], force: bool, config_file: Optional[str]) -> None:
    """Create sops/tasks/ID.yml, a starter SOP for ROLE that validates."""
    root = project_dir(config_file)
    roles_dir = root / "sops" / "roles"
    known = sorted(p.stem for p in roles_dir.glob("*.y*ml")) if roles_dir.is_dir() else []
    if role not in known:
        import difflib

        close = difflib.get_close_matches(role, known, n=1)
        hint = (f" — did you mean '{close[0]}'?" if close else
                f"; known roles: {', '.join(known)}" if known else "; create it first with 'sopgen new role ID'")
        raise click.BadParameter(f"no role '{role}' in sops/roles/{hint}", param_hint="--role")
    _write_new(root, "task", ident, force, {"title": title or _title(ident), "role": role})


@main.group()
def templates() -> None:
    """See the templates that make the pages, which file wins, and copy one to adapt.

    A file of the same name in the project's templates/ folder replaces
    sopgen's default; 'default:NAME' in an {% extends %} still names the default.
    """


@templates.command("list")
@config_option
def templates_list(config_file: Optional[str]) -> None:
    """List every default template, and the project's file that overrides it."""
    from .templates import listing

    for line in listing(project_dir(config_file)):
        click.echo(line)


def _template_names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from .templates import default_names

    return [name for name in default_names() if name.startswith(incomplete)]


@templates.command("explain")
@click.argument("name", shell_complete=_template_names)
@config_option
def templates_explain(name: str, config_file: Optional[str]) -> None:
    """Show where template NAME is looked for, in order, and which file wins."""
    from .templates import explain

    root = project_dir(config_file)
    for number, candidate in enumerate(explain(root, name), 1):
        mark = "→ used" if candidate.wins else "  found" if candidate.exists else "  absent"
        note = f"  ({candidate.note})" if candidate.note else ""
        click.echo(f"{number}. {mark}: {_shown(candidate.path)}{note}")


@templates.command("eject")
@click.argument("name", shell_complete=_template_names)
@click.option("--force", is_flag=True, help="Replace the project's file if it exists.")
@config_option
def templates_eject(name: str, force: bool, config_file: Optional[str]) -> None:
    """Copy the default template NAME into the project's templates/, to adapt it there.

    The copy then replaces the default. To change one block and keep the rest,
    start a file with {% extends "default:NAME" %} instead.
    """
    from .templates import eject

    root = project_dir(config_file)
    target = eject(root, name, force=force)
    click.echo(f"created {target.relative_to(root).as_posix()}")


def _load_checked(config_file: Optional[str], *, with_history: bool = False) -> tuple[Path, Any, list[Problem]]:
    """The project's config file, catalog and problems (which the caller reports)."""
    from ..site.build import plugin_options

    config = find_config(config_file)
    sops_dir = str(plugin_options(config).get("sops_dir", "sops"))
    catalog = _loaded(config.parent, sops_dir)
    if with_history or catalog.people:  # a sign-off's version is checked against the SOP's history
        attach(catalog, read_history(config.parent, sops_dir=sops_dir))
    # what builds (with history) validate against is the date their pages show; `validate` is about today
    today = reference_time(catalog.history).date() if with_history else date.today()
    return config, catalog, validate(catalog, today=today)


def _loaded(project: Path, sops_dir: str) -> Any:
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


@main.command()
@config_option
@click.option("--strict", is_flag=True, help="Fail on any warning, sopgen's or MkDocs' (overdue reviews excepted).")
@click.option("-d", "--site-dir", type=click.Path(file_okay=False), default=None,
              help="Where to write the site. Default: site_dir of mkdocs.yml (site/).")
@click.option("--pdf/--no-pdf", "pdf", default=None,
              help="Build the PDF handbooks too (default: the plugin's `pdf` option, on).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print the engine's own progress messages too.")
@engine_option
def build(config_file: Optional[str], strict: bool, site_dir: Optional[str], pdf: Optional[bool],
          quiet: bool, verbose: bool, engine: str) -> None:
    """Validate the sources, then build the training site.

    Every page is rendered before anything is written, and the new site
    replaces the old one only when the whole build succeeded: a failure
    leaves the last good site in place.
    """
    from ..core.outputs import lock
    from ..site.build import build as build_site
    from ..site.build import check_output, recover, site_dir_of
    from ..site.engines import require

    require(engine)
    if engine == "properdocs":  # the same command, on ProperDocs, in a process of its own
        from ..site.engines import properdocs

        options = ["--strict"] * strict + ["-d", site_dir] * bool(site_dir) + ["-q"] * quiet + ["-v"] * verbose
        options += [] if pdf is None else ["--pdf" if pdf else "--no-pdf"]
        sys.exit(properdocs.run(["build", "-f", str(find_config(config_file)), *options]))
    config, catalog, problems = _load_checked(config_file, with_history=True)
    final = Path(site_dir).resolve() if site_dir else site_dir_of(config)
    check_output(config, Path(site_dir) if site_dir else None, shown=site_dir)  # before anything is touched
    tell = (lambda msg, kind="": None) if quiet else say
    with lock(final, echo=lambda m: say(m, "warning")):  # a second build waits for this one
        recover(final)
        failing = [p for p in errors_in(problems, strict=strict) if p.rule != REVIEW_OVERDUE]
        _stop_on_errors(problems, failing=failing, warnings=not quiet, outcome="nothing was built")
        tell(f"Validated {_counts(catalog)}")
        if catalog.history is not None and catalog.history.note:
            tell(f"note: {catalog.history.note}")
        progress = Progress(quiet)
        try:
            if engine == "zensical":
                from ..site.engines import zensical

                result = zensical.build(config, catalog, site_dir=site_dir, strict=strict, pdf=pdf,
                                        on_pdf=progress.pdf, echo=lambda m: click.echo(m, err=True), quiet=quiet,
                                        verbose=verbose)
            else:
                result = build_site(config, site_dir=site_dir, strict=strict, preloaded=(catalog, problems),
                                    on_start=lambda n: progress.start(n, "Building pages"),
                                    on_page=lambda _path: progress.advance(),
                                    pdf=pdf, on_pdf=progress.pdf,
                                    echo=lambda m: click.echo(m, err=True), verbose=verbose, quiet=quiet)
        finally:
            progress.stop()
    where = _shown(result.site_dir)
    handbooks = f" and {len(result.pdfs)} PDF handbooks" if result.pdfs else ""
    tell(f"✓ Built {where}/: {result.pages:,} pages{handbooks} in {result.seconds:.1f} s"
         + (f", {len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''}" if result.warnings else ""),
         "ok")


@main.command()
@config_option
@click.option("-a", "--dev-addr", metavar="IP:PORT", default=None, help="Address to serve on. Default: 127.0.0.1:8000.")
@click.option("-o", "--open", "open_browser", is_flag=True, help="Open the site in a browser.")
@click.option("-v", "--verbose", is_flag=True, help="Print MkDocs' debug messages too.")
@engine_option
def serve(config_file: Optional[str], dev_addr: Optional[str], open_browser: bool, verbose: bool, engine: str) -> None:
    """Serve the site locally and rebuild it when a YAML file or template changes.

    Saving a file under sops/ or templates/ reloads the page in the browser.
    Stop with Ctrl+C.
    """
    from ..site.build import check_output
    from ..site.build import serve as serve_site
    from ..site.engines import require

    require(engine)
    config = find_config(config_file)
    if engine == "properdocs":  # the same command, on ProperDocs, in a process of its own
        from ..site.engines import properdocs

        options = ["-a", dev_addr] * bool(dev_addr) + ["-o"] * open_browser + ["-v"] * verbose
        sys.exit(properdocs.run(["serve", "-f", str(config), *options]))
    check_output(config)  # the site folder that `build` would refuse
    if engine == "zensical":  # renders again at each save; Zensical's live reload shows it
        from ..site.engines import zensical

        zensical.serve(config, dev_addr=dev_addr, open_browser=open_browser, echo=lambda m: click.echo(m, err=True))
        return
    # What the first build keeps (caches of every page and source) is set out of the cycle
    # collector's sight once, so that a collection during a rebuild walks only what the rebuild
    # made: at 1,000 tasks, pauses of 0.2 s fewer per save.
    serve_site(config, dev_addr=dev_addr, open_browser=open_browser, after_first_build=gc.freeze,
               echo=lambda m: click.echo(m, err=True), verbose=verbose)


@main.command("render")
@click.argument("directory", type=click.Path(file_okay=False))
@config_option
@click.option("--force", is_flag=True, help="Replace an earlier render in DIRECTORY.")
def render_command(directory: str, config_file: Optional[str], force: bool) -> None:
    """Write a self-contained MkDocs project into DIRECTORY.

    DIRECTORY/mkdocs.yml carries the navigation, theme features and Markdown
    extensions; DIRECTORY/docs/ holds every page and image. Plain 'mkdocs
    build' (or Zensical) builds it without the sopgen plugin.

    DIRECTORY must be new, empty, or an earlier render: render never deletes
    a file it did not write.
    """
    from ..core.outputs import lock, writing
    from ..site.build import check_output
    from ..site.export import check_target, export

    config, catalog, problems = _load_checked(config_file, with_history=True)
    _stop_on_errors(problems, warnings=True, outcome="nothing was written")
    target = Path(directory)
    check_output(config, target, what="the rendered project", shown=directory, example="rendered")
    with lock(target, echo=lambda m: say(m, "warning")), writing(target, "the rendered project"):
        check_target(target, force=force, shown=directory)
        written = export(config, catalog, target, today=reference_time(catalog.history).date())
    click.echo(f"✓ Wrote {directory}/mkdocs.yml and {written:,} files under {directory}/docs/; "
               f"build it with: mkdocs build -f {directory}/mkdocs.yml", err=True)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False), default=".")
@click.option("--name", default=None, help="The business name. Default: from the folder name.")
def init(directory: str, name: Optional[str]) -> None:
    """Start a new sopgen project in DIRECTORY (default: here) that builds at once.

    Creates mkdocs.yml, sops/ with an organization, two roles and a first SOP,
    and the JSON Schemas editors use. Existing files are never overwritten.
    """
    from ..core.outputs import writing
    from .starter import create_project

    target = Path(directory)
    try:
        with writing(target, "the new project"):
            created = create_project(target, name=name)
    except FileExistsError as exc:
        raise click.ClickException(str(exc)) from None
    for path in created:
        click.echo(f"created {path.relative_to(target).as_posix()}")
    where = "" if directory == "." else f"cd {directory} && "
    click.echo(f"\nNext: {where}sopgen serve   (then edit sops/tasks/*.yml and watch the site update)")


def _within(value: str) -> int:
    """``30d``, ``30 days``, ``2 weeks``, ``1 month`` → days."""
    from ..core.model import Duration, DurationTooLong

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


@main.command()
@config_option
@click.option("--within", default="30d", show_default=True, metavar="TIME",
              help="What counts as due soon: 30d, 2 weeks, 1 month.")
@click.option("--check", is_flag=True, help="Exit with 1 when an SOP is overdue (for a scheduled CI job).")
@click.option("--today", "today_", type=DATE, default=None, metavar="YYYY-MM-DD",
              help="Pretend today is this date (to plan ahead). Default: today.")
def review(config_file: Optional[str], within: str, check: bool, today_: Any) -> None:
    """List the SOPs whose review is overdue, due soon or never done, by maintainer.

    An SOP is due for review at its `reviewed` date plus `review_every` (its
    own, or the organization's). Retired SOPs are left out.
    """
    from ..core.model import days_after
    from ..text.views import review_groups

    days = _within(within)
    today = today_.date() if today_ else date.today()
    _config, catalog, problems = _load_checked(config_file)
    _stop_on_errors(problems)
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


@main.command()
@click.argument("rev", metavar="REV")
@config_option
@click.option("--role", default=None, metavar="ID", help="Only the changes for this role.")
def changes(rev: str, config_file: Optional[str], role: Optional[str]) -> None:
    """What changed in the procedures since REV (a tag or commit), as Markdown.

    For the people who must re-learn: SOPs added, removed, renamed and
    retired, and for each changed SOP the steps added, removed, reworded or
    moved. The working tree (uncommitted edits included) is compared with REV.
    """
    from ..history.changes import catalog_at, compare, describe_rev, renamed_tasks, to_markdown
    from ..history.revisions import resolve
    from ..site.build import plugin_options

    config, catalog, problems = _load_checked(config_file)
    _stop_on_errors(problems)
    sops_dir = str(plugin_options(config).get("sops_dir", "sops"))
    root = config.parent
    revision = resolve(root, rev)  # one git rev-parse for the three questions below
    old = catalog_at(root, revision, sops_dir=sops_dir)
    found = compare(old, catalog, renames=renamed_tasks(root, revision, sops_dir=sops_dir))
    click.echo(to_markdown(found, since=describe_rev(root, revision), role=role), nl=False)


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


@main.command("pdf")
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
    from ..site.build import brand_of, check_output, plugin_options, site_dir_of

    config, catalog, problems = _load_checked(config_file, with_history=True)
    _stop_on_errors(problems, warnings=not quiet, outcome="no PDF was made")
    known = handbook_names(catalog)
    for name in roles:
        if name not in known:
            import difflib

            close = difflib.get_close_matches(name, known, n=1)
            hint = f" — did you mean '{close[0]}'?" if close else f"; choose from: {', '.join(known)}"
            raise click.BadParameter(f"no handbook for '{name}'{hint}", param_hint="--role")
    options = plugin_options(config)
    out = Path(output) if output else site_dir_of(config) / "pdf"
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
        with lock(out if output else site_dir_of(config), echo=lambda m: say(m, "warning")), \
                writing(out, "the PDF handbooks"):
            results = pdfs.build(plan, processes=jobs, on_done=lambda r: progress.advance())
    finally:
        progress.stop()
    for result in sorted(results, key=lambda r: r.name):
        for warning in dict.fromkeys(result.warnings):
            click.echo(f"warning: {result.target.name}: {warning}", err=True)
        if not quiet:
            click.echo(f"✓ {_shown(result.target)}: {result.pages} pages ({result.seconds:.1f} s)", err=True)


@main.command("report")
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

    config, catalog, problems = _load_checked(config_file, with_history=True)
    _stop_on_errors(problems, warnings=not quiet, outcome="no report was made")
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


def write_private_pdf(config: Path, catalog: Any, *, output: str, what: str, name: str, template: str, quiet: bool,
                      data: Callable[[str, str, Any], tuple[dict[str, Any], list[str]]]) -> None:
    """Write a PDF for the owner's eyes (her report, a training record) to ``output``, refused in the
    sources, docs/, templates/, .git/ and the site folder; ``data(version, page_size, look)`` makes
    the data of ``template`` and the project files it shows."""
    from ..core.outputs import writing
    from ..site.build import brand_of, check_private_file, plugin_options

    target = Path(output).absolute()
    check_private_file(config, target, what=what, shown=output)
    from ..print import pdf as pdfs  # the engine, once the target is known to be allowed

    values, files = data(pdfs.source_version(catalog.root), str(plugin_options(config).get("pdf_page_size", "A4")),
                         brand_of(config, catalog))
    job = pdfs.PdfJob(name, template, values, target, catalog.root, files=files,
                      timestamp=int(reference_time(catalog.history).timestamp()))
    with writing(target.parent, what):
        result = pdfs.render(job)
    for warning in dict.fromkeys(result.warnings):
        click.echo(f"warning: {target.name}: {warning}", err=True)
    if not quiet:
        click.echo(f"✓ {_shown(target)}: {result.pages} pages ({result.seconds:.1f} s)", err=True)


def _shown(path: Path) -> str:
    """A path as short as it can be said: relative to here when inside, else absolute."""
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel


def _counts(catalog: Any) -> str:
    return f"{len(catalog.tasks):,} SOP{'s' if len(catalog.tasks) != 1 else ''} in " \
           f"{len(catalog.roles):,} role{'s' if len(catalog.roles) != 1 else ''}"


from .train import train  # noqa: E402 - its commands use the helpers above

main.add_command(train)


def run() -> None:
    """The `sopgen` command (errors are translated by :class:`SopgenGroup`)."""
    main()
