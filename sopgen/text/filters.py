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
from datetime import date
from decimal import Decimal
from typing import Any, Optional

import jinja2

from ..core.escape import html_text, link_address, markdown_line, markdown_text, table_cell
from ..core.images import rebased
from ..core.markdown import md
from ..core.money import Range
from ..core.ticks import sop_ticks
from .i18n import Language, language

ENGLISH = language()

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def plain_words(value: Any) -> str:
    """The words of a Markdown field on one line, its markup left out (links as their text)."""
    line = _MD_LINK.sub(r"\1", " ".join(md(value).split()))
    line = re.sub(r"<[^>]+>", "", line)
    return re.sub(r"[*_`]+", "", line)


def md_plain(value: Any) -> str:
    """A Markdown field as plain text on one line (image descriptions, tooltips)."""
    return markdown_text(plain_words(value))


def hours(value: Optional[float], lang: Language = ENGLISH) -> str:
    """``4`` → ``4 h``; ``0.69`` → ``0.7 h``; ``0`` → ``0 h`` (``0,7 h`` in German)."""
    if value is None:
        return "—"
    shown = lang.number(round(value) if value >= 10 else round(value, 1), digits=0 if value >= 10 else 1)
    if round(value, 1) == 0 and value > 0:
        shown = "< " + lang.number(0.1)
    return lang.gettext("%(hours)s h", hours=shown)


def duration(value: Any, lang: Language = ENGLISH) -> str:
    """A Duration as people say it: ``1h30m`` → ``1 h 30 min``."""
    if value is None:
        return "—"
    if value.minutes:
        h, m = divmod(value.minutes, 60)
        parts = (lang.gettext("%(hours)s h", hours=h) if h else "", lang.gettext("%(minutes)s min", minutes=m) if m else "")
        return " ".join(part for part in parts if part)
    if value.months:
        return lang.ngettext("%(num)s month", "%(num)s months", value.months)
    if value.days % 7 == 0 and "w" in value.text:
        return lang.ngettext("%(num)s week", "%(num)s weeks", value.days // 7)
    if value.days:
        return lang.ngettext("%(num)s day", "%(num)s days", value.days)
    return str(value)


def isodate(value: Optional[date], lang: Language = ENGLISH) -> str:
    """A date (or the date of a datetime) as the language writes it: YYYY-MM-DD in English,
    "29. November 2026" in German (:meth:`sopgen.text.i18n.Language.date`)."""
    return lang.date(value)


@dataclass(frozen=True)
class Money:
    """Formats amounts in the organization's currency: ``$1,000``, ``$6.25``, ``$100–$200``.

    Amounts arrive rounded (:func:`sopgen.core.money.round_money`); an amount is shown with
    its minor units only when it has them, so ``$1,000`` and ``$12.50`` and ``¥1,250``.
    Symbols and digits are CLDR's, through Babel.
    """

    currency: str
    lang: Language = ENGLISH

    def one(self, amount: Decimal) -> str:
        return self.lang.money(str(amount), self.currency)  # str: 12.5 and 12.50 are equal Decimals

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
def staff_money(organization: Any, lang: Optional[Language] = None) -> Money:
    """How pages and handbooks handed to staff show money: as it is, or withheld when the
    organization's ``publish_money`` is false (the owner's report shows it whatever); in
    ``lang`` (by default the organization's ``language``)."""
    lang = lang or language(organization.language)
    return Money(organization.currency, lang) if organization.publish_money else Withheld(organization.currency, lang)


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
    """``3|plural("task")`` → ``3 tasks``: English words only (sopgen's templates use ``{% trans count=… %}``)."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def localized(lang: Language) -> dict[str, Any]:
    """The filters whose output depends on the language, bound to ``lang``."""
    return {"hours": functools.partial(hours, lang=lang), "duration": functools.partial(duration, lang=lang),
            "isodate": functools.partial(isodate, lang=lang)}


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
