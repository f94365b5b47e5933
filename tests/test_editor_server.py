"""The editor's server at the HTTP level: what it refuses (and writes nothing for), and what a save keeps."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
from pathlib import Path
from typing import Any, Iterator, Optional

import pytest

from conftest import build_tree, tree_hash
from sopgen.site.editor.server import TOKEN_HEADER, Editor, start

SOP = "sops/tasks/send-invoices.yml"
COMMENTED = """\
# Owner: the bookkeeper. Keep the steps short.
title: Send client invoices   # what the team calls it
role: bookkeeper
purpose: Clients pay on time when invoices go out on time.
frequency: weekly
duration: 4h
tools: [QuickBooks Online]

steps:
  # the export comes first
  - do: Export the week's billable hours.
    image: media/screen.svg   # the export screen
  - do: Create one invoice per client.
    steps:
      - do: Check the rate.   # from the contract
      - do: Check the terms.
  - do: Send the invoices.
quiz:
  - question: When do invoices go out?
    choices: [Friday, Monday]
    answer: 0
maintainer: owner
reviewed: '2026-01-01'
review_every: 1200 months  # never due while the tests run
"""


@pytest.fixture
def editor(base_project: Path) -> Iterator[Editor]:
    build_tree(base_project, {SOP: COMMENTED})
    running = start(base_project)
    yield running
    running.stop()


def call(editor: Editor, method: str, target: str, body: Any = None, *, token: Optional[str] = "",
         host: Optional[str] = None, headers: Optional[dict[str, str]] = None) -> tuple[int, Any]:
    """One request as a browser (or an attacker) would send it; the token of the start unless told."""
    connection = http.client.HTTPConnection("127.0.0.1", editor.port, timeout=30)
    sent = {"Host": host or f"127.0.0.1:{editor.port}"}
    if token is not None:
        sent[TOKEN_HEADER] = token or editor.token
    data = None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        sent["Content-Type"] = "application/json"
    sent.update(headers or {})
    connection.putrequest(method, target, skip_host=True)
    for name, value in sent.items():
        connection.putheader(name, value)
    if data is not None:
        connection.putheader("Content-Length", str(len(data)))
    connection.endheaders(data)
    response = connection.getresponse()
    answer = json.loads(response.read() or b"null")
    connection.close()
    return response.status, answer


def opened(editor: Editor, path: str = SOP) -> dict[str, Any]:
    status, answer = call(editor, "GET", f"/api/file?path={path}")
    assert status == 200, answer
    return answer


def save(editor: Editor, data: dict[str, Any], digest: str, path: str = SOP, **more: Any) -> tuple[int, Any]:
    return call(editor, "POST", "/api/save", {"path": path, "data": data, "digest": digest, **more})


# -- what is refused, with nothing written ---------------------------------------------------------


def test_the_editor_listens_on_127_0_0_1_only(editor: Editor) -> None:
    assert editor.host == "127.0.0.1"
    assert editor._server is not None and editor._server.server_address[0] == "127.0.0.1"


def test_a_write_without_the_token_is_refused(editor: Editor) -> None:
    form = opened(editor)
    before = tree_hash(editor.project)
    form["data"]["title"] = "Hijacked"
    for token in (None, "wrong", editor.token[:-1]):
        status, answer = call(editor, "POST", "/api/save", {"path": SOP, "data": form["data"], "digest": form["digest"]},
                              token=token)
        assert status == 403
        assert "token is missing or wrong" in answer["error"]
    assert tree_hash(editor.project) == before


def test_a_token_is_made_at_each_start(base_project: Path) -> None:
    first, second = start(base_project), start(base_project)
    try:
        assert first.token != second.token and len(first.token) >= 32
        status, _ = call(second, "GET", f"/api/file?path={SOP}", token=first.token)
        assert status == 403
    finally:
        first.stop()
        second.stop()


@pytest.mark.parametrize("host", ["evil.example:{port}", "evil.example", "127.0.0.1:1", "localhost",
                                  "127.0.0.1.nip.io:{port}", ""])
def test_a_foreign_host_header_is_refused_even_with_the_token(editor: Editor, host: str) -> None:
    form = opened(editor)
    before = tree_hash(editor.project)
    form["data"]["title"] = "Rebound"
    status, answer = call(editor, "POST", "/api/save", {"path": SOP, "data": form["data"], "digest": form["digest"]},
                          host=host.format(port=editor.port) or " ")
    assert status == 421
    assert "answers only at" in answer["error"]
    assert tree_hash(editor.project) == before
    status, _ = call(editor, "GET", f"/api/file?path={SOP}", host=host.format(port=editor.port) or " ")
    assert status == 421


def test_localhost_is_the_same_editor(editor: Editor) -> None:
    status, answer = call(editor, "GET", f"/api/file?path={SOP}", host=f"localhost:{editor.port}")
    assert status == 200 and answer["data"]["title"] == "Send client invoices"


def test_a_page_of_another_origin_is_refused(editor: Editor) -> None:
    form = opened(editor)
    before = tree_hash(editor.project)
    status, answer = call(editor, "POST", "/api/save", {"path": SOP, "data": form["data"], "digest": form["digest"]},
                          headers={"Origin": "http://evil.example"})
    assert status == 403 and "another site" in answer["error"]
    assert tree_hash(editor.project) == before


def test_a_write_must_be_json(editor: Editor) -> None:
    status, answer = call(editor, "POST", "/api/save", {"path": SOP}, headers={"Content-Type": "text/plain"})
    assert status == 415 and "JSON" in answer["error"]


@pytest.mark.parametrize(("path", "said"), [
    ("sops/../mkdocs.yml", "goes up a folder"),
    ("sops/tasks/../../mkdocs.yml", "goes up a folder"),
    ("../outside.yml", "goes up a folder"),
    ("/etc/passwd.yml", "absolute path"),
    ("C:/Windows/x.yml", "absolute path"),
    ("mkdocs.yml", "outside sops/"),
    ("docs/index.yml", "outside sops/"),
    ("sops%2f..%2fmkdocs.yml", "no '\\', '%' or NUL"),
    ("sops/tasks/..%2f..%2fmkdocs.yml", "no '\\', '%' or NUL"),
    ("sops\\..\\mkdocs.yml", "no '\\', '%' or NUL"),
    ("sops/media/screen.svg", "not a source file"),
    ("sops/tasks/notes.txt", "not a source file"),
    ("sops/tasks/sub/x.yml", "not a source file"),
    ("sops/tasks/Bad Name.yml", "not a source file"),
    ("sops/tasks/.hidden.yml", "not a source file"),
    ("", "say which file"),
])
def test_a_write_outside_the_source_files_is_refused(editor: Editor, path: str, said: str) -> None:
    before = tree_hash(editor.project.parent)
    status, answer = save(editor, {"title": "x"}, "", path=path)
    assert status in (400, 403), answer
    assert said in answer["error"]
    assert tree_hash(editor.project.parent) == before


def test_a_path_encoded_in_the_query_is_decoded_once_and_refused(editor: Editor) -> None:
    for target in ("/api/file?path=sops%2F..%2Fmkdocs.yml", "/api/file?path=sops/%252e%252e/mkdocs.yml",
                   "/api/file?path=%2Fetc%2Fpasswd"):
        status, answer = call(editor, "GET", target)
        assert status == 403, (target, answer)


def test_a_link_out_of_sops_is_refused(editor: Editor, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "victim.yml").write_text("title: untouched\n", encoding="utf-8")
    tasks = editor.sops / "tasks"
    os.symlink(outside / "victim.yml", tasks / "linked.yml")
    os.symlink(outside, editor.sops / "people")
    for path in ("sops/tasks/linked.yml", "sops/people/victim.yml"):
        status, answer = save(editor, {"title": "overwritten"}, "", path=path)
        assert status == 403 and "link to a file outside sops/" in answer["error"], answer
        status, _ = call(editor, "GET", f"/api/file?path={path}")
        assert status == 403
    assert (outside / "victim.yml").read_text(encoding="utf-8") == "title: untouched\n"


def test_a_file_changed_on_disk_meanwhile_is_not_overwritten(editor: Editor) -> None:
    form = opened(editor)
    theirs = COMMENTED.replace("duration: 4h", "duration: 3h")
    (editor.project / SOP).write_text(theirs, encoding="utf-8")
    form["data"]["title"] = "Send the invoices"
    status, answer = save(editor, form["data"], form["digest"])
    assert status == 409
    assert "changed on disk since the form was opened" in answer["error"]
    assert answer["theirs"]["duration"] == "3h" and answer["theirs_text"] == theirs
    assert answer["yours"]["title"] == "Send the invoices"
    assert (editor.project / SOP).read_text(encoding="utf-8") == theirs
    status, _ = save(editor, form["data"], answer["digest"])  # saved again over what is there now
    assert status == 200


def test_a_new_file_is_not_written_over_one_made_meanwhile(editor: Editor) -> None:
    path = "sops/tasks/new-sop.yml"
    (editor.project / path).write_text("title: Mine\n", encoding="utf-8")
    status, answer = save(editor, {"title": "Theirs"}, "", path=path)
    assert status == 409 and "was created since the form was opened" in answer["error"]
    assert (editor.project / path).read_text(encoding="utf-8") == "title: Mine\n"


# -- what a save keeps and writes ------------------------------------------------------------------


def test_a_save_changes_only_the_edited_values_and_keeps_comments_and_layout(editor: Editor) -> None:
    form = opened(editor)
    data = form["data"]
    data["steps"][1]["steps"][1]["do"] = "Check the payment terms: 30 days."
    data["steps"][1]["steps"].append({"do": "Check the client's address."})
    data["steps"][0], data["steps"][2] = data["steps"][2], data["steps"][0]
    data["quiz"].append({"question": "Who sends them?", "choices": ["The owner", "The bookkeeper"], "answer": 1})
    status, answer = save(editor, data, form["digest"])
    assert status == 200, answer
    assert answer["saved"] is True and answer["committed"] is False
    text = (editor.project / SOP).read_text(encoding="utf-8")
    # a comment that heads a list stays at its head; one after an item's value moves with the item
    expected = COMMENTED.replace(
        "  - do: Export the week's billable hours.\n"
        "    image: media/screen.svg   # the export screen\n", "  - do: Send the invoices.\n").replace(
        "      - do: Check the terms.\n"
        "  - do: Send the invoices.\n",
        "      - do: 'Check the payment terms: 30 days.'\n"
        "      - do: Check the client's address.\n"
        "  - do: Export the week's billable hours.\n"
        "    image: media/screen.svg   # the export screen\n").replace(
        "    answer: 0\n",
        "    answer: 0\n"
        "  - question: Who sends them?\n"
        "    choices: [The owner, The bookkeeper]\n"
        "    answer: 1\n")
    assert text == expected
    assert opened(editor)["digest"] == answer["digest"]


def test_text_with_a_line_break_or_yaml_marks_is_written_so_that_it_reads_back(editor: Editor) -> None:
    form = opened(editor)
    data = form["data"]
    data["title"] = "Submit claims #1 priority"
    data["purpose"] = "First line.\nSecond line: with a colon."
    data["tools"] = ["A, Nobody, just call", "yes"]
    status, answer = save(editor, data, form["digest"])
    assert status == 200, answer
    assert opened(editor)["data"]["title"] == "Submit claims #1 priority"
    assert opened(editor)["data"]["purpose"] == "First line.\nSecond line: with a colon."
    assert opened(editor)["data"]["tools"] == ["A, Nobody, just call", "yes"]
    text = (editor.project / SOP).read_text(encoding="utf-8")
    assert "purpose: |-\n  First line.\n  Second line: with a colon.\n" in text
    assert "# what the team calls it" in text


def test_empty_fields_of_the_form_are_not_added_to_the_file(editor: Editor) -> None:
    form = opened(editor)
    data = dict(form["data"], tips=[], warnings=[], video="")
    status, answer = save(editor, data, form["digest"])
    assert status == 200, answer
    assert (editor.project / SOP).read_text(encoding="utf-8") == COMMENTED


def test_a_removed_field_is_removed(editor: Editor) -> None:
    form = opened(editor)
    data = {k: v for k, v in form["data"].items() if k != "tools"}
    status, answer = save(editor, data, form["digest"])
    assert status == 200, answer
    assert (editor.project / SOP).read_text(encoding="utf-8") == COMMENTED.replace("tools: [QuickBooks Online]\n", "")


def test_a_new_file_is_written(editor: Editor) -> None:
    path = "sops/tasks/file-receipts.yml"
    data = {"title": "File receipts", "role": "bookkeeper", "purpose": "Keep every receipt.",
            "frequency": "weekly", "duration": "30m", "steps": [{"do": "Scan them.", "steps": [{"do": "Name them."}]}]}
    status, answer = save(editor, data, "", path=path)
    assert status == 200, answer
    assert (editor.project / path).read_text(encoding="utf-8") == (
        "title: File receipts\nrole: bookkeeper\npurpose: Keep every receipt.\nfrequency: weekly\nduration: 30m\n"
        "steps:\n  - do: Scan them.\n    steps:\n      - do: Name them.\n")
    assert opened(editor, path)["data"] == data


# -- validation ------------------------------------------------------------------------------------


def test_validation_errors_come_back_with_their_field_and_nothing_is_written(editor: Editor) -> None:
    form = opened(editor)
    data = form["data"]
    data["steps"][0]["image"] = "media/missing.png"
    data["quiz"][0]["answer"] = 5
    data["role"] = "bookeeper"
    status, answer = call(editor, "POST", "/api/validate", {"path": SOP, "data": data})
    assert status == 200
    found = {p["pointer"]: p for p in answer["problems"] if p["severity"] == "error"}
    assert set(found) >= {"/steps/0/image", "/quiz/0/answer", "/role"}
    assert found["/role"]["field"] == "role"
    assert "did you mean 'bookkeeper'?" in found["/role"]["message"]
    assert found["/steps/0/image"]["field"] == "steps[0].image"
    assert found["/steps/0/image"]["text"].startswith(f"{SOP}:")
    before = tree_hash(editor.project)
    status, answer = save(editor, data, form["digest"])
    assert status == 422
    assert "was not saved: 3 errors to fix first" in answer["error"]
    assert {p["pointer"] for p in answer["problems"] if p["severity"] == "error"} == set(found)
    assert tree_hash(editor.project) == before


def test_validation_gives_the_messages_of_sopgen_validate(editor: Editor) -> None:
    form = opened(editor)
    data = dict(form["data"], frequency="biweekly", steps="Do it.")
    status, answer = call(editor, "POST", "/api/validate", {"path": SOP, "data": data})
    assert status == 200
    messages = {p["field"]: p["message"] for p in answer["problems"]}
    assert messages["steps"].startswith("expected a list")
    assert "biweekly" in messages["frequency"]


def test_the_schemas_of_sopgen_schema_are_served(editor: Editor) -> None:
    from sopgen.core.schema import json_schema

    for kind in ("task", "role", "organization", "person"):
        status, answer = call(editor, "GET", f"/api/schema/{kind}")
        assert status == 200 and answer == json_schema(kind)
    status, answer = call(editor, "GET", "/api/schema/nothing")
    assert status == 404 and "the kinds are" in answer["error"]


def test_answers_are_never_cached_nor_framed(editor: Editor) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", editor.port, timeout=30)
    connection.request("GET", f"/api/file?path={SOP}", headers={TOKEN_HEADER: editor.token})
    response = connection.getresponse()
    response.read()
    assert response.getheader("Cache-Control") == "no-store"
    assert "frame-ancestors 'none'" in response.getheader("Content-Security-Policy")
    assert response.getheader("Access-Control-Allow-Origin") is None
    connection.close()


# -- save and commit ----------------------------------------------------------------------------------


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, text=True).stdout


def test_save_and_commit_commits_that_file_alone(editor: Editor) -> None:
    project = editor.project
    _git(project, "init", "-q")
    _git(project, "config", "user.name", "Office Manager")
    _git(project, "config", "user.email", "office@example.com")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "Start")
    (project / "sops/roles/owner.yml").write_text("title: Owner\n", encoding="utf-8")
    _git(project, "add", "sops/roles/owner.yml")  # staged by the user: not the editor's to commit
    form = opened(editor)
    form["data"]["duration"] = "3h"
    status, answer = save(editor, form["data"], form["digest"], commit=True, message="Invoices take 3 hours now")
    assert status == 200, answer
    assert answer["committed"] is True
    assert "saved and committed" in answer["message"] and "Invoices take 3 hours now" in answer["message"]
    assert _git(project, "log", "-1", "--format=%an <%ae>|%s") == "Office Manager <office@example.com>|Invoices take 3 hours now\n"
    assert _git(project, "show", "--name-only", "--format=", "HEAD").split() == [SOP]
    assert "M  sops/roles/owner.yml" in _git(project, "status", "--porcelain")


def test_save_and_commit_outside_a_git_repository_saves_and_says_why_it_did_not_commit(
        editor: Editor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(editor.project.parent))
    form = opened(editor)
    form["data"]["duration"] = "3h"
    status, answer = save(editor, form["data"], form["digest"], commit=True, message="x")
    assert status == 200
    assert answer["saved"] is True and answer["committed"] is False
    assert answer["message"] == (f"{SOP} was saved but not committed: the project folder is not a git repository "
                                 "(run 'git init' in it to keep versions)")
    assert "duration: 3h" in (editor.project / SOP).read_text(encoding="utf-8")


# -- images -----------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def upload(editor: Editor, name: str, body: bytes, kind: str = "image/png",
           token: Optional[str] = "") -> tuple[int, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", editor.port, timeout=30)
    headers = {"Host": f"127.0.0.1:{editor.port}", "Content-Type": kind, "Content-Length": str(len(body))}
    if token is not None:
        headers[TOKEN_HEADER] = token or editor.token
    connection.request("POST", f"/api/media?name={name}", body=body, headers=headers)
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    return response.status, answer


def test_an_image_is_uploaded_into_sops_media_and_listed(editor: Editor) -> None:
    status, answer = upload(editor, "receipt-form.png", PNG)
    assert status == 201 and answer == {"path": "media/receipt-form.png"}
    assert (editor.sops / "media/receipt-form.png").read_bytes() == PNG
    status, answer = call(editor, "GET", "/api/media")
    assert status == 200 and answer["images"] == ["media/receipt-form.png", "media/screen.svg"]
    status, answer = upload(editor, "receipt-form.png", PNG)  # the same picture again: simply there
    assert status == 201


@pytest.mark.parametrize(("name", "body", "kind", "status", "said"), [
    ("../../mkdocs.png", PNG, "image/png", 403, "no folders"),
    ("..%2F..%2Fx.png", PNG, "image/png", 403, "no folders"),
    ("notes.txt", b"hello", "text/plain", 403, "not an image the editor takes"),
    ("page.html", b"<script>", "text/html", 403, "not an image the editor takes"),
    ("shot.PNG", PNG, "image/png", 403, "in lower case"),
    ("shot.png", b"<html><script>alert(1)</script>", "image/png", 415, "not a PNG image"),
    ("shot.png", PNG, "text/html", 415, "must be sent as image/png"),
    ("bad.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml", 415,
     "carries a <script> element"),
    ("screen.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml", 409, "is another picture"),
])
def test_an_upload_that_is_not_a_safe_image_in_sops_media_is_refused(
        editor: Editor, name: str, body: bytes, kind: str, status: int, said: str) -> None:
    before = tree_hash(editor.project.parent)
    got, answer = upload(editor, name, body, kind)
    assert got == status, answer
    assert said in answer["error"]
    assert tree_hash(editor.project.parent) == before


def test_an_upload_over_the_size_cap_or_without_the_token_is_refused(editor: Editor) -> None:
    from sopgen.site.editor.media import MAX_IMAGE_BYTES

    before = tree_hash(editor.project)
    connection = http.client.HTTPConnection("127.0.0.1", editor.port, timeout=30)
    connection.putrequest("POST", "/api/media?name=big.png", skip_host=True)
    for name, value in {"Host": f"127.0.0.1:{editor.port}", TOKEN_HEADER: editor.token, "Content-Type": "image/png",
                        "Content-Length": str(MAX_IMAGE_BYTES + 1)}.items():
        connection.putheader(name, value)
    connection.endheaders(PNG)  # refused on its declared length, before the rest is sent
    response = connection.getresponse()
    assert response.status == 413 and "larger than 10 MB" in json.loads(response.read())["error"]
    connection.close()
    status, answer = upload(editor, "shot.png", PNG, token=None)
    assert status == 403
    assert tree_hash(editor.project) == before


def test_an_upload_into_a_media_folder_linked_out_of_sops_is_refused(editor: Editor, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    for path in (editor.sops / "media").iterdir():
        path.unlink()
    (editor.sops / "media").rmdir()
    os.symlink(outside, editor.sops / "media")
    status, answer = upload(editor, "shot.png", PNG)
    assert status == 403 and "link out of sops/" in answer["error"]
    assert list(outside.iterdir()) == []


def test_a_new_file_is_validated_before_it_is_written(editor: Editor) -> None:
    path = "sops/tasks/file-receipts.yml"
    data = {"title": "File receipts", "role": "nobody", "frequency": "weekly", "duration": "30m",
            "steps": [{"do": "Scan them."}]}
    status, answer = call(editor, "POST", "/api/validate", {"path": path, "data": data})
    assert status == 200
    assert [(p["pointer"], p["message"]) for p in answer["problems"]] == [("/purpose", "required field is missing; add it")]
    data["purpose"] = "Keep every receipt."
    status, answer = call(editor, "POST", "/api/validate", {"path": path, "data": data})
    assert [(p["pointer"], p["message"]) for p in answer["problems"]] == [
        ("/role", "unknown role 'nobody'; known roles: bookkeeper, owner")]
    status, answer = save(editor, data, "", path=path)
    assert status == 422
    assert not (editor.project / path).exists()


def test_a_file_with_windows_line_ends_and_a_byte_order_mark_keeps_them(editor: Editor) -> None:
    raw = ("\ufeff" + COMMENTED).replace("\n", "\r\n").encode("utf-8")
    (editor.project / SOP).write_bytes(raw)
    form = opened(editor)
    form["data"]["duration"] = "3h"
    status, answer = save(editor, form["data"], form["digest"])
    assert status == 200, answer
    assert (editor.project / SOP).read_bytes() == raw.replace(b"duration: 4h", b"duration: 3h")


def test_a_file_with_lists_flush_with_their_key_keeps_that_layout(editor: Editor) -> None:
    flush = COMMENTED.replace("""\
  # the export comes first
  - do: Export the week's billable hours.
    image: media/screen.svg   # the export screen
  - do: Create one invoice per client.
    steps:
      - do: Check the rate.   # from the contract
      - do: Check the terms.
  - do: Send the invoices.
