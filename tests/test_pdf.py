"""PDF handbooks, read back with pypdf: pages, bookmarks, text, table of contents, boxes, tags."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from conftest import REPO, run
from sopgen.cli.main import main
from sopgen.core.loader import load


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
    from sopgen.history.log import attach, read_history

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


def structure(reader: PdfReader, kind: str) -> list:
    """The elements of the tagged PDF's structure tree whose type matches ``kind`` (a pattern:
    ``/H[1-6]``, ``/Figure``), in order."""
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if re.fullmatch(kind, str(node.get("/S", ""))):
                found.append(node)
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def headings(reader: PdfReader) -> list[tuple[int, str]]:
    """(level, title) of every heading of the tagged PDF (/H1…/H6), in order."""
    return [(int(str(h["/S"])[2]), str(h["/T"])) for h in structure(reader, r"/H[1-6]")]


def plain(markdown: str) -> str:
    return " ".join(re.sub(r"[*`_]", "", markdown).split())


def text_of(reader: PdfReader, first: int, last: int) -> str:
    return " ".join(" ".join(reader.pages[i - 1].extract_text().split()) for i in range(first, last + 1))


def sop_pages(reader: PdfReader, title: str) -> tuple[int, int]:
    """The first and last page of an SOP's part of a role's handbook."""
    marks = [(t, p) for d, t, p in outline(reader) if d == 1 or (d == 0 and t.startswith("Checklists"))]
    titles = [t for t, _ in marks]
    at = titles.index(title)  # its first: the answer key has a section of the same title
    return marks[at][1], marks[at + 1][1]


def test_pages_and_cover(bookkeeper: PdfReader, pdfs: Path) -> None:
    assert len(bookkeeper.pages) >= 12
    assert len(PdfReader(pdfs / "handbook.pdf").pages) > 2 * len(bookkeeper.pages)
    cover = " ".join(bookkeeper.pages[0].extract_text().split())
    assert "Harbor Lane Consulting".upper() in cover.upper()
    assert "Bookkeeper handbook" in cover
    assert re.search(r"Date \d{4}-\d{2}-\d{2}", cover) and "Version" in cover
    assert bookkeeper.metadata.title == "Harbor Lane Consulting: Bookkeeper handbook"
    assert "Page" not in cover, "the cover has no running header or footer"


def test_bookmarks_equal_the_headings(bookkeeper: PdfReader, catalog) -> None:
    marks = outline(bookkeeper)
    assert [(depth + 1, title) for depth, title, _ in marks] == headings(bookkeeper)
    top = [title for depth, title, _ in marks if depth == 0]
    assert top == ["Contents", "Bookkeeper", "Onboarding: Bookkeeper", "Procedures", "Checklists: Bookkeeper",
                   "Answer key"]
    sops = [title for depth, title, _ in marks if depth == 1]
    role = catalog.roles["bookkeeper"]
    assert {t.title for t in role.active_tasks} <= set(sops)
    assert "Send invoices from the Google Docs template" not in sops, "a retired SOP is left out"
    first, _ = sop_pages(bookkeeper, "Send client invoices")
    sections = [title for depth, title, page in marks if depth == 2 and page >= first][:4]
    assert sections == ["Purpose", "Steps", "Done when", "Checklist"]


def test_the_whole_handbook_nests_each_role(pdfs: Path, catalog) -> None:
    marks = outline(PdfReader(pdfs / "handbook.pdf"))
    top = [title for depth, title, _ in marks if depth == 0]
    assert top == ["Contents", *[r.title for r in catalog.ordered_roles if r.active_tasks],
                   "Tools", "Delegation", "Reviews", "Answer key"]
    under = [title for depth, title, _ in marks if depth == 1]
    assert "Onboarding: Bookkeeper" in under and "Checklists: Webmaster" in under


def test_every_step_of_a_sample_sop_is_in_the_text(bookkeeper: PdfReader, catalog) -> None:
    text = text_of(bookkeeper, *sop_pages(bookkeeper, "Send client invoices"))
    task = catalog.tasks["send-client-invoices"]
    for step in task.steps:
        assert plain(step.do) in text, step.do
        for sub in step.steps:
            assert plain(sub.do)[:60] in text, sub.do
    assert "a. In Harvest" in text, "sub-steps are lettered, as on the site"
    assert "**" not in text and "\\" not in text, "Markdown is typeset, not shown"


def test_contents_page_numbers_point_at_the_sections(bookkeeper: PdfReader) -> None:
    contents = bookkeeper.pages[1].extract_text()
    listed = {m.group(1).strip(): int(m.group(2))
              for m in re.finditer(r"^(.+?)\s*(?:\.\s*){3,}(\d+)\s*$", contents, re.M)}
    assert len(listed) >= 8
    marks = outline(bookkeeper)
    for title, number in listed.items():
        # a title can be a bookmark twice ("Procedures": a part, and a section of the manual)
        assert number in [page for depth, t, page in marks if t == title and depth <= 1], title
        assert title.split(":")[0] in bookkeeper.pages[number - 1].extract_text()


def test_checklist_pages_have_a_box_per_item_and_a_signoff(bookkeeper: PdfReader, catalog) -> None:
    first = next(p for d, t, p in outline(bookkeeper) if t == "Checklists: Bookkeeper")
    last = next(p for d, t, p in outline(bookkeeper) if t == "Answer key") - 1
    text = text_of(bookkeeper, first, last)
    tasks = [t for t in catalog.roles["bookkeeper"].tasks if t.status != "retired"]
    items = sum(len(t.checklist) or len(t.steps) for t in tasks)
    assert text.count("☐") == items
    assert text.count("Done by") == len(tasks)
    assert "Date" in text and "Signature" in text


def test_quiz_answers_are_in_a_key_at_the_end_only(bookkeeper: PdfReader, catalog) -> None:
    task = catalog.tasks["send-client-invoices"]
    question = task.quiz[0]
    right = question.choices[question.answer]
    body = text_of(bookkeeper, *sop_pages(bookkeeper, task.title))
    assert question.question in body and "answer key" in body
    assert "Answer" not in body.replace("answer key", "")
    marks = outline(bookkeeper)
    key_page = next(p for d, t, p in marks if t == "Answer key")
    sops = {t.title for t in catalog.roles["bookkeeper"].active_tasks}
    assert key_page > max(p for d, t, p in marks[:-len(sops)] if t in sops), "the key comes after every SOP"
    key = text_of(bookkeeper, key_page, len(bookkeeper.pages))
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[question.answer]
    assert f"1. {letter}. {right}" in key


def test_no_page_holds_a_heading_alone(bookkeeper: PdfReader) -> None:
    """A part's heading ("Procedures") or a section's ("Revision history") is never the last thing
    on its page: it is kept with what follows."""
    marks = outline(bookkeeper)
    for depth, title, page in marks:
        lines = [line for line in bookkeeper.pages[page - 1].extract_text().splitlines()
                 if line.strip() and not line.startswith(("Harbor Lane Consulting", "Bookkeeper handbook"))]
        body = [line for line in lines if not re.search(r"Page \d+ of \d+", line)]
        assert body[-1].strip() != title, f"{title!r} ends page {page}"
    part = next(i for i, (d, t, p) in enumerate(marks) if (d, t) == (0, "Procedures"))
    assert marks[part + 1][2] == marks[part][2], "the first SOP starts on the Procedures page"


def test_running_header_and_page_numbers(bookkeeper: PdfReader) -> None:
    page = next(p for d, t, p in outline(bookkeeper) if t == "Follow up on overdue payments")
    text = bookkeeper.pages[page].extract_text()  # the page after the SOP's first
    assert "Follow up on overdue payments" in text.splitlines()[0] + text.splitlines()[1]
    assert f"Page {page + 1} of {len(bookkeeper.pages)}" in text


def test_internal_links_resolve(bookkeeper: PdfReader) -> None:
    names = bookkeeper.named_destinations
    links = [a.get_object() for page in bookkeeper.pages for a in page.get("/Annots", [])]
    internal = [str(a["/Dest"]) for a in links if "/Dest" in a]
    assert len(internal) > 20
    assert set(internal) <= set(names), "every link inside the handbook leads to a named part of it"
    assert {"sop-send-client-invoices", "role-bookkeeper", "answer-key"} <= set(names)


def test_fonts_and_images_are_embedded(bookkeeper: PdfReader) -> None:
    fonts = {}
    for page in bookkeeper.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts[font["/BaseFont"]] = any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    assert any("Roboto" in name for name in fonts), "the bundled typeface, not the machine's"
    figures = [str(node.get("/Alt")) for node in structure(bookkeeper, "/Figure")]
    assert any(alt.startswith("Step 4: Create the invoice in QuickBooks Online") for alt in figures), \
        "the invoice illustration is embedded, with its alt text"


def test_tagged_pdf_ua(bookkeeper: PdfReader) -> None:
    root = bookkeeper.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root
    metadata = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfuaid:part(>|=\")1", metadata), "declared PDF/UA-1"
    figures = structure(bookkeeper, "/Figure")
    assert figures and all(str(f.get("/Alt", "")).strip() for f in figures), "every image has alt text"


def test_a_rebuild_of_the_same_commit_is_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dated by the commit, not the clock: two builds a second apart give the same bytes; and
    SOURCE_DATE_EPOCH, when set, dates them instead."""
    import time

    from test_history_git import no_epoch, project

    no_epoch(monkeypatch)
    repo = project(tmp_path / "repo")  # one commit, made 2026-01-05T09:00:00Z
    made = []
    for n in range(2):
        result = run(repo, "pdf", "--role", "bookkeeper", "-o", str(tmp_path / f"out{n}"))
        assert result.exit_code == 0, result.output
        made.append((tmp_path / f"out{n}/bookkeeper.pdf").read_bytes())
        time.sleep(1.1)
    assert made[0] == made[1]
    assert PdfReader(tmp_path / "out0/bookkeeper.pdf").metadata["/CreationDate"].startswith("D:20260105090000")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    assert run(repo, "pdf", "--role", "bookkeeper", "-o", str(tmp_path / "epoch")).exit_code == 0
    assert PdfReader(tmp_path / "epoch/bookkeeper.pdf").metadata["/CreationDate"].startswith("D:20260101000000")


