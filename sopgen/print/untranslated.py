"""What a handbook printed in a translation says of its stale texts (README.md, "Translating the
handbook"): each is printed in the sources' language and marked where it stands (the markup's
``stale(reason)[…]``, the data's ``<key>_stale``: :mod:`sopgen.print.printed`); the part of its
SOP or role counts them at its top, and the cover counts them all. A handbook of the sources, or a
translation with nothing stale, says nothing.
"""

from __future__ import annotations

from typing import Any, Iterable, Optional

from babel import Locale, UnknownLocaleError

from ..core.entries import Entry, RoleEntry
from ..core.translation import Stale, stale_in_data, untranslated
from .printed import Printed, quiet_missing


def source_language(printed: Printed) -> str:
    """The sources' language, named in the document's: ``inglés`` in a Spanish handbook of English sources."""
    code = printed.catalog.organization.language
    try:
        name = Locale.parse(code.replace("-", "_")).get_language_name(printed.lang.locale)
    except (ValueError, UnknownLocaleError):
        name = None
    return name or code


def part_note(printed: Printed, entry: Entry) -> Optional[dict[str, Any]]:
    """The stale texts of an SOP's or role's file: ``missing`` and ``fuzzy`` counts (of the texts
    marked one by one), ``untranslated`` and ``notes``, the sentences that say so at the top of its
    part; ``None`` when it has none. When nobody has translated the file yet, its missing texts are
    printed unmarked (:func:`sopgen.print.printed.part_of`) and its note says so once."""
    counts = stale_in_data(entry.data)
    missing, fuzzy = counts["missing"], counts["fuzzy"]
    if not missing and not fuzzy:
        return None
    ngettext = printed.lang.ngettext
    notes = []
    role = isinstance(entry, RoleEntry)
    whole = untranslated(entry.data)
    if whole:  # its missing texts are printed unmarked: it is said once, here
        notes.append(printed.lang.gettext("This role is not translated yet: it is shown in %(language)s.",
                                          language=source_language(printed)) if role else
                     printed.lang.gettext("This procedure is not translated yet: it is shown in %(language)s.",
                                          language=source_language(printed)))
        missing = 0
    if role:
        if missing:
            notes.append(ngettext("%(count)s text of this role is not yet translated.",
                                  "%(count)s texts of this role are not yet translated.", missing, count=missing))
        if fuzzy:
            notes.append(ngettext("%(count)s text of this role has changed since it was translated.",
                                  "%(count)s texts of this role have changed since they were translated.",
                                  fuzzy, count=fuzzy))
    else:
        if missing:
            notes.append(ngettext("%(count)s text of this procedure is not yet translated.",
                                  "%(count)s texts of this procedure are not yet translated.", missing,
                                  count=missing))
        if fuzzy:
            notes.append(ngettext("%(count)s text of this procedure has changed since it was translated.",
                                  "%(count)s texts of this procedure have changed since they were translated.",
                                  fuzzy, count=fuzzy))
    if whole:
        if fuzzy:
            notes.append(printed.lang.gettext("It is marked."))
        return {"missing": 0, "fuzzy": fuzzy, "untranslated": True, "notes": notes}
    notes.append(ngettext("It is shown in %(language)s, marked.", "They are shown in %(language)s, marked.",
                          missing + fuzzy, language=source_language(printed)))
    return {"missing": missing, "fuzzy": fuzzy, "untranslated": False, "notes": notes}


def not_translated_yet(printed: Printed) -> str:
    """What an SOP nobody has translated yet says once where its lines are printed away from its part
    (its checklist in the role's checklists, its answers in the answer key): they are unmarked there too."""
    return printed.lang.gettext("Not translated yet: shown in %(language)s.", language=source_language(printed))


def cover_fact(printed: Printed, entries: Iterable[Entry]) -> Optional[list[str]]:
    """The cover's (label, value) that counts the stale texts of the handbook's roles and SOPs, or None."""
    entries = list(entries)
    count = sum(sum(stale_in_data(entry.data).values()) for entry in entries)
    if not count:
        return None
    if any(untranslated(entry.data) for entry in entries):  # some are not marked one by one
        said = printed.lang.ngettext("%(count)s text still in %(language)s", "%(count)s texts still in %(language)s",
                                     count, count=count, language=source_language(printed))
    else:
        said = printed.lang.ngettext("%(count)s text still in %(language)s, marked",
                                     "%(count)s texts still in %(language)s, marked", count, count=count,
                                     language=source_language(printed))
    return [printed.lang.gettext("Translation"), said]


def fact_value(text: str) -> Any:
    """A fact's value (a role's engagement, an SOP's trigger): as it is, or when it is stale, a
    reference to nothing (``{text, label: none}``) that says why (``stale``)."""
    if isinstance(text, Stale) and not quiet_missing(text):
        return {"text": str(text), "label": None, "stale": text.reason}
    return text
