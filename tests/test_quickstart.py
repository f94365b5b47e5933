"""The README's quick start, run as a new user would: from an empty folder to a built site.

The block marked `quick-start` in README.md runs line by line in a temporary folder that holds a
copy of sopgen in `sopgen/`, as the README assumes. What the test does differently, and why:

- it runs the block in a fresh virtual environment that sees the test's installed packages
  (`--system-site-packages`): `pip install ./sopgen` then really builds and installs sopgen from
  the copy, as written, without downloading MkDocs and WeasyPrint again and without touching
  the interpreter the tests run in. Building the wheel fetches hatchling (network).
- `${EDITOR:-nano} FILE` is a person editing: the test changes the task's title itself.
- `sopgen serve` gets `-a 127.0.0.1:PORT` with a free port, is asked for the edited page, and
  is stopped with Ctrl+C (SIGINT), as the README says.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.network

README = (REPO / "README.md").read_text(encoding="utf-8")
MARK = "<!-- quick-start:"
NEW_TITLE = "Triage the shared inbox"


def quick_start() -> list[str]:
    """The commands of the README's quick-start block, without their comments."""
    block = re.search(r"```sh\n(.*?)```", README[README.index(MARK):], re.S).group(1)
    return [re.split(r"\s{2,}#", line)[0].strip() for line in block.splitlines() if line.strip()]


def test_the_quick_start_has_the_steps_of_the_walk_through() -> None:
    steps = quick_start()
    assert steps[0] == "python3 -m pip install ./sopgen"
    assert "sopgen init" in steps and "sopgen serve" in steps and "sopgen build" in steps
    assert steps.index("sopgen init") < steps.index("sopgen serve") < steps.index("sopgen build")
    assert any(s.startswith("${EDITOR:-nano} sops/tasks/") for s in steps)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, *, wait: float, proc: subprocess.Popen) -> str:
    deadline = time.monotonic() + wait
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def copy_of_sopgen(target: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, target / name)
    for name in ("sopgen", "templates"):
        shutil.copytree(REPO / name, target / name, ignore=ignore)


def test_from_an_empty_folder_to_a_built_site(tmp_path: Path) -> None:
    here = tmp_path / "work"
    (here / "sopgen").mkdir(parents=True)
    copy_of_sopgen(here / "sopgen")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NO_COLOR")}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env['PATH']}", VIRTUAL_ENV=str(venv), EDITOR="false")
    cwd = here
    for step in quick_start():
        for command in (part.strip() for part in step.split("&&")):
            if command.startswith("cd "):
                cwd = cwd / command[3:]
            elif command.startswith("${EDITOR:-nano} "):
                task = cwd / command.split()[1]
                text = task.read_text()
                assert "title: Triage the inbox\n" in text
                task.write_text(text.replace("title: Triage the inbox\n", f"title: {NEW_TITLE}\n"))
            elif command == "sopgen serve":
                serve_and_see_the_edit(cwd, env)
            else:
                done = subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True,
                                      timeout=900)
                assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
                if command.startswith("python3 -m pip install"):
                    where = subprocess.run(["python3", "-c", "import sopgen; print(sopgen.__file__)"], cwd=cwd,
                                           env=env, capture_output=True, text=True, check=True).stdout
                    assert where.startswith(str(venv)), f"sopgen imported from {where}, not the new install"
                if command == "sopgen build":
                    assert "✓ Built site/" in done.stderr
    site = here / "my-handbook" / "site"
    assert (site / "index.html").is_file()
    sop = (site / "sops/triage-inbox/index.html").read_text()
    assert NEW_TITLE in sop
    assert (site / "roles/virtual-assistant/checklists/index.html").is_file()
    assert (site / "pdf/handbook.pdf").read_bytes().startswith(b"%PDF-")


def serve_and_see_the_edit(cwd: Path, env: dict[str, str]) -> None:
    port = free_port()
    log = cwd.parent / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(["sopgen", "serve", "-a", f"127.0.0.1:{port}"], cwd=cwd, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
        try:
            page = fetch(f"http://127.0.0.1:{port}/sops/triage-inbox/", wait=120, proc=proc)
            assert NEW_TITLE in page, log.read_text()
        finally:
            proc.send_signal(signal.SIGINT)  # Ctrl+C
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
