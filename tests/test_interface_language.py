"""organization.yml's `language`: every word sopgen adds to the site is in it (README.md, "Languages").

The example (its sources are English, and stay so) is built with `language: de`, and every page is
walked: the words sopgen adds (headings, table headers, buttons, admonition titles, navigation, the
facts' labels) are German, none of a kept list of English interface words is left, and dates and
money read as Germans write them. A Spanish build is spot-checked.
"""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from pypdf import PdfReader

from sopgen.cli.main import main

ENGLISH_INTERFACE = {
    # headings
    "Steps", "Done when", "Purpose", "Checklist", "Benchmarks", "Check your understanding", "Revision history",
    "Needed for", "Before you start", "Responsibilities", "What you need to know", "Tools", "How you are trained",
    "Recorded sessions", "How success is measured", "Procedures", "Who reports to this role", "Roles",
    "Start here", "Printable handbooks", "Must re-learn", "Onboarding", "Sign-offs", "Results", "Overdue",
    "Never reviewed", "Up to date", "Daily", "Weekly", "Monthly", "Quarterly", "Yearly", "As needed", "Reviews",
    "Changelog", "Delegation", "People", "Checklists",
    # table headers
    "Objective", "Measure", "Target", "By", "Version", "Date", "Change", "Role", "Reports to", "SOPs",
    "Hours a week", "Value freed a week", "SOP", "Frequency", "One run", "Status", "Tool", "What it is for",
    "How you get access", "Maintainer", "Reviewed", "Next review", "Person", "Current", "Re-learn", "To learn",
    "Phase", "Due", "State", "Note", "Benchmark", "Latest result", "Result", "Met", "Hours", "Owner's time",
    "To delegate", "Freed", "Task", "Freed a week", "Freed a year", "Access", "Owner's time a week",
    "To delegate a week", "Total", "What they use it for",
    # buttons, admonition titles, labels, the navigation
    "Check answers", "Try again", "Answers", "Why", "Tip", "Warning", "Draft", "Retired", "Active", "History",
    "Home", "Reference", "Role:", "Frequency:", "Duration:", "Tools:", "Maintainer:", "Version:",
    "Next review:", "Tags:", "Reports to:", "Rate:", "SOPs:", "Frees the owner:", "Engagement:", "Started:",
    "Trainer:", "Signed off and current:", "Goals", "SOPs to learn", "Onboarding guide", "Printable checklists",
    "Handbook (PDF)",
}
"""What sopgen writes in English as a whole heading, header cell, button, label or navigation entry."""
ENGLISH_PHRASES = ["in force since", "Status on", "a run", "Learn or finish these first",
                   "Delegating frees", "Done by", "Signature", "Back to the", "Used in:", "no SOPs in force",
                   "The operations handbook of", "gets up to speed", "regularly (by default every",
                   "misses the target", "'s results for", "at least 100%"]
"""English phrases sopgen writes inside sentences: none is in the example's sources (checked), so any
one found on a German page is sopgen's."""
PDF_PHRASES = ["Page 2 of", "Answer key", "Done by", "Signature", "Revision history", "Check your understanding",
               "How you get access", "What it is for", "Hours a week", "in force since", "Next review",
               "Learn or finish these first", "The answers are in the answer key", "Operations handbook",
               "A printed copy is a snapshot", "Bookkeeper handbook", "not under version control", "Who reports to",
               "Owner's time", "To delegate", "Freed a year", "Never reviewed", "Status on", "a run"]
"""English phrases of the PDFs, none of them in the example's sources (checked)."""
GERMAN_PDF = ["Seite 2 von", "Inhalt", "Lösungen", "Erledigt von", "Unterschrift", "Schritte", "Zweck",
              "Erledigt, wenn", "Checkliste", "Zuständigkeiten", "Betriebshandbuch", "Handbuch Bookkeeper",
              "Nächste Überprüfung", "Zeit der Inhaberin", "Nie überprüft"]
