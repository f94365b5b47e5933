"""PDF documents with Typst: the handbooks, the owner's report, the training record.

A document is a Typst template (``templates/pdf/<name>.typ``) fed by data: a :class:`PdfJob`.
:func:`plan` makes the handbooks' jobs; :func:`build` compiles jobs at once in threads (Typst
releases Python's lock) and writes each PDF whole or not at all. Each PDF is compiled in a private
staging folder, removed afterwards, that holds only what the document may read
(:mod:`sopgen.print.staging`); Typst's package folders are empty ones, so a package name computed
out of sight of the staging's check still finds nothing. Fonts are sopgen's and Typst's, and a
machine's font only for Chinese, Japanese or Korean text (:mod:`sopgen.print.pdffonts`). Typst's
errors are told at the user's files (:mod:`sopgen.print.diagnostics`). PDFs are tagged PDF/UA-1.
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Optional

import typst

from ..core.branding import Brand
from ..core.catalog import Catalog
from ..core.errors import TemplateFailed
from ..text.i18n import N_, Language
from .diagnostics import Places, diagnostic_blocks, first_errors
from .pdffonts import CJK, FONTS, NO_CJK_FONT, cjk_font
from .staging import TEMPLATES, link_file, refuse_packages, stage


@dataclass
class PdfJob:
    """One PDF to make: which template, with what data, from which project, to where."""

    name: str
    """What the PDF is: ``bookkeeper``, ``handbook``, ``owner``, a person's id."""
    template: str
    """The template's file name under ``templates/pdf/``: ``handbook.typ``."""
    data: dict[str, Any]
    """JSON-able; the template reads it as ``json("data.json")``."""
    target: Path
    root: Path
    """The project folder."""
    files: list[str] = field(default_factory=list)
    """Project-relative paths of the files the document shows (images, the logo), which the
    template reads at ``/`` + that path. Only files inside the project are copied for it."""
    timestamp: Optional[int] = None
    """The PDF's date, in Unix seconds (the commit's time, or SOURCE_DATE_EPOCH): the same job
    with the same timestamp gives the same bytes. ``None``: now, which changes the bytes."""

    @functools.cached_property
    def text(self) -> str:
        """``data`` as the JSON the template reads (made once: the build also sizes jobs by it)."""
        return json.dumps(self.data, ensure_ascii=False)


@dataclass
class PdfResult:
    name: str
    target: Path
    pages: int
    seconds: float
    warnings: list[str] = field(default_factory=list)


UNVERSIONED = N_("not under version control")
"""A cover's version when the sources are not in git (translated where it is shown)."""


def source_version(root: Path) -> str:
    """The version of the sources on a cover: the git commit, or a note that there is none."""
    from ..history.git import GitUnavailable, git

    try:
        out = git(root, "describe", "--always", "--dirty", "--abbrev=10", timeout=10)
    except GitUnavailable:
        return UNVERSIONED
    return out.text.strip() if out.ok and out.text.strip() else UNVERSIONED


def plan(catalog: Catalog, out_dir: Path, *, roles: Optional[list[str]] = None, today: date,
         page_size: str = "A4", version: Optional[str] = None, look: Optional[Brand] = None,
         lang: Optional[Language] = None) -> list[PdfJob]:
    """The handbooks to make (every role with SOPs in force and the whole business, or ``roles``),
    dated by the build (:func:`sopgen.history.log.reference_time`) so that a rebuild gives the same
    bytes, their words in ``lang`` (by default the organization's ``language``)."""
    from ..history.log import reference_time
    from .handbook import HANDBOOK, TEMPLATE, handbook, handbook_names, pdf_path
    from .printed import converter_for

    version = version or source_version(catalog.root)
    timestamp = int(reference_time(catalog.history).timestamp())
    converter = converter_for(catalog)
    jobs = []
    for name in roles if roles is not None else handbook_names(catalog):
        data, files = handbook(catalog, role=None if name == HANDBOOK else catalog.roles[name], today=today,
                               version=version, page_size=page_size, look=look, converter=converter, lang=lang)
        jobs.append(PdfJob(name, TEMPLATE, data, out_dir / Path(pdf_path(name)).name, catalog.root, files=files,
                           timestamp=timestamp))
    return jobs


def build(jobs: list[PdfJob], *, processes: Optional[int] = None,
          on_done: Optional[Callable[[PdfResult], None]] = None) -> list[PdfResult]:
    """Render ``jobs`` (``processes`` at once, one per core by default) and write each PDF atomically."""
    if not jobs:
        return []
    workers = processes or min(len(jobs), os.cpu_count() or 1)
    jobs = sorted(jobs, key=lambda j: len(j.text), reverse=True)  # biggest first packs best
    results: list[PdfResult] = []
    if workers <= 1:
        for job in jobs:
            results.append(render(job))
            if on_done:
                on_done(results[-1])
        return _said_once(results)
    with _pool(workers) as pool:
        futures = [pool.submit(render, job) for job in jobs]
        for future in as_completed(futures):
            results.append(future.result())
            if on_done:
                on_done(results[-1])
    return _said_once(results)