def test_letter_page_size(tmp_path: Path, base_project: Path) -> None:
    result = run(base_project, "pdf", "--role", "bookkeeper", "--page-size", "Letter", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    box = PdfReader(tmp_path / "bookkeeper.pdf").pages[0].mediabox
    assert (round(box.width), round(box.height)) == (612, 792)


def test_an_sop_cannot_pull_outside_files_into_a_pdf(base_project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    (tmp_path / "secret.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'><text>TOP-SECRET-VALUE</text></svg>")
    organization = base_project / "sops/organization.yml"  # HTML allowed: the engine is the last line of defence
    organization.write_text(organization.read_text() + "allow_html: true\n")
    task = base_project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text().replace(
        "- do: Send the invoices.",
        f"- do: Send the invoices.\n    details: '<object data=\"{secret.as_uri()}\"></object> ![x]({secret.as_uri()})"
        " ![y](../../secret.svg) #read(\"/etc/passwd\") `#read(\"{secret}\")`'"))
    refused = run(base_project, "pdf", "--role", "bookkeeper", "-o", str(tmp_path / "out"))
    assert refused.exit_code == 1 and "the image '../../secret.svg' in the text: '../../secret.svg' must not " \
        "contain '..'" in refused.output, "validation refuses an image outside sops/ first"
    from sopgen.print.printed import Printed  # and the PDF's own reading of paths, were it reached
    assert Printed(load(base_project)).md("![y](../../secret.svg)") == "y"
    task.write_text(task.read_text().replace(" ![y](../../secret.svg)", ""))
    result = run(base_project, "pdf", "--role", "bookkeeper", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    reader = PdfReader(tmp_path / "out/bookkeeper.pdf")
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "TOP-SECRET-VALUE" not in text and "root:x:0" not in text
    assert '#read("/etc/passwd")' in " ".join(text.split()), "Typst code in a field is shown, never run"


def test_site_pages_link_to_their_pdfs(base_project: Path) -> None:
    site = base_project / "out"
    result = run(base_project, "build", "-d", str(site))
    assert result.exit_code == 0, result.output
    assert 'href="pdf/handbook.pdf"' in (site / "index.html").read_text()
    assert 'href="../../pdf/bookkeeper.pdf"' in (site / "roles/bookkeeper/index.html").read_text()
    assert PdfReader(site / "pdf/bookkeeper.pdf").pages
    assert not (site / "pdf/owner.pdf").exists(), "a role without SOPs gets no handbook"


def test_no_weasyprint_and_no_system_library_is_needed() -> None:
    from importlib.metadata import requires

    needed = " ".join(requires("sopgen") or []).lower()
    assert "weasyprint" not in needed and "typst" in needed


def test_unknown_role_is_a_usage_error(base_project: Path) -> None:
    result = run(base_project, "pdf", "--role", "bookeeper")
    assert result.exit_code == 2 and "did you mean 'bookkeeper'?" in result.output


def test_pdfs_are_off_under_serve_and_with_no_pdf(base_project: Path, tmp_path: Path) -> None:
    from sopgen.site.generate import Handover

    from test_generate import built_by_the_plugin

    planned = built_by_the_plugin(base_project, tmp_path / "a", "build", Handover(pdf=True)).pdfs
    assert planned["handbook"] == "pdf/handbook.pdf"
    assert planned["bookkeeper"] == "pdf/bookkeeper.pdf"
    assert (tmp_path / "a/pdf/bookkeeper.pdf").stat().st_size > 0
    assert built_by_the_plugin(base_project, tmp_path / "b", "build", Handover(pdf=False)).pdfs == {}  # --no-pdf
    assert not (tmp_path / "b/pdf").exists()
    assert built_by_the_plugin(base_project, tmp_path / "c", "serve", Handover(pdf=True)).pdfs == {}
    assert not (tmp_path / "c/pdf").exists()


def test_one_converter_serves_every_handbook_and_links_each_its_own_way(catalog) -> None:
    """A build converts a text once for all its handbooks, except a text with a link (or an image),
    whose markup depends on what the document holds."""
    from sopgen.print.printed import Printed, converter_for

    converter = converter_for(catalog)
    text = "See [the inbox SOP](../sops/triage-inbox.md) **first**."
    whole = Printed(catalog, {"sops/triage-inbox.md": "sop-triage-inbox"}, converter=converter)
    assert '#link(label("sop-triage-inbox"))' in whole.md(text)
    alone = Printed(catalog, {}, converter=converter)
    assert "#link" not in alone.md(text) and "the inbox SOP" in alone.md(text)
    assert '#link(label("sop-triage-inbox"))' in whole.md(text)
    assert alone.md("Only **bold** here.") is alone.md("Only **bold** here."), "kept, not made again"


def test_cjk_text_without_a_font_for_it_warns_once_and_still_makes_every_handbook(
        base_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sopgen.print import pdffonts

    monkeypatch.setattr(pdffonts, "installed_cjk_fonts", lambda: {})  # whatever this machine has
    for name in ("send-invoices", "reconcile-bank"):
        task = base_project / f"sops/tasks/{name}.yml"
        task.write_text(task.read_text().replace("- do: ", "- do: 請求書を送る。", 1))
    result = run(base_project, "pdf", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.output.count("Chinese, Japanese or Korean text") == 1, result.output
    assert "apt-get install fonts-noto-cjk" in result.output
    assert {p.name for p in tmp_path.glob("*.pdf")} == {"bookkeeper.pdf", "handbook.pdf"}


def test_a_project_and_an_image_with_accents_and_spaces_in_their_names(tmp_path: Path) -> None:
    import shutil

    from conftest import BASE

    project = tmp_path / "Ünï cødé" / "projét"
    shutil.copytree(BASE, project)
    (project / "sops/media/réçu écran.svg").write_bytes((project / "sops/media/screen.svg").read_bytes())
    task = project / "sops/tasks/send-invoices.yml"
    task.write_text(task.read_text(encoding="utf-8").replace("media/screen.svg", "media/réçu écran.svg"),
                    encoding="utf-8")
    out = tmp_path / "sortie à part"
    result = run(project, "pdf", "--role", "bookkeeper", "-o", str(out))
    assert result.exit_code == 0, result.output
    figures = [str(f.get("/Alt")) for f in structure(PdfReader(out / "bookkeeper.pdf"), "/Figure")]
    assert "Step 1: Export the week's billable hours." in figures


def test_the_tools_chapter_gives_each_roles_purpose_when_they_differ(pdfs: Path) -> None:
    """The handbook's Tools chapter, like the tools page: Gmail is the owner's correspondence, the
    bookkeeper's billing mailbox and the VA's triage, each in its role's row."""
    handbook = PdfReader(pdfs / "handbook.pdf")
    marks = [(d, t, p) for d, t, p in outline(handbook)]
    start = next(i for i, (d, t, _) in enumerate(marks) if d == 0 and t == "Tools")
    end = next(i for i in range(start + 1, len(marks)) if marks[i][0] == 0)
    text = text_of(handbook, marks[start][2], marks[end][2])
    gmail = text[text.index("Gmail"):text.index("Google Analytics")]
    assert "What they use it for" in gmail
    for purpose in ("Client correspondence on owner@harborlane.example", "The shared billing@harborlane.example mailbox",
                    "Triage of owner@harborlane.example through delegated access"):
        assert purpose in gmail, purpose
    updraft = text[text.index("UpdraftPlus"):text.index("UptimeRobot")]
    assert "Nightly and on-demand backups" in updraft and "What they use it for" not in updraft
