"""The PDF benchmark's own logic: which commit is the WeasyPrint engine it measures against, and
how its report reads the targets. Offline and quick: no venv is made, no PDF built."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

spec = importlib.util.spec_from_file_location("bench_pdf", REPO / "benchmarks" / "pdf.py")
bench = sys.modules["bench_pdf"] = importlib.util.module_from_spec(spec)  # dataclasses look it up there
spec.loader.exec_module(bench)

WEASYPRINT_DEPS = '[project]\nname = "x"\ndependencies = [\n  "click>=8.1",\n  "weasyprint>=66",\n]\n'
TYPST_DEPS = '[project]\nname = "x"\ndependencies = [\n  "click>=8.1",\n  # weasyprint>=66 went\n  "typst>=0.15",\n]\n'
WEASYPRINT_PDF = '"""PDFs."""\n\ndef render():\n    import weasyprint\n'
TYPST_PDF = '"""PDFs, no longer on weasyprint."""\n\ndef render():\n    import typst\n'


def git(repo: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="Ada", GIT_AUTHOR_EMAIL="a@example.com", GIT_COMMITTER_NAME="Ada",
               GIT_COMMITTER_EMAIL="a@example.com", GIT_AUTHOR_DATE="2026-01-15T10:00:00+00:00",
               GIT_COMMITTER_DATE="2026-01-15T10:00:00+00:00")
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env).stdout.strip()


def commit(repo: Path, message: str, files: dict[str, str]) -> str:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    return tmp_path


def test_the_baseline_is_the_last_commit_whose_engine_was_weasyprint(repo: Path) -> None:
    commit(repo, "WeasyPrint engine", {"pyproject.toml": WEASYPRINT_DEPS, "sopgen/pdf.py": WEASYPRINT_PDF})
    last = commit(repo, "a WeasyPrint commit that touches neither file", {"README.md": "more"})
    # the engine changes first, the dependency goes later: a commit in between is not WeasyPrint's
    commit(repo, "Typst engine", {"sopgen/pdf.py": TYPST_PDF})
    commit(repo, "WeasyPrint dropped", {"pyproject.toml": TYPST_DEPS})
    commit(repo, "later", {"README.md": "later"})
    assert bench.find_baseline(repo) == last


def test_a_commit_whose_print_data_already_changed_is_no_baseline(repo: Path) -> None:
    """The print module can change before the engine: pdf.py still imports WeasyPrint, but what it
    takes from printing.py is gone, so that commit cannot make a PDF at all."""
    engine = WEASYPRINT_PDF + "from .printing import HANDBOOK, handbook_html\n"
    last = commit(repo, "WeasyPrint engine", {"pyproject.toml": WEASYPRINT_DEPS, "sopgen/pdf.py": engine,
                                              "sopgen/printing.py": "HANDBOOK = 'h'\ndef handbook_html():\n    pass\n"})
    commit(repo, "print data for Typst", {"sopgen/printing.py": "HANDBOOK = 'h'\ndef handbook():\n    pass\n"})
    assert bench.find_baseline(repo) == last


def test_a_checkout_still_on_weasyprint_is_its_own_baseline(repo: Path) -> None:
    commit(repo, "WeasyPrint engine", {"pyproject.toml": WEASYPRINT_DEPS, "sopgen/pdf.py": WEASYPRINT_PDF})
    head = commit(repo, "later", {"README.md": "later"})
    assert bench.find_baseline(repo) == head


def test_the_baseline_is_on_the_main_line_not_on_a_merged_branch(repo: Path) -> None:
    commit(repo, "WeasyPrint engine", {"pyproject.toml": WEASYPRINT_DEPS, "sopgen/pdf.py": WEASYPRINT_PDF})
    git(repo, "checkout", "-q", "-b", "typst")
    commit(repo, "branch: more WeasyPrint work", {"sopgen/other.py": "x = 1\n"})
    commit(repo, "branch: Typst engine and dependency", {"sopgen/pdf.py": TYPST_PDF, "pyproject.toml": TYPST_DEPS})
    git(repo, "checkout", "-q", "main")
    main = commit(repo, "main: WeasyPrint still", {"README.md": "main"})
    git(repo, "merge", "-q", "--no-ff", "-m", "merge typst", "typst")
    assert bench.find_baseline(repo) == main


def test_no_weasyprint_commit_says_how_to_name_one(repo: Path) -> None:
    commit(repo, "Typst from the start", {"pyproject.toml": TYPST_DEPS, "sopgen/pdf.py": TYPST_PDF})
    with pytest.raises(SystemExit, match="--baseline REV"):
        bench.find_baseline(repo)


def test_a_named_baseline_must_be_a_weasyprint_commit(repo: Path) -> None:
    first = commit(repo, "WeasyPrint engine", {"pyproject.toml": WEASYPRINT_DEPS, "sopgen/pdf.py": WEASYPRINT_PDF})
    commit(repo, "Typst engine", {"pyproject.toml": TYPST_DEPS, "sopgen/pdf.py": TYPST_PDF})
    assert bench.check_named_baseline(repo, "HEAD~1") == first
    with pytest.raises(SystemExit, match=r"--baseline HEAD: commit \w{7} does not make its PDFs with WeasyPrint"):
        bench.check_named_baseline(repo, "HEAD")
    with pytest.raises(SystemExit, match="--baseline nowhere: no such commit"):
        bench.check_named_baseline(repo, "nowhere")


@pytest.mark.parametrize(("dependency", "listed"), [
    ("weasyprint>=66", True), ("WeasyPrint[extra] >= 60", True), ("weasyprint", True),
    ("weasyprint-fonts>=1", False), ("typst>=0.15", False),
])
def test_which_dependency_is_weasyprint(dependency: str, listed: bool) -> None:
    assert bench.lists_weasyprint(f'[project]\ndependencies = ["{dependency}"]\n') is listed


def run(tasks: int, engine: str, pages: int, seconds: float) -> object:
    return bench.Run(tasks, engine, 21, pages, seconds)


def test_the_report_judges_the_throughput_at_1000_tasks() -> None:
    old, new = "WeasyPrint (abc1234)", "Typst (checkout def5678)"
    runs = [(run(300, old, 1500, 75.0), run(300, new, 1400, 5.0)),        # 20 → 280 pages/s: 14×
            (run(1000, old, 5000, 250.0), run(1000, new, 4800, 30.0))]    # 20 → 160 pages/s: 8×
    text = bench.report(runs, (8.0, 1.5, 1.2), None, old=old, new=new)
    lines = text.splitlines()
    assert lines[0].split()[-1] == "Typst/WeasyPrint"
    assert lines[2].endswith("14.0×") and lines[4].endswith("8.0×")
    assert "target: ≥ 10× at 1,000 tasks: not met (8.0×)" in text
    assert "target: < 2 s: met" in text
    faster = [(run(1000, old, 5000, 250.0), run(1000, new, 5000, 20.0))]
    text = bench.report(faster, (8.0, 2.5, 1.2), None, old=old, new=new)
    assert "target: ≥ 10× at 1,000 tasks: met (12.5×)" in text
    assert "target: < 2 s: not met" in text
    assert "not measured" in bench.report(runs[:1], None, None, old=old, new=new)


def test_the_report_compares_one_process_with_several() -> None:
    new = "Typst (checkout def5678)"
    one, two = bench.Run(1000, new, 21, 4800, 40.0, 1), bench.Run(1000, new, 21, 4800, 25.0, 2)
    text = bench.report([(bench.Run(1000, "WeasyPrint", 21, 5000, 250.0, 2), two)], None, (one, two),
                        old="WeasyPrint", new=new)
    assert text.splitlines()[-1] == f"{new}, 1,000 tasks: -j 1 40.0 s, -j 2 25.0 s: 1.60× faster in parallel"


def fake_venv(tree: Path, script: str) -> Path:
    python = tree / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(f"#!/bin/sh\n{script}\n")
    python.chmod(0o755)
    return tree


def test_missing_system_libraries_name_the_packages_to_install(tmp_path: Path) -> None:
    tree = fake_venv(tmp_path, "echo \"OSError: cannot load library 'libpango-1.0-0'\" >&2; exit 1")
    with pytest.raises(SystemExit, match=r"(?s)libpango-1.0-0'.*apt-get install libpango-1.0-0 libpangoft2-1.0-0"):
        bench.check_baseline(tree)


def test_a_baseline_venv_importing_another_sopgen_is_refused(tmp_path: Path) -> None:
    tree = fake_venv(tmp_path / "tree", f"echo {REPO / 'sopgen' / '__init__.py'}")
    with pytest.raises(SystemExit, match="imports sopgen from .* not "):
        bench.check_baseline(tree)
    fake_venv(tmp_path / "good", f"echo {tmp_path / 'good' / 'sopgen' / '__init__.py'}")
    bench.check_baseline(tmp_path / "good")
