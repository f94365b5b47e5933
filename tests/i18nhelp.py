"""What the translation tests share: a project's catalog for a language, filled in as a translator would."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Callable, Optional

from babel.messages.catalog import Catalog as Messages
from babel.messages.pofile import read_po, write_po

from conftest import run


def update(project: Path, *languages: str) -> str:
    result = run(project, "i18n", "update", *languages)
    assert result.exit_code == 0, result.output
    return result.output


def po_of(project: Path, language: str = "es") -> Path:
    return project / "sops" / "locale" / f"{language}.po"


def messages(project: Path, language: str = "es") -> Messages:
    return read_po(io.BytesIO(po_of(project, language).read_bytes()))


def fill(project: Path, language: str = "es", *, translate: Optional[Callable[[str], str]] = None,
         only: Callable[[str, str], bool] = lambda context, text: True) -> None:
    """Translate every entry of the catalog (``only`` those chosen) the way a PO editor does: the
    translation written, the fuzzy mark and the previous text removed."""
    translate = translate or (lambda text: f"ES: {text}")
    found = messages(project, language)
    for message in found:
        if message.id and only(message.context, message.id):
            message.string = translate(message.id)
            message.flags.discard("fuzzy")
            message.previous_id = []
    out = io.BytesIO()
    write_po(out, found, width=76)
    po_of(project, language).write_bytes(out.getvalue())


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def add_translations(project: Path, *languages: str) -> None:
    path = project / "sops" / "organization.yml"
    path.write_text(path.read_text(encoding="utf-8") + f"translations: [{', '.join(languages)}]\n", encoding="utf-8")
