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
    assert "Contracts: 4 kept, 0 broken." in result.stdout, result.stdout


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


LONGEST_MODULE = 400
"""The most lines a module of sopgen holds (issue 16: one job each, 50–300 lines as a rule)."""


def long_modules(package: Path = PACKAGE) -> dict[str, int]:
    """The modules of ``package`` over :data:`LONGEST_MODULE` lines."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package)
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > LONGEST_MODULE:
            found[rel.as_posix()] = lines
    return found


def test_no_module_is_over_400_lines() -> None:
    assert long_modules() == {}, "split these modules by meaning, one job each"


def test_a_long_module_is_caught(tmp_path: Path) -> None:
    for rel, lines in {"core/long.py": LONGEST_MODULE + 1, "core/short.py": LONGEST_MODULE,
                       "text/deep/long.py": 500}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x = 1\n" * lines, encoding="utf-8")
    assert long_modules(tmp_path) == {"core/long.py": LONGEST_MODULE + 1, "text/deep/long.py": 500}


def test_the_entry_point_importing_an_engine_is_caught(tmp_path: Path) -> None:
    """sopgen.site.generate (and the reader of mkdocs.yml) serve every engine's adapter: an import
    of MkDocs there, even through another module, breaks a contract."""
    copy = tmp_path / "repo"
    copy.mkdir()
    (copy / "pyproject.toml").write_text((REPO / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    subprocess.run(["cp", "-r", str(PACKAGE), str(copy / "sopgen")], check=True)
    for name, line in (("generate.py", "\nimport mkdocs.plugins\n"),
                       ("config.py", "\nfrom .engines.mkdocs import plugin\n")):
        module = copy / "sopgen" / "site" / name
        module.write_text(module.read_text(encoding="utf-8") + line, encoding="utf-8")
    result = lint_imports(copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "sopgen.site.generate -> mkdocs (l." in result.stdout
    assert "sopgen.site.config -> sopgen.site.engines.mkdocs.plugin (l." in result.stdout


def test_the_plugin_is_thin() -> None:
    """The MkDocs plugin is hooks over sopgen.site.generate, in fewer than 150 lines."""
    plugin = PACKAGE / "site" / "engines" / "mkdocs" / "plugin.py"
    assert len(plugin.read_text(encoding="utf-8").splitlines()) < 150
