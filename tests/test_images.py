"""Images written in Markdown text (``![…](media/x.png)`` in a step, a tip, a role's summary, an
onboarding goal), and wrong image paths (issue 17, section 3): an image is a path under sops/,
whatever field names it; each page shows it from where that page is, the PDFs embed it, and
validation says when it is missing, with the file meant when it can tell."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

from conftest import run
from pypdf import PdfReader
from test_pdf import structure

from sopgen.core.images import markdown_images, rebased



def _png() -> bytes:
    """A one-pixel PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x0b\x72\x85")) + chunk(b"IEND", b""))


PNG = _png()


def _edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _with_images(project: Path) -> Path:
    """The base project with a picture named in Markdown in a tip, a role's summary, an onboarding
    goal, a tool's purpose and a step's text (which the checklists page shows too)."""
    (project / "sops/media/receipt.png").write_bytes(PNG)
    (project / "sops/media/shots").mkdir()
    (project / "sops/media/shots/my screen.png").write_bytes(PNG)
    _edit(project, "sops/tasks/send-invoices.yml", "- do: Send the invoices.",
          "- do: Send the invoices ![the send button](media/receipt.png).\n"
          "    tip: 'Compare with ![the sample receipt](media/receipt.png \"a receipt\")'")
    _edit(project, "sops/tasks/send-invoices.yml", "- do: Create one invoice per client.",
          "- do: Create one invoice per client.\n    details: See ![the folder](media/shots/my%20screen.png).")
    _edit(project, "sops/roles/bookkeeper.yml", "summary: Keeps the books and sends invoices.",
          "summary: \"Keeps the books and sends invoices.\\n\\n![the ledger](<media/shots/my screen.png>)\"")
    _edit(project, "sops/roles/bookkeeper.yml", "goals: [Send the first invoices]",
          "goals: ['Send the first invoices ![an invoice](media/receipt.png)']")
    _edit(project, "sops/roles/bookkeeper.yml", "url: https://quickbooks.intuit.com",
          "url: https://quickbooks.intuit.com\n    purpose: 'Invoices: ![logo](media/receipt.png)'")
    return project


def _srcs(html: str, alt: str) -> list[str]:
    return re.findall(rf'<img alt="{re.escape(alt)}" src="([^"]+)"', html) + \
        re.findall(rf'<img src="([^"]+)"[^>]*alt="{re.escape(alt)}"', html)


def test_markdown_images_show_on_every_page_that_holds_them(base_project: Path) -> None:
    project = _with_images(base_project)
    site = project / "out"
    result = run(project, "build", "--strict", "--no-pdf", "-d", str(site))
    assert result.exit_code == 0, result.output
    assert "generated" not in result.output and "WARNING" not in result.output, result.output
    seen = {
        "sops/send-invoices/index.html": ["the sample receipt", "the send button", "the folder"],
        "roles/bookkeeper/index.html": ["the ledger", "logo"],
        "roles/bookkeeper/onboarding/index.html": ["an invoice"],
        "roles/bookkeeper/checklists/index.html": ["the send button"],
        "tools/index.html": ["logo"],
    }
    for page, alts in seen.items():
        html = (site / page).read_text(encoding="utf-8")
        for alt in alts:
            srcs = _srcs(html, alt)
            assert srcs, (page, alt)
            for src in srcs:
                file = (site / page).parent / src.replace("%20", " ")
                assert file.resolve().is_file(), (page, alt, src)
                assert file.resolve().is_relative_to((site / "assets/sops").resolve()), (page, src)
    assert (site / "assets/sops/media/shots/my screen.png").read_bytes() == PNG


def test_a_rendered_project_carries_the_images_of_markdown_text(base_project: Path, tmp_path: Path) -> None:
    project = _with_images(base_project)
    result = run(project, "render", str(tmp_path / "rendered"))
    assert result.exit_code == 0, result.output
    page = (tmp_path / "rendered/docs/sops/send-invoices.md").read_text(encoding="utf-8")
    assert "](../assets/sops/media/receipt.png" in page
    assert (tmp_path / "rendered/docs/assets/sops/media/receipt.png").read_bytes() == PNG


def test_a_pdf_embeds_an_image_of_markdown_text(base_project: Path, tmp_path: Path) -> None:
    project = _with_images(base_project)
    result = run(project, "pdf", "--role", "bookkeeper", "-o", str(tmp_path / "pdf"))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output, "an image in a checklist item or a goal is shown, not ignored"
    figures = {str(f.get("/Alt")) for f in structure(PdfReader(tmp_path / "pdf/bookkeeper.pdf"), "/Figure")}
    assert {"the sample receipt", "the ledger", "an invoice", "the send button", "the folder"} <= figures, figures


