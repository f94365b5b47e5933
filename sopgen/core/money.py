"""Money, exact: amounts known as a range, rounded once as they are shown.

Hours are fractions (a monthly task runs 12/52 times a week) and rates decimals, so ``12.50``
stays 12.50. Each task's weekly cost is rounded once, half up, as it is shown (:func:`round_money`),
and everything above a task (the value freed, a role's total, the business's, a year of 52 weeks)
is computed from those rounded amounts, so a total always equals the sum of the rows shown.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Iterable, Optional

from .model import Rate

WHOLE_UNITS_FROM = 10
"""Amounts from this size up are rounded to whole units, as people talk about money
("$1,000 a week"); smaller ones keep the currency's minor units ("$6.25")."""


@functools.lru_cache(maxsize=None)
def minor_digits(currency: str) -> int:
    """Decimal places of ``currency``'s minor unit: 2 for USD, 0 for JPY, 3 for BHD (from CLDR)."""
    from babel.numbers import get_currency_precision
    return get_currency_precision(currency)


def round_money(amount: Fraction, digits: int, *, size: Fraction | None = None) -> Decimal:
    """``amount`` rounded half up (away from zero) as it is shown: to whole units when
    ``size`` (default: the amount itself) is at least :data:`WHOLE_UNITS_FROM`, else to
    ``digits`` decimal places. 12.50 → 13, 6.25 → 6.25; two half cents never become one."""
    whole = abs(amount if size is None else size) >= WHOLE_UNITS_FROM
    quantum = Fraction(1) if whole else Fraction(1, 10 ** digits)
    units = int(abs(amount) / quantum + Fraction(1, 2))  # floor of a non-negative number
    if amount < 0:
        units = -units
    return Decimal(units).scaleb(0 if whole else -digits)


@dataclass(frozen=True)
class Range:
    """An amount of money known between ``low`` and ``high`` (equal when it is exact)."""

    low: Decimal
    high: Decimal

    @classmethod
    def of(cls, rate: Rate) -> Range:
        return cls(decimal(rate.min), decimal(rate.max))

    @property
    def exact(self) -> bool:
        return self.low == self.high

    def cost(self, hours: Fraction, digits: int) -> Range:
        """What ``hours`` cost at this hourly rate, rounded as it is shown: both ends alike
        ($9–$17, not $8.65–$17), by the size of the larger."""
        low, high = Fraction(self.low) * hours, Fraction(self.high) * hours
        size = max(abs(low), abs(high))
        return Range(round_money(low, digits, size=size), round_money(high, digits, size=size))

    def __mul__(self, factor: int | Decimal) -> Range:
        return Range(self.low * factor, self.high * factor)

    __rmul__ = __mul__

    def __add__(self, other: Range) -> Range:
        return Range(self.low + other.low, self.high + other.high)

    def __sub__(self, other: Range) -> Range:
        # interval arithmetic: the least freed is the owner's lowest minus the delegate's highest
        return Range(self.low - other.high, self.high - other.low)


def decimal(number: float) -> Decimal:
    """A number as written in YAML (``27.5``, ``30``) as a decimal: ``27.5``, not the binary
    float nearest to it."""
    if isinstance(number, int):
        return Decimal(int(number))
    return Decimal(repr(float(number)))


def total(ranges: Iterable[Optional[Range]]) -> Optional[Range]:
    """Sum of the known ranges; ``None`` when none is known."""
    known = [r for r in ranges if r is not None]
    return sum(known[1:], known[0]) if known else None
