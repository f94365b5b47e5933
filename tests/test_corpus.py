"""The broken-project corpus: each case is the base project with one defect.

``tests/corpus/<case>/`` holds the files that replace or add to the base
project, an optional ``remove`` (paths to delete, one a line), an optional
``args`` (extra options for ``sopgen validate``) and ``expected.txt``: the
exact report. Run ``pytest tests/test_corpus.py --update-golden`` after a
deliberate change of wording, and review the diff.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import BASE, CORPUS, run

CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))
SPECIAL = {"expected.txt", "remove", "args"}


def materialize(case: str, target: Path) -> Path:
    shutil.copytree(BASE, target)
    source = CORPUS / case
    for file in source.rglob("*"):
        rel = file.relative_to(source)
        if file.is_file() and rel.as_posix() not in SPECIAL:
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, target / rel)
    remove = source / "remove"
    if remove.exists():
        for line in remove.read_text().split():
            (target / line).unlink()
    return target


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 25


def test_base_project_is_valid(tmp_path: Path) -> None:
    result = run(shutil.copytree(BASE, tmp_path / "p"), "validate", "--strict")
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


@pytest.mark.parametrize("case", CASES)
def test_broken_project(case: str, tmp_path: Path, update_golden: bool) -> None:
    project = materialize(case, tmp_path / "p")
    args_file = CORPUS / case / "args"
    args = args_file.read_text().split() if args_file.exists() else []
    result = run(project, "validate", *args)
    output = result.output
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    golden = CORPUS / case / "expected.txt"
    if update_golden:
        golden.write_text(output, encoding="utf-8")
    assert result.exit_code == 1, output
    assert output == golden.read_text(encoding="utf-8")
    # every reported line is a located problem, or the closing summary
    lines = output.splitlines()
    assert lines[-1].startswith("✗ ")
    for line in lines[:-1]:
        assert line.startswith("sops/") or line.startswith("mkdocs"), line
