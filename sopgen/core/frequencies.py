"""How often a task runs, as the format writes it (``weekly``, ``every 2 weeks``, ``3 times a
month``): the forms accepted, the runs a week each counts for, how pages name it, and the fix
suggested for what an author wrote instead (``fortnightly``, ``biweekly``, ``twice a week``).

A frequency is kept as its text, with its spacing tidied: ``every 2 weeks``. Each frequency has
one spelling, so that files read alike and checklists group alike: ``every 1 weeks`` is refused
with the fix ``weekly``, ``twice a week`` with ``2 times a week``.
"""

from __future__ import annotations

import difflib
import re
from fractions import Fraction
from typing import Annotated, Any, Optional

from pydantic import BeforeValidator, WithJsonSchema

from .durations import LONGEST
from .fields import as_text

NAMED: dict[str, Fraction] = {
    "daily": Fraction(5),
    "weekly": Fraction(1),
    "monthly": Fraction(12, 52),
    "quarterly": Fraction(4, 52),
    "yearly": Fraction(1, 52),
    "as-needed": Fraction(0),
}
"""The named frequencies and their runs a week (README.md, "The delegation arithmetic")."""
NAMED_TITLES = {"daily": "Daily", "weekly": "Weekly", "monthly": "Monthly", "quarterly": "Quarterly",
                "yearly": "Yearly", "as-needed": "As needed"}
MOST_TIMES = 1000
"""The most runs ``<n> times a week|month`` takes: more is a typo."""
FREQUENCY_HELP = ("write daily, weekly, monthly, quarterly, yearly, as-needed, every <n> weeks, "
                  "every <n> months, <n> times a week or <n> times a month")
_N = r"([2-9]|[1-9][0-9]+)"
FREQUENCY_PATTERN = (r"^\s*(daily|weekly|monthly|quarterly|yearly|as-needed|every\s+" + _N + r"\s+(weeks|months)"
                     r"|" + _N + r"\s+times\s+a\s+(week|month))\s*$")
"""The JSON Schema's pattern: what editors accept (the number's bound is left to sopgen)."""
_EVERY = re.compile(r"^every ([0-9]+) (week|month)s$")
_TIMES = re.compile(r"^([0-9]+) times a (week|month)$")

SUGGESTIONS: dict[str, tuple[str, ...]] = {
    "fortnightly": ("every 2 weeks",),
    "biweekly": ("every 2 weeks", "2 times a week"),
    "bimonthly": ("every 2 months", "2 times a month"),
    "semiweekly": ("2 times a week",),
    "semimonthly": ("2 times a month",),
    "semiannually": ("every 6 months",),
    "semiannual": ("every 6 months",),
    "halfyearly": ("every 6 months",),
    "biannually": ("every 6 months", "every 24 months"),
    "biannual": ("every 6 months", "every 24 months"),
    "annually": ("yearly",),
    "annual": ("yearly",),
    "everyotherweek": ("every 2 weeks",),
    "everyothermonth": ("every 2 months",),
    "asneeded": ("as-needed",),
    "ondemand": ("as-needed",),
    "adhoc": ("as-needed",),
    "whenneeded": ("as-needed",),
}
"""Words authors write for a frequency, by their letters alone (``bi-weekly`` is ``biweekly``),
and the forms to write instead; two when the word is ambiguous (``biweekly`` is said both for
every two weeks and for twice a week)."""
_COUNTS = {"once": 1, "one": 1, "twice": 2, "two": 2, "thrice": 3, "three": 3, "four": 4, "five": 5, "six": 6}
_LOOSE_EVERY = re.compile(r"^(?:every|each)\s*(\w+)?\s*(day|week|month|quarter|year)s?$")
_LOOSE_TIMES = re.compile(r"^(\w+?)\s*(?:times?|x)?\s*(?:a|an|per|each|every|/)\s*(day|week|month|quarter|year)$")
_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def parse(value: Any) -> Any:
    """A frequency as written, checked and with its spacing tidied; what else is written is
    refused with the form to write instead."""
    if isinstance(value, bool):
        raise ValueError(f"expected a frequency, got {str(value).lower()}: {FREQUENCY_HELP}")
    value = as_text(value)
    if not isinstance(value, str):
        return value
    text = " ".join(value.split())
    if text in NAMED:
        return text
    form = _EVERY.match(text) or _TIMES.match(text)
    if form is None:
        raise ValueError(_unknown(text))
    n, unit = int(form[1]), form[2]
    every = text.startswith("every")
    if n == 0:
        raise ValueError(f"'{text}' never runs: the number must be 1 or more "
                         f"(write as-needed for a task with no schedule)")
    if n == 1:
        raise ValueError(f"'{text}' is '{unit}ly': write {unit}ly")
    most = LONGEST[unit + "s"] if every else MOST_TIMES
    if n > most:
        limit = f"every {most:,} {unit}s (100 years)" if every else f"{most:,} times a {unit}"
        raise ValueError(f"'{text}' is too {'long' if every else 'many'}: at most {limit}")
    return text


