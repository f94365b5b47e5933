"""PDF handbooks, read back with pypdf: pages, bookmarks, text, table of contents, boxes."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from conftest import REPO, build_tree, run
from sopgen.cli import main
from sopgen.loader import load
from sopgen.pdf import project_fetcher
from sopgen.printing import handbook_html
from sopgen.templating import environment


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf")
    result = CliRunner().invoke(main, ["pdf", "--role", "bookkeeper", "--role", "handbook", "-o", str(out),
                                       "-f", str(REPO / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def bookkeeper(pdfs: Path) -> PdfReader:
    return PdfReader(pdfs / "bookkeeper.pdf")


@pytest.fixture(scope="module")
def catalog():
    from sopgen.history import attach, read_history

    catalog = load(REPO)
    attach(catalog, read_history(REPO))  # as the pdf command does
    return catalog


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based page) of every bookmark, in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found


def plain(markdown: str) -> str:
    return " ".join(re.sub(r"[*`_]", "", markdown).split())


def text_of(reader: PdfReader, first: int, last: int) -> str:
    return " ".join(" ".join(reader.pages[i - 1].extract_text().split()) for i in range(first, last + 1))


def test_pages_and_cover(bookkeeper: PdfReader, pdfs: Path) -> None:
    assert len(bookkeeper.pages) >= 12
    assert len(PdfReader(pdfs / "handbook.pdf").pages) > 2 * len(bookkeeper.pages)
    cover = " ".join(bookkeeper.pages[0].extract_text().split())
    assert "Harbor Lane Consulting".upper() in cover.upper()
    assert "Bookkeeper handbook" in cover
    assert re.search(r"Date \d{4}-\d{2}-\d{2}", cover) and "Version" in cover
    assert bookkeeper.metadata.title == "Harbor Lane Consulting: Bookkeeper handbook"


def test_bookmarks_equal_the_section_titles(bookkeeper: PdfReader, catalog) -> None:
    html = handbook_html(catalog, environment(REPO), role=catalog.roles["bookkeeper"], today=date.today(),
                         version="x")
    headings = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html, re.S)]
    headings = [h.replace("&amp;", "&") for h in headings if h != "Bookkeeper handbook"]  # the cover title
    assert [title for _, title, _ in outline(bookkeeper)] == headings
    top = [title for depth, title, _ in outline(bookkeeper) if depth == 0]
    assert top == ["Contents", "Bookkeeper", "Onboarding: Bookkeeper", "Procedures", "Checklists: Bookkeeper"]
    sops = [title for depth, title, _ in outline(bookkeeper) if depth == 1]
    assert "Send client invoices" in sops and "Send invoices from the Google Docs template" not in sops


def test_every_step_of_a_sample_sop_is_in_the_text(bookkeeper: PdfReader, catalog) -> None:
    marks = [(t, p) for d, t, p in outline(bookkeeper) if d == 1]
    titles = [t for t, _ in marks]
    start = dict(marks)["Send client invoices"]
    end = marks[titles.index("Send client invoices") + 1][1]
    text = text_of(bookkeeper, start, end)
    task = catalog.tasks["send-client-invoices"]
    for step in task.steps:
        assert plain(step.do) in text, step.do
        for sub in step.steps:
            assert plain(sub.do)[:60] in text, sub.do


def test_contents_page_numbers_point_at_the_sections(bookkeeper: PdfReader) -> None:
    contents = bookkeeper.pages[1].extract_text()
    listed = {m.group(1).strip(): int(m.group(2)) for m in re.finditer(r"^(.+?)\s*\.{3,}\s*(\d+)\s*$", contents, re.M)}
    assert len(listed) >= 8
    pages = {title: page for depth, title, page in outline(bookkeeper) if depth <= 1}
    for title, number in listed.items():
        assert pages[title] == number, title
        assert title.split(":")[0] in bookkeeper.pages[number - 1].extract_text()


def test_checklist_pages_have_a_box_per_item_and_a_signoff(bookkeeper: PdfReader, catalog) -> None:
    first = next(p for d, t, p in outline(bookkeeper) if t == "Checklists: Bookkeeper")
    text = text_of(bookkeeper, first, len(bookkeeper.pages))
    tasks = [t for t in catalog.roles["bookkeeper"].tasks if t.status != "retired"]
    items = sum(len(t.checklist) or len(t.steps) for t in tasks)
    assert text.count("☐") == items
    assert text.count("Done by") == len(tasks)
    assert "Date" in text and "Signature" in text


def test_running_header_and_page_numbers(bookkeeper: PdfReader) -> None:
    page = next(p for d, t, p in outline(bookkeeper) if t == "Send client invoices")
    text = bookkeeper.pages[page].extract_text()  # the page after the SOP's first
    assert "Send client invoices" in text
    assert f"Page {page + 1} of {len(bookkeeper.pages)}" in text


def test_internal_links_resolve(bookkeeper: PdfReader) -> None:
    names = bookkeeper.named_destinations
    links = [a.get_object() for page in bookkeeper.pages for a in page.get("/Annots", [])]
    internal = [a["/Dest"] for a in links if "/Dest" in a]
    assert len(internal) > 20
    assert all(str(dest) in names for dest in internal)


def test_fonts_and_images_are_embedded(bookkeeper: PdfReader) -> None:
    fonts = {}
    for page in bookkeeper.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts[font["/BaseFont"]] = any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    page = next(p for d, t, p in outline(bookkeeper) if t == "Send client invoices")
    xobjects = [bookkeeper.pages[i].get("/Resources", {}).get("/XObject") for i in range(page - 1, page + 2)]
    assert any(xobjects), "the invoice illustration is embedded"


def test_letter_page_size(tmp_path: Path, base_project: Path) -> None:
    result = run(base_project, "pdf", "--role", "bookkeeper", "--page-size", "Letter", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    box = PdfReader(tmp_path / "bookkeeper.pdf").pages[0].mediabox
    assert (round(box.width), round(box.height)) == (612, 792)


def test_fetcher_reads_only_project_files(tmp_path: Path) -> None:
    build_tree(tmp_path, {"sops/media/a.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    fetch = project_fetcher(tmp_path)
    assert fetch((tmp_path / "sops/media/a.svg").as_uri()).read().startswith(b"<svg")
    for url in ["file:///etc/passwd", (tmp_path / "sops/../../x").as_uri(), "https://example.com/a.png",
                "http://127.0.0.1/x"]:
        with pytest.raises(ValueError):
            fetch(url)


def test_an_sop_cannot_pull_outside_files_into_a_pdf(base_project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    organization = base_project / "sops/organization.yml"  # HTML allowed: the fetcher is the last line of defence
    organization.write_text(organization.read_text() + "allow_html: true\n")
    task = base_project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text().replace(
        "- do: Send the invoices.",
        f"- do: Send the invoices.\n    details: '<object data=\"{secret.as_uri()}\"></object> ![x]({secret.as_uri()})'"))
    result = run(base_project, "pdf", "--role", "bookkeeper", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "outside the project" in result.output
    reader = PdfReader(tmp_path / "out/bookkeeper.pdf")
    assert "TOP-SECRET-VALUE" not in " ".join(p.extract_text() for p in reader.pages)


def test_site_pages_link_to_their_pdfs(base_project: Path) -> None:
    site = base_project / "out"
    result = run(base_project, "build", "-d", str(site))
    assert result.exit_code == 0, result.output
    assert 'href="pdf/handbook.pdf"' in (site / "index.html").read_text()
    assert 'href="../../pdf/bookkeeper.pdf"' in (site / "roles/bookkeeper/index.html").read_text()
    assert PdfReader(site / "pdf/bookkeeper.pdf").pages
    assert not (site / "pdf/owner.pdf").exists(), "a role without SOPs gets no handbook"


def test_without_weasyprint_only_pdf_work_fails(base_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint → ImportError
    result = run(base_project, "pdf", "-o", str(base_project / "out"))
    assert result.exit_code == 1
    assert "PDF handbooks need WeasyPrint" in result.output and "Traceback" not in result.output
    assert run(base_project, "build", "--no-pdf", "-d", str(base_project / "site")).exit_code == 0


def test_unknown_role_is_a_usage_error(base_project: Path) -> None:
    result = run(base_project, "pdf", "--role", "bookeeper")
    assert result.exit_code == 2 and "did you mean 'bookkeeper'?" in result.output


def test_pdfs_are_off_under_serve_and_with_no_pdf(catalog) -> None:
    from sopgen.mkdocs_plugin import SopgenPlugin

    plugin = SopgenPlugin()
    errors, warnings = plugin.load_config({})
    assert not errors
    plugin.on_startup(command="build", dirty=False)
    assert plugin._pdfs(catalog)["handbook"] == "pdf/handbook.pdf"
    assert plugin._pdfs(catalog)["bookkeeper"] == "pdf/bookkeeper.pdf"
    plugin.pdf_enabled = False  # sopgen build --no-pdf
    assert plugin._pdfs(catalog) == {}
    plugin.pdf_enabled = None
    plugin.on_startup(command="serve", dirty=False)
    assert plugin._pdfs(catalog) == {}


@pytest.mark.parametrize("how", ["pdeathsig", "watching thread"])
def test_workers_end_when_their_build_is_killed(how: str) -> None:
    """A build killed outright (SIGKILL: the OOM killer, a CI timeout) cannot stop its pool: the
    workers end by themselves, through Linux's parent-death signal or the thread that watches."""
    import os
    import signal
    import subprocess
    import sys
    import time

    script = f"""
import os, sys, time
from concurrent.futures import ProcessPoolExecutor
from sopgen import pdf
if {how == "watching thread"!r}:
    pdf._PR_SET_PDEATHSIG = 0  # an option prctl refuses: only the thread is left
with ProcessPoolExecutor(2, initializer=pdf._end_with, initargs=(os.getpid(),)) as pool:
    futures = [pool.submit(time.sleep, 120) for _ in range(2)]
    time.sleep(1)
    print(" ".join(str(p) for p in pool._processes), flush=True)
    time.sleep(120)
"""
    build = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    workers = [int(pid) for pid in build.stdout.readline().split()]
    assert len(workers) == 2
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 5
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [pid for pid in workers if _runs(pid)]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert not alive, f"workers {alive} outlived their build"


def _runs(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"
