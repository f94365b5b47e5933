"""A translation applied: the project again, each text replaced by its translation from
``sops/locale/<lang>.po``, and what is stale.

A text is **stale** when its entry is missing, empty or fuzzy (its source changed since it was
translated): the translated project keeps the source text there, as a :class:`Stale` string
that says why, so that a page or a PDF can mark it; :attr:`Translation.stale` counts them per
file (for a page's banner). Everything else (ids, numbers, addresses, durations, the order and
nesting of steps) is the source's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Optional

from babel.messages.catalog import Catalog as Messages
from babel.messages.catalog import Message
from pydantic import BaseModel

from .catalog import Catalog
from .entries import Entry, PersonEntry, RoleEntry, TaskEntry
from .model import Benchmark
from .translatable import NOT_TRANSLATED, ORGANIZATION, SourceText, context_of, source_texts
from .walk import prose_fields, prose_values

Reason = Literal["missing", "fuzzy"]


class Stale(str):
    """A source text standing in for its translation: ``reason`` is ``"missing"`` (no entry, or
    an empty one) or ``"fuzzy"`` (the source changed since it was translated; ``translation`` is
    the old translation). It is the source text itself, so it prints as such; a string method
    (``strip()``) gives a plain ``str``."""

    reason: Reason
    translation: Optional[str]

    def __new__(cls, text: str, reason: Reason, translation: Optional[str] = None) -> Stale:
        made = super().__new__(cls, text)
        made.reason = reason
        made.translation = translation
        return made

    def __reduce__(self) -> tuple[Any, ...]:  # copied and pickled (to a PDF worker) with its mark
        return (Stale, (str(self), self.reason, self.translation))

    def __repr__(self) -> str:
        return f"Stale({str.__repr__(self)}, {self.reason!r})"


def staleness(messages: Optional[Messages], text: str, context: str) -> tuple[Optional[Reason], Optional[Message]]:
    """Why the translation of ``text`` (of the file ``context``) is stale, or None when it is
    translated; with its entry, if any."""
    message = messages.get(text, context) if messages is not None else None
    if message is None or not message.string:
        return "missing", message
    if message.fuzzy:
        return "fuzzy", message
    return None, message


@dataclass
class StaleText:
    """A text whose translation is stale, where it is in the sources and in the PO file."""

    source: SourceText
    reason: Reason
    line: int
    """The line of its entry in the PO file; 0 when it has none (``sopgen i18n update`` adds it)."""


def stale_texts(catalog: Catalog, messages: Optional[Messages]) -> list[StaleText]:
    """Every text of ``catalog`` whose translation in ``messages`` is stale, in the sources' order."""
    found = []
    for text in source_texts(catalog):
        reason, message = staleness(messages, text.text, text.context)
        if reason is not None:
            found.append(StaleText(text, reason, getattr(message, "lineno", 0) or 0))
    return found


@dataclass
class Translation:
    """The project in ``language``: ``catalog`` holds the translated texts, ``stale`` counts the
    stale texts of each file by its context (``tasks/send-invoices``; absent when none)."""

    language: str
    catalog: Catalog
    stale: dict[str, int] = field(default_factory=dict)

    def stale_in(self, entry: Entry) -> int:
        """How many texts of a role's or task's file are stale."""
        return self.stale.get(context_of(entry), 0)


def translate(catalog: Catalog, messages: Optional[Messages], language: str) -> Translation:
    """``catalog`` with every text replaced by its translation in ``messages`` (a stale one kept
    as a :class:`Stale` source text). Computations that read a text's words, such as the due
    date of an onboarding phase named ``Day 30``, are for the source catalog."""
    stale: dict[str, int] = {}

    def texts_of(context: str) -> Callable[[str], str]:
        def text(value: str) -> str:
            if not value.strip():
                return value
            reason, message = staleness(messages, value, context)
            if reason is None:
                return message.string  # type: ignore[union-attr]
            stale[context] = stale.get(context, 0) + 1
            old = message.string if message is not None and message.string else None
            return Stale(value, reason, old)
        return text

    out = Catalog(catalog.root, catalog.sops)
    out.problems, out.history, out.broken = list(catalog.problems), catalog.history, set(catalog.broken)
    out.organization_source = catalog.organization_source
    out.organization = (_translated(catalog.organization, texts_of(ORGANIZATION))
                        if catalog.organization_source is not None else catalog.organization)
    for table, into, kind in ((catalog.roles, out.roles, RoleEntry), (catalog.tasks, out.tasks, TaskEntry)):
        for ident, entry in table.items():
            into[ident] = _entry(kind, entry, _translated(entry.data, texts_of(context_of(entry))))
    for ident, person in catalog.people.items():
        out.people[ident] = _entry(PersonEntry, person, person.data)
    out.resolve()
    return Translation(language, out, stale)


def _entry(kind: type, entry: Entry, data: Any) -> Any:
    made = kind(entry.id, entry.source, data)
    made.history = entry.history
    return made


def _translated(value: BaseModel, text: Callable[[str], str]) -> Any:
    """``value`` with each of its texts (and those of the models inside it) passed through ``text``."""
    changes: dict[str, Any] = {}
    for name, kind in prose_fields(type(value)):
        current = getattr(value, name)
        if current is None or (type(value), name) in NOT_TRANSLATED:
            continue
        one = (lambda item: _translated(item, text)) if kind == "model" else text
        changes[name] = type(current)(one(item) for item in current) if isinstance(current, (list, tuple)) \
            else one(current)
    if isinstance(value, Benchmark) and value.id is None:
        changes["id"] = value.key  # results refer to the benchmark by the slug of its source objective
    return value.model_copy(update=changes)


def stale_in_data(value: BaseModel) -> dict[Reason, int]:
    """How many of the texts of ``value`` (a translated role's or task's data) are stale, by reason:
    what :attr:`Translation.stale` counts for its file, read from the :class:`Stale` texts it holds."""
    counts: dict[Reason, int] = {"missing": 0, "fuzzy": 0}
    for _loc, text, _markdown in prose_values(value, frozenset(NOT_TRANSLATED)):
        if isinstance(text, Stale):
            counts[text.reason] += 1
    return counts


def untranslated(value: BaseModel) -> bool:
    """Whether nobody has translated ``value`` (a translated role's or task's data) yet: none of its
    texts is translated and at least one is missing (a fuzzy one was translated once: it does not
    count either way). Its page and its PDF part then say so once instead of labelling each text."""
    counts = stale_in_data(value)
    translated = sum(1 for _loc, text, _markdown in prose_values(value, frozenset(NOT_TRANSLATED))
                     if text.strip() and not isinstance(text, Stale))
    return not translated and counts["missing"] > 0


def marked_like(text: str, like: str) -> str:
    """``text`` (made from ``like``: its words rewrapped) stale as ``like`` is, if it is."""
    return Stale(text, like.reason, like.translation) if isinstance(like, Stale) else text
