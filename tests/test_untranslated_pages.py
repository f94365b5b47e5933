"""A page of a translation that nobody has translated yet (README.md, "The translated site"): said
once, in a banner, its texts quietly in the source's language (``lang="en"``, no label each); a
page that mixes translated and stale texts labels each stale one; a text changed since it was
translated is always labelled. The PDF's parts likewise; and every page's ``<head>`` links the same
page in each language (``hreflang``)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run
from i18nhelp import add_translations, edit, fill, update
from test_pdf_translated import FUZZY, MISSING, _parts, _pdf, _text
from test_translated_site import SOP, banner_count, build

LABEL = 'class="sopgen-stale-label"'
NOT_TRANSLATED = "Esta página aún no está traducida: se muestra en inglés."


def labels(html: str) -> list[str]:
    return re.findall(r'class="sopgen-stale-label" data-stale="(\w+)"', html)


def untranslated_banner(html: str) -> bool:
    return bool(re.search(r'class="sopgen-stale-banner"[^>]*data-untranslated', html))


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("example")
    shutil.copytree(REPO / "sops", project / "sops")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    return build(project)


def test_a_role_nobody_translated_says_so_once_and_labels_no_text(example_site: Path) -> None:
    for path in ("es/roles/bookkeeper/index.html", "es/sops/send-client-invoices/index.html",
                 "es/roles/bookkeeper/onboarding/index.html", "es/roles/bookkeeper/checklists/index.html"):
        page = (example_site / path).read_text(encoding="utf-8")
        assert page.count('class="sopgen-stale-banner"') == 1 and untranslated_banner(page), path
        assert NOT_TRANSLATED in page, path
        assert LABEL not in page and banner_count(page) == 0, path
        # still in English, said to screen readers and spelling checkers
        assert '<span class="sopgen-stale-quiet" data-stale="missing" lang="en">' in page, path
    role = (example_site / "es/roles/bookkeeper/index.html").read_text(encoding="utf-8")
    assert '<span class="sopgen-stale-quiet" data-stale="missing" lang="en">Bookkeeper</span>' in role


def test_a_role_whose_title_alone_is_translated_keeps_its_labels(example_site: Path) -> None:
    """The example's owner: its title is translated (other pages name it), nothing else: a page that
    mixes translated and missing texts labels each missing one."""
    page = (example_site / "es/roles/owner/index.html").read_text(encoding="utf-8")
    assert not untranslated_banner(page) and "Consultora principal (propietaria)" in page
    assert set(labels(page)) == {"missing"} and banner_count(page) == len(set(re.findall(r'data-text="(\w+)"', page)))


def test_the_checklists_of_a_role_with_one_stale_step_label_it(example_site: Path) -> None:
    page = (example_site / "es/roles/virtual-assistant/checklists/index.html").read_text(encoding="utf-8")
    assert set(labels(page)) == {"fuzzy"} and banner_count(page) == 1 and not untranslated_banner(page)


def test_the_calendars_one_fuzzy_step_is_still_labelled_and_counted(example_site: Path) -> None:
    page = (example_site / "es/sops/manage-owner-calendar/index.html").read_text(encoding="utf-8")
    assert set(labels(page)) == {"fuzzy"} and banner_count(page) == 1 and not untranslated_banner(page)
    assert NOT_TRANSLATED not in page


def test_a_page_partly_translated_labels_each_missing_text(base_project: Path) -> None:
    add_translations(base_project, "es")
    update(base_project)
    fill(base_project, only=lambda context, text: context != "tasks/send-invoices" or "rate" not in text)
    page = (build(base_project) / "es" / SOP).read_text(encoding="utf-8")
    assert not untranslated_banner(page) and NOT_TRANSLATED not in page
    assert labels(page) and set(labels(page)) == {"missing"}
    assert banner_count(page) == len(set(re.findall(r'data-text="(\w+)"', page)))
    assert "sopgen-stale-quiet" not in page


def test_an_untranslated_page_with_one_fuzzy_text_labels_only_that_one(base_project: Path) -> None:
    add_translations(base_project, "es")
    update(base_project)
    fill(base_project, only=lambda context, text: context == "tasks/send-invoices" and text == "Check the rate.")
    edit(base_project / "sops/tasks/send-invoices.yml", "Check the rate.", "Check the *hourly* rate.")
    update(base_project)
    page = (build(base_project) / "es" / SOP).read_text(encoding="utf-8")
    assert untranslated_banner(page) and NOT_TRANSLATED in page
    assert set(labels(page)) == {"fuzzy"} and banner_count(page) == 1, labels(page)
    assert "1 texto cambió desde que se tradujo y está marcado." in page
    assert 'class="sopgen-stale-quiet"' in page


def test_a_wholly_translated_page_says_nothing(base_project: Path) -> None:
    add_translations(base_project, "es")
    update(base_project)
    fill(base_project)
    page = (build(base_project) / "es" / SOP).read_text(encoding="utf-8")
    assert "sopgen-stale" not in page


# -- the PDF ----------------------------------------------------------------------------------

def test_an_untranslated_roles_pdf_parts_say_so_once(tmp_path: Path) -> None:
    project = tmp_path / "example"
    shutil.copytree(REPO / "sops", project / "sops")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    pdf = _pdf(project, "bookkeeper", "--lang", "es")
    cover = _text(pdf, 1, 1)
    assert re.search(r"\d+ textos aún en inglés", cover) and "marcado" not in cover, "not every one is marked"
    parts = _parts(pdf)
    manual, invoices = parts["Bookkeeper"], parts["Send client invoices"]
    assert "Este puesto aún no está traducido: se muestra en inglés." in manual
    assert "Este procedimiento aún no está traducido: se muestra en inglés." in invoices
    for part in (manual, invoices):
        assert MISSING not in part and FUZZY not in part
        assert "aún no están traducidos" not in part


def test_an_untranslated_pdf_part_with_one_fuzzy_text_labels_only_that_one(base_project: Path) -> None:
    add_translations(base_project, "es")
    update(base_project)
    fill(base_project, only=lambda context, text: context == "tasks/send-invoices" and text == "Check the rate.")
    edit(base_project / "sops/tasks/send-invoices.yml", "Check the rate.", "Check the *hourly* rate.")
    update(base_project)
    sop = next(part for title, part in _parts(_pdf(base_project, "bookkeeper", "--lang", "es")).items()
               if title == "Send client invoices")
    assert "Este procedimiento aún no está traducido: se muestra en inglés." in sop
    assert "1 texto de este procedimiento cambió desde que se tradujo." in sop
    assert MISSING not in sop and sop.count(FUZZY) == 1, "a sub-step: not on the SOP's checklist"


# -- the head's links to each language ----------------------------------------------------------

def test_every_page_links_its_other_languages_in_its_head(example_site: Path) -> None:
    for path in ("sops/triage-inbox/index.html", "es/sops/triage-inbox/index.html"):
        head = (example_site / path).read_text(encoding="utf-8").split("</head>")[0]
        up = "../../" if path.startswith("sops") else "../../../"
        assert f'<link rel="alternate" hreflang="en" href="{up}sops/triage-inbox/">' in head, head
        assert f'<link rel="alternate" hreflang="es" href="{up}es/sops/triage-inbox/">' in head, head
        assert f'<link rel="alternate" hreflang="x-default" href="{up}sops/triage-inbox/">' in head, head
    home = (example_site / "es/index.html").read_text(encoding="utf-8").split("</head>")[0]
    assert '<link rel="alternate" hreflang="en" href="../">' in home


def test_no_alternate_links_without_translations(base_project: Path) -> None:
    page = (build(base_project) / SOP).read_text(encoding="utf-8")
    assert 'rel="alternate" hreflang' not in page


def test_the_navigation_says_which_pages_are_in_english(example_site: Path) -> None:
    """A page nobody has translated yet is named in English in the Spanish navigation: its links there
    (and in the footer) carry lang="en"; a translated page's do not."""
    page = (example_site / "es/roles/bookkeeper/index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="\./" class="md-nav__link md-nav__link--active" lang="en">', page), page
    assert re.search(r'<a href="\.\./virtual-assistant/" class="md-nav__link">', page)
    assert re.search(r'<a href="\.\./owner/" class="md-nav__link">', page), "a page partly translated"
    english = (example_site / "roles/bookkeeper/index.html").read_text(encoding="utf-8")
    assert 'lang="en"' not in english.split("</head>")[1].split('class="md-content"')[0], "the source says nothing"


def test_the_alternate_links_are_absolute_under_site_url(base_project: Path) -> None:
    add_translations(base_project, "es")
    edit(base_project / "mkdocs.yml", "site_name: Corpus base", "site_name: Corpus base\nsite_url: https://handbook.example.com/")
    update(base_project)
    site = build(base_project)
    for page in (site / SOP, site / "es" / SOP):
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        assert '<link rel="alternate" hreflang="en" href="https://handbook.example.com/sops/send-invoices/">' in head
        assert '<link rel="alternate" hreflang="es" href="https://handbook.example.com/es/sops/send-invoices/">' in head
        assert '<link rel="alternate" hreflang="x-default" href="https://handbook.example.com/sops/send-invoices/">' in head


# -- the checklists chapter and the answer key -----------------------------------------------------

NOT_YET = "Aún no traducido: se muestra en inglés."
"""What an SOP nobody has translated yet says once under its checklist's heading and in the answer key."""


def _lines_and_answers(pdf: Path, role: str) -> tuple[str, str]:
    parts = _parts(pdf)
    return parts[f"Listas de verificación: {role}"], parts["Respuestas"]


def test_the_checklists_and_answers_of_sops_nobody_translated_say_so_once_each(tmp_path: Path) -> None:
    project = tmp_path / "example"
    shutil.copytree(REPO / "sops", project / "sops")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    checklists, answers = _lines_and_answers(_pdf(project, "bookkeeper", "--lang", "es"), "Bookkeeper")
    assert MISSING not in checklists and MISSING not in answers
    assert "Send client invoices" in checklists and "Send client invoices" in answers
    sops = 4  # the bookkeeper's SOPs in force, each with its checklist; three of them have a quiz
    assert checklists.count(NOT_YET) == sops and answers.count(NOT_YET) == 3


def test_the_checklists_of_a_translated_role_keep_the_one_fuzzy_label_and_say_nothing_else(tmp_path: Path) -> None:
    project = tmp_path / "example"
    shutil.copytree(REPO / "sops", project / "sops")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    checklists, answers = _lines_and_answers(_pdf(project, "virtual-assistant", "--lang", "es"), "Asistente virtual")
    assert checklists.count(FUZZY) == 1 and MISSING not in checklists and NOT_YET not in checklists
    assert "Open next week in Google Calendar in Week view" in checklists
    assert MISSING not in answers and FUZZY not in answers and NOT_YET not in answers


def test_the_checklist_and_answers_of_a_partly_translated_sop_keep_their_labels(base_project: Path) -> None:
    add_translations(base_project, "es")
    update(base_project)
    fill(base_project, only=lambda context, text: context == "tasks/send-invoices" and text == "Send client invoices")
    checklists, answers = _lines_and_answers(_pdf(base_project, "bookkeeper", "--lang", "es"), "Bookkeeper")
    assert "ES: Send client invoices" in checklists
    assert checklists.count(NOT_YET) == 1, "the other SOP's (Reconcile the bank account), nobody translated it"
    assert checklists.count(MISSING) == 3, "its three steps, each labelled"
    assert "Friday" in answers and MISSING in answers and NOT_YET not in answers


def test_the_checklist_of_an_untranslated_sop_labels_its_one_fuzzy_step(base_project: Path) -> None:
    add_translations(base_project, "es")
    update(base_project)
    fill(base_project, only=lambda context, text: context == "tasks/send-invoices" and text == "Send the invoices.")
    edit(base_project / "sops/tasks/send-invoices.yml", "Send the invoices.", "Send the *invoices*.")
    update(base_project)
    checklists, answers = _lines_and_answers(_pdf(base_project, "bookkeeper", "--lang", "es"), "Bookkeeper")
    assert checklists.count(NOT_YET) == 2, "it and the other SOP (Reconcile the bank account)"
    assert checklists.count(FUZZY) == 1 and MISSING not in checklists
    assert "Export the week's billable hours." in checklists and "Friday" in answers
    assert answers.count(NOT_YET) == 1 and MISSING not in answers, "only it has a quiz"
