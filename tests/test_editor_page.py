"""The editor's own page (the form the Edit and New buttons open) and its files, at the HTTP level."""

from __future__ import annotations

import http.client
import re
from pathlib import Path
from typing import Iterator, Optional

import pytest

from conftest import build_tree
from sopgen.site.editor.page import back_path
from sopgen.site.editor.server import Editor, start
from test_editor_server import COMMENTED, SOP


@pytest.fixture
def editor(base_project: Path) -> Iterator[Editor]:
    build_tree(base_project, {SOP: COMMENTED})
    running = start(base_project, site="http://127.0.0.1:8000")
    yield running
    running.stop()


def get(editor: Editor, target: str, host: Optional[str] = None) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection("127.0.0.1", editor.port, timeout=30)
    connection.request("GET", target, headers={"Host": host or f"127.0.0.1:{editor.port}"})
    response = connection.getresponse()
    body = response.read().decode("utf-8")
    headers = {k.lower(): v for k, v in response.getheaders()}
    connection.close()
    return response.status, headers, body


def test_the_page_holds_the_token_and_may_call_its_own_server_only(editor: Editor) -> None:
    status, headers, body = get(editor, f"/edit?path={SOP}&back=/sops/send-invoices/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert f'data-token="{editor.token}"' in body and f'data-path="{SOP}"' in body
    assert 'data-site="http://127.0.0.1:8000"' in body and 'data-back="/sops/send-invoices/"' in body
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy and "script-src 'self' 'unsafe-inline'" not in policy
    assert headers["cache-control"] == "no-store" and headers["x-frame-options"] == "DENY"
    assert not re.search(r'(src|href)="(https?:)?//', body)  # nothing from another server


def test_the_page_is_refused_under_another_host_name(editor: Editor) -> None:
    status, _, body = get(editor, f"/edit?path={SOP}", host="evil.example")
    assert status == 421 and editor.token not in body


@pytest.mark.parametrize("target", ["/edit?path=../mkdocs.yml", "/edit?path=mkdocs.yml", "/edit?path=/etc/passwd",
                                    "/edit?path=sops/media/x.png"])
def test_the_page_opens_source_files_under_sops_only(editor: Editor, target: str) -> None:
    status, _, body = get(editor, target)
    assert status == 403 and editor.token not in body


def test_new_makes_a_sop_or_a_role_only(editor: Editor) -> None:
    for kind, folder in (("task", "sops/tasks"), ("role", "sops/roles")):
        status, _, body = get(editor, f"/new?kind={kind}&back=/")
        assert status == 200 and f'data-path="{folder}"' in body and 'data-mode="new"' in body
    status, _, body = get(editor, "/new?kind=organization")
    assert status == 404 and "new task or role" in body


@pytest.mark.parametrize("name", ["../page.py", "..%2Fpage.py", "editor.html", ".hidden.js", "nothing.js"])
def test_static_serves_the_forms_own_files_only(editor: Editor, name: str) -> None:
    assert get(editor, f"/static/{name}")[0] == 404


def test_static_serves_the_form_library_and_its_licence(editor: Editor) -> None:
    status, headers, body = get(editor, "/static/jsoneditor.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    assert body.startswith("/*! For license information please see jsoneditor.js.LICENSE.txt */")
    status, _, body = get(editor, "/static/jsoneditor.js.LICENSE.txt")
    assert status == 200 and "The MIT License" in body and '@version "2.17.2"' in body


@pytest.mark.parametrize("back, shown", [("/sops/x/", "/sops/x/"), ("//evil.example/", "/"),
                                         ("https://evil.example/", "/"), ("/\\evil.example", "/"), ("", "/"),
                                         ("javascript:alert(1)", "/")])
def test_the_page_goes_back_to_a_page_of_the_served_site_only(back: str, shown: str) -> None:
    assert back_path(back) == shown