quiz:
  - question: When do invoices go out?
    choices: [Friday, Monday]
    answer: 0
""", """\
# the export comes first
- do: Export the week's billable hours.
  image: media/screen.svg   # the export screen
- do: Create one invoice per client.
  steps:
  - do: Check the rate.   # from the contract
  - do: Check the terms.
- do: Send the invoices.
quiz:
- question: When do invoices go out?
  choices: [Friday, Monday]
  answer: 0
""")
    assert flush != COMMENTED
    (editor.project / SOP).write_text(flush, encoding="utf-8")
    form = opened(editor)
    form["data"]["steps"][2]["do"] = "Send them."
    status, answer = save(editor, form["data"], form["digest"])
    assert status == 200, answer
    assert (editor.project / SOP).read_text(encoding="utf-8") == flush.replace("Send the invoices.", "Send them.")


def test_two_saves_from_forms_opened_at_once_write_one_and_refuse_the_other(editor: Editor) -> None:
    import threading

    form = opened(editor)
    answers: list[tuple[int, Any]] = []

    def edit(title: str) -> None:
        answers.append(save(editor, dict(form["data"], title=title), form["digest"]))

    threads = [threading.Thread(target=edit, args=(f"Title {i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(status for status, _ in answers) == [200, 409, 409, 409]
    winner = next(answer for status, answer in answers if status == 200)
    assert opened(editor)["digest"] == winner["digest"]


def test_requests_the_editor_cannot_read_are_refused(editor: Editor) -> None:
    status, answer = call(editor, "POST", "/api/validate", {"path": SOP, "data": ["not", "fields"]})
    assert status == 400 and "'data' must be an object" in answer["error"]
    status, answer = call(editor, "POST", "/api/save", {"path": SOP, "data": {}, "digest": None})
    assert status == 400 and "'digest' must be" in answer["error"]
    status, answer = call(editor, "POST", "/api/save", None, headers={"Content-Type": "application/json"})
    assert status == 411
    status, answer = call(editor, "GET", "/api/file?path=sops/tasks/none.yml")
    assert status == 404 and answer["error"] == "sops/tasks/none.yml does not exist"
    status, answer = call(editor, "POST", "/api/save", {"path": SOP}, headers={"Origin": "null"})
    assert status == 403


def test_a_file_that_is_not_valid_yaml_is_not_opened_in_the_form(editor: Editor) -> None:
    (editor.project / SOP).write_text("title: Spore test: weekly\n", encoding="utf-8")
    status, answer = call(editor, "GET", f"/api/file?path={SOP}")
    assert status == 422 and "fix it in a text editor first" in answer["error"]
    assert answer["problems"][0]["path"] == SOP and answer["problems"][0]["line"] == 1


def test_save_and_commit_says_when_git_does_not_know_the_user(editor: Editor, monkeypatch: pytest.MonkeyPatch,
                                                              tmp_path: Path) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)
    _git(editor.project, "init", "-q")
    _git(editor.project, "config", "user.useConfigOnly", "true")
    form = opened(editor)
    form["data"]["duration"] = "3h"
    status, answer = save(editor, form["data"], form["digest"], commit=True)
    assert status == 200 and answer["saved"] is True and answer["committed"] is False
    assert "git does not know who you are" in answer["message"]


def test_save_and_commit_of_an_unchanged_file_says_there_is_nothing_to_commit(editor: Editor) -> None:
    _git(editor.project, "init", "-q")
    _git(editor.project, "add", "-A")
    _git(editor.project, "-c", "user.name=A", "-c", "user.email=a@example.com", "commit", "-q", "-m", "Start")
    form = opened(editor)
    status, answer = save(editor, form["data"], form["digest"], commit=True)
    assert status == 200 and answer["committed"] is False
    assert answer["message"] == f"{SOP} was saved; nothing to commit: it is as the last commit has it"


def test_comments_after_a_list_stay_after_it_when_its_items_move(editor: Editor) -> None:
    path = "sops/roles/bookkeeper.yml"
    original = (editor.project / path).read_text(encoding="utf-8")
    text = original.replace("title: Bookkeeper\n", "title: Bookkeeper\nskills:\n  - Double entry   # the basics\n"
                            "  - QuickBooks     # our tool\n  - Discretion\n# end of skills\n\n")
    (editor.project / path).write_text(text + "# the end of the file\n", encoding="utf-8")
    form = opened(editor, path)
    form["data"]["skills"] = ["Discretion", "Double entry", "Patience"]
    form["data"]["benchmarks"] = [{"objective": "Invoices sent on time", "target": "100%"}]
    status, answer = save(editor, form["data"], form["digest"], path=path)
    assert status == 200, answer
    assert (editor.project / path).read_text(encoding="utf-8") == original.replace(
        "title: Bookkeeper\n", "title: Bookkeeper\nskills:\n  - Discretion\n  - Double entry   # the basics\n"
        "  - Patience\n# end of skills\n\n") + (
        "benchmarks:\n  - objective: Invoices sent on time\n    target: 100%\n# the end of the file\n")


def test_a_file_that_cannot_be_written_is_said_and_left_as_it_was(editor: Editor, monkeypatch: pytest.MonkeyPatch) -> None:
    import sopgen.site.editor.sources as sources

    def full(path: Path, text: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sources, "replace_file", full)
    form = opened(editor)
    status, answer = save(editor, dict(form["data"], duration="3h"), form["digest"])
    assert status == 500
    assert answer["error"] == f"{SOP} could not be written (No space left on device); the file is as it was"
    assert (editor.project / SOP).read_text(encoding="utf-8") == COMMENTED


def test_an_edit_that_makes_another_file_wrong_is_not_saved(editor: Editor) -> None:
    form = opened(editor)
    data = dict(form["data"], prerequisites=["reconcile-bank"])  # which needs send-invoices: a cycle
    status, answer = call(editor, "POST", "/api/validate", {"path": SOP, "data": data})
    assert status == 200
    elsewhere = [p for p in answer["problems"] if p["path"] != SOP]
    assert [(p["path"], p["field"]) for p in elsewhere] == [("sops/tasks/reconcile-bank.yml", "prerequisites[0]")]
    assert "cycle" in elsewhere[0]["message"]
    status, answer = save(editor, data, form["digest"])
    assert status == 422 and "was not saved: 1 error to fix first" in answer["error"]
    assert (editor.project / SOP).read_text(encoding="utf-8") == COMMENTED


def test_errors_other_files_had_already_do_not_stop_a_save(editor: Editor) -> None:
    other = "sops/tasks/reconcile-bank.yml"
    (editor.project / other).write_text(
        (editor.project / other).read_text(encoding="utf-8").replace("role: bookkeeper", "role: nobody"), encoding="utf-8")
    form = opened(editor)
    status, answer = save(editor, dict(form["data"], duration="3h"), form["digest"])
    assert status == 200, answer
    assert answer["problems"] == []


def test_a_number_written_in_a_text_field_reaches_the_form_as_written(editor: Editor) -> None:
    path = "sops/roles/bookkeeper.yml"
    text = (editor.project / path).read_text(encoding="utf-8") + "benchmarks:\n  - objective: Errors\n    target: 1.10\n"
    (editor.project / path).write_text(text, encoding="utf-8")
    form = opened(editor, path)
    assert form["data"]["benchmarks"] == [{"objective": "Errors", "target": "1.10"}]
    assert form["data"]["rate"] == {"min": 25, "max": 50}  # numbers stay numbers
    status, answer = save(editor, dict(form["data"], summary="Keeps the books."), form["digest"], path=path)
    assert status == 200, answer
    assert (editor.project / path).read_text(encoding="utf-8") == text.replace(
        "Keeps the books and sends invoices.", "Keeps the books.")
