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
