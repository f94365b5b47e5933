"""PDF handbooks with WeasyPrint: one per role with SOPs in force, and one of everything.

WeasyPrint is imported only here, and only when PDFs are made: a machine
without its system libraries gets a clear error for PDF work and can still
build the site. Handbooks render in parallel processes; each worker gets
finished HTML and a fetcher that reads only files inside the project.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Optional

from .branding import Brand
from .catalog import Catalog
from .errors import SopgenError
from .printing import HANDBOOK, handbook_html, handbook_names, pdf_path
from .templating import environment


class PdfUnavailable(SopgenError):
    """WeasyPrint or its system libraries are missing."""


@dataclass
class PdfJob:
    """One handbook to render: its name (role id or ``handbook``), HTML and destination."""

    name: str
    html: str
    target: Path
    root: Path


@dataclass
class PdfResult:
    name: str
    target: Path
    pages: int
    seconds: float
    warnings: list[str] = field(default_factory=list)


def check_weasyprint() -> None:
    """Raise :class:`PdfUnavailable`, with what to install, when WeasyPrint cannot run here."""
    try:
        import weasyprint  # noqa: F401
    except ImportError as exc:
        raise PdfUnavailable(
            f"PDF handbooks need WeasyPrint ({exc}): pip install weasyprint, "
            "or build the site alone with --no-pdf") from None
    except OSError as exc:
        raise PdfUnavailable(
            f"WeasyPrint cannot load its system libraries ({exc}): on Debian or Ubuntu, "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0; or build the site alone with --no-pdf"
        ) from None


def source_version(root: Path) -> str:
    """The version of the sources on a cover: the git commit, or a note that there is none."""
    from .git import GitUnavailable, git

    try:
        out = git(root, "describe", "--always", "--dirty", "--abbrev=10", timeout=10)
    except GitUnavailable:
        return "not under version control"
    return out.text.strip() if out.ok and out.text.strip() else "not under version control"


def plan(catalog: Catalog, out_dir: Path, *, roles: Optional[list[str]] = None, today: date,
         page_size: str = "A4", version: Optional[str] = None, look: Optional[Brand] = None) -> list[PdfJob]:
    """The handbooks to make (every role with SOPs in force and the whole business, or ``roles``)."""
    env = environment(catalog.root)
    version = version or source_version(catalog.root)
    names = roles if roles is not None else handbook_names(catalog)
    jobs = []
    for name in names:
        role = None if name == HANDBOOK else catalog.roles[name]
        html = handbook_html(catalog, env, role=role, today=today, version=version, page_size=page_size, look=look)
        jobs.append(PdfJob(name, html, out_dir / Path(pdf_path(name)).name, catalog.root))
    return jobs


def build(jobs: list[PdfJob], *, processes: Optional[int] = None,
          on_done: Optional[Callable[[PdfResult], None]] = None) -> list[PdfResult]:
    """Render ``jobs`` (in parallel processes unless ``processes=1``) and write each PDF atomically."""
    check_weasyprint()
    if not jobs:
        return []
    workers = processes or min(len(jobs), os.cpu_count() or 1)
    jobs = sorted(jobs, key=lambda j: len(j.html), reverse=True)  # biggest first packs best
    results: list[PdfResult] = []
    if workers <= 1:
        for job in jobs:
            results.append(render(job))
            if on_done:
                on_done(results[-1])
        return results
    with ProcessPoolExecutor(max_workers=workers, initializer=_end_with, initargs=(os.getpid(),)) as pool:
        futures = [pool.submit(render, job) for job in jobs]
        for future in as_completed(futures):
            results.append(future.result())
            if on_done:
                on_done(results[-1])
    return results


def _end_with(build: int) -> None:
    """In a worker: end when the process that started it ends, even killed outright (the OOM
    killer, a CI timeout), which gives the pool no chance to stop its workers. Linux ends it
    itself (``PR_SET_PDEATHSIG``); a thread watching the parent does it elsewhere, and covers
    a worker whose parent is a fork server."""
    import ctypes
    import signal
    import threading

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    parent = os.getppid()
    threading.Thread(target=_watch, args=(build, parent), daemon=True, name="sopgen-end-with-build").start()


_PR_SET_PDEATHSIG = 1


def _watch(build: int, parent: int) -> None:
    while True:
        if os.getppid() != parent or not _running(build):
            os._exit(1)
        time.sleep(0.5)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, as another user: not the build
        return False
    return True


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render(job: PdfJob) -> PdfResult:
    """Render one handbook to ``job.target`` (a worker process runs this)."""
    import weasyprint

    started = time.perf_counter()
    logger = logging.getLogger("weasyprint")
    collect = _Warnings()
    logger.addHandler(collect)
    try:
        document = weasyprint.HTML(string=job.html, base_url=str(job.root) + os.sep,
                                   url_fetcher=project_fetcher(job.root)).render()
        job.target.parent.mkdir(parents=True, exist_ok=True)
        partial = job.target.with_name(f".{job.target.name}.part")
        document.write_pdf(partial)
        partial.replace(job.target)
    finally:
        logger.removeHandler(collect)
    return PdfResult(job.name, job.target, len(document.pages), time.perf_counter() - started, collect.messages)


def project_fetcher(root: Path):  # -> weasyprint.urls.URLFetcher
    """A fetcher that reads files inside ``root`` and nothing else: no other file, no network."""
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    allowed = root.resolve()

    class ProjectFetcher(URLFetcher):
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise ValueError(f"{url}: handbooks only use files of the project")
            path = Path(unquote(parts.path)).resolve()
            if not path.is_relative_to(allowed):
                raise ValueError(f"{url}: outside the project")
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": _mime(path)})

    return ProjectFetcher()


def _mime(path: Path) -> str:
    import mimetypes

    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"
