"""PDF documents with Typst: the handbooks, the owner's report, the training record.

A document is a Typst template (``templates/pdf/<name>.typ``) fed by data. Each
PDF is compiled in a private staging folder, removed afterwards, that holds only
what the document may read:

    templates/pdf/*.typ          sopgen's templates, then the project's over them (by file name)
    templates/pdf/data.json      the job's data: a template reads it with ``json("data.json")``
    sops/media/x.png, ...        the project files the job lists, at their project-relative paths

Typst reads nothing outside its root, so a template reads nothing else of the
machine. It gets no packages either: Typst would download an ``@preview/...``
one, and typst-py has no switch to stop that, so a template naming a package is
refused before Typst runs, and Typst's package folders are empty ones (a name
computed out of sight of that check would still reach Typst's downloader). Fonts are sopgen's bundled ones (``sopgen/print/fonts``) and
Typst's embedded ones, never the machine's, so another machine gives the same
bytes; the one exception is a font for Chinese, Japanese or Korean text, taken
from the machine when a document holds such text (bundling one would add 20 MB).
PDFs are tagged PDF/UA-1. Documents compile at once in threads (Typst releases Python's lock).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Optional

import typst

from ..core.branding import Brand
from ..core.catalog import Catalog
from ..core.errors import TemplateFailed
from ..text.templating import default_templates, search_path

FONTS = Path(__file__).parent / "fonts"
"""The fonts bundled with sopgen (Roboto)."""

TEMPLATES = "templates/pdf"
"""Where PDF templates are: in a project, in sopgen's defaults, and in the staging folder."""

DATA = "data.json"

CJK_FAMILIES = ("Noto Sans CJK", "Noto Serif CJK", "Source Han Sans", "Source Han Serif", "WenQuanYi",
                "Droid Sans Fallback", "AR PL", "IPAexGothic", "IPAGothic", "IPA")
"""Installed fonts that show Chinese, Japanese and Korean text, by family name, the preferred first."""

NO_CJK_FONT = ("the PDFs hold Chinese, Japanese or Korean text, and no font for it is installed: install "
               "Noto Sans CJK (Debian/Ubuntu: apt-get install fonts-noto-cjk; Fedora: dnf install "
               "google-noto-sans-cjk-fonts; elsewhere from https://github.com/notofonts/noto-cjk) and build "
               "again; until then that text prints as empty boxes, and those PDFs are not PDF/UA-1")
"""Said once per build, however many PDFs and characters it concerns."""


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


def source_version(root: Path) -> str:
    """The version of the sources on a cover: the git commit, or a note that there is none."""
    from ..history.git import GitUnavailable, git

    try:
        out = git(root, "describe", "--always", "--dirty", "--abbrev=10", timeout=10)
    except GitUnavailable:
        return "not under version control"
    return out.text.strip() if out.ok and out.text.strip() else "not under version control"


def plan(catalog: Catalog, out_dir: Path, *, roles: Optional[list[str]] = None, today: date,
         page_size: str = "A4", version: Optional[str] = None, look: Optional[Brand] = None) -> list[PdfJob]:
    """The handbooks to make (every role with SOPs in force and the whole business, or ``roles``),
    dated by the build (:func:`sopgen.history.log.reference_time`) so that a rebuild gives the same bytes."""
    from ..history.log import reference_time
    from .handbook import HANDBOOK, TEMPLATE, handbook, handbook_names, pdf_path
    from .printed import converter_for

    version = version or source_version(catalog.root)
    timestamp = int(reference_time(catalog.history).timestamp())
    converter = converter_for(catalog)
    jobs = []
    for name in roles if roles is not None else handbook_names(catalog):
        data, files = handbook(catalog, role=None if name == HANDBOOK else catalog.roles[name], today=today,
                               version=version, page_size=page_size, look=look, converter=converter)
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
        origins, warnings = _stage(job, root, text)
        places = _Places(origins, Path(folder), origins[f"{TEMPLATES}/{job.template}"])
        _refuse_packages(root, origins)
        inputs = {}
        font = cjk_font(str(job.data.get("lang", ""))) if CJK.search(text) else None
        if font:
            inputs["fallback"] = font[0]
            for file in font[1]:  # Typst takes folders of fonts: one holding just these
                _link(Path(file), fonts / f"{len(os.listdir(fonts))}-{Path(file).name}")
        compiler = typst.Compiler(str(root / TEMPLATES / job.template), root=str(root),
                                  font_paths=[str(FONTS), str(fonts)], ignore_system_fonts=True, sys_inputs=inputs,
                                  package_path=str(packages), package_cache_path=str(packages))
        try:
            pdf, notes, missing = _compile(compiler, job.timestamp)
        except typst.TypstError as exc:
            raise TemplateFailed(_first_errors(places.explained(exc.diagnostic, "error"))) from None
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
        errors = _blocks(exc.diagnostic, "error")
        missing = [_GLYPH.search(e["message"]) for e in errors]
        if not errors or not all(missing):
            raise
    pdf, notes = compiler.compile_with_warnings(format="pdf", timestamp=timestamp)
    return pdf, notes, "".join(dict.fromkeys(m.group(1) for m in missing if m))


