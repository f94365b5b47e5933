"""The house's plan (README.md, "How sopgen is built"): the subpackages' floors and what the
core may not import are import-linter contracts in pyproject.toml, checked here; so is the size
of a module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "sopgen"


def lint_imports(repo: Path = REPO) -> subprocess.CompletedProcess[str]:
    """import-linter's ``lint-imports`` on the contracts of ``repo``'s pyproject.toml."""
    script = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    return subprocess.run([sys.executable, "-c", script, "--no-cache"], cwd=repo, capture_output=True, text=True,
                          env={"PYTHONPATH": str(repo), "PATH": ""})


def test_the_import_contracts_hold() -> None:
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout, result.stdout


def test_a_broken_contract_is_caught(tmp_path: Path) -> None:
    """The contracts can fail: the same check on a copy of the package whose core runs a
    program, and whose core imports the site, names both imports."""
    copy = tmp_path / "repo"
    copy.mkdir()
    (copy / "pyproject.toml").write_text((REPO / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    subprocess.run(["cp", "-r", str(PACKAGE), str(copy / "sopgen")], check=True)
    ticks = copy / "sopgen" / "core" / "ticks.py"
    ticks.write_text(ticks.read_text(encoding="utf-8") + "\nimport subprocess\nfrom ..site import pages\n",
                     encoding="utf-8")
    result = lint_imports(copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "sopgen.core.ticks -> subprocess" in result.stdout
    assert "sopgen.core.ticks -> sopgen.site.pages" in result.stdout
