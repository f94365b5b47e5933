"""A translated site on every engine (README.md, "The translated site"): Zensical publishes each
translation under /<lang>/ as the MkDocs engine does; ``sopgen render`` writes each translation's
project too; the hand-written pages of ``docs/<lang>/`` are that language's own, on every engine."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, build_tree, run, tree_hash
from i18nhelp import add_translations, fill, update
from test_engines import build
from test_translated_site import banner_count

CALENDAR = "es/sops/manage-owner-calendar/index.html"


@pytest.fixture(autouse=True)
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # Zensical's rendered projects


def test_zensical_publishes_the_examples_translation_under_es(tmp_path: Path) -> None:
    """The example built by Zensical: /es/ has every page, in Spanish, the stale step marked and
    counted, the switcher, Zensical's interface and search in Spanish, ticks kept by the source's
    items, and the Spanish handbooks under /es/pdf/."""
    site = tmp_path / "site"
    result = build("zensical", REPO, site, "--pdf")
    assert "does not publish translations" not in result.stderr, result.stderr
    english = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html") if not p.is_relative_to(site / "es"))
    spanish = sorted(p.relative_to(site / "es").as_posix() for p in (site / "es").rglob("index.html"))
    assert spanish == english and len(spanish) > 30

    page = (site / CALENDAR).read_text(encoding="utf-8")
    assert '<html lang="es"' in page and "<title>Organizar la agenda de la dueña" in page
    assert banner_count(page) == 1 and 'data-stale="fuzzy"' in page and 'data-stale="missing"' not in page
    assert ('<a href="../../../sops/manage-owner-calendar/" hreflang="en" lang="en" target="_self">English</a>' in page
            and '<span lang="es" aria-current="page">Español</span>' in page)
    source = (site / "sops/manage-owner-calendar/index.html").read_text(encoding="utf-8")
    assert '<a href="../../es/sops/manage-owner-calendar/" hreflang="es" lang="es" target="_self">Español</a>' in source
    assert "sopgen-stale" not in source and '<html lang="en"' in source
    for index in site.rglob("index.html"):  # every page, the home pages and hand-written ones too
        assert index.read_text(encoding="utf-8").count('class="sopgen-languages"') == 1, index
    assert '<link rel="alternate" hreflang="en" href="../../../sops/manage-owner-calendar/">' in page  # for search engines
    assert '<link rel="alternate" hreflang="es" href="../../es/sops/manage-owner-calendar/">' in source
    assert re.search(r'class="md-nav__link[^"]*" lang="en"', page)  # a page nobody translated (Bookkeeper's)
    assert '"lang":["es"]' in (site / "es/search.json").read_text(encoding="utf-8")
    assert 'window.sopgenRoot = "../../.."' in (site / "es/assets/sopgen/messages.js").read_text(encoding="utf-8")
    ticks = re.compile(r'data-sopgen-(?:ticks|keys)="[^"]*"')
    assert ticks.findall(source) and ticks.findall(page) == ticks.findall(source)

    handbook = site / "es/pdf/virtual-assistant.pdf"
    assert handbook.read_bytes().startswith(b"%PDF") and (site / "pdf/virtual-assistant.pdf").is_file()
    assert 'href="../../pdf/virtual-assistant.pdf"' in (site / "es/roles/virtual-assistant/index.html").read_text(encoding="utf-8")


def test_zensical_sitemap_lists_every_languages_pages(base_project: Path, tmp_path: Path) -> None:
    add_translations(base_project, "es")
    mkdocs = base_project / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8") + "site_url: https://handbook.example.com/\n", encoding="utf-8")
    update(base_project)
    fill(base_project)
    site = tmp_path / "site"
    build("zensical", base_project, site, "--no-pdf")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://handbook.example.com/sops/send-invoices/</loc>" in sitemap
    assert "<loc>https://handbook.example.com/es/sops/send-invoices/</loc>" in sitemap
    page = (site / "es/sops/send-invoices/index.html").read_text(encoding="utf-8")
    assert "ES: Check the rate." in page
    assert '<link rel="alternate" hreflang="en" href="https://handbook.example.com/sops/send-invoices/">' in page
    assert '<link rel="alternate" hreflang="es" href="https://handbook.example.com/es/sops/send-invoices/">' in page


def test_zensical_a_failure_in_the_translation_leaves_the_old_site_whole(base_project: Path, tmp_path: Path) -> None:
    add_translations(base_project, "es")
    update(base_project)
    site = tmp_path / "site"
    build("zensical", base_project, site, "--no-pdf")
    assert (site / "es/sops/send-invoices/index.html").is_file()
    before = tree_hash(site)
    build_tree(base_project, {"docs/es/notes.md": "# Notas\n\nVer [las herramientas](no-such-page.md).\n"})
    result = build("zensical", base_project, site, "--no-pdf", "--strict", check=False)
    assert result.returncode == 1, result.stderr
    assert "docs/es/notes.md:3:" in result.stderr and "page does not exist" in result.stderr, result.stderr
    assert "the previous site was left as it was" in result.stderr and "Traceback" not in result.stderr
    assert tree_hash(site) == before


HANDWRITTEN = {
    "docs/how-to.md": "# How to read this handbook\n\nRead the English words.\n",
    "docs/es/how-to.md": "# Cómo leer este manual\n\nLea las palabras en español.\n",
    "docs/es/only-spanish.md": "# Solo en español\n\nUna página propia.\n",
    "docs/only-english.md": "# Only in English\n\nA page of the source alone.\n",
    "docs/files/form.txt": "An English form\n",
    "docs/es/files/form.txt": "Un formulario en español\n",
}


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs", "zensical"])
def test_hand_written_pages_of_docs_lang_are_that_languages_own(base_project: Path, tmp_path: Path, engine: str) -> None:
    add_translations(base_project, "es")
    update(base_project)
    build_tree(base_project, HANDWRITTEN)
    site = tmp_path / "site"
    build(engine, base_project, site, "--no-pdf")

    def page(path: str) -> str:
        return (site / path / "index.html").read_text(encoding="utf-8")

    assert "Read the English words." in page("how-to") and "español" not in page("how-to")
    assert "Lea las palabras en español." in page("es/how-to") and "English words" not in page("es/how-to")
    assert "Una página propia." in page("es/only-spanish")
    assert "A page of the source alone." in page("only-english") and "A page of the source alone." in page("es/only-english")
    assert not (site / "es/es").exists() and not (site / "only-spanish").exists()
    assert (site / "files/form.txt").read_text() == "An English form\n"
    assert (site / "es/files/form.txt").read_text() == "Un formulario en español\n"
    assert 'class="sopgen-languages"' in page("es/how-to") and 'href="../../how-to/"' in page("es/how-to")


def test_render_writes_each_translations_project(base_project: Path, tmp_path: Path) -> None:
    """`sopgen render OUT`: OUT/ is the source's project, OUT/es/ the Spanish one (its hand-written
    pages those of docs/es/ over docs/), each built by plain MkDocs; the Spanish into site/es/."""
    add_translations(base_project, "es")
    mkdocs = base_project / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8") + "site_url: https://handbook.example.com/\n", encoding="utf-8")
    update(base_project)
    fill(base_project)
    build_tree(base_project, HANDWRITTEN)
    out = tmp_path / "rendered"
    result = run(base_project, "render", str(out))
    assert result.exit_code == 0, result.output
    assert f"{out}/es/mkdocs.yml" in result.output, result.output
    assert not (out / "docs/es").exists() and (out / "docs/how-to.md").read_text(encoding="utf-8") == HANDWRITTEN["docs/how-to.md"]
    assert (out / "es/docs/how-to.md").read_text(encoding="utf-8") == HANDWRITTEN["docs/es/how-to.md"]
    assert (out / "es/docs/only-english.md").is_file() and (out / "es/docs/only-spanish.md").is_file()
    assert "ES: Check the rate." in (out / "es/docs/sops/send-invoices.md").read_text(encoding="utf-8")
    config = yaml.safe_load((out / "es/mkdocs.yml").read_text(encoding="utf-8").split("\n", 2)[2])
    assert config["theme"]["language"] == "es" and config["site_url"] == "https://handbook.example.com/es/"
    assert "site_dir" not in config

    for folder, site in ((out, out / "site"), (out / "es", out / "site/es")):
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(folder / "mkdocs.yml"), "-d", str(site)],
                       check=True, cwd=out)
    assert "ES: Check the rate." in (out / "site/es/sops/send-invoices/index.html").read_text(encoding="utf-8")
    assert "Lea las palabras" in (out / "site/es/how-to/index.html").read_text(encoding="utf-8")

    again = run(base_project, "render", str(out), "--force")  # an earlier render, replaced whole
    assert again.exit_code == 0, again.output
    shutil.rmtree(base_project / "docs/es")
    assert run(base_project, "render", str(out), "--force").exit_code == 0
    assert (out / "es/docs/how-to.md").read_text(encoding="utf-8") == HANDWRITTEN["docs/how-to.md"]



def test_zensical_serve_serves_the_translation_and_rebuilds_it_on_a_save(base_project: Path, tmp_path: Path) -> None:
    """/es/ under `sopgen serve --engine zensical`: its pages with the switcher, rebuilt when the
    catalog (sops/locale/es.po) or a YAML source is saved."""
    from test_engines import start_serve
    from test_serve import wait_until
    from test_serve import fetch, free_port

    add_translations(base_project, "es")
    update(base_project)
    port = free_port()
    log = tmp_path / "serve.log"
    child = start_serve(base_project, "zensical", port, log)
    page = f"http://127.0.0.1:{port}/es/sops/send-invoices/"
    try:
        wait_until(lambda: "Esta página aún no está traducida" in (fetch(page) or ""), f"{page} to be served")
        shown = fetch(page) or ""  # nothing translated yet: said once
        assert "data-untranslated" in shown and '<html lang="es"' in shown
        assert '<a href="../../../sops/send-invoices/" hreflang="en" lang="en" target="_self">English</a>' in shown
        fill(base_project)  # a save of sops/locale/es.po
        wait_until(lambda: "ES: Check the rate." in (fetch(page) or ""), "the translation to show")
        assert banner_count(fetch(page) or "") == 0
        task = base_project / "sops/tasks/send-invoices.yml"
        task.write_text(task.read_text(encoding="utf-8").replace("Check the rate.", "Check the new rate."), encoding="utf-8")
        wait_until(lambda: "Check the new rate." in (fetch(page) or ""), "the changed step, stale, to show")
        assert banner_count(fetch(page) or "") == 1
        assert "serving the translations too, rebuilt when a file of sops/locale/ is saved: /es/" in log.read_text()
    finally:
        child.terminate()
        child.wait(timeout=20)
    assert "Traceback" not in log.read_text()


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_two_translated_builds_at_once_into_an_accented_folder_give_one_whole_site(tmp_path: Path,
                                                                                   engine: str) -> None:
    """A translation is built inside the source's build: a second build at once waits for the first,
    folders named in the business's language work, and every language is there whole at the end."""
    from conftest import BASE

    project = shutil.copytree(BASE, tmp_path / "Panadería Ñandú" / "manual")
    add_translations(project, "es")
    update(project)
    fill(project)
    site = tmp_path / "Panadería Ñandú" / "sitio público"
    command = [sys.executable, "-m", "sopgen", "build", "--no-pdf", "-q", "--engine", engine, "-d", str(site),
               "-f", str(project / "mkdocs.yml")]
    runs = [subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for _ in range(2)]
    outputs = [run_.communicate(timeout=300)[0] for run_ in runs]
    assert [run_.returncode for run_ in runs] == [0, 0], outputs
    assert "Send client invoices" in (site / "sops/send-invoices/index.html").read_text(encoding="utf-8")
    spanish = (site / "es/sops/send-invoices/index.html").read_text(encoding="utf-8")
    assert "ES: Send client invoices" in spanish and 'lang="es"' in spanish
    assert not list(site.glob("es/es")) and sorted(p.name for p in site.parent.iterdir()) == ["manual", "sitio público"]
