"""The Typst engine (sopgen/print/pdf.py) with small templates of a temporary project: staging,
overrides, what a template may read, errors, fonts, PDF/UA-1, reproducible bytes, parallel builds."""

from __future__ import annotations

import multiprocessing
import os
import re
import struct
import tempfile
import threading
import zlib
from pathlib import Path
from typing import Any

import pytest
import typst
from pypdf import PdfReader

from conftest import build_tree
from sopgen.print import pdf, pdffonts, staging
from sopgen.text import templating
from sopgen.core.errors import SopgenError, TemplateFailed
from sopgen.print.diagnostics import SHOWN_ERRORS
from sopgen.print.pdf import PdfJob, build, page_count, render
from sopgen.print.pdffonts import NO_CJK_FONT

SHOW = """\
#let data = json("data.json")
#set document(title: data.title)
#let fallback = sys.inputs.at("fallback", default: none)
#set text(font: ("Roboto",) + if fallback != none { (fallback,) } else { () }, lang: "en")
= #data.title
#for line in data.lines [#line \\ ]
"""
"""A template that shows its data's title and lines, with the CJK fallback font when there is one."""

SECRET = "TOP-SECRET-VALUE"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with the template ``show.typ`` and a secret file beside it (outside the project);
    staging folders are made in ``tmp_path/tmp`` so that a test can see them gone."""
    (tmp_path / "secret.txt").write_text(SECRET)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    return build_tree(tmp_path / "project", {"templates/pdf/show.typ": SHOW,
                                             "sops/media/dot.png": DOT, "sops/media/note.txt": "a note"})


def png() -> bytes:
    """A 1×1 red PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")


DOT = png()


def job(root: Path, template: str = "show.typ", *, name: str = "doc", lines: Any = ("Hello",),
        **extra: Any) -> PdfJob:
    data = {"title": "A document", "lines": list(lines)}
    data.update(extra.pop("data", {}))
    return PdfJob(name, template, data, root.parent / "out" / f"{name}.pdf", root, timestamp=1_700_000_000, **extra)


