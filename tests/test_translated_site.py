"""The site of a translation, ``/<lang>/…`` (README.md, "Translating the handbook"): every page again
from sops/locale/<lang>.po, stale texts marked in place and counted in a banner, a switcher to the
same page in each language, search and the sitemap per language, ticks kept by the source's items."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

from conftest import run
from i18nhelp import add_translations, edit, fill, update

SOP = "sops/send-invoices/index.html"


def build(project: Path) -> Path:
    result = run(project, "build", "--no-pdf", "--strict")
    assert result.exit_code == 0, result.output
    return project / "site"


def banner_count(html: str) -> int:
    found = re.search(r'class="sopgen-stale-banner"[^>]*data-stale-count="(\d+)"', html)
    return int(found.group(1)) if found else 0


def test_a_step_changed_after_translation_shows_stale_on_the_spanish_page_until_translated(base_project: Path) -> None:
    """The acceptance, on the site: one changed step is marked on the Spanish page and counted by its
    banner, `status --check` fails naming the SOP; translating it clears the three."""
    add_translations(base_project, "es")
    update(base_project)
    fill(base_project)
    page = (build(base_project) / "es" / SOP).read_text(encoding="utf-8")
    assert "ES: Check the rate." in page and "sopgen-stale" not in page

    edit(base_project / "sops/tasks/send-invoices.yml", "Check the rate.", "Check the *hourly* rate.")
    update(base_project)
    page = (build(base_project) / "es" / SOP).read_text(encoding="utf-8")
    assert banner_count(page) == 1, page
    assert "1 texto de esta página aún no está traducido, o cambió desde que se tradujo: se muestra en inglés" in page
    # the English step in its mark, still Markdown (its emphasis), with the label in Spanish
    assert re.search(r'data-stale="fuzzy"[^>]*>cambió desde que se tradujo</span>', page), page
    assert re.search(r'<span class="sopgen-stale" data-stale="fuzzy"><span [^>]*>cambió desde que se tradujo</span> '
                     r'<span lang="en">Check the <em>hourly</em> rate.</span></span>', page), page
    assert "&lt;div" not in page and "&lt;span" not in page
    assert "ES: Check the rate." not in page
    status = run(base_project, "i18n", "status", "--check")
    assert status.exit_code == 1 and "tasks/send-invoices" in status.output, status.output

    fill(base_project)
    page = (build(base_project) / "es" / SOP).read_text(encoding="utf-8")
    assert "sopgen-stale" not in page and banner_count(page) == 0
    assert "ES: Check the *hourly* rate." not in page and "ES: Check the <em>hourly</em> rate." in page
    assert run(base_project, "i18n", "status", "--check").exit_code == 0


def test_every_page_again_in_the_translation_with_a_switcher_search_and_sitemap(base_project: Path) -> None:
    add_translations(base_project, "es")
    edit(base_project / "mkdocs.yml", "site_name: Corpus base", "site_name: Corpus base\nsite_url: https://handbook.example.com/")
    update(base_project)
    fill(base_project, only=lambda context, text: context != "roles/owner")
    site = build(base_project)
    english = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html") if not p.is_relative_to(site / "es"))
    spanish = sorted(p.relative_to(site / "es").as_posix() for p in (site / "es").rglob("index.html"))
    assert english == spanish and SOP in spanish

    page = (site / "es" / SOP).read_text(encoding="utf-8")
    assert '<html lang="es"' in page and "Pasos" in page  # the interface in Spanish
    # the switcher: the same page in each language, the current one said, each in its own language
    assert ('<a href="../../../sops/send-invoices/" hreflang="en" lang="en" target="_self">English</a>' in page
            and '<span lang="es" aria-current="page">Español</span>' in page)
    source = (site / SOP).read_text(encoding="utf-8")
    assert '<a href="../../es/sops/send-invoices/" hreflang="es" lang="es" target="_self">Español</a>' in source
    assert "sopgen-stale" not in source and '<html lang="en"' in source
    for index in site.rglob("index.html"):
        assert 'class="sopgen-languages"' in index.read_text(encoding="utf-8"), index

    # the owner's title is not translated: shown in English, marked, where the SOP names its maintainer
    assert banner_count(page) == 1
    assert re.search(r'aún no traducido</span> <span lang="en">Owner</span>', page)

    index = json.loads((site / "es" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["es"]
    assert any("ES: Clients pay on time" in doc["text"] for doc in index["docs"])
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://handbook.example.com/sops/send-invoices/</loc>" in sitemap
    assert "<loc>https://handbook.example.com/es/sops/send-invoices/</loc>" in sitemap
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap


def test_a_stale_markdown_text_of_several_blocks_keeps_them_inside_its_mark(base_project: Path) -> None:
    """A stale step whose details are a paragraph and a list, and a stale one-paragraph text in a list
    item of two spaces (done_when): each shows as Markdown inside its mark, in its place."""
    add_translations(base_project, "es")
    edit(base_project / "sops/tasks/send-invoices.yml", "  - do: Send the invoices.\n",
         "  - do: Send the invoices.\n    details: |\n      Send them from **QuickBooks**.\n\n      - by email\n      - by post\n"
         "done_when:\n  - Every invoice is **sent**.\n")
    update(base_project)
    fill(base_project, only=lambda context, text: "QuickBooks" not in text and "sent" not in text)
    page = (build(base_project) / "es" / SOP).read_text(encoding="utf-8")
    assert banner_count(page) == 2, page
    mark = re.search(r'<div class="sopgen-stale" data-stale="missing" lang="en"[^>]*>(.*?)</div>', page, re.S)
    assert mark and "<strong>QuickBooks</strong>" in mark.group(1) and "<li>by email</li>" in mark.group(1), page
    assert re.search(r'<li><span class="sopgen-stale" data-stale="missing"><span [^>]*>aún no traducido</span> '
                     r'<span lang="en">Every invoice is <strong>sent</strong>.</span></span></li>', page), page
    assert "&lt;div" not in page and "&lt;span" not in page


def test_no_switcher_without_translations(base_project: Path) -> None:
    site = build(base_project)
    assert not (site / "es").exists()
    assert 'sopgen-languages' not in (site / SOP).read_text(encoding="utf-8")


def test_ticks_are_kept_by_the_source_items_in_every_language(base_project: Path) -> None:
    """A reader ticking /es/sops/x/ ticks the same SOP version as on /sops/x/: the same store, the
    same keys (of the source's items), whatever the translation says."""
    add_translations(base_project, "es")
    update(base_project)
    fill(base_project)
    site = build(base_project)

    def ticks(path: Path) -> list[str]:
        return re.findall(r'data-sopgen-(?:ticks|keys)="[^"]*"', path.read_text(encoding="utf-8"))

    assert ticks(site / SOP) and ticks(site / "es" / SOP) == ticks(site / SOP)


def test_serve_serves_the_translation_and_rebuilds_it_when_its_catalog_is_saved(tmp_path: Path) -> None:
    import shutil

    from conftest import BASE
    from test_serve import free_port, wait_for

    project = shutil.copytree(BASE, tmp_path / "p")
    add_translations(project, "es")
    update(project)
    port = free_port()
    log = open(tmp_path / "serve.log", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "sopgen", "serve", "-a", f"127.0.0.1:{port}",
                             "-f", str(project / "mkdocs.yml")], stdout=log, stderr=subprocess.STDOUT)
    try:
        page = f"http://127.0.0.1:{port}/es/{SOP.replace('index.html', '')}"
        body = wait_for(page, "Esta página aún no está traducida")  # nothing translated yet: said once
        assert "data-untranslated" in body and "Pasos" in body
        fill(project)  # a save of sops/locale/es.po
        body = wait_for(page, "ES: Check the rate.")
        assert "sopgen-stale" not in body and banner_count(body) == 0
        log.seek(0)
        assert "serving the translations too, rebuilt when a file of sops/locale/ is saved: /es/" in log.read()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def test_the_examples_spanish_training_pages_date_and_state_as_the_source_in_spanish(tmp_path: Path) -> None:
    """Due dates come from the source's phase names (Day 90; the translation says Día 90), so a
    person's Spanish page has the same dates and states as the English one, in Spanish words."""
    import shutil

    from conftest import REPO

    project = tmp_path / "example"
    shutil.copytree(REPO / "sops", project / "sops")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    site = build(project)
    english = (site / "people/priya-nair/index.html").read_text(encoding="utf-8")
    spanish = (site / "es/people/priya-nair/index.html").read_text(encoding="utf-8")

    def states(html: str) -> list[str]:
        return re.findall(r'class="sopgen-state sopgen-state--(\w+)"', html)

    assert states(english) and states(spanish) == states(english)
    assert "<td>Day 90</td>\n<td>2026-10-31</td>" in english
    assert "<td>Día 90</td>\n<td>31 de octubre de 2026</td>" in spanish
    assert ('<a href="../../sops/screen-phone-calls/">Filtrar las llamadas telefónicas para proteger a la dueña</a>'
            in spanish) and "Screen phone calls" not in spanish
    # the example: the changed step of Manage the owner's calendar is the one stale text of its page
    calendar = (site / "es/sops/manage-owner-calendar/index.html").read_text(encoding="utf-8")
    assert banner_count(calendar) == 1 and 'data-stale="fuzzy"' in calendar and 'data-stale="missing"' not in calendar
    assert banner_count((site / "es/sops/triage-inbox/index.html").read_text(encoding="utf-8")) == 0


def test_the_translations_handbooks_are_under_its_pdf_folder_and_counted(base_project: Path) -> None:
    add_translations(base_project, "es")
    update(base_project)
    fill(base_project)
    result = run(base_project, "build", "--pdf")
    assert result.exit_code == 0, result.output
    site = base_project / "site"
    source, spanish = sorted(p.name for p in (site / "pdf").glob("*.pdf")), sorted(p.name for p in (site / "es/pdf").glob("*.pdf"))
    assert source and spanish == source
    assert f"and {2 * len(source)} PDF handbooks in" in result.output, result.output
    assert 'href="../../pdf/bookkeeper.pdf"' in (site / "es/roles/bookkeeper/index.html").read_text(encoding="utf-8")
