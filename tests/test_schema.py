"""The JSON Schemas, checked the way editors and CI use them: with check-jsonschema."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, build_tree, run
from test_corpus import CASES, materialize



def check_jsonschema() -> str:
    """The check-jsonschema command, which the test extra installs (never skipped: CI has it)."""
    found = shutil.which("check-jsonschema")
    if found is None:
        pytest.fail("check-jsonschema is not installed: run scripts/test (pip install -e '.[test]')")
    return found

REJECTED = {
    # corpus case: the file whose shape is wrong; every other defect of the corpus needs the whole
    # project (references, cycles, images, ids from file names), cross-field checks (rate min over
    # max, a quiz answer out of range), the date of today, or it is a YAML error the parser refuses
    # before any schema is applied
    "bad-currency": "sops/organization.yml",
    "bad-date": "sops/tasks/send-invoices.yml",
    "bad-date-format": "sops/tasks/send-invoices.yml",
    "bad-duration": "sops/tasks/send-invoices.yml",
    "bad-frequency": "sops/tasks/send-invoices.yml",
    "bad-number": "sops/roles/bookkeeper.yml",
    "bad-status": "sops/tasks/send-invoices.yml",
    "empty-steps": "sops/tasks/reconcile-bank.yml",
    "missing-required": "sops/tasks/send-invoices.yml",
    "missing-step-do": "sops/tasks/send-invoices.yml",
    "negative-hours": "sops/tasks/send-invoices.yml",
    "quiz-answer-boolean": "sops/tasks/send-invoices.yml",
    "quiz-too-few-choices": "sops/tasks/send-invoices.yml",
    "top-level-list": "sops/tasks/reconcile-bank.yml",
    "unknown-field-nested": "sops/tasks/send-invoices.yml",
    "unknown-field-typo": "sops/tasks/send-invoices.yml",
    "wrong-type-list": "sops/roles/bookkeeper.yml",
    "person-bad-fields": "sops/people/ann.yml",
    "wrong-type-mapping": "sops/roles/bookkeeper.yml",
    "wrong-type-text": "sops/tasks/send-invoices.yml",
}


def kind_of(rel: str) -> str:
    if rel.endswith("organization.yml"):
        return "organization"
    return "role" if "/roles/" in rel else "person" if "/people/" in rel else "task"


def check(project: Path, kind: str, files: list[Path]) -> subprocess.CompletedProcess[str]:
    schema = project / ".sopgen" / "schemas" / f"{kind}.schema.json"
    return subprocess.run([check_jsonschema(), "--schemafile", str(schema), *map(str, files)], capture_output=True, text=True)


def test_schema_write_puts_every_kind_into_the_project(base_project: Path) -> None:
    result = run(base_project, "schema", "--write")
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (base_project / ".sopgen/schemas").iterdir())
    assert written == ["organization.schema.json", "person.schema.json", "role.schema.json", "task.schema.json"]
    assert "wrote .sopgen/schemas/task.schema.json" in result.output


def test_schema_needs_a_kind_or_write(base_project: Path) -> None:
    assert run(base_project, "schema").exit_code == 2
    both = run(base_project, "schema", "task", "--write")
    assert both.exit_code == 2 and "give neither KIND nor --output" in both.output


def test_negative_numbers_are_refused_by_the_schema_too() -> None:
    from sopgen.core.schema import json_schema

    hours = json_schema("task")["properties"]["hours_per_week"]
    assert {"type": "number", "minimum": 0} in hours["anyOf"]


def test_every_file_of_the_example_validates(tmp_path: Path) -> None:
    project = tmp_path / "example"
    shutil.copytree(REPO / "sops", project / "sops")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    assert run(project, "schema", "--write").exit_code == 0
    files = sorted((project / "sops").rglob("*.yml"))
    by_kind: dict[str, list[Path]] = {}
    for path in files:
        by_kind.setdefault(kind_of(path.relative_to(project).as_posix()), []).append(path)
    assert sorted(by_kind) == ["organization", "person", "role", "task"] and len(files) > 20
    for kind, paths in by_kind.items():
        result = check(project, kind, paths)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("case", sorted(REJECTED))
def test_structural_defects_are_rejected(case: str, tmp_path: Path) -> None:
    assert case in CASES
    project = materialize(case, tmp_path / "p")
    assert run(project, "schema", "--write").exit_code == 0
    rel = REJECTED[case]
    result = check(project, kind_of(rel), [project / rel])
    assert result.returncode == 1, result.stdout
    assert "Schema validation errors were encountered" in result.stdout + result.stderr


def test_the_base_files_pass_so_a_rejection_is_the_defect(tmp_path: Path, base_project: Path) -> None:
    assert run(base_project, "schema", "--write").exit_code == 0
    build_tree(base_project, {"sops/people/ann.yml": """
        name: Ann Lee
        role: bookkeeper
        started: 2026-01-05
        trained:
          - {sop: send-invoices, on: 2026-01-09, version: 1}
        results:
          - {benchmark: invoices-on-time, on: 2026-02-01, value: 97}
        """})  # the base project has no training record
    for rel in sorted(set(REJECTED.values())):
        result = check(base_project, kind_of(rel), [base_project / rel])
        assert result.returncode == 0, result.stdout


def test_init_files_point_their_editor_at_the_schema_that_accepts_them(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sopgen.cli.main import main

    project = tmp_path / "handbook"
    assert CliRunner().invoke(main, ["init", str(project)]).exit_code == 0
    files = sorted((project / "sops").rglob("*.yml"))
    assert len(files) == 4
    for path in files:
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        schema = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert schema.name == f"{kind_of(path.relative_to(project).as_posix())}.schema.json"
        result = subprocess.run([check_jsonschema(), "--schemafile", str(schema), str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout
