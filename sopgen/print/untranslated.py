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
from ..core.translation import Stale, stale_in_data
from .printed import Printed


def source_language(printed: Printed) -> str:
    """The sources' language, named in the document's: ``inglés`` in a Spanish handbook of English sources."""
    code = printed.catalog.organization.language
    try:
        name = Locale.parse(code.replace("-", "_")).get_language_name(printed.lang.locale)
    except (ValueError, UnknownLocaleError):
        name = None
    return name or code


def part_note(printed: Printed, entry: Entry) -> Optional[dict[str, Any]]:
    """The stale texts of an SOP's or role's file: ``missing`` and ``fuzzy`` counts and ``notes``,
    the sentences that say so at the top of its part; ``None`` when it has none."""
    counts = stale_in_data(entry.data)
    missing, fuzzy = counts["missing"], counts["fuzzy"]
    if not missing and not fuzzy:
        return None
    ngettext = printed.lang.ngettext
    notes = []
    if isinstance(entry, RoleEntry):
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
    notes.append(ngettext("It is shown in %(language)s, marked.", "They are shown in %(language)s, marked.",
                          missing + fuzzy, language=source_language(printed)))
    return {"missing": missing, "fuzzy": fuzzy, "notes": notes}


def cover_fact(printed: Printed, entries: Iterable[Entry]) -> Optional[list[str]]:
    """The cover's (label, value) that counts the stale texts of the handbook's roles and SOPs, or None."""
    count = sum(sum(stale_in_data(entry.data).values()) for entry in entries)
    if not count:
        return None
    return [printed.lang.gettext("Translation"),
            printed.lang.ngettext("%(count)s text still in %(language)s, marked",
                                  "%(count)s texts still in %(language)s, marked", count, count=count,
                                  language=source_language(printed))]


def fact_value(text: str) -> Any:
    """A fact's value (a role's engagement, an SOP's trigger): as it is, or when it is stale, a
    reference to nothing (``{text, label: none}``) that says why (``stale``)."""
    if isinstance(text, Stale):
        return {"text": str(text), "label": None, "stale": text.reason}
    return text
