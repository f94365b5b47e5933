"""The organization's logo and colour reach the site's header and the PDFs, without a template edit."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pypdf
import pytest

from conftest import build_tree, run
from sopgen.core.loader import load
from sopgen.print.handbook import handbook
from sopgen.site.build import brand_of

LOGO = "<svg xmlns='http://www.w3.org/2000/svg' width='40' height='20'><rect width='40' height='20' fill='#0b7285'/></svg>"


@pytest.fixture
def branded(base_project: Path) -> Path:
    organization = base_project / "sops/organization.yml"
    organization.write_text(organization.read_text() + "logo: media/logo.svg\ncolor: '#0b7285'\n")
    build_tree(base_project, {"sops/media/logo.svg": LOGO})
    return base_project


def print_data(project: Path) -> dict:
    """The whole handbook's data, in the look the PDF commands give it."""
    catalog = load(project)
    data, files = handbook(catalog, role=None, today=date(2026, 11, 25), version="v1",
                           look=brand_of(project / "mkdocs.yml", catalog))
    if data["brand"]["logo"]:
        assert data["brand"]["logo"].lstrip("/") in files, "the logo is copied for the PDF to read"
    return data["brand"]


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A one-colour PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_site_header_shows_the_logo_in_the_colour(branded: Path, tmp_path: Path) -> None:
    result = run(branded, "build", "--no-pdf", "-q", "-d", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    home = (tmp_path / "site/index.html").read_text()
    header = home[home.index('<header class="md-header'):home.index("</header>")]
    assert re.search(r'<img src="assets/sops/media/logo\.svg" alt="logo">', header)
    assert (tmp_path / "site/assets/sops/media/logo.svg").read_text() == LOGO
    assert '<link rel="stylesheet" href="assets/sopgen-brand.css">' in home
    css = (tmp_path / "site/assets/sopgen-brand.css").read_text()
    assert "--md-primary-fg-color: #0b7285;" in css


def test_pdf_cover_and_running_header_carry_logo_and_colour(branded: Path) -> None:
    assert print_data(branded) == {"color": "#0b7285", "logo": "/sops/media/logo.svg"}


def test_without_a_brand_the_pdf_keeps_its_colours_and_has_no_logo(base_project: Path) -> None:
    assert print_data(base_project) == {"color": "#3949ab", "logo": None}


def test_mkdocs_palette_and_logo_brand_the_pdf_when_organization_is_silent(base_project: Path) -> None:
    build_tree(base_project, {
        "mkdocs.yml": "site_name: x\ntheme:\n  name: material\n  logo: images/mark.svg\n"
                      "  palette:\n    primary: teal\nplugins: [search, sopgen]\n",
        "docs/images/mark.svg": LOGO,
    })
    assert print_data(base_project) == {"color": "#009485", "logo": "/docs/images/mark.svg"}  # Material's teal


def test_organization_wins_over_mkdocs_for_the_pdf(branded: Path) -> None:
    (branded / "mkdocs.yml").write_text("site_name: x\ntheme:\n  name: material\n  palette:\n    primary: teal\n"
                                        "plugins: [search, sopgen]\n")
    assert print_data(branded)["color"] == "#0b7285"


def test_a_real_pdf_embeds_the_logo_on_the_cover_in_the_colour(branded: Path, tmp_path: Path) -> None:
    (branded / "sops/media/logo.png").write_bytes(png(40, 20, (200, 30, 30)))  # a bitmap is an image XObject
    organization = branded / "sops/organization.yml"
    organization.write_text(organization.read_text().replace("media/logo.svg", "media/logo.png"))
    result = run(branded, "pdf", "--role", "bookkeeper", "-o", str(tmp_path), "-j", "1")
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(tmp_path / "bookkeeper.pdf")
    cover, second = reader.pages[0], reader.pages[1]
    assert cover["/Resources"].get("/XObject"), "the logo is on the cover"
    assert second["/Resources"].get("/XObject"), "and in the running header"
    # #0b7285 as PDF colour operands: 11/255, 114/255, 133/255
    assert re.search(rb"0\.04\d* 0\.44\d* 0\.52\d* (rg|sc|scn)", cover.get_contents().get_data())


def test_a_missing_logo_or_a_bad_colour_is_located(base_project: Path) -> None:
    organization = base_project / "sops/organization.yml"
    organization.write_text(organization.read_text() + "logo: media/logo.png\n")
    missing = run(base_project, "validate")
    assert missing.exit_code == 1
    assert "sops/organization.yml:4:7: logo: file 'media/logo.png' does not exist under sops/\n" in missing.output
    organization.write_text("name: Base Consulting\ncolor: teal\n")
    bad = run(base_project, "validate")
    assert "sops/organization.yml:2:8: color: 'teal' is not a colour: write it as #RRGGBB, e.g. #0b7285\n" in bad.output
