"""The interface's gettext catalogs (sopgen/locale/): every message sopgen adds, extracted by Babel from
the templates and the code (the scripts' words included), is translated in every shipped language,
keeping its placeholders; a missing word or language reads in English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from conftest import REPO

from sopgen.site.messages import MESSAGES
from sopgen.text.i18n import LOCALE_DIR, available, language

SHIPPED = ["de", "en", "es", "fr", "pt"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def _extracted() -> dict[object, str]:
    """Every message of the package, by (context, msgid) (a plural's msgid as its (singular, plural)),
    with where it is."""
    with (REPO / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[object, str] = {}
    for filename, line, message, _comments, context in extract_from_dir(str(REPO), method_map, options_map):
        found.setdefault((context, message if isinstance(message, str) else tuple(message)), f"{filename}:{line}")
    return found


@pytest.fixture(scope="module")
def extracted() -> dict[object, str]:
    return _extracted()


def _catalog(lang: str):
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "sopgen.po").open("rb") as file:
        return read_po(file, locale=lang)


def test_the_five_languages_are_shipped() -> None:
    assert available() == SHIPPED


def test_extraction_finds_the_templates_the_code_and_the_scripts_words(extracted: dict[object, str]) -> None:
    places = set(extracted.values())
    assert any(p.startswith("templates/sop.md.j2") for p in places)
    assert any(p.startswith("sopgen/site/navigation.py") for p in places)
    assert {(None, message) for message in MESSAGES.values()} <= set(extracted)
    assert (None, "Done when") in extracted and (None, ("Every %(num)s week", "Every %(num)s weeks")) in extracted
    assert ("person", "By") in extracted and ("deadline", "By") in extracted  # one word, two meanings
    assert (None, "Page %(page)s of %(pages)s") in extracted  # the PDF templates' (Typst)


def test_the_template_of_the_catalogs_is_up_to_date(extracted: dict[object, str]) -> None:
    with (LOCALE_DIR / "sopgen.pot").open("rb") as file:
        pot = {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)) for m in read_po(file) if m.id}
    assert set(extracted) - pot == set(), "refresh sopgen/locale/sopgen.pot (README.md, \"Languages\")"
    assert pot - set(extracted) == set()


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_message_is_translated(lang: str, extracted: dict[object, str]) -> None:
    catalog = _catalog(lang)
    missing = []
    for (context, key), where in extracted.items():
        message = catalog.get(key if isinstance(key, str) else key[0], context=context)
        strings = () if message is None else (message.string,) if isinstance(message.string, str) else message.string
        if message is None or message.fuzzy or not strings or not all(s.strip() for s in strings):
            missing.append(f"{where}: {key!r}")
    assert missing == []


@pytest.mark.parametrize("lang", SHIPPED)
def test_translations_keep_the_placeholders(lang: str) -> None:
    wrong = []
    for message in _catalog(lang):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        wanted = {name for text in ids for name in PLACEHOLDER.findall(text)}
        for text in strings:
            if {name for name in PLACEHOLDER.findall(text)} != wanted:
                wrong.append((message.id, text))
    assert wrong == []


def test_a_language_reads_its_catalog_and_falls_back_to_english() -> None:
    german = language("de")
    assert german.gettext("Steps") == "Schritte"
    assert german.gettext("A sentence no catalog has") == "A sentence no catalog has"
    assert german.ngettext("Every %(num)s week", "Every %(num)s weeks", 2) == "Alle 2 Wochen"
    assert language("pt-BR").gettext("Steps") == "Passos"  # the nearest catalog
    assert language("sv").gettext("Steps") == "Steps"  # a language sopgen is not shipped in: English
    assert language("en").gettext("Steps") == "Steps"
    assert (german.pgettext("deadline", "By"), german.pgettext("person", "By")) == ("Bis", "Von")


def test_dates_numbers_and_money_follow_the_locale() -> None:
    from datetime import date

    day = date(2026, 11, 29)
    assert language("de").date(day) == "29. November 2026"
    assert language("es").date(day) == "29 de noviembre de 2026"
    assert language("en").date(day) == "2026-11-29"  # sopgen's English dates stay ISO 8601
    assert language("de").money("1000", "USD") == "1.000\u00a0$"
    assert language("de").money("1000.5", "USD") == "1.000,50\u00a0$"
    assert language("fr").money("6.25", "EUR") == "6,25\u00a0€"
    assert language("en").money("1000", "USD") == "$1,000"
    assert language("de").number(0.7, digits=1) == "0,7"


def test_the_catalogs_are_package_data() -> None:
    assert LOCALE_DIR == Path(__import__("sopgen").__file__).parent / "locale"
    assert not any(line.strip().endswith((".po", ".pot")) for line in (REPO / ".gitignore").read_text().splitlines())


@pytest.mark.parametrize("lang", SHIPPED)
def test_no_message_is_in_a_catalog_twice(lang: str) -> None:
    """Two branches that add the same message leave it twice after a merge; Babel reads the first
    and drops the other silently, so the words shown would not be those a test expects."""
    text = (LOCALE_DIR / lang / "LC_MESSAGES" / "sopgen.po").read_text(encoding="utf-8")
    entries = re.findall(r'(?m)^(?:msgctxt (".*")\n)?msgid ((?:".*"\n)+)', text)
    keys = [(context, "".join(msgid.split("\n"))) for context, msgid in entries]
    twice = sorted({key for key in keys if keys.count(key) > 1 and key[1] != '""'})
    assert not twice, twice