def runs_per_week(frequency: Optional[str]) -> Fraction:
    """How many runs a week ``frequency`` counts for in the delegation arithmetic."""
    if frequency is None:
        return Fraction(0)
    if frequency in NAMED:
        return NAMED[frequency]
    n, unit, every = _parts(frequency)
    per_week = Fraction(1) if unit == "week" else Fraction(12, 52)
    return per_week / n if every else per_week * n


def title(frequency: Optional[str]) -> str:
    """How pages and PDFs name ``frequency``: "Weekly", "Every 2 weeks", "3 times a month"."""
    if frequency is None:
        return "Unscheduled"
    return NAMED_TITLES.get(frequency) or frequency[0].upper() + frequency[1:]


def sort_key(frequency: Optional[str]) -> tuple[int, Fraction, int, str]:
    """Where ``frequency`` comes among others: the most runs a week first (daily, 3 times a
    week, weekly, every 2 weeks, monthly…), a named frequency before a form with as many runs
    (``quarterly`` before ``every 3 months``), then as-needed, then no frequency."""
    if frequency is None:
        return (2, Fraction(0), 0, "")
    if frequency == "as-needed":
        return (1, Fraction(0), 0, "")
    return (0, -runs_per_week(frequency), frequency not in NAMED, frequency)


def parts(frequency: str) -> tuple[int, str, bool]:
    """``every 2 weeks`` → ``(2, "week", True)``; ``3 times a month`` → ``(3, "month", False)``."""
    return _parts(frequency)


def _parts(frequency: str) -> tuple[int, str, bool]:
    form = _EVERY.match(frequency) or _TIMES.match(frequency)
    if form is None:
        raise ValueError(f"not a frequency: {frequency!r}")
    return int(form[1]), form[2], frequency.startswith("every")


def _unknown(text: str) -> str:
    shown = text if len(text) <= 40 else text[:37] + "..."
    options = suggest(text)
    if len(options) > 1:
        return (f"'{shown}' is said both for {_in_words(options[0])} and for {_in_words(options[1])}: "
                f"write '{options[0]}' or '{options[1]}'")
    if options:
        return f"'{shown}' is not a frequency — did you mean '{options[0]}'?"
    return f"'{shown}' is not a frequency: {FREQUENCY_HELP}"


def _in_words(frequency: str) -> str:
    """``every 2 weeks`` → "once every 2 weeks", ``2 times a week`` → "2 times a week"."""
    return f"once {frequency}" if frequency.startswith("every") else frequency


def suggest(text: str) -> tuple[str, ...]:
    """The forms to write for ``text``, which is not one: none when nothing is close."""
    lower = " ".join(text.lower().split())
    letters = re.sub(r"[^a-z]", "", lower)
    if lower in NAMED or lower.replace(" ", "-") in NAMED:
        return (lower.replace(" ", "-"),)
    if letters in SUGGESTIONS:
        return SUGGESTIONS[letters]
    loose = _loose(lower)
    if loose:
        return (loose,)
    close = difflib.get_close_matches(lower, list(NAMED), n=1, cutoff=0.75)
    return tuple(close)


def _loose(lower: str) -> Optional[str]:
    """The form meant by a loose wording: ``every other week``, ``twice a month``, ``3x per
    week``, ``every 2 Weeks``, ``2 times a day`` (10 times a week), ``every 2 years``."""
    lower = re.sub(r"^(\w+) (week|month|quarter|year)ly$", r"\1 a \2", lower)  # twice weekly
    lower = re.sub(r"^(\w+) daily$", r"\1 a day", lower)
    every = _LOOSE_EVERY.match(lower)
    times = None if every else _LOOSE_TIMES.match(lower)
    match = every or times
    if match is None:
        return None
    word, unit = match[1], match[2]
    n = 2 if word == "other" else 1 if word is None else _COUNTS.get(word, int(word) if word.isdecimal() else 0)
    if n <= 0:
        return None
    if unit == "day":
        return "daily" if every and n == 1 else f"{5 * n} times a week" if times else None
    if every and unit == "week":
        return "weekly" if n == 1 else f"every {n} weeks"
    if every:  # every n months, quarters or years: every so many months
        months = n * _MONTHS[unit]
    elif unit in ("quarter", "year") and _MONTHS[unit] % n == 0:  # n times a quarter or year, when whole
        months = _MONTHS[unit] // n
    elif unit in ("quarter", "year"):
        return None
    else:
        return f"{unit}ly" if n == 1 else f"{n} times a {unit}"
    return {1: "monthly", 3: "quarterly", 12: "yearly"}.get(months) or f"every {months} months"


FREQUENCY_SCHEMA = {
    "anyOf": [
        {"type": "string", "enum": list(NAMED)},
        {"type": "string", "pattern": FREQUENCY_PATTERN},
    ],
    "examples": ["weekly", "every 2 weeks", "3 times a week", "every 6 months"],
}
Frequency = Annotated[str, BeforeValidator(parse), WithJsonSchema(FREQUENCY_SCHEMA)]
"""A task's frequency: a named one or ``every <n> weeks|months``, ``<n> times a week|month``."""
