"""organization.yml's `language` and `translations` (README.md, "The source format"): codes Babel knows, located errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run


def _organization(project: Path, extra: str) -> None:
    path = project / "sops/organization.yml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")


@pytest.mark.parametrize("extra", ["language: de\n", "language: pt-BR\n", "language: es\ntranslations: [en, fr]\n",
                                   "translations: [es]\n"])
def test_known_language_codes_are_accepted(base_project: Path, extra: str) -> None:
    _organization(base_project, extra)
    result = run(base_project, "validate")
    assert result.exit_code == 0, result.output


def test_an_unknown_language_is_a_located_error_that_shows_codes(base_project: Path) -> None:
    _organization(base_project, "language: german\n")
    result = run(base_project, "validate")
    assert result.exit_code == 1
    assert ("sops/organization.yml:4:11: language: 'german' is not a language code: "
            "write a BCP 47 code such as en, de, es, fr, pt-BR") in result.output, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("extra, said", [
    ("translations: [en]\n", "translations: [0] 'en' is the sources' own language"),
    ("language: de\ntranslations: [es, fr, es]\n", "translations: [2] 'es' is listed twice"),
    ("translations: [es, xx-yy]\n", "'xx-yy' is not a language code"),
])
def test_translations_list_other_known_languages_once(base_project: Path, extra: str, said: str) -> None:
    _organization(base_project, extra)
    result = run(base_project, "validate")
    assert result.exit_code == 1
    assert "sops/organization.yml:" in result.output and said in result.output, result.output
