"""The editor's HTTP boundary: a server of its own on 127.0.0.1, beside whichever engine serves the site.

Every request must carry a Host header naming this server (``127.0.0.1:PORT`` or
``localhost:PORT``): a page of another site that rebinds its name to 127.0.0.1 (DNS rebinding)
is refused. Every request to ``/api/`` must carry the token made at this start in the
``X-Sopgen-Token`` header (never a cookie, which a browser would send for any page), compared in
constant time; a request from a page of another origin is refused too. Answers are JSON, never
cached, never framed by another page. The token reaches the editor's own page only.

``GET /api/schema/KIND``
    the JSON Schema of a kind of file, as ``sopgen schema`` writes it
``GET /api/file?path=sops/tasks/x.yml``
    the file's data and its digest
``POST /api/validate`` ``{"path", "data"}``
    the problems sopgen would find in the file if ``data`` were saved
``POST /api/save`` ``{"path", "data", "digest", "commit"?, "message"?}``
    write it (``digest``: of what the form read, ``""`` for a new file); commit it too if asked
``GET /api/media``
    the images under ``sops/media/``, as a step names them
``POST /api/media?name=NAME`` (the image's bytes, with its type)
    upload an image into ``sops/media/``

and the form itself (:mod:`.page`): ``GET /edit?path=…``, ``GET /new?kind=…``, ``GET /static/NAME``.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Optional
from urllib.parse import parse_qs, urlsplit

from ...core.errors import Problem
from ...core.model import KINDS
from ...core.schema import json_schema
from .media import MAX_IMAGE_BYTES, images, upload
from .page import Raw
from .page import answer as page_answer
from .places import Refused, place
from .sources import Sources, pointer

TOKEN_HEADER = "X-Sopgen-Token"
MAX_JSON_BYTES = 2_000_000
"""The largest request body of JSON: a form's data for one file (sopgen reads files up to 1 MB)."""


@dataclass
class Editor:
    """A running editor: where it listens and the token of this start."""

    project: Path
    sops: Path
    host: str = "127.0.0.1"
    port: int = 0
    site: str = ""
    """The served site's origin (``http://127.0.0.1:8000``): where the form goes back to after a save."""
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    _server: Optional[ThreadingHTTPServer] = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def hosts(self) -> set[str]:
        """The Host headers this server answers: its own address, and ``localhost`` for 127.0.0.1."""
        names = {self.host, "localhost"} if self.host == "127.0.0.1" else {self.host}
        return {f"{name}:{self.port}" for name in names}

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def start(project: Path, *, sops_dir: str = "sops", host: str = "127.0.0.1", port: int = 0,
          site: str = "") -> Editor:
    """Start the editor of ``project`` on ``host:port`` (port 0: any free one) in a thread of its own;
    ``site`` is the origin of the served site, where the form returns after a save."""
    project = Path(project).resolve()
    editor = Editor(project, project / sops_dir, host=host, site=site.rstrip("/"))
    sources = Sources(project, project / sops_dir)
    server = ThreadingHTTPServer((host, port), _handler(editor, sources))
    server.daemon_threads = True
    editor.port = server.server_address[1]
    editor._server = server
    threading.Thread(target=server.serve_forever, name="sopgen-editor", daemon=True).start()
    return editor


