"""The command line, through Click's CliRunner."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from conftest import build_tree, run
from sopgen import __version__
from sopgen.cli.main import main
from sopgen.cli.templates import default_names


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and result.output == f"sopgen {__version__}\n"


def all_commands(group=main, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if hasattr(command, "commands"):
            yield from all_commands(command, prefix + (name,))


@pytest.mark.parametrize("path", [p for p, _ in all_commands()], ids=" ".join)
def test_every_command_has_help(path) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.output
    command = dict(all_commands())[path]
    assert command.help and len(command.help.strip()) > 20
    for param in command.params:
        if param.param_type_name == "option":
            assert param.help, f"{' '.join(path)} {param.opts} has no help"


def test_validate_ok(base_project: Path) -> None:
    result = run(base_project, "validate")
    assert result.exit_code == 0
    assert result.output == "✓ 2 SOPs in 2 roles: no problems\n"


def test_validate_json(base_project: Path) -> None:
    (base_project / "sops/tasks/reconcile-bank.yml").write_text("title: X\nrole: nobody\npurpose: P\nsteps: [{do: x}]\n")
    result = run(base_project, "validate", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [{
        "path": "sops/tasks/reconcile-bank.yml", "line": 2, "col": 7, "field": "role",
        "message": "unknown role 'nobody'; known roles: bookkeeper, owner", "severity": "error", "rule": "",
    }]


def test_warnings_pass_unless_strict(base_project: Path) -> None:
    task = base_project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text().replace("tools: [QuickBooks Online]", "tools: [Excel]"))
    relaxed = run(base_project, "validate")
    assert relaxed.exit_code == 0
    assert "warning: tools[0]: tool 'Excel' is not among the tools of role 'bookkeeper'" in relaxed.output
    assert "use --strict to fail on warnings" in relaxed.output
    assert run(base_project, "validate", "--strict").exit_code == 1


def test_no_project_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1
    assert "Error: no mkdocs.yml in" in result.output and "sopgen init" in result.output
    assert "Traceback" not in result.output


def test_project_found_in_current_folder(base_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(base_project)
    assert CliRunner().invoke(main, ["validate"]).exit_code == 0


def test_missing_sops_folder(tmp_path: Path) -> None:
    build_tree(tmp_path, {"mkdocs.yml": "site_name: x\n"})
    result = run(tmp_path, "validate")
    assert result.exit_code == 1 and "no 'sops' folder" in result.output


@pytest.mark.parametrize("kind", ["organization", "role", "task"])
def test_schema_is_valid_draft_2020_12(kind: str) -> None:
    result = CliRunner().invoke(main, ["schema", kind])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_accepts_the_base_project_and_rejects_a_typo(base_project: Path) -> None:
    import yaml

    schema = json.loads(CliRunner().invoke(main, ["schema", "task"]).output)
    validator = jsonschema.Draft202012Validator(schema)
    task = yaml.safe_load((base_project / "sops/tasks/send-invoices.yml").read_text())
    task["reviewed"] = str(task["reviewed"])
    assert list(validator.iter_errors(task)) == []
    task["setps"] = task.pop("steps")
    assert {e.validator for e in validator.iter_errors(task)} == {"required", "additionalProperties"}


def test_schema_unknown_kind_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["schema", "rol"])
    assert result.exit_code == 2 and "'rol' is not one of" in result.output


def test_new_role_and_task_validate(base_project: Path) -> None:
    result = run(base_project, "new", "role", "virtual-assistant")
    assert result.exit_code == 0, result.output
    role_file = base_project / "sops/roles/virtual-assistant.yml"
    text = role_file.read_text()
    assert text.startswith("# yaml-language-server: $schema=../../.sopgen/schemas/role.schema.json\n")
    assert "title: Virtual assistant\n" in text
    assert (base_project / ".sopgen/schemas/role.schema.json").is_file()
    result = run(base_project, "new", "task", "triage-inbox", "--role", "virtual-assistant", "--title", "Triage: inbox")
    assert result.exit_code == 0, result.output
    task_text = (base_project / "sops/tasks/triage-inbox.yml").read_text()
    assert 'title: "Triage: inbox"\n' in task_text
    check = run(base_project, "validate")
    assert check.exit_code == 0, check.output
    assert "4 SOPs" not in check.output and "3 SOPs in 3 roles" in check.output
    # the one thing left to fill in is the rate, which the scaffold cannot guess
    strict = run(base_project, "validate", "--strict")
    warnings = [line for line in strict.output.splitlines() if ": warning: " in line]
    assert strict.exit_code == 1 and len(warnings) == 1, strict.output
    assert warnings[0].startswith("sops/roles/virtual-assistant.yml:") and "no rate" in warnings[0]


def test_new_refuses_to_overwrite(base_project: Path) -> None:
    result = run(base_project, "new", "role", "bookkeeper")
    assert result.exit_code == 1 and "already exists (use --force" in result.output
    assert run(base_project, "new", "role", "bookkeeper", "--force").exit_code == 0


def test_new_bad_id_and_unknown_role(base_project: Path) -> None:
    bad = run(base_project, "new", "role", "Office Manager")
    assert bad.exit_code == 2 and "e.g. 'office-manager'" in bad.output
    unknown = run(base_project, "new", "task", "pay-bills", "--role", "bookeeper")
    assert unknown.exit_code == 2 and "did you mean 'bookkeeper'?" in unknown.output
    assert not (base_project / "sops/tasks/pay-bills.yml").exists()


def test_python_dash_m(base_project: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "sopgen", "validate", "-f", str(base_project / "mkdocs.yml")],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and "no problems" in proc.stdout


# -- conventions: exit codes, colour, quiet, completion ------------------------------------

@pytest.mark.parametrize("args", [["validate", "--no-such-option"], ["no-such-command"], ["new", "task", "x"],
                                  ["review", "--within", "soon"]])
def test_wrong_usage_exits_2(args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "Usage: " in result.output or "Error: Invalid value" in result.output
    assert "Traceback" not in result.output


def _broken(project: Path) -> None:
    task = project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text().replace("role: bookkeeper", "role: bookeeper"))


def test_colour_on_a_terminal_and_none_under_no_color(base_project: Path) -> None:
    _broken(base_project)
    args = ["validate", "-f", str(base_project / "mkdocs.yml")]
    coloured = CliRunner().invoke(main, args, color=True, env={"NO_COLOR": None})
    assert coloured.exit_code == 1 and "\x1b[31m" in coloured.output  # red, as a terminal shows it
    plain = CliRunner().invoke(main, args, color=True, env={"NO_COLOR": "1"})
    assert plain.exit_code == 1 and "\x1b[" not in plain.output
    assert plain.output == "sops/tasks/send-invoices.yml:2:7: role: unknown role 'bookeeper' — " \
                           "did you mean 'bookkeeper'?\n✗ 1 error in 1 file\n"


def test_no_colour_when_the_output_is_not_a_terminal(base_project: Path) -> None:
    _broken(base_project)
    result = CliRunner().invoke(main, ["validate", "-f", str(base_project / "mkdocs.yml")], env={"NO_COLOR": None})
    assert result.exit_code == 1 and "\x1b[" not in result.output


def test_validate_quiet_prints_only_what_fails(base_project: Path) -> None:
    assert run(base_project, "validate", "-q").output == ""
    task = base_project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text().replace("tools: [QuickBooks Online]", "tools: [Excel]"))
    assert run(base_project, "validate", "-q").output == ""  # a warning does not fail without --strict
    strict = run(base_project, "validate", "-q", "--strict")
    assert strict.exit_code == 1 and "tool 'Excel'" in strict.output


def test_shell_completion(monkeypatch: pytest.MonkeyPatch) -> None:
    source = CliRunner().invoke(main, [], prog_name="sopgen", env={"_SOPGEN_COMPLETE": "bash_source"})
    assert source.exit_code == 0 and "_sopgen_completion()" in source.output
    commands = CliRunner().invoke(main, [], prog_name="sopgen", env={
        "_SOPGEN_COMPLETE": "bash_complete", "COMP_WORDS": "sopgen tem", "COMP_CWORD": "1"})
    assert commands.output.splitlines() == ["plain,templates"]
    names = CliRunner().invoke(main, [], prog_name="sopgen", env={
        "_SOPGEN_COMPLETE": "bash_complete", "COMP_WORDS": "sopgen templates eject pdf/", "COMP_CWORD": "3"})
    assert names.output.splitlines() == [f"plain,{name}" for name in default_names() if name.startswith("pdf/")]
    assert "plain,pdf/handbook.typ" in names.output.splitlines()
