"""`sopgen build`: strictness that holds whatever the verbosity, and the old site kept on failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_tree, run, tree_hash


@pytest.mark.parametrize("quiet", [[], ["-q"]], ids=["normal", "quiet"])
def test_strict_fails_on_mkdocs_warnings_even_when_quiet(base_project: Path, quiet: list[str]) -> None:
    build_tree(base_project, {"docs/notes.md": "# Notes\n\nSee [the missing page](missing.md).\n"})
    site = base_project / "out"
    assert run(base_project, "build", "--no-pdf", "-d", str(site), *quiet).exit_code == 0
    before = tree_hash(site)
    result = run(base_project, "build", "--no-pdf", "--strict", "-d", str(site), *quiet)
    assert result.exit_code == 1
    assert "1 warning in strict mode" in result.output
    assert tree_hash(site) == before


def test_build_reports_and_counts(base_project: Path) -> None:
    site = base_project / "out"
    result = run(base_project, "build", "-d", str(site))
    assert result.exit_code == 0, result.output
    assert "Validated 2 SOPs in 2 roles" in result.output
    assert "✓ Built" in result.output and "13 pages and 2 PDF handbooks in" in result.output
    assert (site / "sops/send-invoices/index.html").is_file()
    assert sorted(p.name for p in (site / "pdf").iterdir()) == ["bookkeeper.pdf", "handbook.pdf"]
    assert not list(site.parent.glob(".out.sopgen-*")), "staging folders are cleaned up"


def test_build_without_sopgen_plugin_says_how_to_fix(base_project: Path) -> None:
    (base_project / "mkdocs.yml").write_text("site_name: x\ntheme: material\nplugins: [search]\n")
    result = run(base_project, "build", "-d", str(base_project / "out"))
    assert result.exit_code == 1
    assert "does not list 'sopgen' under plugins" in result.output


def test_quiet_build_prints_nothing_on_success(base_project: Path) -> None:
    result = run(base_project, "build", "-q", "--no-pdf", "-d", str(base_project / "out"))
    assert result.exit_code == 0 and result.output == ""
