"""The interface language: the words sopgen adds to pages, scripts and PDFs, and how numbers,
dates and money read in it.

Messages live in gettext catalogs shipped in the package (``sopgen/locale/<lang>/LC_MESSAGES/
sopgen.po``), read through Babel and compiled in memory once per language, so that an editable
install and a wheel work alike with no build step. A language without a catalog, and a message
without a translation, read in English: nothing fails for want of a word.

A :class:`Language` is one value handed down to whatever renders (:func:`sopgen.site.generate.generate`,
the templates' environment, the PDFs): never a global, so that one process may render a site
in several languages. The catalogs are refreshed from the sources with Babel's extractors
(``babel.cfg``; README.md, "Languages").
"""

from __future__ import annotations

import functools
import gettext
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, get_currency_symbol

from ..core.money import minor_digits

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
"""The package's catalogs: ``<lang>/LC_MESSAGES/sopgen.po``."""
DOMAIN = "sopgen"
ENGLISH = "en"


def N_(message: str) -> str:
    """A message marked for the catalogs where it is defined (a table of a module), translated where it is shown."""
    return message


@dataclass(frozen=True, eq=False)
class Language:
    """One interface language: its code (``de``, ``pt-BR``), its messages and its locale's formats."""

    code: str
    translations: gettext.NullTranslations
    locale: Locale

    def gettext(self, message: str, **values: Any) -> str:
        """``message`` in this language (English when it has no translation), its ``%(name)s`` filled from ``values``."""
        said = self.translations.gettext(message)
        return said % values if values else said

    def typeset(self, message: str, **values: Any) -> str:
        """:meth:`gettext` for print: its apostrophes typeset (’), as Typst's markup prints them; the
        ``values`` (names as written) are left as they are."""
        said = self.translations.gettext(message).replace("'", "’")
        return said % values if values else said

    def pgettext(self, context: str, message: str, **values: Any) -> str:
        """:meth:`gettext` of ``message`` in one of its meanings, ``context`` ("By" a ``deadline``, a ``person``)."""
        said = self.translations.pgettext(context, message)
        return said % values if values else said

    def ngettext(self, singular: str, plural: str, n: int, /, **values: Any) -> str:
        """The form of ``singular``/``plural`` this language uses for ``n``; ``%(num)s`` is ``n``."""
        said = self.translations.ngettext(singular, plural, n)
        return said % {"num": self.number(n), **values}

    def number(self, value: Any, *, digits: Optional[int] = None) -> str:
        """A number with this locale's separators (``1.234,5`` in German); ``digits``: at most that many decimals."""
        pattern = None if digits is None else "#,##0" + ("." + "#" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def date(self, value: Optional[date]) -> str:
        """A date as this language writes it in full ("29. November 2026"); English keeps ISO 8601
        (2026-11-29), as sopgen always showed it."""
        if value is None:
            return "—"
        day = value.date() if isinstance(value, datetime) else value
        if self.locale.language == ENGLISH:
            return day.isoformat()
        return format_date(day, format="long", locale=self.locale)

    def short_date(self, value: date) -> str:
        """A date in few characters (a chart's axis): ``20.11.2026`` in German; ISO 8601 in English."""
        if self.locale.language == ENGLISH:
            return value.isoformat()
        return format_date(value, format="medium", locale=self.locale)

    def money(self, written: str, currency: str) -> str:
        """One amount in ``currency`` as this locale writes it (``$1,000``, ``1.000 $``, ``6,25 €``);
        minor units only when the amount has them."""
        return _money(written, currency, str(self.locale))


@functools.lru_cache(maxsize=None)
def language(code: str = ENGLISH) -> Language:
    """The interface language of BCP 47 ``code`` (``de``, ``pt-BR``): its catalog, or the nearest
    one (``pt`` for ``pt-BR``), or English."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        locale = Locale.parse(ENGLISH)
    return Language(code, _translations(locale), locale)


def available() -> list[str]:
    """The languages sopgen's interface is shipped in (English among them: the words as written)."""
    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def _translations(locale: Locale) -> gettext.NullTranslations:
    for name in (str(locale), locale.language):
        po = LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.is_file():
            return _compiled(po)
    return gettext.NullTranslations()


@functools.lru_cache(maxsize=None)
def _compiled(po: Path) -> gettext.GNUTranslations:
    """A PO file compiled in memory (fuzzy and empty entries left out: they read in English)."""
    with po.open("rb") as file:
        catalog = read_po(file, locale=po.parent.parent.name, domain=DOMAIN)
    mo = io.BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return gettext.GNUTranslations(mo)


_FRACTION = re.compile(r"0[.,]0+")


@functools.lru_cache(maxsize=4096)
def _money(written: str, currency: str, locale: str = ENGLISH) -> str:
    """One amount (a site shows the same few amounts on many pages: Babel runs once each)."""
    amount = Decimal(written)
    sign = "−" if amount < 0 else ""
    whole = amount == amount.to_integral_value()
    places = 0 if whole else max(minor_digits(currency), -int(amount.as_tuple().exponent))
    standard = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0]
    pattern = _FRACTION.sub("0" + ("." + "0" * places if places else ""), standard, count=1)
    symbol = get_currency_symbol(currency, locale=locale)
    if pattern.startswith("¤") and symbol[-1:].isalpha() and not pattern.startswith("¤\u00a0"):
        pattern = "¤\u00a0" + pattern[1:]  # CLDR's currency spacing: CHF 1,000
    return sign + format_currency(abs(amount), currency, format=pattern, locale=locale, currency_digits=False)


# -- the PDF templates' words ------------------------------------------------------------------

TYPST_MESSAGE = re.compile(r'\b(?:tf?\(|tp\("(?P<context>(?:[^"\\]|\\.)*)",\s*)"(?P<message>(?:[^"\\]|\\.)*)"')
"""A message of a Typst template: ``t("Steps")``, ``tf("Page %(page)s of %(pages)s", …)`` with
placeholders, or ``tp("person", "By")`` in a context (``templates/pdf/words.typ``)."""
CONTEXT = "\x04"
"""Between a message's context and its words in the data's ``words``: gettext's own separator."""
_TYPST_ESCAPE = re.compile(r"\\(.)")


def _unescaped(text: str) -> str:
    return _TYPST_ESCAPE.sub(lambda e: {"n": "\n", "t": "\t"}.get(e[1], e[1]), text)


def typst_messages(text: str) -> list[tuple[Optional[str], str]]:
    """The messages a Typst template's ``text`` asks for, in order: (context or None, message)."""
    return [(None if m["context"] is None else _unescaped(m["context"]), _unescaped(m["message"]))
            for m in TYPST_MESSAGE.finditer(text)]


def typst_words(lang: Language, folders: list[Path]) -> dict[str, str]:
    """What the Typst templates in ``folders`` (``*.typ``) say, in ``lang``: their data's ``words``."""
    found = [m for folder in folders for path in sorted(folder.glob("*.typ")) if path.is_file()
             for m in typst_messages(path.read_text(encoding="utf-8", errors="replace"))]
    return {message if context is None else context + CONTEXT + message:
            lang.gettext(message) if context is None else lang.pgettext(context, message)
            for context, message in dict.fromkeys(found)}


def extract_typst(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Any:
    """Babel's extractor for Typst templates (``babel.cfg``): each ``t("…")`` and ``tf("…", …)``."""
    for number, line in enumerate(fileobj.read().decode("utf-8").splitlines(), start=1):
        for context, message in typst_messages(line):
            if context is None:
                yield number, "gettext", message, []
            else:
                yield number, "pgettext", (context, message), []