_GLYPH = re.compile(r'the text `"(.+?)"` could not be displayed with font')


def _stage(job: PdfJob, staging: Path, data: str) -> tuple[dict[str, str], list[str]]:
    """Fill ``staging``; return the name under which the user knows each template, and warnings."""
    warnings = []
    for name in job.files:
        source, dest = _project_file(job.root, name)
        if source is None or dest is None:
            warnings.append(f"{name} is outside the project, so the PDF leaves it out")
        elif source.is_file():
            _copy(source, staging / dest)
    origins = {}
    ours = default_templates().resolve()
    for folder in reversed(search_path(job.root)):  # sopgen's first, the project's over them
        own = folder.resolve() == ours
        top = folder / "pdf"
        for base, dirs, files in os.walk(top):
            dirs.sort()
            for file in sorted(files):
                path = Path(base, file)
                rel = f"{TEMPLATES}/{path.relative_to(top).as_posix()}"
                if own:  # sopgen's folder also holds other things than Typst templates
                    if path.suffix == ".typ":
                        _copy(path, staging / rel)
                        origins[rel] = f"sopgen's {rel}"
                    continue
                source, _ = _project_file(job.root, rel)
                if source is None:
                    warnings.append(f"{rel} is a link to a file outside the project, which the PDF does not read")
                    continue
                if not source.is_file():  # a named pipe, a broken link: nothing a template can read
                    continue
                _copy(source, staging / rel)
                origins[rel] = rel
    (staging / TEMPLATES).mkdir(parents=True, exist_ok=True)
    (staging / TEMPLATES / DATA).write_text(data, encoding="utf-8", errors="replace")  # a lone surrogate: ?
    if f"{TEMPLATES}/{job.template}" not in origins:
        raise TemplateFailed(f"{TEMPLATES}/{job.template}: no such template, in the project or in sopgen")
    return origins, warnings


SHOWN_ERRORS = 3
"""Typst's errors said of a template; those after them are most often the first one's echoes (an
unclosed bracket makes every later line an error)."""


def _first_errors(errors: list[str]) -> str:
    errors = list(dict.fromkeys(errors))
    more = len(errors) - SHOWN_ERRORS
    if more <= 0:
        return "\n".join(errors)
    return "\n".join(errors[:SHOWN_ERRORS] + [f"(and {more} more, most likely caused by the first: fix it and "
                                                "build again)"])


def _project_file(root: Path, name: str) -> tuple[Optional[Path], Optional[PurePosixPath]]:
    """The file a project-relative ``name`` is (links followed) and where it goes in the staging
    folder; ``None`` for one outside the project or inside its ``.git`` folder."""
    dest = PurePosixPath(os.path.normpath(name.replace("\\", "/")))
    root = root.resolve()
    source = (root / name).resolve()
    if dest.is_absolute() or dest.parts[:1] == ("..",) or not source.is_relative_to(root) \
            or source.is_relative_to(root / ".git"):
        return None, None
    return source, dest


def _copy(source: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, dest)


def _link(source: Path, dest: Path) -> None:
    try:
        dest.symlink_to(source)
    except OSError:  # Windows without the right to make links
        shutil.copyfile(source, dest)


_STRING_PACKAGE = re.compile(r'"(?:@|\\u\{0*40\})[\w.-]+/[\w.-]+:[^"\n]*"')
"""A package in a string: ``"@preview/cetz:0.3.0"`` (``@`` escaped too)."""


def _refuse_packages(staging: Path, origins: dict[str, str]) -> None:
    """Refuse templates that import a Typst package (``"@preview/cetz:0.3.0"``): Typst would
    download it. The package folders given to Typst are empty, so nothing of the machine's is
    used either."""
    found = []
    for rel, shown in origins.items():
        if not rel.endswith(".typ"):
            continue
        source = (staging / rel).read_text(encoding="utf-8", errors="replace")
        for match in _STRING_PACKAGE.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            col = match.start() - (source.rfind("\n", 0, match.start()) + 1) + 1
            found.append(f"{shown}:{line}:{col}: {match.group()}: sopgen makes PDFs without the network, so a "
                         "template cannot use Typst packages; copy what you need into templates/pdf/ and "
                         "import it by its file name")
    if found:
        raise TemplateFailed("\n".join(found))


