"""`sopgen build`: strictness that holds whatever the verbosity, and the old site kept on failure."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BASE, build_tree, run, tree_hash
from sopgen.site import build as sitebuild


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
    assert "✓ Built" in result.output and "11 pages and 2 PDF handbooks in" in result.output  # the owner has no onboarding or checklists page: nothing to learn or tick
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


# -- nothing already built is lost ---------------------------------------------------------

@pytest.mark.parametrize(("files", "args", "message"), [
    ({"templates/role.md.j2": "# {{ role.title }}\n\n{{ not_a_name }}\n"}, ["--no-pdf"], "'not_a_name' is undefined"),
    ({"hooks.py": "def on_post_page(output, page, config):\n    raise RuntimeError('hook broke')\n",
      "mkdocs.yml": "site_name: Base\ntheme: material\nplugins: [search, sopgen]\nhooks: [hooks.py]\n"},
     ["--no-pdf"], "hook broke"),
    ({"templates/pdf/handbook.typ": '#let data = json("data.json")\n#data.not_a_name\n'}, ["--pdf"],
     'templates/pdf/handbook.typ:2:7: dictionary does not contain key "not_a_name"'),
], ids=["templates", "mkdocs", "pdf"])
def test_a_failure_at_any_phase_keeps_the_previous_site(base_project: Path, files: dict[str, str], args: list[str],
                                                       message: str) -> None:
    site = base_project / "out"
    assert run(base_project, "build", "-d", str(site)).exit_code == 0
    before = tree_hash(site)
    build_tree(base_project, files)
    result = run(base_project, "build", *args, "-d", str(site))
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert tree_hash(site) == before
    assert not list(base_project.glob(".out.sopgen-*"))


def test_the_site_is_exchanged_in_one_step(base_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = base_project / "out"
    assert run(base_project, "build", "--no-pdf", "-d", str(site)).exit_code == 0
    build_tree(base_project, {"sops/tasks/send-invoices.yml": (base_project / "sops/tasks/send-invoices.yml")
                              .read_text().replace("title: ", "title: Renamed ", 1)})

    def no_rename(self: Path, target: Path) -> None:
        raise AssertionError(f"a rename of {self.name} left a moment without a site")

    monkeypatch.setattr(Path, "rename", no_rename)
    assert run(base_project, "build", "--no-pdf", "-d", str(site)).exit_code == 0
    assert "Renamed Send client invoices" in (site / "sops/send-invoices/index.html").read_text()


def test_without_an_atomic_exchange_a_killed_swap_is_recovered(base_project: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    site = base_project / "out"
    assert run(base_project, "build", "--no-pdf", "-d", str(site)).exit_code == 0
    before = tree_hash(site)
    monkeypatch.setattr(sitebuild, "_exchange", lambda a, b: False)
    site.rename(base_project / ".out.sopgen-old")  # a build killed between its two renames
    build_tree(base_project, {"sops/tasks/send-invoices.yml": "title: [broken\n"})
    result = run(base_project, "build", "--no-pdf", "-d", str(site))
    assert result.exit_code == 1
    assert tree_hash(site) == before, "the next build, even a failed one, put the old site back"
    build_tree(base_project, {"sops/tasks/send-invoices.yml": (BASE / "sops/tasks/send-invoices.yml").read_text()})
    assert run(base_project, "build", "--no-pdf", "-d", str(site)).exit_code == 0
    assert not list(base_project.glob(".out.sopgen-*"))


def descendants(pid: int) -> dict[int, str]:
    """Every living descendant of process ``pid``, with its start time (read from /proc)."""
    parents: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()  # state, ppid, ... start time (the 20th)
            if fields[0] != "Z":
                parents[int(entry.name)] = (int(fields[1]), fields[19])
    found: dict[int, str] = {}
    todo = [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, started) in parents.items():
            if ppid == parent and child not in found:
                found[child] = started
                todo.append(child)
    return found


def still_running(processes: dict[int, str]) -> list[int]:
    """Those of ``processes`` (pid → start time) that run yet; a zombie has ended."""
    alive = []
    for pid, started in processes.items():
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] != "Z" and fields[19] == started:
            alive.append(pid)
    return alive


def test_sigkill_at_random_moments_leaves_the_old_site_byte_identical(base_project: Path, tmp_path: Path) -> None:
    """Killed at any moment, a build leaves either the old site, byte for byte, or (killed after
    the exchange, while it deletes the old one) the whole new site: never a mix, never none.
    And no process it started outlives it (PDFs are made in threads of the build itself)."""
    site = base_project / "out"
    command = [sys.executable, "-m", "sopgen", "build", "-q", "--pdf", "-f", str(base_project / "mkdocs.yml"),
               "-d", str(site)]
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000")
    subprocess.run(command, check=True, env=env)
    old = tree_hash(site)
    shutil.copytree(site, tmp_path / "old-site")

    def put_back_the_old_site() -> None:
        shutil.rmtree(site)
        shutil.copytree(tmp_path / "old-site", site)

    task = base_project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text().replace("title: ", "title: Changed ", 1))
    started = time.perf_counter()  # a warm build (templates compiled, fonts cached): as long as the trials'
    subprocess.run(command, check=True, env=env)
    duration = time.perf_counter() - started
    new = tree_hash(site)
    assert new != old
    put_back_the_old_site()
    rng = random.Random(7)
    killed = finished = 0
    survivors: list[int] = []
    while killed < 20:
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, duration))
        children = descendants(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10
        while still_running(children) and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in still_running(children):  # not to leave them running after the test
            survivors.append(pid)
            os.kill(pid, signal.SIGKILL)
        now = tree_hash(site)
        if now == new:  # the build got past its exchange before the kill: the new site is whole
            finished += 1
            assert finished < 20, "the kill moments are drawn too late to test anything"
            put_back_the_old_site()
            continue
        killed += 1
        assert now == old, f"the site changed after kill {killed}"
    assert not survivors, f"{len(survivors)} processes outlived the build that started them"
    subprocess.run(command, check=True, env=env)  # what a kill leaves behind never stops the next build
    assert tree_hash(site) == new
    assert not list(base_project.glob(".out.sopgen-*"))
