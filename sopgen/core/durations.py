"""Lengths of time as the format writes them (``45m``, ``1h30m``, ``3 days``, ``6 months``): parsing, the
working hours they count for, and the calendar dates they move to.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from .fields import as_text

_DURATION = re.compile(
    r"^\s*(?:(?P<h>\d+(?:\.\d+)?)\s*h(?:ours?)?\s*(?:(?P<hm>\d+)\s*m(?:in(?:utes?)?)?)?"
    r"|(?P<m>\d+)\s*m(?:in(?:utes?)?)?"
    r"|(?P<n>\d+)\s*(?P<unit>days?|weeks?|months?))\s*$"
)
DURATION_PATTERN = (
    r"^\s*(\d+(\.\d+)?\s*h(ours?)?\s*(\d+\s*m(in(utes?)?)?)?|\d+\s*m(in(utes?)?)?"
    r"|\d+\s*(days?|weeks?|months?))\s*$"
)
DURATION_HELP = "write e.g. 45m, 4h, 1h30m, 3 days, 2 weeks or 6 months"
WORKDAY_HOURS = 8
WORKWEEK_DAYS = 5


@dataclass(frozen=True)
class Duration:
    """A length of time as written: ``45m``, ``1h30m``, ``3 days``, ``6 months``.

    Minutes and hours are working time. Days, weeks and months are calendar
    time when a date is moved (review intervals) and count as working time
    (8-hour days, 5-day weeks) when a task's effort is added up.
    """

    text: str
    minutes: int = 0
    days: int = 0
    months: int = 0

    @classmethod
    def parse(cls, text: str) -> Duration:
        m = _DURATION.match(text)
        if not m:
            raise ValueError(f"'{text}' is not a duration: {DURATION_HELP}")
        if m["h"] is not None:
            minutes = float(m["h"]) * 60 + float(m["hm"] or 0)
            _at_most(text, minutes / 60, "h")
            return cls(text, minutes=round(minutes))
        if m["m"] is not None:
            _at_most(text, float(m["m"]), "min")
            return cls(text, minutes=int(m["m"]))
        unit = m["unit"].rstrip("s")
        _at_most(text, float(m["n"]), unit + "s")
        n = int(m["n"])
        if unit == "day":
            return cls(text, days=n)
        if unit == "week":
            return cls(text, days=7 * n)
        return cls(text, months=n)

    @property
    def hours(self) -> float:
        """Working hours: what one run of a task takes."""
        return float(self.exact_hours)

    @property
    def exact_hours(self) -> Fraction:
        """:attr:`hours` as an exact fraction (a month is 52/12 working weeks), for money."""
        if self.months:
            return self.months * Fraction(52, 12) * WORKWEEK_DAYS * WORKDAY_HOURS
        if self.days:
            working_days = self.days // 7 * WORKWEEK_DAYS + self.days % 7
            return Fraction(working_days * WORKDAY_HOURS)
        return Fraction(self.minutes, 60)

    def after(self, start: date) -> date:
        """The calendar date this long after ``start`` (month ends clamp: Jan 31 + 1 month = Feb 28)."""
        if self.months:
            month0 = start.month - 1 + self.months
            year, month = start.year + month0 // 12, month0 % 12 + 1
            if year > date.max.year:
                return date.max
            day = min(start.day, calendar.monthrange(year, month)[1])
            return date(year, month, day)
        return days_after(start, self.days or max(1, -(-self.minutes // (24 * 60))))

    def __str__(self) -> str:
        return self.text.strip()


LONGEST = {"months": 1200, "weeks": 5218, "days": 36_525, "h": 876_600, "min": 52_596_000}
"""The longest duration in each unit, 100 years: a review interval (or a task) beyond it is a typo,
and dates moved by it stay within the calendar (see LATEST_DATE)."""


class DurationTooLong(ValueError):
    """A duration beyond LONGEST."""


def _at_most(text: str, amount: float, unit: str) -> None:
    if amount > LONGEST[unit]:
        shown = text.strip() if len(text.strip()) <= 40 else text.strip()[:37] + "..."
        raise DurationTooLong(f"'{shown}' is too long: at most {LONGEST[unit]:,} {unit} (100 years)")


def days_after(start: date, days: int) -> date:
    """``start`` plus ``days``, or the last date of the calendar when that is beyond it
    (``--today 9999-12-31`` and due-soon windows must not overflow)."""
    try:
        return start + timedelta(days=days)
    except OverflowError:
        return date.max


def _duration(value: Any) -> Any:
    value = as_text(value)
    if isinstance(value, str):
        return Duration.parse(value)
    return value


DurationField = Annotated[
    Duration,
    BeforeValidator(_duration),
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN, "examples": ["45m", "4h", "1h30m", "6 months"]}),
]