def _handler(editor: Editor, sources: Sources) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "sopgen-editor"
        sys_version = ""

        def do_GET(self) -> None:
            self._answer(lambda: _get(editor, sources, self.path))

        def do_POST(self) -> None:
            self._answer(self._post)

        def _post(self) -> tuple[int, Any]:
            url = urlsplit(self.path)
            if url.path == "/api/media":
                name = (parse_qs(url.query).get("name") or [""])[0]
                body = self._body(MAX_IMAGE_BYTES, f"an image larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB; "
                                                   "make it smaller (a screenshot needs no more)")
                return 201, {"path": upload(editor.sops, name, self.headers.get("Content-Type", ""), body)}
            return _post(sources, url.path, self._json())

        def _body(self, limit: int, too_large: str) -> bytes:
            length = self.headers.get("Content-Length")
            if length is None or not length.isdigit():
                raise Refused(411, "say the length of the request (Content-Length)")
            if int(length) > limit:
                self.close_connection = True  # what is left unread is not read
                raise Refused(413, f"the request is {too_large}")
            return self.rfile.read(int(length))

        def _json(self) -> dict[str, Any]:
            kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if kind != "application/json":
                raise Refused(415, "send the request as JSON (Content-Type: application/json)")
            raw = self._body(MAX_JSON_BYTES, f"larger than {MAX_JSON_BYTES:,} bytes")
            try:
                body = json.loads(raw)
            except (ValueError, UnicodeDecodeError):
                raise Refused(400, "the request is not valid JSON") from None
            if not isinstance(body, dict):
                raise Refused(400, "the request must be a JSON object")
            return body

        def _answer(self, work: Callable[[], tuple[int, Any]]) -> None:
            try:
                self._guard()
                status, body = work()
            except Refused as refused:
                status, body = refused.status, {"error": str(refused), **_shown(refused.details)}
            except Exception as exc:  # noqa: BLE001 - a form waits for an answer, even to a bug of the editor's
                status, body = 500, {"error": f"the editor failed ({type(exc).__name__}: {exc}); please report it"}
            self._send(status, body)

        def _guard(self) -> None:
            """The checks every request passes before anything is read or written."""
            if self.headers.get("Host", "") not in editor.hosts:
                self.close_connection = True
                raise Refused(421, "this editor answers only at " + " or ".join(sorted(editor.hosts)))
            origin = self.headers.get("Origin")
            if origin is not None and origin.rstrip("/") not in {f"http://{h}" for h in editor.hosts}:
                raise Refused(403, "a page of another site may not use this editor")
            if urlsplit(self.path).path.startswith("/api/"):
                given = self.headers.get(TOKEN_HEADER, "")
                if not hmac.compare_digest(given.encode(), editor.token.encode()):
                    raise Refused(403, f"the editor's token is missing or wrong ({TOKEN_HEADER} header): "
                                       "reload the editor's page, which holds the token of this start")

        def _send(self, status: int, body: Any) -> None:
            if not isinstance(body, Raw):
                body = Raw(json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")
            data = body.body
            self.send_response(status)
            self.send_header("Content-Type", body.content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("X-Frame-Options", "DENY")
            self.send_header("Referrer-Policy", "no-referrer")  # the page's address holds no token, but no need
            self.send_header("Content-Security-Policy", body.policy)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
            pass  # serve's console shows builds, not every request of the form

    return Handler


def _get(editor: Editor, sources: Sources, target: str) -> tuple[int, Any]:
    url = urlsplit(target)
    if url.path.startswith("/api/schema/"):
        kind = url.path.rsplit("/", 1)[1]
        if kind not in KINDS:
            raise Refused(404, f"no schema '{kind}': the kinds are {', '.join(KINDS)}")
        return 200, json_schema(kind)
    if url.path == "/api/media":
        return 200, {"images": images(editor.sops)}
    if url.path == "/api/file":
        query = parse_qs(url.query)
        return 200, sources.read(place(editor.project, editor.sops, (query.get("path") or [""])[0]))
    page = page_answer(editor, target)
    if page is not None:
        return 200, page
    raise Refused(404, f"nothing at {url.path}")


def _post(sources: Sources, path: str, body: dict[str, Any]) -> tuple[int, Any]:
    where = place(sources.project, sources.sops, body.get("path"))
    if path == "/api/validate":
        _, problems = sources.check(where, body.get("data"))
        return 200, {"path": where.rel, "problems": _problems(problems)}
    if path == "/api/save":
        problems, saved = sources.save(where, body.get("data"), body.get("digest"))
        answer: dict[str, Any] = {"path": where.rel, "saved": True, "problems": _problems(problems),
                                  "digest": saved, "committed": False}
        if body.get("commit"):
            try:
                answer["message"] = sources.commit(where, body.get("message"))
                answer["committed"] = True
            except Refused as refused:
                answer["message"] = str(refused)
        else:
            answer["message"] = f"{where.rel} was saved"
        return 200, answer
    raise Refused(404, f"nothing at {path}")


def _problems(problems: list[Problem]) -> list[dict[str, Any]]:
    """Problems for the form: each with its field as a JSON pointer, to show it beside that field."""
    return [{**p.as_dict(), "pointer": pointer(p.field), "text": str(p)} for p in problems]


def _shown(details: dict[str, Any]) -> dict[str, Any]:
    return {k: _problems(v) if k == "problems" else v for k, v in details.items()}