def text_of(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def test_a_pdf_is_the_template_filled_with_its_data(project: Path) -> None:
    template = SHOW + '#image("/sops/media/dot.png", alt: "a dot")\n#read("/sops/media/note.txt")\n'
    build_tree(project, {"templates/pdf/show.typ": template})
    result = render(job(project, lines=["First line", "Second line"], files=["sops/media/dot.png", "sops/media/note.txt"]))
    assert result.target.is_file() and result.warnings == []
    assert result.pages == len(PdfReader(result.target).pages) == 1
    text = text_of(result.target)
    assert "A document" in text and "First line" in text and "Second line" in text and "a note" in text
    assert PdfReader(result.target).pages[0]["/Resources"]["/XObject"], "the image is in the PDF"
    assert PdfReader(result.target).metadata.title == "A document"
    assert not list((project.parent / "tmp").iterdir()), "the staging folder is removed"
    assert not list(result.target.parent.glob(".*.part"))


def test_page_count_reads_the_page_tree(project: Path) -> None:
    for lines in (1, 100, 2000):
        result = render(job(project, lines=["x"] * lines))
        assert result.pages == len(PdfReader(result.target).pages)
    assert result.pages > 40
    assert page_count(b"1 0 obj\n<</Count 7/Kids[2 0 R]/Type /Pages>>\nendobj 3 0 obj <</Type/Outlines/Count 99>>") == 7


def test_project_templates_override_sopgen_s_by_file_name(project: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    defaults = build_tree(tmp_path / "defaults", {
        "pdf/main.typ": '#import "look.typ": greeting\n#import "parts/end.typ": end\n#set document(title: "M")\n'
                        '#set text(font: "Roboto")\n#greeting #end\n',
        "pdf/look.typ": '#let greeting = [Hello from sopgen]\n',
        "pdf/parts/end.typ": '#let end = [The default end]\n',
        "pdf/handbook.html.j2": "not a Typst template",
    })
    monkeypatch.setattr(templating, "default_templates", lambda: defaults)
    monkeypatch.setattr(staging, "default_templates", lambda: defaults)
    assert "Hello from sopgen The default end" in text_of(render(job(project, "main.typ")).target)
    build_tree(project, {"templates/pdf/look.typ": '#let greeting = [Hello from the project]\n',
                         "templates/pdf/parts/end.typ": '#let end = [The end of the project]\n'})
    assert "Hello from the project The end of the project" in text_of(render(job(project, "main.typ")).target)


def test_what_is_no_regular_file_in_the_template_folder_is_passed_over(project: Path) -> None:
    os.mkfifo(project / "templates/pdf/pipe.typ")  # copying it would wait for a writer for ever
    (project / "templates/pdf/gone.typ").symlink_to(project / "templates/pdf/nothing-here.typ")
    assert render(job(project)).warnings == []


def test_text_that_is_no_unicode_is_shown_replaced(project: Path) -> None:
    assert "a?b" in text_of(render(job(project, lines=["a\ud800b"])).target)


def test_an_unknown_template_is_a_clear_error(project: Path) -> None:
    with pytest.raises(TemplateFailed, match=r"^templates/pdf/nothing\.typ: no such template"):
        render(job(project, "nothing.typ"))


def test_files_outside_the_project_are_left_out(project: Path) -> None:
    secret = project.parent / "secret.txt"
    (project / "sops/media/link.txt").symlink_to(secret)
    build_tree(project, {".git/config": "[core]"})
    (project / "templates/pdf/secret.typ").symlink_to(secret)
    outside = ["../secret.txt", str(secret), "sops/media/link.txt", ".git/config", "sops/../../secret.txt"]
    result = render(job(project, files=["sops/media/note.txt", *outside]))
    assert result.warnings == [f"{name} is outside the project, so the PDF leaves it out" for name in outside] + \
        ["templates/pdf/secret.typ is a link to a file outside the project, which the PDF does not read"]
    assert SECRET not in text_of(result.target)


@pytest.mark.parametrize("reading", ['#read("/etc/passwd")', '#read("../../../secret.txt")',
                                     '#read("/../secret.txt")', '#read("/sops/media/link.txt")',
                                     '#image("../../../secret.txt", alt: "x")'])
def test_a_template_reads_nothing_outside_its_folder(project: Path, reading: str) -> None:
    (project / "sops/media/link.txt").symlink_to(project.parent / "secret.txt")
    build_tree(project, {"templates/pdf/show.typ": SHOW + reading + "\n"})
    with pytest.raises(TemplateFailed) as failed:
        render(job(project, files=["sops/media/link.txt"]))
    message = str(failed.value)
    assert re.match(r"templates/pdf/show\.typ:7:\d+: (file not found|path .* would escape the project root)", message)
    assert SECRET not in message and "root:x:" not in message
    assert "sopgen-pdf-" not in message and str(project.parent / "tmp") not in message
    assert not list((project.parent / "tmp").iterdir()), "the staging folder is removed after a failure too"


@pytest.mark.parametrize("spec", ['"@preview/anything:0.1.0"', '"\\u{40}preview/anything:0.1.0"',
                                  '"@local/mine:0.1.0"'])
def test_packages_are_refused_before_anything_is_downloaded(project: Path, tmp_path: Path, spec: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(pdf.typst, "Compiler", None)  # Typst is never called: the import is refused before
    build_tree(project, {"templates/pdf/show.typ": f"#import {spec}: *\n" + SHOW})
    with pytest.raises(TemplateFailed) as failed:
        render(job(project))
    assert str(failed.value) == (
        f"templates/pdf/show.typ:1:9: {spec}: sopgen makes PDFs without the network, so a template cannot use "
        "Typst packages; copy what you need into templates/pdf/ and import it by its file name")
    assert not (tmp_path / "cache").exists()


def test_a_string_with_an_at_sign_is_no_package(project: Path) -> None:
    build_tree(project, {"templates/pdf/show.typ": SHOW + '#("@" + "team") #"@ours" #"name@example.com"\n'})
    assert "@team @ours name@example.com" in text_of(render(job(project)).target)


def test_the_machine_s_own_packages_are_not_used(project: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """An import the scan cannot see (a computed name) finds no package: Typst's package folders
    are empty ones of the staging folder, not the user's (``@local`` is never downloaded)."""
    for variable in ("XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(tmp_path / "home"))
        build_tree(tmp_path / "home", {"typst/packages/local/mine/0.1.0/typst.toml":
                                       '[package]\nname = "mine"\nversion = "0.1.0"\nentrypoint = "lib.typ"\n',
                                       "typst/packages/local/mine/0.1.0/lib.typ": "#let x = 1\n"})
    build_tree(project, {"templates/pdf/show.typ": '#import (str.from-unicode(64) + "local/mine:0.1.0"): x\n' + SHOW})
    with pytest.raises(TemplateFailed, match=r"^templates/pdf/show\.typ:1:9: package not found"):
        render(job(project))


def test_a_template_error_names_the_project_s_template_its_line_and_the_hint(project: Path) -> None:
    build_tree(project, {"templates/pdf/show.typ": SHOW + "#data.nothing\n"})
    with pytest.raises(TemplateFailed) as failed:
        render(job(project))
    assert str(failed.value).startswith('templates/pdf/show.typ:7:7: dictionary does not contain key "nothing"')
    assert isinstance(failed.value, SopgenError) and "\n" not in str(failed.value)


def test_an_error_in_an_imported_piece_says_where_it_was_called(project: Path) -> None:
    build_tree(project, {"templates/pdf/look.typ": "#let boom(x) = x.nothing\n",
                         "templates/pdf/show.typ": '#import "look.typ": boom\n' + SHOW + "#boom((a: 1))\n"})
    with pytest.raises(TemplateFailed) as failed:
        render(job(project))
    assert str(failed.value) == 'templates/pdf/look.typ:1:18: dictionary does not contain key "nothing"; ' \
                                'calling `boom` at templates/pdf/show.typ:8:2'


def test_an_error_in_sopgen_s_own_template_says_it_is_sopgen_s(project: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    defaults = build_tree(tmp_path / "defaults", {"pdf/main.typ": "#set document(title: 1)\n"})
    monkeypatch.setattr(templating, "default_templates", lambda: defaults)
    monkeypatch.setattr(staging, "default_templates", lambda: defaults)
    with pytest.raises(TemplateFailed) as failed:
        render(job(project, "main.typ"))
    assert str(failed.value).startswith("sopgen's templates/pdf/main.typ:1:22: expected ")


def test_the_pdf_is_tagged_pdf_ua_1(project: Path) -> None:
    result = render(job(project))
    data = result.target.read_bytes()
    assert re.search(rb"/MarkInfo\s*<<[^>]*/Marked\s+true\b", data)
    assert b"/StructTreeRoot" in data and b"pdfuaid:part" in data


def test_an_image_without_alt_text_is_a_clear_error(project: Path) -> None:
    build_tree(project, {"templates/pdf/show.typ": SHOW + '#image("/sops/media/dot.png")\n'})
    with pytest.raises(TemplateFailed) as failed:
        render(job(project, files=["sops/media/dot.png"]))
    assert str(failed.value) == "templates/pdf/show.typ:7:2: PDF/UA-1 error: missing alt text " \
                                "(hint: make sure your images and equations have alt text)"


def test_a_document_without_a_title_is_a_clear_error(project: Path) -> None:
    build_tree(project, {"templates/pdf/show.typ": SHOW.replace("#set document(title: data.title)", "")})
    with pytest.raises(TemplateFailed) as failed:
        render(job(project))
    assert str(failed.value) == "templates/pdf/show.typ: PDF/UA-1 error: missing document title " \
                                "(hint: set the title with `set document(title: [...])`)"


def test_the_same_job_twice_gives_the_same_bytes(project: Path) -> None:
    first = render(job(project, name="one", files=["sops/media/dot.png"])).target.read_bytes()
    second = render(job(project, name="two", files=["sops/media/dot.png"])).target.read_bytes()
    assert first == second
    assert b"D:20231114" in first, "the date is the job's timestamp"


def test_a_failed_pdf_leaves_the_previous_one_as_it_was(project: Path) -> None:
    before = render(job(project)).target.read_bytes()
    build_tree(project, {"templates/pdf/show.typ": SHOW + "#nothing\n"})
    with pytest.raises(TemplateFailed):
        render(job(project))
    assert (project.parent / "out/doc.pdf").read_bytes() == before
    assert sorted(p.name for p in (project.parent / "out").iterdir()) == ["doc.pdf"]


CJK_TEXT = "请在月底前发送发票 請求書を送る 청구서를 보내다"


def test_without_a_cjk_font_the_build_warns_once_and_still_makes_the_pdfs(project: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdffonts, "installed_cjk_fonts", lambda: {})
    results = build([job(project, name=f"doc{i}", lines=[CJK_TEXT, "Latin"]) for i in range(3)], processes=1)
    warnings = [w for r in results for w in r.warnings]
    assert warnings == [NO_CJK_FONT], "one warning for the whole build, and none of Typst's per glyph"
    assert "Chinese, Japanese or Korean text" in NO_CJK_FONT and "apt-get install fonts-noto-cjk" in NO_CJK_FONT
    for result in results:
        assert "Latin" in text_of(result.target) and b"/StructTreeRoot" in result.target.read_bytes()


def test_a_cjk_font_found_on_the_machine_is_given_to_the_template(project: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # no CJK font is installed here: DejaVu Sans stands in for one, to show the file and family reach Typst
    files = sorted({f.path for f in typst.Fonts(include_embedded_fonts=False).fonts() if f.family == "DejaVu Sans"})
    assert files, "DejaVu Sans is not installed: scripts/test installs it (Debian's fonts-dejavu-core)"
    monkeypatch.setattr(pdffonts, "installed_cjk_fonts", lambda: {"DejaVu Sans": files})
    build_tree(project, {"templates/pdf/show.typ": SHOW + "#sys.inputs.fallback\n"})
    result = render(job(project, lines=["\u2620", CJK_TEXT[0]]))  # ☠: in DejaVu Sans, not in Roboto
    fonts = {str(f.get_object()["/BaseFont"]) for p in PdfReader(result.target).pages
             for f in p["/Resources"]["/Font"].values()}
    assert any(f.endswith("+DejaVuSans") for f in fonts), fonts
    assert "DejaVu Sans" in text_of(result.target)
    assert result.warnings == [f"no font shows {CJK_TEXT[0]}: they print as empty boxes, and this PDF is not "
                               "PDF/UA-1"], "a font was found: the character is one it lacks, no advice to install"


def test_no_cjk_font_is_looked_for_without_cjk_text(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail() -> None:
        raise AssertionError("searched the machine's fonts")

    monkeypatch.setattr(pdffonts, "installed_cjk_fonts", fail)
    assert render(job(project, lines=["Plain English, café, Ωmega"])).warnings == []


class _Font:
    def __init__(self, family: str, path: str) -> None:
        self.family, self.path = family, path


def test_the_cjk_font_search_prefers_noto_and_the_document_s_language(monkeypatch: pytest.MonkeyPatch) -> None:
    fonts = [_Font("WenQuanYi Zen Hei", "/f/wqy.ttc"), _Font("DejaVu Sans", "/f/dv.ttf"),
             _Font("Noto Sans CJK SC", "/f/NotoSansCJK-Regular.ttc"), _Font("Noto Sans CJK JP", "/f/NotoSansCJK-Regular.ttc"),
             _Font("Noto Sans CJK JP", "/f/NotoSansCJK-Bold.ttc")]

    class Fonts:
        def __init__(self, **options: Any) -> None:
            assert options == {"include_system_fonts": True, "include_embedded_fonts": False}

        def fonts(self) -> list[_Font]:
            return fonts

    monkeypatch.setattr(pdffonts.typst, "Fonts", Fonts)
    pdffonts.installed_cjk_fonts.cache_clear()
    try:
        assert pdffonts.cjk_font("ja") == ("Noto Sans CJK JP", ["/f/NotoSansCJK-Bold.ttc", "/f/NotoSansCJK-Regular.ttc"])
        assert pdffonts.cjk_font("en") == ("Noto Sans CJK SC", ["/f/NotoSansCJK-Regular.ttc"])
        fonts[2:] = []
        pdffonts.installed_cjk_fonts.cache_clear()
        assert pdffonts.cjk_font("zh") == ("WenQuanYi Zen Hei", ["/f/wqy.ttc"])
        fonts[:] = [_Font("DejaVu Sans", "/f/dv.ttf")]
        pdffonts.installed_cjk_fonts.cache_clear()
        assert pdffonts.cjk_font("zh") is None
    finally:
        pdffonts.installed_cjk_fonts.cache_clear()


def test_characters_no_font_shows_are_named_and_the_pdf_is_still_made(project: Path) -> None:
    result = render(job(project, lines=["Done \u2705 and \U0001F600"]))
    assert result.warnings == ["no font shows \u2705 \U0001F600: they print as empty boxes, and this PDF is not PDF/UA-1"]
    data = result.target.read_bytes()
    assert b"/StructTreeRoot" in data and b"pdfuaid:part" not in data


def test_build_makes_every_pdf_at_once_in_this_process(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Typst has compiled in this process already; the build compiles its PDFs at once in threads
    of it (no process of its own outlives a build killed outright), and makes every one."""
    render(job(project, name="before"))
    where: set[tuple[int, str]] = set()
    rendering = pdf.render

    def render_here(one: pdf.PdfJob) -> pdf.PdfResult:
        where.add((os.getpid(), threading.current_thread().name))
        return rendering(one)

    monkeypatch.setattr(pdf, "render", render_here)
    done: list[str] = []
    jobs = [job(project, name=f"doc{i}", lines=["line"] * (10 * i + 1)) for i in range(4)]
    finished: list[list[pdf.PdfResult]] = []
    worker = threading.Thread(target=lambda: finished.append(build(jobs, processes=2, on_done=lambda r: done.append(r.name))),
                              daemon=True)
    worker.start()
    worker.join(60)
    assert finished, "the build hangs: its workers were forked from a process that had run Typst"
    results = finished[0]
    assert sorted(done) == sorted(r.name for r in results) == ["doc0", "doc1", "doc2", "doc3"]
    assert all(r.target.is_file() and r.pages >= 1 for r in results)
    assert not multiprocessing.active_children()
    assert {pid for pid, _ in where} == {os.getpid()} and len(where) == 2, "two threads of this process"


def test_build_starts_with_the_biggest_document(project: Path) -> None:
    done: list[str] = []
    build([job(project, name=f"doc{n}", lines=["line"] * n) for n in (3, 30, 10)], processes=1,
          on_done=lambda r: done.append(r.name))
    assert done == ["doc30", "doc10", "doc3"]


def test_a_template_error_in_a_worker_reaches_the_build(project: Path) -> None:
    build_tree(project, {"templates/pdf/bad.typ": "#nothing\n"})
    with pytest.raises(TemplateFailed, match=r"^templates/pdf/bad\.typ:1:2: unknown variable: nothing"):
        build([job(project, name="good"), job(project, "bad.typ", name="bad")], processes=2)


def test_no_weasyprint_is_left() -> None:
    source = Path(pdf.__file__).read_text()
    assert "weasyprint" not in source.lower() and not hasattr(pdf, "check_weasyprint")
    assert os.path.basename(pdffonts.FONTS) == "fonts" and (pdffonts.FONTS / "Roboto-Regular.ttf").is_file()


def test_an_unclosed_bracket_is_said_once_not_for_every_line_after_it(project: Path) -> None:
    build_tree(project, {"templates/pdf/bad.typ": "#let f(x) = (x\n" + "#let y = 1\n" * 30 + "Text.\n"})
    with pytest.raises(TemplateFailed) as failed:
        render(job(project, "bad.typ"))
    lines = str(failed.value).splitlines()
    assert lines[0].startswith("templates/pdf/bad.typ:1:") and "unclosed delimiter" in lines[0]
    assert len(lines) == SHOWN_ERRORS + 1
    assert re.fullmatch(r"\(and \d+ more, most likely caused by the first: fix it and build again\)", lines[-1])
