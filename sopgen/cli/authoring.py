"""Commands for writing the sources: ``init``, ``new``, ``templates``, ``schema`` and ``validate``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional

import click

from ..core.fields import ID_PATTERN, suggested_id, taken_id
from ..core.model import KINDS
from ..core.schema import SCHEMA_DIR, schema_ref, schema_text, write_schemas
from .common import Failed, config_option, counts, load_checked, project_dir, report, shown_path


@click.command("validate")
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
    _config, catalog, problems = load_checked(config_file)
    if report(problems, fmt=fmt, strict=strict, counts=counts(catalog), quiet=quiet):
        raise Failed()


@click.command()
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


@click.group()
def new() -> None:
    """Start a new role or task file from a commented template."""


def _write_new(root: Path, kind: str, ident: str, force: bool, context: dict[str, Any]) -> Path:
    from ..text.templating import environment

    if not re.match(ID_PATTERN, ident):
        suggestion = suggested_id(ident)
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
    from .starter import yaml_scalar

    env = environment(root, filters={"yaml_scalar": yaml_scalar})
    text = env.get_template(f"new/{kind}.yml.j2").render(id=ident, schema=schema_path, **context)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    click.echo(f"created {target.relative_to(root).as_posix()}")
    return target


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


@click.group()
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
        click.echo(f"{number}. {mark}: {shown_path(candidate.path)}{note}")


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


@click.command()
@click.argument("directory", type=click.Path(file_okay=False), default=".")
@click.option("--name", default=None, help="The business name. Default: from the folder name, less words such as 'handbook' (acme-handbook: Acme).")
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