def test_a_missing_image_in_markdown_text_is_a_located_error(base_project: Path) -> None:
    _edit(base_project, "sops/tasks/send-invoices.yml", "- do: Send the invoices.",
          "- do: Send the invoices.\n    tip: 'Compare with ![sample](media/sample.png)'")
    _edit(base_project, "sops/roles/bookkeeper.yml", "goals: [Send the first invoices]",
          "goals: ['Send the first invoices ![an invoice](media/invoice.png)']")
    result = run(base_project, "validate")
    assert result.exit_code == 1
    assert ("sops/tasks/send-invoices.yml:15:10: steps[2].tip: the image 'media/sample.png' in the text: "
            "file 'media/sample.png' does not exist under sops/") in result.output, result.output
    assert ("sops/roles/bookkeeper.yml:10:13: onboarding[0].goals[0]: the image 'media/invoice.png' in the text: "
            "file 'media/invoice.png' does not exist under sops/") in result.output, result.output
    built = run(base_project, "build", "--no-pdf", "-d", str(base_project / "out"))
    assert built.exit_code == 1 and not (base_project / "out").exists()


def test_remote_and_site_absolute_images_are_left_as_written(base_project: Path) -> None:
    _edit(base_project, "sops/tasks/send-invoices.yml", "- do: Send the invoices.",
          "- do: 'Send the invoices ![logo](https://example.com/logo.png) ![x](/img/x.png) `![c](media/c.png)`'")
    result = run(base_project, "validate")
    assert result.exit_code == 0, result.output
    text = "![logo](https://example.com/logo.png) ![x](/img/x.png) `![c](media/c.png)`"
    assert markdown_images(text) == ()
    assert rebased(text, "sops/x.md") == text


def test_rebased_moves_only_images_and_their_definitions() -> None:
    text = ("See ![a](media/a.png \"t\") and [the file](media/a.png), ![b][ref], `media/a.png`.\n\n"
            "[ref]: media/b%20c.png\n")
    assert markdown_images(text) == ("media/a.png", "media/b%20c.png")
    assert rebased(text, "roles/x/index.md") == (
        "See ![a](../../assets/sops/media/a.png \"t\") and [the file](../../assets/sops/media/a.png), ![b][ref], "
        "`media/a.png`.\n\n[ref]: ../../assets/sops/media/b%20c.png\n")


# -- did you mean ---------------------------------------------------------------------------

def test_a_step_image_in_the_wrong_case_suggests_the_file(base_project: Path) -> None:
    _edit(base_project, "sops/tasks/send-invoices.yml", "image: media/screen.svg", "image: Media/Screen.SVG")
    result = run(base_project, "validate")
    assert result.exit_code == 1
    assert ("sops/tasks/send-invoices.yml:9:12: steps[0].image: file 'Media/Screen.SVG' does not exist under sops/"
            " — did you mean 'media/screen.svg'?") in result.output, result.output


def test_a_step_image_written_from_the_project_suggests_the_path_from_sops(base_project: Path) -> None:
    _edit(base_project, "sops/tasks/send-invoices.yml", "image: media/screen.svg", "image: sops/media/screen.svg")
    result = run(base_project, "validate")
    assert result.exit_code == 1
    assert ("steps[0].image: file 'sops/media/screen.svg' does not exist under sops/ — did you mean "
            "'media/screen.svg'? (image paths start from sops/)") in result.output, result.output


def test_a_markdown_image_in_the_wrong_case_or_from_the_project_suggests_the_file(base_project: Path) -> None:
    _edit(base_project, "sops/tasks/send-invoices.yml", "- do: Send the invoices.",
          "- do: Send the invoices ![send](sops/media/screen.svg).\n    warning: 'Not ![this](MEDIA/screen.svg)'")
    result = run(base_project, "validate")
    assert result.exit_code == 1
    assert ("steps[2].do: the image 'sops/media/screen.svg' in the text: file 'sops/media/screen.svg' does not "
            "exist under sops/ — did you mean 'media/screen.svg'? (image paths start from sops/)") in result.output
    assert ("steps[2].warning: the image 'MEDIA/screen.svg' in the text: file 'MEDIA/screen.svg' does not exist "
            "under sops/ — did you mean 'media/screen.svg'?") in result.output, result.output


def test_a_misspelt_logo_suggests_the_file(base_project: Path) -> None:
    (base_project / "sops/media/logo.png").write_bytes(PNG)
    _edit(base_project, "sops/organization.yml", "name:", "logo: media/Logo.png\nname:")
    result = run(base_project, "validate")
    assert result.exit_code == 1
    assert "logo: file 'media/Logo.png' does not exist under sops/ — did you mean 'media/logo.png'?" in result.output


def test_an_svg_with_script_in_markdown_text_is_refused_as_a_step_image_is(base_project: Path) -> None:
    (base_project / "sops/media/bad.svg").write_text(
        "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", encoding="utf-8")
    _edit(base_project, "sops/tasks/send-invoices.yml", "- do: Send the invoices.",
          "- do: Send the invoices.\n    tip: 'See ![chart](media/bad.svg)'")
    result = run(base_project, "validate")
    assert result.exit_code == 1
    assert "steps[2].tip: the image 'media/bad.svg' in the text: 'media/bad.svg' carries" in result.output, \
        result.output
