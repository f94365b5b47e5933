"""The benchmarks' project generator makes projects that sopgen accepts: a benchmark of a project
that fails validation measures nothing (a new rule of the format must be followed there too)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, run


def test_a_generated_project_validates_and_renders(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "benchmarks/make_corpus.py"), "--tasks", "400", "--out", str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    result = run(out, "validate")
    assert result.exit_code == 0, result.output
    assert "error" not in result.output
    rendered = run(out, "render", str(tmp_path / "rendered"))
    assert rendered.exit_code == 0, rendered.output