def _pool(workers: int) -> ThreadPoolExecutor:
    """Threads of the build's own process: Typst lets go of Python's lock while it compiles, so
    they compile at once on as many cores, start at no cost (a pool of processes took 0.2 s of
    the example's 1.6 s build), and end with the build however it ends, killed outright too."""
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sopgen-pdf")


def _said_once(results: list[PdfResult]) -> list[PdfResult]:
    """The missing CJK font is said by the first PDF that lacks it, not by every one."""
    said = False
    for result in results:
        if NO_CJK_FONT in result.warnings:
            if said:
                result.warnings.remove(NO_CJK_FONT)
            said = True
    return results


def render(job: PdfJob) -> PdfResult:
    """Compile one PDF and write it to ``job.target`` (a thread of the build runs this).

    Raises :class:`TemplateFailed` when the template fails, naming the template's file and line.
    """
    started = time.perf_counter()
    text = job.text
    with tempfile.TemporaryDirectory(prefix="sopgen-pdf-") as folder:
        root, fonts, packages = (Path(folder, name) for name in ("root", "fonts", "packages"))
        for made in (root, fonts, packages):  # packages: empty, so no package of the machine is used
            made.mkdir()
        origins, warnings = stage(root, text, project=job.root, files=job.files, template=job.template)
        places = Places(origins, Path(folder), origins[f"{TEMPLATES}/{job.template}"])
        refuse_packages(root, origins)
        inputs = {}
        written_in = "-".join(str(job.data[k]) for k in ("lang", "region") if job.data.get(k))
        font = cjk_font(written_in) if CJK.search(text) else None
        if font:
            inputs["fallback"] = font[0]
            for file in font[1]:  # Typst takes folders of fonts: one holding just these
                link_file(Path(file), fonts / f"{len(os.listdir(fonts))}-{Path(file).name}")
        compiler = typst.Compiler(str(root / TEMPLATES / job.template), root=str(root),
                                  font_paths=[str(FONTS), str(fonts)], ignore_system_fonts=True, sys_inputs=inputs,
                                  package_path=str(packages), package_cache_path=str(packages))
        try:
            pdf, notes, missing = _compile(compiler, job.timestamp)
        except typst.TypstError as exc:
            raise TemplateFailed(first_errors(places.explained(exc.diagnostic, "error"))) from None
        for note in notes:
            warnings += places.explained(note.diagnostic, "warning")
    cjk = "" if font else "".join(CJK.findall(missing))
    if cjk:
        warnings.append(NO_CJK_FONT)
    if any(c not in cjk for c in missing):
        warnings.append(f"no font shows {' '.join(c for c in missing if c not in cjk)}: they print as "
                        "empty boxes, and this PDF is not PDF/UA-1")
    _write(job.target, pdf)
    return PdfResult(job.name, job.target, page_count(pdf), time.perf_counter() - started,
                     list(dict.fromkeys(warnings)))


def _compile(compiler: typst.Compiler, timestamp: Optional[int]) -> tuple[bytes, list[Any], str]:
    """The PDF, Typst's warnings, and the characters no font shows. A PDF/UA-1 file may not hold a
    character without a glyph; one that does is made tagged all the same, only not PDF/UA-1."""
    try:
        pdf, notes = compiler.compile_with_warnings(format="pdf", pdf_standards=["ua-1"], timestamp=timestamp)
        return pdf, notes, ""
    except typst.TypstError as exc:
        errors = diagnostic_blocks(exc.diagnostic, "error")
        missing = [_GLYPH.search(e["message"]) for e in errors]
        if not errors or not all(missing):
            raise
    pdf, notes = compiler.compile_with_warnings(format="pdf", timestamp=timestamp)
    return pdf, notes, "".join(dict.fromkeys(m.group(1) for m in missing if m))


_GLYPH = re.compile(r'the text `"(.+?)"` could not be displayed with font')


def page_count(pdf: bytes) -> int:
    """The number of pages of a PDF Typst wrote: the ``/Count`` of its page tree's root."""
    counts = [0]
    for node in re.finditer(rb"/Type\s*/Pages\b", pdf):
        start, end = pdf.rfind(b"<<", 0, node.start()), pdf.find(b">>", node.end())
        count = re.search(rb"/Count\s+(\d+)", pdf[start:end])
        if count:
            counts.append(int(count.group(1)))
    return max(counts)


def _write(target: Path, pdf: bytes) -> None:
    """Write ``target`` whole or not at all: a failure leaves the previous file as it was."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.part")
    try:
        partial.write_bytes(pdf)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
