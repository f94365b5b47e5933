"""The pre-commit hooks of .pre-commit-hooks.yaml, run the way a user tries them: `pre-commit try-repo`.

pre-commit installs sopgen from this repository (its HEAD, plus uncommitted changes to tracked
files) into an environment of its own, which needs PyPI and some seconds: the test makes one
environment and runs the hook twice in it, on a clean project and on a broken one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import REPO

pytestmark = pytest.mark.network


@pytest.fixture(autouse=True)
def _tools() -> None:
    """What try-repo needs; the test extra and a clone provide it, so a lack fails rather than skips."""
    for command in ("pre-commit", "git"):
        if shutil.which(command) is None:
            pytest.fail(f"{command} is not installed: run scripts/test (pip install -e '.[test]')")
    if not (REPO / ".git").exists():
        pytest.fail("pre-commit try-repo needs sopgen's git repository: run the tests in a clone")


def test_the_hooks_run_once_per_commit_with_python() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"sopgen-validate", "sopgen-review", "sopgen-train", "sopgen-i18n"}
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        assert hook["entry"].startswith("sopgen ")


def test_try_repo_passes_then_fails_on_a_broken_task(tmp_path: Path) -> None:
    project = tmp_path / "handbook"
    assert run_init(project) == 0
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the hook uses its own install
    env.update(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "A new handbook"]):
        subprocess.run(["git", *args], cwd=project, env=env, check=True)

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["pre-commit", "try-repo", str(REPO), "sopgen-validate", "--all-files"],
                              cwd=project, env=env, capture_output=True, text=True, timeout=600)

    passed = try_repo()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "sopgen validate....." in passed.stdout and passed.stdout.rstrip().endswith("Passed")

    task = project / "sops/tasks/triage-inbox.yml"
    task.write_text(task.read_text().replace("role: virtual-assistant", "role: virtual-asistant"))
    failed = try_repo()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed\n- hook id: sopgen-validate\n- exit code: 1" in failed.stdout
    assert ("sops/tasks/triage-inbox.yml:5:7: role: unknown role 'virtual-asistant' — "
            "did you mean 'virtual-assistant'?") in failed.stdout


def run_init(project: Path) -> int:
    from click.testing import CliRunner

    from sopgen.cli.main import main

    return CliRunner().invoke(main, ["init", str(project)]).exit_code
