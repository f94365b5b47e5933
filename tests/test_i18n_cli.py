"""``sopgen i18n update|status`` and the translations' checks in ``sopgen validate`` (README.md,
"Translating the handbook")."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run
from i18nhelp import add_translations, edit, fill, messages, po_of, update
from sopgen.core.errors import Problem
from sopgen.core.i18ncheck import UNLISTED
from sopgen.core.loader import load
from sopgen.core.pofile import read
from sopgen.core.translation import Stale, translate


def test_a_step_changed_after_translation_is_stale_until_translated_again(base_project: Path) -> None:
    """The acceptance at the level of the data and the commands: one changed step is one fuzzy
    entry, `status --check` fails naming its SOP, translate() marks it; translating it clears all."""
    add_translations(base_project, "es")
    update(base_project)
    fill(base_project)
    done = run(base_project, "i18n", "status", "--check")
    assert done.exit_code == 0 and "✓ es: all 19 texts translated (sops/locale/es.po)" in done.output, done.output

    edit(base_project / "sops/tasks/send-invoices.yml", "Check the rate.", "Check the hourly rate.")
    output = update(base_project)
    assert "wrote sops/locale/es.po (18 of 19 texts translated, 1 fuzzy, 0 untranslated)" in output
    fuzzy = [(m.context, m.id) for m in messages(base_project) if m.fuzzy]
    assert fuzzy == [("tasks/send-invoices", "Check the hourly rate.")]

    status = run(base_project, "i18n", "status", "--check")
    assert status.exit_code == 1, status.output
    assert "tasks/send-invoices: 1 changed since translated (fuzzy)" in status.output
    assert "fuzzy: Check the hourly rate." in status.output
    assert "✗ stale translations in es: tasks/send-invoices" in status.output
    assert "reconcile-bank" not in status.output

    result = translate(load(base_project), read(base_project, base_project / "sops", "es").messages, "es")
    step = result.catalog.tasks["send-invoices"].steps[1].steps[0].do
    assert isinstance(step, Stale) and step.reason == "fuzzy" and step.translation == "ES: Check the rate."
    assert result.stale == {"tasks/send-invoices": 1}

    fill(base_project)  # the translator translates it again: the fuzzy mark goes
    assert run(base_project, "i18n", "status", "--check").exit_code == 0
    result = translate(load(base_project), read(base_project, base_project / "sops", "es").messages, "es")
    assert result.stale == {} and result.catalog.tasks["send-invoices"].steps[1].steps[0].do == \
        "ES: Check the hourly rate."
    assert "(19 of 19 texts translated, 0 fuzzy, 0 untranslated)" in update(base_project)
    assert "unchanged: sops/locale/es.po" in update(base_project)


def test_new_and_vanished_texts(base_project: Path) -> None:
    add_translations(base_project, "es")
    update(base_project)
    fill(base_project)
    edit(base_project / "sops/tasks/reconcile-bank.yml", "  - do: Match each transaction.",
         "  - do: Match each transaction.\n  - do: Note what does not match, and why.")
    edit(base_project / "sops/tasks/send-invoices.yml", "quiz:\n  - question: When do invoices go out?\n"
         "    choices: [Friday, Monday]\n    answer: 0\n", "")
    output = update(base_project)
    assert "(16 of 17 texts translated, 0 fuzzy, 1 untranslated, 3 obsolete)" in output, output
    status = run(base_project, "i18n", "status")
    assert status.exit_code == 0  # without --check, a list and no failure
    assert "tasks/reconcile-bank: 1 not translated" in status.output
    assert "missing: Note what does not match, and why." in status.output
    assert "! stale translations in es: tasks/reconcile-bank" in status.output
    text = po_of(base_project).read_text(encoding="utf-8")
    assert '#~ msgid "When do invoices go out?"\n#~ msgstr "ES: When do invoices go out?"' in text


def test_status_names_texts_the_catalog_lacks_at_their_source(base_project: Path) -> None:
    add_translations(base_project, "es")
    update(base_project)
    fill(base_project)
    edit(base_project / "sops/tasks/reconcile-bank.yml", "Catch errors and fraud early.", "Catch fraud early.")
    status = run(base_project, "i18n", "status", "es", "--check")
    assert status.exit_code == 1
    assert "sops/tasks/reconcile-bank.yml:3 (not in sops/locale/es.po): missing: Catch fraud early." in status.output
    assert "run 'sopgen i18n update' first" in status.output


def test_status_without_a_catalog_and_without_translations(base_project: Path) -> None:
    result = run(base_project, "i18n", "status", "--check")
    assert result.exit_code == 0 and "✓ no translations" in result.output
    add_translations(base_project, "es")
    result = run(base_project, "i18n", "status", "--check")
    assert result.exit_code == 1
    assert "es: no sops/locale/es.po yet: run 'sopgen i18n update es'" in result.output


def test_status_lists_a_few_texts_per_file_unless_verbose(base_project: Path) -> None:
    update(base_project, "es")
    short = run(base_project, "i18n", "status", "es")
    assert "… and 5 more (-v lists them all)" in short.output, short.output
    full = run(base_project, "i18n", "status", "es", "-v")
    assert "more (-v" not in full.output and "missing: Monday" in full.output


def test_update_needs_a_language_and_says_when_the_site_will_not_publish_it(base_project: Path) -> None:
    none = run(base_project, "i18n", "update")
    assert none.exit_code == 2 and "sopgen i18n update es" in none.output
    named = run(base_project, "i18n", "update", "es")
    assert named.exit_code == 0
    assert ("warning: 'es' is not in the translations of sops/organization.yml: the site does not publish it "
            "until it is listed (translations: [es])") in named.output
    assert po_of(base_project).is_file()
    again = run(base_project, "i18n", "update")  # the catalogs already there are updated too
    assert again.exit_code == 0 and "unchanged: sops/locale/es.po" in again.output


@pytest.mark.parametrize("code, said", [("spanish", "'spanish' is not a language code"),
                                        ("en", "'en' is the sources' own language")])
def test_update_refuses_a_code_that_is_no_translation(base_project: Path, code: str, said: str) -> None:
    result = run(base_project, "i18n", "update", code)
    assert result.exit_code == 2 and said in result.output
    assert not (base_project / "sops/locale").exists()


def test_update_refuses_sources_with_errors_and_writes_nothing(base_project: Path) -> None:
    edit(base_project / "sops/tasks/reconcile-bank.yml", "purpose:", "purpose: [")
    result = run(base_project, "i18n", "update", "es")
    assert result.exit_code == 1 and "sops/tasks/reconcile-bank.yml:" in result.output
    assert not po_of(base_project).exists()


# -- a PO file with a mistake ---------------------------------------------------------------

BROKEN = {
    "unclosed": ('msgstr "ES: Send the invoices."', 'msgstr "ES: Send the invoices.',
                 "the string is not closed, or text follows it"),
    "stray": ('msgstr "ES: Send the invoices."', 'msgstr "ES: Send the invoices."\nSend them',
              "'Send' is not a PO keyword"),
    "no msgstr": ('msgstr "ES: Send the invoices."', "", "this entry has no msgstr"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
@pytest.mark.parametrize("command", [["i18n", "update"], ["i18n", "status"], ["validate"]])
def test_a_po_file_with_a_syntax_error_is_a_located_error(base_project: Path, case: str, command: list[str]) -> None:
    add_translations(base_project, "es")
    update(base_project)
    fill(base_project)
    po = po_of(base_project)
    text = po.read_text(encoding="utf-8")
    old, new, said = BROKEN[case]
    text = text.replace(old, new)
    po.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    entry = next(i for i, line in enumerate(lines, 1) if line == 'msgid "Send the invoices."')
    line = entry + 1 if case != "stray" else entry + 2
    line = entry - 1 if case == "no msgstr" else line  # the entry starts at its msgctxt
    result = run(base_project, *command)
    assert result.exit_code == 1, result.output
    assert f"sops/locale/es.po:{line}:" in result.output and said in result.output, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert po.read_text(encoding="utf-8") == text  # nothing rewritten


def test_a_po_file_that_is_not_utf8_and_a_duplicate_entry(base_project: Path) -> None:
    add_translations(base_project, "es")
    update(base_project)
    po = po_of(base_project)
    text = po.read_text(encoding="utf-8")
    entry = 'msgctxt "tasks/send-invoices"\nmsgid "Monday"\nmsgstr ""\n'
    po.write_text(text + "\n" + entry, encoding="utf-8")
    twice = run(base_project, "validate")
    first = text.split("\n").index('msgid "Monday"')  # 0-based line of msgid: msgctxt is the line before
    assert twice.exit_code == 1
    assert f"the same text (and msgctxt) as the entry of line {first}: keep one of the two" in twice.output
    po.write_bytes(text.replace('msgstr ""', 'msgstr "Lunes"', 1).encode("latin-1", "replace")
                   .replace(b"Lunes", b"Lun\xe9s"))
    latin = run(base_project, "i18n", "status")
    assert latin.exit_code == 1 and "sops/locale/es.po:" in latin.output and "not UTF-8" in latin.output


# -- validate ------------------------------------------------------------------------------

def test_validate_warns_of_a_listed_language_without_catalog_and_a_catalog_not_listed(base_project: Path) -> None:
    add_translations(base_project, "es")
    missing = run(base_project, "validate")
    assert missing.exit_code == 0
    assert ("sops/organization.yml:4:16: warning: translations[0]: there is no sops/locale/es.po yet: run "
            "'sopgen i18n update es' to make it, then translate it") in missing.output, missing.output
    update(base_project, "es", "fr")
    unlisted = run(base_project, "validate")
    assert ("sops/locale/fr.po: warning: 'fr' is not in the translations of sops/organization.yml: the site "
            "does not publish it until it is listed (translations: [fr])") in unlisted.output, unlisted.output
    assert "es.po" not in unlisted.output


def test_a_catalog_whose_header_names_another_language_is_a_warning(base_project: Path) -> None:
    add_translations(base_project, "es")
    update(base_project)
    po = po_of(base_project)
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('"Language: es\\n"', '"Language: fr\\n"'), encoding="utf-8")
    line = text.split("\n").index('"Language: es\\n"') + 1
    result = run(base_project, "validate")
    assert result.exit_code == 0
    assert (f"sops/locale/es.po:{line}:1: warning: the header says the language is 'fr', but the file is that of "
            "'es': correct the header's Language, or the file's name") in result.output, result.output


def test_a_build_only_notes_a_catalog_it_does_not_publish() -> None:
    from sopgen.site.generate import reporter

    logged: list[int] = []

    class Log:
        def log(self, level: int, message: str) -> None:
            logged.append(level)

    report = reporter(Log())  # type: ignore[arg-type]
    report(Problem("sops/locale/fr.po", 0, 0, "", "not listed", "warning", UNLISTED))
    report(Problem("sops/locale/es.po", 3, 1, "", "links differ", "warning", "translation-links"))
    assert logged == [logging.INFO, logging.WARNING]


@pytest.mark.parametrize("translation, said, severity", [
    ("Envía <b>las</b> facturas.", "in the translation: raw HTML '<b>', '</b>' are not allowed in Markdown", "error"),
    ("Envía las facturas ![](media/nada.png).", "the image 'media/nada.png' in the translation:", "error"),
    ("Envía [las facturas](javascript:alert(1)).", "in the translation: the address 'javascript:alert(1)' is not allowed", "error"),
], ids=["html", "image", "script-link"])
def test_a_translated_markdown_text_passes_the_sources_checks(base_project: Path, translation: str, said: str,
                                                              severity: str) -> None:
    add_translations(base_project, "es")
    update(base_project)
    fill(base_project, translate=lambda text: translation if text == "Send the invoices." else f"ES: {text}")
    line = po_of(base_project).read_text(encoding="utf-8").split("\n").index('msgid "Send the invoices."') + 1
    result = run(base_project, "validate")
    assert result.exit_code == 1, result.output
    assert f"sops/locale/es.po:{line}:1: tasks/send-invoices steps[2].do (Markdown): {said}" in result.output, \
        result.output


def test_plain_text_may_hold_what_markdown_may_not(base_project: Path) -> None:
    add_translations(base_project, "es")
    update(base_project)
    fill(base_project, translate=lambda text: "<b>Viernes</b>" if text == "Friday" else f"ES: {text}")
    assert run(base_project, "validate", "--strict").exit_code == 0  # a quiz choice is shown as written


def test_a_link_whose_address_the_translator_changed_is_a_warning(base_project: Path) -> None:
    edit(base_project / "sops/tasks/send-invoices.yml", "Send the invoices.",
         "Send the invoices from [QuickBooks](https://qbo.intuit.com).")
    add_translations(base_project, "es")
    update(base_project)
    fill(base_project, translate=lambda text: text.replace("Send the invoices from", "Envía las facturas desde")
         .replace("https://qbo.intuit.com", "https://qbo.intuit.com/es"))
    result = run(base_project, "validate")
    assert result.exit_code == 0
    assert ("warning: tasks/send-invoices steps[2].do (Markdown): the links differ from the source's (the source "
            "links to 'https://qbo.intuit.com'; the translation to 'https://qbo.intuit.com/es'): keep the source's "
            "addresses") in result.output, result.output
    fill(base_project, translate=lambda text: text.replace("Send the invoices from", "Envía las facturas desde"))
    assert run(base_project, "validate", "--strict").exit_code == 0


def test_the_pre_commit_hook_checks_the_translations() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    hook = hooks["sopgen-i18n"]
    assert hook["entry"] == "sopgen i18n status --check" and hook["pass_filenames"] is False
    assert "po" in hook["files"] and "sops/" in hook["files"]