SAME_IN_GERMAN = {"Delegation", "Phase", "Version", "Person", "Status", "Version:"}
"""Interface words German writes as English does."""
GERMAN = ["Schritte", "Erledigt, wenn", "Zweck", "Checkliste", "Prüfen Sie Ihr Verständnis",
          "Antworten prüfen", "Noch einmal", "Rollen", "Startseite", "Werkzeuge", "Überprüfungen",
          "Änderungsprotokoll", "Einarbeitung", "Checklisten", "Arbeitsanweisungen", "Stunden pro Woche",
          "Wöchentlich", "Monatlich", "Zuständigkeiten"]
MONTHS_DE = "Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
ELEMENTS = re.compile(
    r"<(h[1-6]|th|button|summary|strong|legend)\b[^>]*>(.*?)</\1>"
    r"|<p class=\"admonition-title\">(.*?)</p>"
    r"|<span class=\"md-ellipsis\">(.*?)</span>"
    r"|<span class=\"sopgen-badge[^\"]*\">(.*?)</span>", re.S)


def _project(tmp: Path, language: str) -> Path:
    project = tmp / "project"
    shutil.copytree(REPO / "sops", project / "sops")
    shutil.copyfile(REPO / "mkdocs.yml", project / "mkdocs.yml")
    organization = project / "sops/organization.yml"
    written = re.sub(r"(?m)^translations:.*\n", "", organization.read_text(encoding="utf-8"))  # the interface alone
    organization.write_text(written + f"language: {language}\n", encoding="utf-8")
    return project


