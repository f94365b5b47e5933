"""The editor as `sopgen serve` starts it, on each engine, and its absence from what `build` publishes."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BASE
from test_editor_browser import fetched
from test_engines import start_serve
from test_serve import free_port, wait_until

SOP = "sops/tasks/send-invoices.yml"
ENGINES = ["mkdocs", "properdocs", "zensical"]


def ask(port: int, method: str, target: str, *, host: str, token: str = "", body: dict | None = None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": host, **({"X-Sopgen-Token": token} if token else {})}
    data = json.dumps(body).encode() if body is not None else None
    if data is not None:
        headers.update({"Content-Type": "application/json", "Content-Length": str(len(data))})
    connection.request(method, target, body=data, headers=headers)
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.mark.parametrize("engine", ENGINES)
def test_serve_starts_the_editor_and_the_pages_link_to_it_without_its_token(tmp_path: Path, engine: str) -> None:
    project = shutil.copytree(BASE, tmp_path / "project")
    port = free_port()
    log = tmp_path / "serve.log"
    child = start_serve(project, engine, port, log)
    site = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: '"editor"' in fetched(site + "/sopgen-status.json"), f"serve's status ({log})", timeout=90)
        status = json.loads(fetched(site + "/sopgen-status.json"))["editor"]
        said = re.search(r"Editor: (http://127\.0\.0\.1:(\d+)/)", log.read_text())
        assert said and status["url"] == said[1]
        editor_port = int(said[2])
        assert editor_port == port + 1  # the site's port + 1 (a free one only when that is taken)
        assert status["pages"]["sops/send-invoices/"] == SOP and status["pages"]["roles/bookkeeper/"] == \
            "sops/roles/bookkeeper.yml"
        # Zensical may write the status before it has rendered the page: wait for the page itself
        wait_until(lambda: "assets/sopgen/serve.js" in fetched(site + "/sops/send-invoices/"),
                   f"the served page with serve.js ({log})", timeout=60)
        host = f"127.0.0.1:{editor_port}"
        page = fetched(f"{status['url']}edit?path={SOP}&back=/sops/send-invoices/")
        token = re.search(r'data-token="([^"]+)"', page)[1]
        assert token not in fetched(site + "/sops/send-invoices/") and token not in fetched(site + "/sopgen-status.json")
        before = (project / SOP).read_bytes()
        save = {"path": SOP, "data": {"title": "Hijacked"}, "digest": ""}
        assert ask(editor_port, "POST", "/api/save", host=host, body=save) == 403  # no token
        assert ask(editor_port, "POST", "/api/save", host="evil.example", token=token, body=save) == 421
        assert ask(editor_port, "POST", "/api/save", host=host, token=token,
                   body={**save, "path": "mkdocs.yml"}) == 403  # outside sops/
        assert ask(editor_port, "GET", "/edit?path=../mkdocs.yml", host=host) == 403
        assert (project / SOP).read_bytes() == before
    finally:
        child.terminate()
        child.wait(timeout=30)
    assert child.returncode == 0, log.read_text()
    assert fetched(f"http://127.0.0.1:{editor_port}/static/editor.js") == ""  # stopped with serve


def test_serve_without_the_editor(tmp_path: Path) -> None:
    project = shutil.copytree(BASE, tmp_path / "project")
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        child = subprocess.Popen([sys.executable, "-m", "sopgen", "serve", "--no-editor", "-a", f"127.0.0.1:{port}",
                                  "-f", str(project / "mkdocs.yml")], cwd=project, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: "problems" in fetched(f"http://127.0.0.1:{port}/sopgen-status.json"), "serve")
        assert "editor" not in fetched(f"http://127.0.0.1:{port}/sopgen-status.json")
        assert fetched(f"http://127.0.0.1:{port + 1}/static/editor.js") == ""
    finally:
        child.terminate()
        child.wait(timeout=30)
    assert "Editor:" not in log.read_text()


@pytest.mark.parametrize("engine", ENGINES)
def test_a_built_site_has_no_editor(tmp_path: Path, engine: str) -> None:
    project = shutil.copytree(BASE, tmp_path / "project")
    out = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "sopgen", "build", "--no-pdf", "--engine", engine, "-d", str(out),
                             "-f", str(project / "mkdocs.yml")], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (out / "sops/send-invoices/index.html").is_file()
    assert not (out / "sopgen-status.json").exists() and not (out / "assets/sopgen/serve.js").exists()
    for file in out.rglob("*"):
        if file.suffix in (".html", ".js", ".json"):
            text = file.read_text(encoding="utf-8", errors="replace")
            assert "serve.js" not in text and "edit?path=" not in text and "sopgen-editor" not in text, file


def test_an_editor_port_in_use_is_said_and_the_next_port_taken_gives_a_free_one(tmp_path: Path) -> None:
    project = shutil.copytree(BASE, tmp_path / "project")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "sopgen", "serve", "--editor-port", str(busy),
                                 "-a", f"127.0.0.1:{free_port()}", "-f", str(project / "mkdocs.yml")],
                                cwd=project, capture_output=True, text=True, timeout=60)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert f"--editor-port {busy}: the editor cannot listen there" in result.stderr
        assert "choose another port, or leave the option out" in result.stderr

        log = tmp_path / "serve.log"  # the site on the port before the taken one: the editor takes a free one
        child = start_serve(project, "mkdocs", busy - 1, log)
        try:
            wait_until(lambda: "Editor: " in log.read_text() or child.poll() is not None, "serve to start")
            said = re.search(r"Editor: http://127\.0\.0\.1:(\d+)/", log.read_text())
            assert said and int(said[1]) not in (busy, busy - 1), log.read_text()
        finally:
            child.terminate()
            child.wait(timeout=30)


def test_a_rendered_project_has_no_editor(tmp_path: Path) -> None:
    project = shutil.copytree(BASE, tmp_path / "project")
    result = subprocess.run([sys.executable, "-m", "sopgen", "render", str(tmp_path / "rendered"), "-f",
                             str(project / "mkdocs.yml")], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    written = [p for p in (tmp_path / "rendered").rglob("*") if p.is_file()]
    assert written and not any(p.name in ("serve.js", "sopgen-status.json") for p in written)
    assert not any("serve.js" in p.read_text(encoding="utf-8", errors="replace") for p in written)
