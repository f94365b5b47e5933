"""Helpers for the real-browser tests (tests/test_browser.py).

A built site served over HTTP on 127.0.0.1, Debian's Chromium driven by Playwright,
every request recorded, and axe-core for the accessibility checks. Nothing here is
downloaded at test time: scripts/test installs Chromium and axe-core when missing.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

LOCAL_HOST = "127.0.0.1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOW_TO_INSTALL = "run scripts/test, which installs what the browser tests need"


# -- the site -------------------------------------------------------------------------


def build_site(project: Path, target: Path) -> Path:
    """``sopgen build --no-pdf`` of ``project`` into ``target``, in a child process."""
    result = subprocess.run(
        [sys.executable, "-m", "sopgen", "build", "--no-pdf", "-d", str(target), "-f", str(project / "mkdocs.yml")],
        cwd=project, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0 or not (target / "index.html").is_file():
        pytest.fail(f"sopgen build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return target


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Server:
    root: Path
    httpd: http.server.ThreadingHTTPServer
    thread: threading.Thread

    @property
    def origin(self) -> str:
        return f"http://{LOCAL_HOST}:{self.httpd.server_address[1]}"

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def serve(root: Path) -> Server:
    """Serve ``root`` on 127.0.0.1, a free port, from a daemon thread."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name="sopgen-test-http", daemon=True)
    thread.start()
    return Server(root, httpd, thread)


# -- the browser ----------------------------------------------------------------------