def _build(tmp: Path, language: str, *, pdf: bool = False) -> Path:
    project = _project(tmp, language)
    result = CliRunner().invoke(main, ["build", "--pdf" if pdf else "--no-pdf", "-f", str(project / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    return project / "site"


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _article(html: str) -> str:
    """The page without the theme's search and footer, with its navigation and content."""
    return html.split('<div class="md-search"', 1)[0] + html.split('<div class="md-main__inner', 1)[-1]


def _interface_texts(html: str) -> list[str]:
    return [_text(next(g for g in match.groups()[1:] if g is not None)) for match in ELEMENTS.finditer(_article(html))]


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("de"), "de", pdf=True)


@pytest.fixture(scope="module")
def pages(german: Path) -> dict[str, str]:
    return {p.relative_to(german).as_posix(): p.read_text(encoding="utf-8") for p in german.rglob("index.html")
            if "search" not in p.parts}


def test_the_kept_english_phrases_are_not_in_the_sources() -> None:
    sources = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in (REPO / "sops").rglob("*.yml"))
    assert [phrase for phrase in ENGLISH_PHRASES + PDF_PHRASES if phrase in sources] == []


@pytest.fixture(scope="module")
def pdf_texts(german: Path) -> dict[str, str]:
    texts = {p.name: "\n".join(page.extract_text() for page in PdfReader(p).pages) for p in (german / "pdf").glob("*.pdf")}
    assert set(texts) >= {"handbook.pdf", "bookkeeper.pdf"}
    return {name: " ".join(text.split()) for name, text in texts.items()}


def test_no_english_interface_words_in_the_pdfs(pdf_texts: dict[str, str]) -> None:
    left = {name: [phrase for phrase in PDF_PHRASES if phrase in text] for name, text in pdf_texts.items()}
    assert {name: found for name, found in left.items() if found} == {}
    handbook = pdf_texts["handbook.pdf"] + pdf_texts["bookkeeper.pdf"]
    assert [word for word in GERMAN_PDF if word not in handbook] == []
    assert re.search(rf"Datum \d{{1,2}}\. ({MONTHS_DE}) \d{{4}}", handbook)
    assert re.search(r"\b\d{1,3}\.\d{3} \$", pdf_texts["handbook.pdf"])  # 5.761 $


def test_no_english_interface_word_is_left_on_any_page(pages: dict[str, str]) -> None:
    assert len(pages) > 30
    left = {}
    for path, html in pages.items():
        found = sorted({t for t in _interface_texts(html) if t in ENGLISH_INTERFACE - SAME_IN_GERMAN})
        found += [phrase for phrase in ENGLISH_PHRASES if phrase in _text(_article(html))]
        if found:
            left[path] = found
    assert left == {}


def test_the_german_words_are_there(pages: dict[str, str]) -> None:
    texts = {t for html in pages.values() for t in _interface_texts(html)}
    assert [word for word in GERMAN if word not in texts] == []
    sop = _text(pages["sops/send-client-invoices/index.html"])
    assert "Next review:" not in sop and "Nächste Überprüfung:" in sop
    dana_html = pages["people/dana-whitfield/index.html"]
    headers = re.findall(r"<th[^>]*>(.*?)</th>", dana_html)
    assert "Von" in headers and "Bis" in headers  # "By" a person (sign-offs), "By" a date (benchmarks)
    dana = _text(dana_html)  # her results' chart, an inline SVG
    assert "Zielwert: mindestens 100%" in dana and "verfehlt den Zielwert" in dana


def test_dates_and_money_are_written_as_in_german(pages: dict[str, str]) -> None:
    reviews = _text(pages["reviews/index.html"])
    assert re.search(rf"Stand vom \d{{1,2}}\. ({MONTHS_DE}) \d{{4}}", reviews), reviews[:400]
    delegation = _text(pages["delegation/index.html"])
    assert re.search(r"\b\d{1,3}\.\d{3} \$", delegation), delegation[:600]  # 5.761 $ (a no-break space)
    assert "\u00a0$" in pages["delegation/index.html"] and not re.search(r"\$\d", delegation)
    assert re.search(r"\d+(,\d)? Std\.", delegation), delegation[:600]


def test_theme_and_search_speak_german(german: Path, pages: dict[str, str]) -> None:
    assert '<html lang="de"' in pages["index.html"]
    index = json.loads((german / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["de"]
    assert "Suche" in pages["index.html"]  # Material's own words too


def test_the_scripts_words_are_german(german: Path, pages: dict[str, str]) -> None:
    words = (german / "assets/sopgen/messages.js").read_text(encoding="utf-8")
    assert "von %(total)s erledigt" in words and "Zurücksetzen" in words
    assert "assets/sopgen/messages.js" in pages["index.html"]
    script = (german / "assets/sopgen/sopgen.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", script, flags=re.S)
    assert re.findall(r"\"[A-Z][a-z]+ [a-z]+[^\"]*\"", code) == []  # no English sentence left in the script


def test_a_spanish_build(tmp_path: Path) -> None:
    site = _build(tmp_path, "es")
    sop = (site / "sops/send-client-invoices/index.html").read_text(encoding="utf-8")
    texts = _interface_texts(sop)
    assert "Pasos" in texts and "Lista de verificación" in texts and "Steps" not in texts
    assert '<html lang="es"' in sop
    reviews = _text((site / "reviews/index.html").read_text(encoding="utf-8"))
    assert re.search(r"\d{1,2} de [a-z]+ de \d{4}", reviews), reviews[:400]
    delegation = _text((site / "delegation/index.html").read_text(encoding="utf-8"))
    assert re.search(r"\b\d{1,3}\.\d{3} US\$", delegation), delegation[:600]


def test_english_stays_the_default(tmp_path: Path) -> None:
    site = _build(tmp_path, "en")
    sop = (site / "sops/send-client-invoices/index.html").read_text(encoding="utf-8")
    assert "Steps" in _interface_texts(sop) and '<html lang="en"' in sop


REPORT_PHRASES = ["Owner's report", "Delegating frees", "Overdue reviews", "Who must re-learn what", "Signed off and current",
                  "Not yet due", "Page 2 of", "Contents", "To delegate", "Status on"]
RECORD_PHRASES = ["Training record", "Evidence of training", "Handbook version", "Trainer signature", "Trainee signature",
                  "To sign", "version in force", "Latest result", "Deadline", "Agreed on", "Page 1 of", "Printed on",
                  "misses the target", "at least 100%"]


def test_the_owners_report_and_a_training_record_are_german(tmp_path: Path) -> None:
    project = _project(tmp_path, "de")
    sources = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in (REPO / "sops").rglob("*.yml"))
    assert [phrase for phrase in REPORT_PHRASES + RECORD_PHRASES if phrase in sources] == []
    config = str(project / "mkdocs.yml")
    result = CliRunner().invoke(main, ["report", "-o", str(tmp_path / "owner.pdf"), "-f", config])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["train", "report", "dana-whitfield", "-o", str(tmp_path / "dana.pdf"),
                                       "--today", "2026-11-29", "-f", config])
    assert result.exit_code == 0, result.output
    report, record = (" ".join(" ".join(page.extract_text() for page in PdfReader(tmp_path / name).pages).split())
                      for name in ("owner.pdf", "dana.pdf"))
    assert [phrase for phrase in REPORT_PHRASES if phrase in report] == []
    assert [phrase for phrase in RECORD_PHRASES if phrase in record] == []
    assert "Bericht der Inhaberin" in report and "Wer was neu lernen muss" in report and "Seite 2 von" in report
    assert "Schulungsnachweis: Dana Whitfield" in record and "Unterschrift der Schulungsperson" in record
    assert re.search(rf"Gedruckt \d{{1,2}}\. ({MONTHS_DE}) \d{{4}}", record), record[:500]


def test_a_theme_language_written_in_mkdocs_yml_wins(tmp_path: Path) -> None:
    project = _project(tmp_path, "de")
    (project / "mkdocs.yml").write_text("site_name: Handbook\ntheme:\n  name: material\n  language: fr\n"
                                        "plugins:\n  - search\n  - sopgen\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--no-pdf", "-f", str(project / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    home = (project / "site/index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in home  # the theme's own words in French, as mkdocs.yml says
    assert re.search(r">\s*Startseite\s*<", home)  # sopgen's in the organization's language
    index = json.loads((project / "site/search/search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["fr"]


def test_sopgen_render_writes_the_theme_language(tmp_path: Path) -> None:
    import yaml

    from sopgen.site.config import theme_language, with_features

    project = _project(tmp_path, "pt-BR")
    result = CliRunner().invoke(main, ["render", str(tmp_path / "out"), "-f", str(project / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    written = yaml.safe_load((tmp_path / "out/mkdocs.yml").read_text(encoding="utf-8").split("\n", 2)[2])
    assert written["theme"]["language"] == "pt-BR"  # Material's and Zensical's name for it
    assert "Passos" in (tmp_path / "out/docs/sops/send-client-invoices.md").read_text(encoding="utf-8")
    assert [theme_language(code) for code in ("de", "de-AT", "pt-br", "zh-TW", "es_MX")] == ["de", "de", "pt-BR",
                                                                                            "zh-TW", "es"]
    assert theme_language("sw", [tmp_path]) == "en"  # a theme without words in that language: its English
    assert with_features({"name": "material", "language": "it"}, language="de")["language"] == "it"


def test_the_language_is_one_value_handed_down_not_a_global(tmp_path: Path) -> None:
    from sopgen.print.pdf import plan
    from sopgen.site.generate import generate

    project = _project(tmp_path, "de")
    made = {code: generate(project, lang=code) for code in (None, "fr", "en")}  # one process, three languages
    sop = "sops/send-client-invoices.md"
    assert [m.lang.code for m in made.values()] == ["de", "fr", "en"]
    assert "## Schritte" in made[None].site.pages[sop].markdown
    assert "## Étapes" in made["fr"].site.pages[sop].markdown
    assert "## Steps" in made["en"].site.pages[sop].markdown
    assert [list(m.site.nav[0]) for m in made.values()] == [["Startseite"], ["Accueil"], ["Home"]]
    assert "Zurücksetzen" in made[None].site.texts["assets/sopgen/messages.js"]
    assert "Réinitialiser" in made["fr"].site.texts["assets/sopgen/messages.js"]
    jobs = plan(made["fr"].catalog, tmp_path / "pdf", roles=["bookkeeper"], today=made["fr"].today, lang=made["fr"].lang)
    assert jobs[0].data["words"]["Contents"] == "Sommaire" and jobs[0].data["lang"] == "fr"


def test_a_language_neither_sopgen_nor_the_theme_speaks_builds_in_english(tmp_path: Path) -> None:
    site = _build(tmp_path, "sw")  # Swahili: Babel knows it, Material has no words in it
    sop = (site / "sops/send-client-invoices/index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in sop and "Steps" in _interface_texts(sop)
