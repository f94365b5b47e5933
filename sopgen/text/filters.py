"""Jinja filters: how values become Markdown.

Escaping is deliberate. Plain-text fields (titles, triggers, checklist items)
go through ``text`` (or ``cell`` inside a table), which shows them literally:
``<b>`` prints as the characters ``<b>``, ``{{ x }}`` as written, ``|`` cannot
break a table. Markdown fields go through ``md``, which keeps them Markdown.
The rules of ``text``, ``cell``, ``md_inline``, ``url`` and ``html`` are those of
:mod:`sopgen.core.escape`, registered here by the names templates use.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Optional

import jinja2

from ..core.escape import html_text, link_address, markdown_line, markdown_text, table_cell
from ..core.images import rebased
from ..core.markdown import md
from ..core.money import Range, minor_digits
from ..core.ticks import sop_ticks

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def plain_words(value: Any) -> str:
    """The words of a Markdown field on one line, its markup left out (links as their text)."""
    line = _MD_LINK.sub(r"\1", " ".join(md(value).split()))
    line = re.sub(r"<[^>]+>", "", line)
    return re.sub(r"[*_`]+", "", line)


def md_plain(value: Any) -> str:
    """A Markdown field as plain text on one line (image descriptions, tooltips)."""
    return markdown_text(plain_words(value))


def hours(value: Optional[float]) -> str:
    """``4`` → ``4 h``; ``0.69`` → ``0.7 h``; ``0`` → ``0 h``."""
    if value is None:
        return "—"
    if value >= 10:
        shown = f"{value:,.0f}"
    else:
        shown = f"{value:.1f}".rstrip("0").rstrip(".")
    if shown == "0" and value > 0:
        shown = "< 0.1"
    return f"{shown} h"


def duration(value: Any) -> str:
    """A Duration as people say it: ``1h30m`` → ``1 h 30 min``."""
    if value is None:
        return "—"
    if value.minutes:
        h, m = divmod(value.minutes, 60)
        return " ".join(part for part in (f"{h} h" if h else "", f"{m} min" if m else "") if part)
    return str(value)


def isodate(value: Optional[date]) -> str:
    """A date (or the date of a datetime) as YYYY-MM-DD."""
    if value is None:
        return "—"
    return (value.date() if isinstance(value, datetime) else value).isoformat()


@dataclass(frozen=True)
class Money:
    """Formats amounts in the organization's currency: ``$1,000``, ``$6.25``, ``$100–$200``.

    Amounts arrive rounded (:func:`sopgen.core.money.round_money`); an amount is shown with
    its minor units only when it has them, so ``$1,000`` and ``$12.50`` and ``¥1,250``.
    Symbols and digits are CLDR's, through Babel.
    """

    currency: str

    def one(self, amount: Decimal) -> str:
        return _money(str(amount), self.currency)  # str: 12.5 and 12.50 are equal Decimals

    def __call__(self, value: Optional[Range], *, per: int = 1) -> str:
        if value is None:
            return "—"
        value = value * per
        low, high = self.one(value.low), self.one(value.high)
        return low if value.exact or low == high else f"{low}–{high}"


class Withheld(Money):
    """``money`` for pages and handbooks when ``publish_money`` is false: every amount is "—",
    so that even a template that forgets to ask shows no figure."""

    def one(self, amount: Decimal) -> str:
        return "—"


@functools.lru_cache(maxsize=4096)
def staff_money(organization: Any) -> Money:
    """How pages and handbooks handed to staff show money: as it is, or withheld when the
    organization's ``publish_money`` is false (the owner's report shows it whatever)."""
    return Money(organization.currency) if organization.publish_money else Withheld(organization.currency)


def _money(written: str, currency: str, locale: str = "en") -> str:
    """One amount, formatted (a site shows the same few amounts on many pages: Babel runs once each)."""
    from babel.numbers import format_currency, get_currency_symbol

    amount = Decimal(written)
    sign = "−" if amount < 0 else ""
    whole = amount == amount.to_integral_value()
    symbol = get_currency_symbol(currency, locale=locale)
    space = "\u00a0" if symbol[-1:].isalpha() else ""  # CLDR's currency spacing: CHF 1,000
    places = 0 if whole else max(minor_digits(currency), -int(amount.as_tuple().exponent))
    pattern = f"¤{space}#,##0" + (f".{'0' * places}" if places else "")
    return sign + format_currency(abs(amount), currency, format=pattern, locale=locale, currency_digits=False)


@jinja2.pass_context
def page_md(context: jinja2.runtime.Context, value: Any) -> str:
    """A Markdown field (``md``), its images under sops/ pointed at their copy in the site from
    the page being rendered (``page_path``; as written where there is none)."""
    return rebased(md(value), context.get("page_path"))


@jinja2.pass_context
def page_md_inline(context: jinja2.runtime.Context, value: Any) -> str:
    """A Markdown field on one line (``md_inline``), its images pointed as :func:`page_md`'s."""
    return markdown_line(rebased(md(value), context.get("page_path")))


def plural(count: int, word: str, words: Optional[str] = None) -> str:
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


FILTERS = {
    "html": html_text,
    "text": markdown_text,
    "cell": table_cell,
    "md": page_md,
    "md_inline": page_md_inline,
    "md_plain": md_plain,
    "url": link_address,
    "hours": hours,
    "duration": duration,
    "isodate": isodate,
    "plural": plural,
    "sop_ticks": sop_ticks,
}