def chromium_path() -> str:
    path = os.environ.get("SOPGEN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        pytest.fail(f"no Chromium at {path}: {HOW_TO_INSTALL} (apt-get install chromium)")
    return path


def axe_path() -> Path:
    """axe.min.js: $SOPGEN_AXE_JS, else the cache folder scripts/test installs it into."""
    env = os.environ.get("SOPGEN_AXE_JS")
    if env:
        path = Path(env)
    else:
        cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        path = cache / "sopgen-test" / "node_modules" / "axe-core" / "axe.min.js"
    if not path.is_file():
        pytest.fail(f"axe-core not found at {path}: {HOW_TO_INSTALL} (npm install axe-core@4)")
    return path


@dataclass
class Tab:
    """One page in a fresh browser context, with every request of every page recorded."""

    server: Server
    context: object
    page: object
    requests: list[str] = field(default_factory=list)
    checked: bool = False

    def goto(self, path: str) -> None:
        self.page.goto(self.server.url(path), wait_until="load")

    def reload(self) -> None:
        self.page.reload(wait_until="load")

    def outside(self) -> list[str]:
        """The requests that went anywhere but 127.0.0.1 (data: and blob: URLs stay in the page)."""
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.hostname != LOCAL_HOST:
                out.append(url)
        return out

    def assert_local(self) -> None:
        self.checked = True
        outside = self.outside()
        assert not outside, "requests left 127.0.0.1:\n  " + "\n  ".join(dict.fromkeys(outside))


def open_tab(browser: object, server: Server, **options: object) -> Tab:
    """A page in a fresh context; ``options`` are more of Playwright's context options (``timezone_id``)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block",
                                  reduced_motion="reduce", **options)
    tab = Tab(server, context, None)
    seen: set[int] = set()

    def watch(page: object) -> None:
        if id(page) not in seen:
            seen.add(id(page))
            page.on("request", lambda request: tab.requests.append(request.url))

    context.on("page", watch)
    # Nothing may leave the machine: record, then refuse, anything not for the test server,
    # so that a call out fails fast instead of waiting on the network.
    context.route(lambda url: urlsplit(url).hostname != LOCAL_HOST and not url.startswith(("data:", "blob:")),
                  lambda route: route.abort())
    tab.page = context.new_page()
    watch(tab.page)
    tab.page.set_default_timeout(5_000)
    return tab


# -- task-list boxes ----------------------------------------------------------------

# Material draws a task-list box with the ::before of an empty, zero-width
# span.task-list-indicator (absolutely positioned against the list item); the input itself
# is transparent. This finds the box as drawn, in viewport pixels, and whether it shows.
DRAWN_BOX = """el => {
  const own = el.getBoundingClientRect();
  const before = getComputedStyle(el, '::before');
  let box = {x: own.x, y: own.y, width: own.width, height: own.height};
  let shown = true;
  if (before.content !== 'none' && before.display !== 'none') {
    shown = before.visibility === 'visible' && parseFloat(before.opacity) > 0;
    if (before.position === 'absolute' || before.position === 'fixed') {
      const cb = before.position === 'fixed' ? null : el.offsetParent;
      const o = cb ? cb.getBoundingClientRect() : {x: 0, y: 0};
      box = {x: o.x + (cb ? cb.clientLeft : 0) + (parseFloat(before.left) || 0),
             y: o.y + (cb ? cb.clientTop : 0) + (parseFloat(before.top) || 0),
             width: parseFloat(before.width) || 0, height: parseFloat(before.height) || 0};
    } else if (own.width === 0 || own.height === 0) {
      box = {x: own.x, y: own.y, width: parseFloat(before.width) || 0, height: parseFloat(before.height) || 0};
    }
  }
  const visible = el.checkVisibility({opacityProperty: true, visibilityProperty: true})
    && shown && box.width > 0 && box.height > 0;
  return {...box, visible};
}"""


def drawn_box(indicator: object) -> dict:
    """``{x, y, width, height, visible}`` of the box a ``.task-list-indicator`` draws."""
    return indicator.evaluate(DRAWN_BOX)


def box_screenshot(page: object, indicator: object, shift: float = 0) -> bytes:
    """PNG of the drawn box (``shift`` px to its left: the blank margin beside it).

    The page is scrolled to the same place each time, so the same box in the same layout
    gives the same pixels whatever the sub-pixel offsets of the list."""
    indicator.evaluate("""el => {
      const top = el.closest('li') ? el.closest('li').getBoundingClientRect().top + window.scrollY : 0;
      window.scrollTo(0, Math.max(0, Math.floor(top) - 200));
      if (document.activeElement) document.activeElement.blur();
    }""")
    box = drawn_box(indicator)
    x0, y0 = int(box["x"] - shift) - 2, int(box["y"]) - 2
    x1, y1 = int(box["x"] - shift + box["width"]) + 3, int(box["y"] + box["height"]) + 3
    return page.screenshot(clip={"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0},
                           animations="disabled", caret="hide")


# -- axe-core -------------------------------------------------------------------------

SEVERE = ("serious", "critical")


def run_axe(page: object, axe: Path) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe))
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


def describe(violations: list[dict], targets: int = 4) -> str:
    """One line per violation: id, impact, help, and its first few targets (with the
    colours and ratio for a contrast failure)."""
    lines = []
    for v in violations:
        nodes = v.get("nodes") or []
        shown = []
        for node in nodes[:targets]:
            where = " ".join(map(str, node.get("target") or []))
            data = next((c.get("data") for c in node.get("any") or [] if isinstance(c.get("data"), dict)), None)
            if data and "contrastRatio" in data:
                where += (f" ({data.get('fgColor')} on {data.get('bgColor')}: {data.get('contrastRatio')}:1,"
                          f" needs {data.get('expectedContrastRatio')})")
            shown.append(where)
        more = f" (+{len(nodes) - targets} more)" if len(nodes) > targets else ""
        lines.append(f"- {v['id']} [{v.get('impact')}]: {v.get('help')} — {len(nodes)} node(s): "
                     f"{'; '.join(shown)}{more}")
    return "\n".join(lines)


# -- screenshots for the record --------------------------------------------------------


def screenshot_dir() -> Path | None:
    folder = os.environ.get("SOPGEN_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_screenshot(page: object, name: str) -> Path | None:
    folder = screenshot_dir()
    if folder is None:
        return None
    target = folder / name
    # from the top, so that Material's sticky header is drawn there and not mid-page
    page.mouse.move(0, 0)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(target), full_page=True, animations="disabled", caret="hide")
    return target
