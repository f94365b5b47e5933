"""PDF handbooks in a translation (``sopgen pdf --lang``): the translated texts printed, and each
stale text printed in the source's language, marked "not yet translated" or "changed since it
was translated" in the handbook's language, with a count at the top of its SOP's or role's part
(README.md, "Translating the handbook")."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import REPO, build_tree, run
from i18nhelp import add_translations, edit, fill, update
from sopgen.core.loader import load
from sopgen.core.pofile import read
from sopgen.core.translation import translate

FUZZY = "CAMBIÓ DESDE QUE SE TRADUJO"  # the labels, in capitals
MISSING = "AÚN NO TRADUCIDO"
ONE_FUZZY = "1 texto de este procedimiento cambió desde que se tradujo."
CALENDAR_STEP = "Open next week in Google Calendar in Week view"


def _example(tmp_path: Path) -> Path:
    project = tmp_path / "example"
    shutil.copytree(REPO / "sops", project / "sops")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    return project


def _pdf(project: Path, role: str, *args: str) -> Path:
    out = project / "out"
    result = run(project, "pdf", "--role", role, "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    return out / f"{role}.pdf"


def _text(pdf: Path, first: int = 1, last: int = 0) -> str:
    """The PDF's text (pages ``first`` to ``last``, 0: to the end) as pdftotext reads it, spaces collapsed."""
    args = ["pdftotext", "-f", str(first)] + (["-l", str(last)] if last else []) + [str(pdf), "-"]
    return " ".join(subprocess.run(args, check=True, capture_output=True, text=True).stdout.split())


PROCEDURES = ("Procedures", "Procedimientos")


