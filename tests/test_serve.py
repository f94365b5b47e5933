"""`sopgen serve`: a real server that rebuilds when a YAML file or a template changes."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import BASE


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, needle: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = fetch(url)
        if body is not None and needle in body:
            return body
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} never appeared at {url}")


@pytest.fixture
def server(tmp_path: Path):
    project = shutil.copytree(BASE, tmp_path / "p")
    (project / "templates").mkdir()
    (project / "templates/tools.md.j2").write_text('{% extends "default:tools.md.j2" %}\n')
    port = free_port()
    log = open(tmp_path / "serve.log", "w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "sopgen", "serve", "-a", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
        stdout=log, stderr=subprocess.STDOUT)
    try:
        yield project, f"http://127.0.0.1:{port}", proc, log
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def test_serve_rebuilds_on_yaml_and_template_edits(server) -> None:
    project, base, proc, log = server
    page = f"{base}/sops/send-invoices/"
    wait_for(page, "Send client invoices")
    task = project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text().replace("title: Send client invoices", "title: Send every client invoice"))
    wait_for(page, "Send every client invoice")

    task.write_text(task.read_text().replace("Send every client invoice", "Send all client invoices"))
    wait_for(page, "Send all client invoices")

    # so is a template override
    wait_for(f"{base}/tools/", "QuickBooks Online")
    (project / "templates/tools.md.j2").write_text("# Our tools\n\nOverridden while serving.\n")
    wait_for(f"{base}/tools/", "Overridden while serving.")


def test_a_broken_save_keeps_the_last_good_build_and_says_why(server) -> None:
    project, base, proc, log = server
    page = f"{base}/sops/send-invoices/"
    body = wait_for(page, "Send client invoices")
    assert "assets/sopgen/serve.js" in body
    task = project / "sops/tasks/send-invoices.yml"
    good = task.read_text()
    task.write_text("title: [broken\n")
    status = wait_for(f"{base}/sopgen-status.json", "invalid YAML")
    assert json.loads(status)["problems"] == [
        "sops/tasks/send-invoices.yml:2:1: invalid YAML: did not find expected ',' or ']' "
        "(while parsing a flow sequence at line 1)"]
    assert "Send client invoices" in (fetch(page) or ""), "the last good page is still served, without a hang"
    assert proc.poll() is None
    log.seek(0)
    output = log.read()
    assert "still serving the last good build" in output and "Traceback" not in output

    (project / "templates/tools.md.j2").write_text("{{ not_a_name }}\n")  # a template error, too
    task.write_text(good)
    wait_for(f"{base}/sopgen-status.json", "'not_a_name' is undefined")
    (project / "templates/tools.md.j2").write_text('{% extends "default:tools.md.j2" %}\n')
    task.write_text(good.replace("title: Send client invoices", "title: Send fixed invoices"))
    wait_for(page, "Send fixed invoices")
    assert json.loads(fetch(f"{base}/sopgen-status.json") or "{}") == {"problems": []}


@pytest.mark.parametrize("edit", ["reviewed: 9999-12-01", "reviewed: 2026-01-01\nreview_every: 3000000 days"])
def test_a_date_beyond_the_calendar_shows_in_the_box_and_keeps_the_last_good_build(server, edit: str) -> None:
    project, base, proc, log = server
    page = f"{base}/sops/send-invoices/"
    wait_for(page, "Send client invoices")
    task = project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text().replace("reviewed: 2099-01-01", edit))
    status = json.loads(wait_for(f"{base}/sopgen-status.json", "send-invoices.yml"))
    assert len(status["problems"]) == 1 and ("too far ahead" in status["problems"][0]
                                             or "too long" in status["problems"][0]), status
    assert "Send client invoices" in (fetch(page) or "")
    assert proc.poll() is None
    log.seek(0)
    assert "Traceback" not in log.read()
