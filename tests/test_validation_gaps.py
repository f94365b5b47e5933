"""What validation used to let through (issue 17, section 3): ids suggested from names with
accents, wrong image paths without a did-you-mean, onboarding that teaches an SOP before its
prerequisite."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run

from sopgen.core.fields import suggested_id

TASK = """\
title: {title}
role: bookkeeper
purpose: Clients pay on time.
steps:
  - do: Do it.
"""


@pytest.mark.parametrize(("written", "suggested"), [
    ("recepción", "recepcion"),            # Spanish
    ("Año nuevo", "ano-nuevo"),
    ("Prüfung der Rechnungen", "prufung-der-rechnungen"),  # German ü folds to u (as in Spanish pingüino)
    ("Straße", "strasse"),                 # ß: NFKD leaves it whole
    ("Smørrebrød", "smorrebrod"),          # Danish ø
    ("Łódź", "lodz"),                      # Polish ł
    ("Œuvre d'Ærø", "oeuvre-d-aero"),      # ligatures
    ("Façade été", "facade-ete"),          # French
    ("São João", "sao-joao"),              # Portuguese
    ("Office Manager", "office-manager"),
    ("Склад", ""),                         # no Latin letters: nothing to suggest
])
def test_suggested_ids_transliterate(written: str, suggested: str) -> None:
    assert suggested_id(written) == suggested


def test_a_file_name_with_accents_is_suggested_transliterated(base_project: Path) -> None:
    (base_project / "sops/tasks/recepción.yml").write_text(TASK.format(title="Recepción"), encoding="utf-8")
    result = run(base_project, "validate")
    assert result.exit_code == 1
    assert "sops/tasks/recepción.yml:1:1: 'recepción.yml' is not a valid id" in result.output
    assert "e.g. 'recepcion.yml'" in result.output


def test_new_suggests_a_transliterated_id(base_project: Path) -> None:
    result = run(base_project, "new", "task", "Recepción", "--role", "bookkeeper")
    assert result.exit_code == 2 and "e.g. 'recepcion'" in result.output
    role = run(base_project, "new", "role", "Größe")
    assert role.exit_code == 2 and "e.g. 'grosse'" in role.output


# -- onboarding that teaches an SOP before its prerequisite ---------------------------------

def _phases(project: Path, phases: str) -> None:
    role = project / "sops/roles/bookkeeper.yml"
    text = role.read_text(encoding="utf-8")
    role.write_text(text[:text.index("onboarding:")] + "onboarding:\n" + phases, encoding="utf-8")


def test_an_sop_taught_before_its_prerequisite_is_a_located_warning(base_project: Path) -> None:
    # reconcile-bank needs send-invoices, which Week 2 teaches
    _phases(base_project, "  - phase: Week 1\n    tasks: [reconcile-bank]\n"
                          "  - phase: Week 2\n    tasks: [send-invoices]\n")
    plain = run(base_project, "validate")
    assert plain.exit_code == 0, plain.output
    assert ("sops/roles/bookkeeper.yml:10:13: warning: onboarding[0].tasks[0]: 'reconcile-bank' is taught in 'Week 1', "
            "before its prerequisite 'send-invoices', taught in 'Week 2': teach 'send-invoices' in 'Week 1' or "
            "earlier, or 'reconcile-bank' in 'Week 2' or later") in plain.output, plain.output
    assert run(base_project, "validate", "--strict").exit_code == 1


def test_a_prerequisite_of_a_prerequisite_taught_later_is_named_with_the_link_between(base_project: Path) -> None:
    (base_project / "sops/tasks/file-receipts.yml").write_text(
        "title: File receipts\nrole: bookkeeper\npurpose: Receipts are kept.\nprerequisites: [reconcile-bank]\n"
        "steps:\n  - do: File them.\n", encoding="utf-8")
    _phases(base_project, "  - phase: Week 1\n    tasks: [file-receipts]\n"
                          "  - phase: Month 2\n    tasks: [send-invoices, reconcile-bank]\n")
    result = run(base_project, "validate")
    assert ("onboarding[0].tasks[0]: 'file-receipts' is taught in 'Week 1', before its prerequisite "
            "'send-invoices' (through 'reconcile-bank'), taught in 'Month 2'") in result.output, result.output
    assert ("onboarding[0].tasks[0]: 'file-receipts' is taught in 'Week 1', before its prerequisite "
            "'reconcile-bank', taught in 'Month 2'") in result.output, result.output


def test_prerequisites_taught_earlier_or_in_the_same_phase_or_not_at_all_are_fine(base_project: Path) -> None:
    _phases(base_project, "  - phase: Week 1\n    tasks: [send-invoices]\n"
                          "  - phase: Week 2\n    tasks: [reconcile-bank]\n")
    assert "is taught in" not in run(base_project, "validate", "--strict").output
    _phases(base_project, "  - phase: Week 1\n    tasks: [reconcile-bank, send-invoices]\n")
    assert run(base_project, "validate", "--strict").exit_code == 0
    _phases(base_project, "  - phase: Week 1\n    tasks: [reconcile-bank]\n")
    assert run(base_project, "validate", "--strict").exit_code == 0


# -- a review date in the future ------------------------------------------------------------

def test_a_review_date_in_the_future_is_a_located_warning(base_project: Path) -> None:
    from datetime import date, timedelta

    task = base_project / "sops/tasks/send-invoices.yml"
    text = task.read_text(encoding="utf-8")
    ahead = date.today() + timedelta(days=40)
    task.write_text(text[:text.index("reviewed:")] + f"reviewed: {ahead:%Y-%m-%d}\n", encoding="utf-8")
    result = run(base_project, "validate")
    assert result.exit_code == 0, result.output
    assert (f"sops/tasks/send-invoices.yml:20:11: warning: reviewed: {ahead:%Y-%m-%d} is after today "
            f"({date.today():%Y-%m-%d}): write the day the SOP was last checked against reality") in result.output, \
        result.output
    assert run(base_project, "validate", "--strict").exit_code == 1
    task.write_text(text[:text.index("reviewed:")] + f"reviewed: {date.today():%Y-%m-%d}\n", encoding="utf-8")
    assert run(base_project, "validate", "--strict").exit_code == 0, "today itself is fine"


def test_a_build_dated_by_its_last_commit_accepts_a_review_made_since(base_project: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A build is dated by its last commit (or SOURCE_DATE_EPOCH): a review written today, not yet
    committed, is after that date but not in the future."""
    from datetime import date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    task = base_project / "sops/tasks/send-invoices.yml"
    text = task.read_text(encoding="utf-8")
    task.write_text(text[:text.index("reviewed:")] + f"reviewed: {date.today():%Y-%m-%d}\n", encoding="utf-8")
    result = run(base_project, "build", "--strict", "--no-pdf", "-d", str(base_project / "out"))
    assert result.exit_code == 0, result.output


# -- a required text left empty (a form's field cleared, `title: ""`) --------------------------------

@pytest.mark.parametrize("old, new, where", [
    ("title: Reconcile the bank account", 'title: ""', "sops/tasks/reconcile-bank.yml:1:8: title"),
    ("  - do: Match each transaction.", "  - do: '   '", "sops/tasks/reconcile-bank.yml:8:9: steps[0].do"),
])
def test_a_required_text_left_empty_is_a_located_error(base_project: Path, old: str, new: str, where: str) -> None:
    task = base_project / "sops/tasks/reconcile-bank.yml"
    task.write_text(task.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = run(base_project, "validate")
    assert result.exit_code == 1
    assert f"{where}: is empty: write its text (this field is required)" in result.output, result.output


def test_an_optional_text_left_empty_is_no_error(base_project: Path) -> None:
    task = base_project / "sops/tasks/reconcile-bank.yml"
    task.write_text(task.read_text(encoding="utf-8").replace("  - do: Match each transaction.",
                                                             "  - do: Match each transaction.\n    tip: ''"),
                    encoding="utf-8")
    assert run(base_project, "validate").exit_code == 0
