"""Shared fixtures: building project trees and running the CLI."""

from __future__ import annotations

import hashlib
import shutil
import textwrap
from pathlib import Path
from typing import Union

import pytest
from click.testing import CliRunner, Result

from sopgen.cli.main import main

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
BASE = CORPUS / "_base"
REPO = HERE.parent
REVIEWED = "reviewed: 2026-01-01\nreview_every: 1200 months  # never due while the tests run"
"""How the base project's SOP is reviewed: in the past, and never due (a date ahead is a warning)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite golden files from the current output.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def build_tree(root: Path, files: dict[str, Union[str, bytes, None]]) -> Path:
    """Write ``files`` (path → text, bytes, or None to delete) under ``root``; text is dedented."""
    for rel, content in files.items():
        path = root / rel
        if content is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def base_project(tmp_path: Path) -> Path:
    """A copy of the small valid project under tests/corpus/_base."""
    target = tmp_path / "project"
    shutil.copytree(BASE, target)
    return target


def tree_hash(folder: Path) -> str:
    """One hash of every file's path and bytes under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def run(project: Path, *args: str) -> Result:
    """Run ``sopgen ARGS`` against ``project``'s mkdocs.yml."""
    runner = CliRunner()
    return runner.invoke(main, [*args, "-f", str(project / "mkdocs.yml")], catch_exceptions=True)