def _parts(pdf: Path) -> dict[str, str]:
    """The text of each part of a role's handbook (its manual, onboarding, each SOP, checklists), by
    its bookmark's title: from its first page to the page before the next part's."""
    reader = PdfReader(pdf)
    marks: list[tuple[str, int]] = []
    parent = ""

    def walk(items: list, depth: int) -> None:
        nonlocal parent
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            elif depth == 0 or (depth == 1 and parent in PROCEDURES):
                if depth == 0:
                    parent = item.title
                marks.append((item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    pages = len(reader.pages)
    return {title: _text(pdf, page, max(page, (marks[i + 1][1] - 1) if i + 1 < len(marks) else pages))
            for i, (title, page) in enumerate(marks)}


@pytest.fixture(scope="module")
def assistant_es(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's virtual assistant's handbook in Spanish, from sops/locale/es.po."""
    return _pdf(_example(tmp_path_factory.mktemp("es")), "virtual-assistant", "--lang", "es")


def test_the_spanish_handbook_prints_the_translation_and_marks_the_one_changed_step(assistant_es: Path) -> None:
    text = _text(assistant_es)
    assert "Manual de Asistente virtual" in text
    assert "Clasificar la bandeja de entrada de la dueña" in text
    assert "Día 1" in text
    parts = _parts(assistant_es)
    calendar = next(title for title in parts if "agenda de la dueña" in title)
    assert CALENDAR_STEP in parts[calendar]
    assert FUZZY in parts[calendar], "the English step is marked, in Spanish"
    assert ONE_FUZZY in parts[calendar], "its SOP counts it"
    assert text.count(ONE_FUZZY) == 1
    for title, part in parts.items():
        if title != calendar and not title.startswith("Listas de verificación"):
            assert FUZZY not in part and MISSING not in part and "de este procedimiento" not in part, title


def test_the_bookmarks_hold_the_translated_sop_titles(assistant_es: Path, tmp_path: Path) -> None:
    project = _example(tmp_path)
    catalog = load(project)
    spanish = translate(catalog, read(project, project / "sops", "es").messages, "es").catalog
    titles = {title for title in _parts(assistant_es)}
    for task in spanish.roles["virtual-assistant"].active_tasks:
        assert task.title in titles
    assert "Triage the owner's inbox" not in titles
    assert "Contenido" in titles, "the handbook's own words are Spanish too"


def test_a_partly_translated_roles_part_is_marked_with_its_count(tmp_path: Path) -> None:
    """A role of which one text is translated: each of the others is marked, and counted at the top
    of its part (a role nobody has translated yet says so once: tests/test_untranslated_pages.py)."""
    project = _example(tmp_path)
    fill(project, only=lambda context, text: context == "roles/bookkeeper" and text.startswith("part-time"))
    pdf = _pdf(project, "bookkeeper", "--lang", "es")
    catalog = load(project)
    spanish = translate(catalog, read(project, project / "sops", "es").messages, "es")
    role = spanish.catalog.roles["bookkeeper"]
    count = spanish.stale_in(role)
    assert count > 3
    manual = _parts(pdf)["Bookkeeper"]
    assert f"{count} textos de este puesto aún no están traducidos." in manual
    assert MISSING in manual and FUZZY not in manual
    assert "ES: part-time contractor" in manual
    assert role.data.responsibilities[0].split()[0] in manual


def test_the_source_language_prints_no_mark(tmp_path: Path) -> None:
    project = _example(tmp_path)
    text = _text(_pdf(project, "virtual-assistant", "--lang", "en"))
    assert "Triage the owner's inbox" in text
    assert "not yet translated" not in text and "changed since it was translated" not in text


def test_a_language_with_no_catalog_is_a_clear_error(tmp_path: Path) -> None:
    project = _example(tmp_path)
    result = run(project, "pdf", "--role", "virtual-assistant", "--lang", "de", "-o", str(tmp_path / "out"))
    assert result.exit_code != 0
    assert "sops/locale/de.po" in result.output and "sopgen i18n update de" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
    bad = run(project, "pdf", "--lang", "no such", "-o", str(tmp_path / "out"))
    assert bad.exit_code != 0 and "--lang" in bad.output


# -- the marks in the data, Markdown kept ----------------------------------------------------

def _small(tmp_path: Path, base_project: Path) -> Path:
    project = tmp_path / "small"
    shutil.copytree(base_project, project)
    build_tree(project, {"sops/tasks/send-invoices.yml": """
        title: Send client invoices
        role: bookkeeper
        purpose: Clients pay on time when invoices go out on time.
        frequency: weekly
        steps:
          - do: Send **every** invoice from [Wave](https://www.waveapps.com).
          - do: "Charge #4 at $5 * 2 ] then stop."
          - do: Check the *terms*.
        quiz:
          - question: "When do invoices go out? #1 $ ]"
            choices: [Friday, Monday]
            answer: 0
        maintainer: owner
        reviewed: 2026-01-01
        review_every: 1200 months
    """})
    add_translations(project, "es")
    update(project, "es")
    return project


def _data(project: Path, lang: str = "es") -> dict:
    from sopgen.print.handbook import handbook
    from sopgen.text.i18n import language

    catalog = load(project)
    spanish = translate(catalog, read(project, project / "sops", lang).messages, lang).catalog
    data, _ = handbook(spanish, role=spanish.roles["bookkeeper"], today=date(2026, 3, 1), version="v",
                       lang=language(lang))
    return data


def _sop(data: dict, ident: str) -> dict:
    return next(c for c in data["chapters"] if c["kind"] == "sop" and c["label"] == f"sop-{ident}")


def test_a_stale_markdown_text_keeps_its_markdown_inside_its_mark(tmp_path: Path, base_project: Path) -> None:
    project = _small(tmp_path, base_project)
    fill(project, only=lambda context, text: "**every**" in text,
         translate=lambda text: "Envía **cada** factura desde [Wave](https://www.waveapps.com).")
    sop = _sop(_data(project), "send-invoices")
    translated, charged, terms = (step["do"] for step in sop["steps"])
    assert translated == 'Envía #strong[cada]; factura desde #link("https://www.waveapps.com")[Wave];\\.'
    assert terms == '#stale("missing")[Check the #emph[terms];\\.];'
    assert charged.startswith('#stale("missing")[') and "\\#4" in charged and "\\$5" in charged
    assert sop["title_stale"] == "missing"
    assert (sop["stale"]["missing"], sop["stale"]["fuzzy"]) == (7, 0), "title, purpose, 2 steps, the quiz's 3 texts"
    assert sop["quiz"][0]["question_stale"] == "missing"
    assert sop["quiz"][0]["choices"][0]["text_stale"] == "missing"


def test_a_stale_text_with_typst_characters_prints_them_literally(tmp_path: Path, base_project: Path) -> None:
    project = _small(tmp_path, base_project)
    text = _text(_pdf(project, "bookkeeper", "--lang", "es"))
    assert "Charge #4 at $5 * 2 ] then stop." in text
    assert "When do invoices go out? #1 $ ]" in text
    assert "Send every invoice from Wave." in text
    assert MISSING in text


def test_a_step_changed_after_translation_is_marked_until_it_is_translated_again(
        tmp_path: Path, base_project: Path) -> None:
    """Acceptance: a source step changed after translation → ``i18n update`` → the Spanish PDF marks
    exactly that step and counts 1; translated again → no mark."""
    project = _small(tmp_path, base_project)
    fill(project)
    clean = _text(_pdf(project, "bookkeeper", "--lang", "es"))
    assert "ES: Check the *terms*." not in clean and "ES: Check the terms." in clean
    assert MISSING not in clean and FUZZY not in clean and "de este procedimiento" not in clean
    edit(project / "sops" / "tasks" / "send-invoices.yml", "Check the *terms*.", "Check the *payment terms*.")
    update(project, "es")
    parts = _parts(_pdf(project, "bookkeeper", "--lang", "es"))
    sop = parts["ES: Send client invoices"]
    assert "Check the payment terms." in sop and FUZZY in sop and ONE_FUZZY in sop
    assert sop.count(FUZZY) == 2, "the step, and its line of the SOP's checklist"
    whole = _text(project / "out" / "bookkeeper.pdf")
    assert whole.count(FUZZY) == 3 and whole.count(ONE_FUZZY) == 1, "and its line of the role's checklists"
    assert MISSING not in whole
    fill(project)
    again = _text(_pdf(project, "bookkeeper", "--lang", "es"))
    assert "ES: Check the *payment terms*." not in again and "ES: Check the payment terms." in again
    assert FUZZY not in again and "de este procedimiento" not in again


# -- which translation, and where it goes -----------------------------------------------------

def test_a_translation_goes_under_its_language_in_the_site_folder(tmp_path: Path) -> None:
    project = _example(tmp_path)
    result = run(project, "pdf", "--role", "virtual-assistant", "--lang", "ES")
    assert result.exit_code == 0, result.output
    assert (project / "site" / "es" / "pdf" / "virtual-assistant.pdf").is_file(), "the catalog's code, es"
    assert not (project / "site" / "pdf").exists()


def test_a_listed_language_without_its_catalog_prints_every_text_marked(tmp_path: Path, base_project: Path) -> None:
    project = tmp_path / "small"
    shutil.copytree(base_project, project)
    add_translations(project, "fr")
    result = run(project, "pdf", "--role", "bookkeeper", "--lang", "fr", "-o", str(project / "out"))
    assert result.exit_code == 0, result.output
    assert "sops/locale/fr.po does not exist yet" in result.output
    text = _text(project / "out" / "bookkeeper.pdf")
    assert "Match each transaction." in text
    # nothing is translated: each part says so once, and the role's checklists mark each line
    assert "Cette procédure n’est pas encore traduite : elle est affichée en anglais." in text
    assert "PAS ENCORE TRADUIT" in text and "textes de cette procédure ne sont pas encore traduits." not in text


def test_a_broken_catalog_stops_at_its_line_and_makes_no_pdf(tmp_path: Path) -> None:
    project = _example(tmp_path)
    po = project / "sops" / "locale" / "es.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "unclosed\nmsgstr ""\n', encoding="utf-8")
    result = run(project, "pdf", "--role", "virtual-assistant", "--lang", "es", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1, result.output
    assert "sops/locale/es.po:" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out" / "virtual-assistant.pdf").exists()
