"""The translations' checks, part of ``validate``: every catalog of ``translations`` can be read,
and what a translator wrote passes the checks the source passes.

A translated Markdown text is checked like its source (raw HTML and script links refused unless
``allow_html``, images that resolve), located at its entry in the PO file; a link whose address
the translation changed is a warning, since the address comes from the source in every language.
Stale entries are no problem here: ``sopgen i18n status`` lists them, and the pages mark them.
"""

from __future__ import annotations

from typing import Callable, Iterator, Optional


from .catalog import Catalog
from .errors import Problem
from .images import image_file, markdown_addresses, markdown_images
from .mdcheck import findings
from .pofile import LOCALE_DIR, PoFile, read
from .translatable import SourceText, source_texts

UNLISTED = "translation-unlisted"
"""The rule of the warning for a catalog of a language that ``translations`` does not list: the
site does not publish it, which a build only notes."""


def same_language(a: str, b: str) -> bool:
    return a.replace("_", "-").lower() == b.replace("_", "-").lower()


def catalogs_present(catalog: Catalog) -> list[str]:
    """The languages of the ``.po`` files under ``sops/locale/``, by file name."""
    folder = catalog.sops / LOCALE_DIR
    return sorted(p.stem for p in folder.glob("*.po") if p.is_file()) if folder.is_dir() else []


ImageCheck = Callable[[str], Optional[str]]
"""Why a picture (a path under sops/) cannot be shown on the site, or None."""


def translation_problems(catalog: Catalog, image_problem: ImageCheck) -> Iterator[Problem]:
    """Problems of the catalogs of ``translations`` and of ``.po`` files no language lists."""
    listed = catalog.organization.translations
    source = catalog.organization_source
    texts = None
    for i, language in enumerate(listed):
        po = read(catalog.root, catalog.sops, language)
        if not po.exists and source is not None:
            yield source.doc.problem(("translations", i), f"there is no {po.rel} yet: run 'sopgen i18n update "
                                                          f"{language}' to make it, then translate it",
                                     severity="warning", rule="no-translation")
        yield from po.problems
        said = po.messages.locale_identifier if po.messages is not None else None
        if said and not same_language(said, language):
            line = next((n for n, text in enumerate(po.raw.decode("utf-8-sig").splitlines(), 1)
                         if text.startswith('"Language:')), 0)
            yield Problem(po.rel, line, 1 if line else 0, "", f"the header says the language is '{said}', but the file "
                          f"is that of '{language}': correct the header's Language, or the file's name",
                          severity="warning", rule="translation-language")
        if po.messages is not None:
            texts = source_texts(catalog) if texts is None else texts
            yield from _translated_texts(catalog, po, texts, image_problem)
    organization = source.rel if source else "organization.yml"
    for language in catalogs_present(catalog):
        if not any(same_language(language, code) for code in listed):
            rel = (catalog.sops / LOCALE_DIR / f"{language}.po").relative_to(catalog.root).as_posix()
            yield Problem(rel, 0, 0, "", f"'{language}' is not in the translations of {organization}: the site "
                                         f"does not publish it until it is listed (translations: [{language}])",
                          severity="warning", rule=UNLISTED)


def _translated_texts(catalog: Catalog, po: PoFile, texts: list[SourceText],
                      image_problem: ImageCheck) -> Iterator[Problem]:
    by_key = {(t.context, t.text): t for t in texts if t.markdown}
    allowed = catalog.organization.allow_html
    source = catalog.organization_source
    organization = source.rel if source else "organization.yml"
    assert po.messages is not None
    for message in po.messages:
        text = by_key.get((message.context, message.id)) if message.id else None
        if text is None or not message.string or message.fuzzy:
            continue
        where = (po.rel, message.lineno or 0, 1 if message.lineno else 0, f"{text.context} {text.field}")
        translation = message.string
        for address in markdown_images(translation):
            problem = image_problem(image_file(address))
            if problem:
                yield Problem(*where, f"the image '{address}' in the translation: {problem}")
        if not allowed:
            for finding in findings(translation):
                yield Problem(*where, f"in the translation: {finding.message(organization)}")
        lost, added = _changed_addresses(text.text, translation)
        if lost or added:
            said = "; ".join(part for part in (
                f"the source links to {_listed(lost)}" if lost else "",
                f"the translation to {_listed(added)}" if added else "") if part)
            yield Problem(*where, f"the links differ from the source's ({said}): keep the source's addresses "
                                  "(a link's words are translated, its address is not)",
                          severity="warning", rule="translation-links")


def _listed(addresses: tuple[str, ...]) -> str:
    return ", ".join(f"'{a}'" for a in addresses)


def _changed_addresses(source: str, translation: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    before, after = addresses(source), addresses(translation)
    return tuple(a for a in before if a not in after), tuple(a for a in after if a not in before)


def addresses(text: str) -> tuple[str, ...]:
    """The addresses of the links and images that Markdown ``text`` makes, in order, each once."""
    return tuple(dict.fromkeys(address for _, address in markdown_addresses(text)))
