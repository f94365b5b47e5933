"""`sopgen serve`: a real server that rebuilds when a YAML file or a template changes."""

from __future__ import annotations

import json
import os
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

from conftest import BASE, REVIEWED


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
        "sops/tasks/send-invoices.yml:1:8: invalid YAML: the list that '[' opens is not closed; "
        "end it with ']' on the same line: title: [broken]"]
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
    assert json.loads(fetch(f"{base}/sopgen-status.json") or "{}")["problems"] == []  # beside the editor's links


# -- what serve serves after edits, additions and deletions ------------------------------------

def search_entries(body: str | None) -> list[tuple[str, str]]:
    """The (location, title) of each entry of a search_index.json, sorted; [] when unreadable."""
    try:
        docs = json.loads(body or "")["docs"]
    except (ValueError, KeyError):
        return []
    return sorted((d["location"], d["title"]) for d in docs)


def fresh_build_entries(project: Path, tmp_path: Path) -> list[tuple[str, str]]:
    site = tmp_path / "fresh-site"
    result = subprocess.run([sys.executable, "-m", "sopgen", "build", "--no-pdf", "-q", "-d", str(site),
                             "-f", str(project / "mkdocs.yml")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return search_entries((site / "search/search_index.json").read_text(encoding="utf-8"))


def wait_until(check, what: str, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"never: {what}")


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


NEW_SOP = """\
title: Chase late payments
role: bookkeeper
purpose: Money owed comes in.
frequency: weekly
steps:
  - do: List the invoices past due.
  - do: Email each client a reminder.
"""


def test_search_index_after_edits_additions_and_deletions_is_a_fresh_builds(server, tmp_path: Path) -> None:
    project, base, proc, log = server
    index = f"{base}/search/search_index.json"
    wait_for(f"{base}/sops/send-invoices/", "Send client invoices")
    got, expected = search_entries(fetch(index)), fresh_build_entries(project, tmp_path / "0")
    assert got == expected, (set(got) ^ set(expected), len(got), len(expected))

    steps = [
        # an edit shown on several pages (the SOP, its role's manual and checklists)
        ("sops/tasks/send-invoices.yml", lambda t: t.replace("Send client invoices", "Send every invoice")),
        ("sops/tasks/send-invoices.yml", lambda t: t.replace("Send every invoice", "Send all invoices")),
        ("sops/tasks/chase-payments.yml", lambda t: NEW_SOP),  # a new SOP
        ("sops/tasks/reconcile-bank.yml", None),  # a deleted one
    ]
    for i, (rel, change) in enumerate(steps, 1):
        path = project / rel
        if change is None:
            path.unlink()
        else:
            path.write_text(change(path.read_text() if path.exists() else ""))
        expected = fresh_build_entries(project, tmp_path / str(i))
        try:
            wait_until(lambda: search_entries(fetch(index)) == expected, f"the index equals a fresh build's after step {i}")
        except AssertionError:
            got = search_entries(fetch(index))
            raise AssertionError(f"after step {i} ({rel}): {len(got)} entries, a fresh build has {len(expected)};\n"
                                 f"extra: {sorted(set(got) - set(expected))}\nmissing: {sorted(set(expected) - set(got))}\n"
                                 f"duplicates: {sorted({e for e in got if got.count(e) > 1})}") from None


def test_deleted_and_renamed_pages_answer_404(server) -> None:
    project, base, proc, log = server
    wait_for(f"{base}/sops/reconcile-bank/", "Reconcile the bank account")
    assert status(f"{base}/sops/send-invoices/") == 200

    (project / "sops/tasks/reconcile-bank.yml").unlink()  # a deleted SOP
    wait_until(lambda: status(f"{base}/sops/reconcile-bank/") == 404, "the deleted SOP answers 404")

    # a renamed SOP: the new address answers, the old one no longer does
    (project / "sops/tasks/send-invoices.yml").rename(project / "sops/tasks/invoice-clients.yml")
    role = project / "sops/roles/bookkeeper.yml"
    role.write_text(role.read_text().replace("tasks: [send-invoices]", "tasks: [invoice-clients]"))
    wait_for(f"{base}/sops/invoice-clients/", "Send client invoices")
    wait_until(lambda: status(f"{base}/sops/send-invoices/") == 404, "the renamed SOP's old address answers 404")

    # a renamed role: its manual, onboarding and checklists move
    role.rename(project / "sops/roles/accountant.yml")
    task = project / "sops/tasks/invoice-clients.yml"
    task.write_text(task.read_text().replace("role: bookkeeper", "role: accountant"))
    wait_for(f"{base}/roles/accountant/checklists/", "Send client invoices")
    for gone in ("roles/bookkeeper/", "roles/bookkeeper/onboarding/", "roles/bookkeeper/checklists/"):
        wait_until(lambda: status(f"{base}/{gone}") == 404, f"{gone} answers 404")
    assert status(f"{base}/roles/accountant/") == 200
    # the image of a step no SOP shows any more is gone too
    assert status(f"{base}/assets/sops/media/screen.svg") == 200
    task.write_text(task.read_text().replace("    image: media/screen.svg\n", ""))
    wait_until(lambda: status(f"{base}/assets/sops/media/screen.svg") == 404, "the unused image answers 404")


def test_sigterm_stops_serve_and_leaves_no_temporary_folder(tmp_path: Path) -> None:
    project = shutil.copytree(BASE, tmp_path / "p")
    temp = tmp_path / "tmp"
    temp.mkdir()
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sopgen", "serve", "-a", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "TMPDIR": str(temp)})
    try:
        wait_for(f"http://127.0.0.1:{port}/sops/send-invoices/", "Send client invoices")
        assert sorted(p.name.split("_")[0].split("-")[0] for p in temp.iterdir()), "serve made its folders under TMPDIR"
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert sorted(p.name for p in temp.iterdir()) == []


def test_pages_not_rebuilt_show_the_navigation_as_it_is_now(server) -> None:
    """A page whose own content did not change still shows the navigation of the site as it is
    now: no link to an SOP that was deleted (a 404), a link to one that was added."""
    project, base, proc, log = server
    onboarding, invoices = f"{base}/roles/bookkeeper/onboarding/", f"{base}/sops/send-invoices/"
    # the onboarding page's collapsed "SOPs" entry links to the role's first SOP: the weekly
    # send-invoices comes before the monthly reconcile-bank until that one is weekly too (then by title)
    assert 'href="../../../sops/send-invoices/"' in wait_for(onboarding, "Onboarding")
    bank = project / "sops/tasks/reconcile-bank.yml"
    bank.write_text(bank.read_text().replace("frequency: monthly", "frequency: weekly"))
    wait_until(lambda: 'href="../../../sops/reconcile-bank/"' in (fetch(onboarding) or ""),
               "the first SOP is reconcile-bank")
    (project / "sops/tasks/chase-payments.yml").write_text(NEW_SOP)
    wait_for(f"{base}/sops/chase-payments/", "Chase late payments")
    wait_until(lambda: 'href="../chase-payments/"' in (fetch(invoices) or ""), "a sibling SOP's page lists the new SOP")
    (project / "sops/tasks/reconcile-bank.yml").unlink()
    wait_until(lambda: status(f"{base}/sops/reconcile-bank/") == 404, "the deleted SOP answers 404")
    wait_until(lambda: "sops/reconcile-bank/" not in (fetch(onboarding) or "sops/reconcile-bank/")
               and "../reconcile-bank/" not in (fetch(f"{base}/sops/chase-payments/") or "../reconcile-bank/"),
               "no page links to the deleted SOP")
    assert 'href="../../../sops/chase-payments/"' in (fetch(onboarding) or "")

@pytest.mark.parametrize("edit", ["reviewed: 9999-12-01", "reviewed: 2026-01-01\nreview_every: 3000000 days"])
def test_a_date_beyond_the_calendar_shows_in_the_box_and_keeps_the_last_good_build(server, edit: str) -> None:
    project, base, proc, log = server
    page = f"{base}/sops/send-invoices/"
    wait_for(page, "Send client invoices")
    task = project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text().replace(REVIEWED, edit))
    status = json.loads(wait_for(f"{base}/sopgen-status.json", "send-invoices.yml:"))  # a problem, not the Edit link
    assert len(status["problems"]) == 1 and ("too far ahead" in status["problems"][0]
                                             or "too long" in status["problems"][0]), status
    assert "Send client invoices" in (fetch(page) or "")
    assert proc.poll() is None
    log.seek(0)
    assert "Traceback" not in log.read()
