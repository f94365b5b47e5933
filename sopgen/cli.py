"""The ``sopgen`` command: thin Click commands over the core.

Exit codes: 0 success, 1 problems found (or a project that cannot be read),
2 wrong usage (Click's own).
"""

from __future__ import annotations

import json
import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any, Callable, Optional

import click

from . import __version__
from .errors import Problem, ProjectNotFound, SopgenError, summary
from .loader import find_config, load
from .model import ID_PATTERN, KINDS
from .schema import SCHEMA_DIR, schema_text, write_schemas
from .validate import errors_in, validate

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def config_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-f", "--config-file", type=click.Path(dir_okay=False), default=None,
        help="The project's mkdocs.yml. Default: mkdocs.yml in the current folder.",
    )(func)


def project_dir(config_file: Optional[str]) -> Path:
    try:
        return find_config(config_file).parent
    except ProjectNotFound as exc:
        raise click.ClickException(str(exc)) from None


class Failed(click.ClickException):
    """Problems were reported already: exit 1 without another message."""

    def __init__(self) -> None:
        super().__init__("")

    def show(self, file: Any = None) -> None:
        pass


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="sopgen", message="%(prog)s %(version)s")
def main() -> None:
    """Standard operating procedures as code.

    Keep roles and tasks as small YAML files under sops/ and turn them into a
    training site, checklists and onboarding guides. Run a command with --help
    for its options.
    """


def report(problems: list[Problem], *, fmt: str, strict: bool, counts: str) -> bool:
    """Print ``problems``; return whether they fail the command."""
    failing = errors_in(problems, strict=strict)
    if fmt == "json":
        click.echo(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False))
        return bool(failing)
    for problem in problems:
        click.echo(str(problem), err=True)
    if failing:
        note = " (--strict: warnings fail too)" if strict and any(p.severity == "warning" for p in failing) else ""
        click.echo(f"✗ {summary(problems)}{note}", err=True)
    elif problems:
        click.echo(f"✓ {counts}, with {summary(problems)} (use --strict to fail on warnings)", err=True)
    else:
        click.echo(f"✓ {counts}: no problems")
    return bool(failing)


@main.command("validate")
@config_option
@click.option("--strict", is_flag=True, help="Fail on warnings too (unknown tools, overdue reviews).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one problem a line, like a compiler. json: a list of objects for CI annotations.")
def validate_command(config_file: Optional[str], strict: bool, fmt: str) -> None:
    """Check every role and task file and the references between them.

    Each problem is printed as PATH:LINE:COL: FIELD: MESSAGE. Exits with 1 when
    there is an error (or a warning, under --strict).
    """
    root = project_dir(config_file)
    try:
        catalog = load(root)
    except ProjectNotFound as exc:
        raise click.ClickException(str(exc)) from None
    problems = validate(catalog, today=date.today())
    counts = f"{len(catalog.tasks):,} SOP{'s' if len(catalog.tasks) != 1 else ''} in " \
             f"{len(catalog.roles):,} role{'s' if len(catalog.roles) != 1 else ''}"
    if report(problems, fmt=fmt, strict=strict, counts=counts):
        raise Failed()


@main.command()
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the schema to this file instead of standard output.")
def schema(kind: str, output: Optional[str]) -> None:
    """Print the JSON Schema (draft 2020-12) of a kind of source file.

    KIND is organization, role or task. Editors use it to complete fields and
    flag mistakes while typing: point the YAML extension at it, or run
    'sopgen new', which adds the matching '# yaml-language-server' line.
    """
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
    from .templating import environment

    if not re.match(ID_PATTERN, ident):
        suggestion = re.sub(r"[^a-z0-9]+", "-", ident.lower()).strip("-")
        raise click.BadParameter(
            f"'{ident}' is not a valid id: use lower-case letters, digits and hyphens"
            + (f", e.g. '{suggestion}'" if suggestion else ""), param_hint="ID")
    sops = root / "sops"
    target = sops / f"{kind}s" / f"{ident}.yml"
    if target.exists() and not force:
        raise click.ClickException(f"{target.relative_to(root).as_posix()} already exists (use --force to replace it)")
    write_schemas(root)
    schema_path = os.path.relpath(root / SCHEMA_DIR / f"{kind}.schema.json", target.parent).replace(os.sep, "/")
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


def run() -> None:
    """Entry point that turns sopgen's own errors into messages, never tracebacks."""
    try:
        main(standalone_mode=True)
    except SopgenError as exc:  # pragma: no cover - commands translate their own
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