def _blocks(diagnostic: str, kind: str) -> list[dict[str, Any]]:
    """The ``kind`` diagnostics (error, warning) of Typst's report, each with its message, place
    (Typst's path, line, column), hints, and trace: where the failing code was called from."""
    found: list[dict[str, Any]] = []
    for block in re.split(r"\n(?=(?:error|warning|help): )", "\n" + diagnostic.strip()):
        head, _, rest = block.strip().partition(": ")
        if not rest:
            continue
        place = re.search(r"┌─ (.+?):(\d+):(\d+)", rest)
        where = (place.group(1), int(place.group(2)), int(place.group(3)) + 1) if place else None  # columns from 0
        if head == kind:
            hints = [h for h in re.findall(r"^\s*= hint: (.*)", rest, re.M) if "--root" not in h]
            found.append({"message": rest.split("\n")[0], "where": where, "hints": hints, "trace": []})
        elif head == "help" and found and kind == "error":
            found[-1]["trace"].append((rest.split("\n")[0], where))
    return found


class _Places:
    """Typst's report in the user's words: each file as the user knows it, never the staging folder."""

    def __init__(self, origins: dict[str, str], folder: Path, main: str) -> None:
        self.origins = origins
        self.main = main  # what a diagnostic without a place concerns: the document (no title…)
        self.folder = folder
        self.root = folder / "root"

    def explained(self, diagnostic: str, kind: str) -> list[str]:
        """``templates/pdf/x.typ:3:5: message (hint: …); calling `f` at templates/pdf/y.typ:9:2``"""
        lines = []
        for block in _blocks(diagnostic, kind):
            text = f"{self.where(block['where']) if block['where'] else self.main}: {block['message']}"
            text += "".join(f" (hint: {hint})" for hint in block["hints"])
            text += "".join(f"; {message.replace('while ', '')} at {self.where(where)}"
                            for message, where in block["trace"] if where)
            lines.append(self.scrubbed(text))
        return lines or [self.scrubbed(f"{self.main}: {diagnostic.strip()}")]

    def where(self, place: tuple[str, int, int]) -> str:
        path, line, col = place  # Typst's path is relative to the working folder
        absolute = Path(os.path.abspath(path))
        for root in (self.root, self.root.resolve()):
            if absolute.is_relative_to(root):
                path = absolute.relative_to(root).as_posix()
        return f"{self.origins.get(path, path)}:{line}:{col}"

    def scrubbed(self, text: str) -> str:
        """``text`` without the staging folder's path: its files have their project paths."""
        for folder in dict.fromkeys((self.root, self.root.resolve(), self.folder, self.folder.resolve())):
            for prefix in (str(folder), os.path.relpath(folder)):
                text = text.replace(prefix + os.sep, "").replace(prefix, ".")
        return text


CJK = re.compile("[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
                 "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]")
"""Han, Hiragana, Katakana and Hangul characters, and their punctuation."""

_REGION = {"ja": " JP", "ko": " KR", "zh": " SC", "zh-tw": " TC", "zh-hk": " HK"}


def cjk_font(lang: str = "") -> Optional[tuple[str, list[str]]]:
    """An installed font for Chinese, Japanese and Korean text, the variant of ``lang`` when there
    is one: its family and its files; ``None`` when the machine has none."""
    families = installed_cjk_fonts()
    if not families:
        return None
    region = _REGION.get(lang.lower()) or _REGION.get(lang.lower().split("-")[0], " SC")
    family = next((f for f in families if f.endswith(region)), next(iter(families)))
    return family, families[family]


@functools.lru_cache(maxsize=None)
def installed_cjk_fonts() -> dict[str, list[str]]:
    """The machine's fonts of :data:`CJK_FAMILIES`, preferred first: family → files (searched once)."""
    fonts = [f for f in typst.Fonts(include_system_fonts=True, include_embedded_fonts=False).fonts() if f.path]
    found: dict[str, list[str]] = {}
    for prefix in CJK_FAMILIES:
        for family in sorted({f.family for f in fonts if f.family.startswith(prefix)}):
            found.setdefault(family, sorted({str(f.path) for f in fonts if f.family == family}))
    return found


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
