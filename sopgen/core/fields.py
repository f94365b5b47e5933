"""The value types of the format's fields: text, Markdown, web addresses, ids, numbers and dates.

Each is a type annotation that turns what YAML read into the value (``title: 1.10`` stays the text
"1.10") or refuses it with a message that says what to write, and carries the JSON Schema editors
see. The models in :mod:`sopgen.core.model` are made of them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date
from typing import Annotated, Any, Optional, Union

from pydantic import BeforeValidator, Field, WithJsonSchema

from .yamlvalues import YamlFloat, YamlInt

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
TAKEN_IDS = {
    "role": {"handbook": "/pdf/handbook.pdf, the PDF handbook of the whole business"},
    "task": {"index": "/sops/, the address of the SOP folder itself (not /sops/index/)"},
    "person": {},
}
"""Ids whose pages or PDFs would land on another generated address (README, "The site's addresses"):
a role's PDF is /pdf/<role>.pdf, an SOP's page sops/<task>.md."""


def slugify(text: str) -> str:
    """``Office Manager`` → ``office-manager``: an id made of what ``text`` holds (may be empty)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


_UNFOLDED = str.maketrans({"ß": "ss", "ẞ": "ss", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
                           "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "æ": "ae", "Æ": "ae", "œ": "oe",
                           "Œ": "oe", "ı": "i", "ħ": "h", "Ħ": "h", "ŧ": "t", "Ŧ": "t"})
"""Latin letters that Unicode does not decompose into a base letter and marks, as ASCII."""


def suggested_id(text: str) -> str:
    """An id to suggest for ``text`` (a file name, a title): ``Recepción`` → ``recepcion``,
    ``Straße`` → ``strasse``. Accents go (NFKD, then marks dropped: ``ü`` → ``u``, as in Spanish
    *pingüino*, whatever German would write), letters Unicode does not decompose are spelled in
    ASCII (``ß ø ł æ œ``), and what is left that is not a letter or digit becomes a hyphen.
    Empty when ``text`` holds no Latin letter or digit."""
    folded = unicodedata.normalize("NFKD", text.translate(_UNFOLDED))
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).translate(_UNFOLDED)
    return slugify(ascii_text)


def taken_id(kind: str, ident: str) -> Optional[tuple[str, str]]:
    """Why ``ident`` cannot be the id of a ``kind`` (role or task) and an id that can be, or ``None``."""
    address = TAKEN_IDS[kind].get(ident)
    if address is None:
        return None
    return f"the {kind} id '{ident}' would take the site's address {address}", f"{ident}-{kind}"


def as_text(value: Any) -> Any:
    """A scalar YAML read as a number, as the text that was written: ``title: 1.10`` is text to its
    author, not the float 1.1."""
    if isinstance(value, (YamlInt, YamlFloat)):
        return value.raw
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


Text = Annotated[str, BeforeValidator(as_text)]
"""Plain text, shown literally."""
MARKDOWN_SCHEMA = WithJsonSchema({"type": "string", "contentMediaType": "text/markdown"})
"""What marks a field as Markdown, in its JSON Schema and to :func:`sopgen.core.walk.markdown_values`."""
Markdown = Annotated[str, BeforeValidator(as_text), MARKDOWN_SCHEMA]
"""Markdown text."""
_WEB_ADDRESS = re.compile(r"^https?://[^\s/?#]+", re.IGNORECASE)


def _web_address(value: Any) -> Any:
    value = as_text(value)
    if isinstance(value, str) and not _WEB_ADDRESS.match(value.strip()):
        shown = value if len(value) <= 40 else value[:37] + "..."
        raise ValueError(f"'{shown}' is not a web address: write one that starts with https:// (or http://)")
    return value


WebAddress = Annotated[str, BeforeValidator(_web_address),
                       WithJsonSchema({"type": "string", "format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"})]
"""An http or https address: other schemes (``javascript:``, ``data:``, ``file:``) are refused."""
Id = Annotated[str, BeforeValidator(as_text), WithJsonSchema({"type": "string", "pattern": ID_PATTERN})]
"""A reference to a role or task: its file name without `.yml`."""


LARGEST_NUMBER = 1_000_000_000
"""The largest number a numeric field takes (rates, hours, minutes): sums and products of such
numbers stay exact enough to show, and ``1e400`` (infinity to YAML) is refused."""


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {str(value).lower()}")
    return value


def _number(value: Any) -> Any:
    value = _not_bool(value)
    if isinstance(value, (int, float)) and not math.isnan(value) and abs(value) > LARGEST_NUMBER:
        shown = getattr(value, "raw", value)
        if value < 0:
            raise ValueError(f"the number {shown} is too small: at least {-LARGEST_NUMBER:,}")
        raise ValueError(f"the number {shown} is too large: at most {LARGEST_NUMBER:,}")
    return value


Number = Annotated[float, BeforeValidator(_number)]
"""A number within LARGEST_NUMBER either way; ``true`` is refused."""
NonNegative = Annotated[float, Field(ge=0), BeforeValidator(_number)]
"""A number at least 0. The bound comes before the validator so that the JSON Schema says
``minimum: 0`` (given on an optional field, pydantic would write a ``ge`` no validator knows)."""
Index = Annotated[int, BeforeValidator(_number)]
Order = Annotated[int, BeforeValidator(_number)]
"""A task's place among its role's SOPs of one frequency: a whole number, lower first."""


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LATEST_DATE = date(9899, 12, 31)
"""The latest date a field takes: a review up to 100 years later (durations.LONGEST) still has a date."""


def _date(value: Any) -> Any:
    value = as_text(value)
    if isinstance(value, str) and not _DATE.match(value.strip()):
        raise ValueError(f"'{value}' is not a date: write YYYY-MM-DD, e.g. 2026-01-15")
    if not isinstance(value, (str, date)):
        raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}")
    year = int(value.strip()[:4]) if isinstance(value, str) else value.year
    if year > LATEST_DATE.year:
        raise ValueError(f"'{value}' is too far ahead: write a date up to {LATEST_DATE:%Y-%m-%d}")
    return value


DateField = Annotated[date, BeforeValidator(_date), WithJsonSchema({"type": "string", "format": "date"})]


LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$"


def _language(value: Any) -> Any:
    from babel import Locale, UnknownLocaleError

    value = as_text(value)
    if not isinstance(value, str):
        return value
    code = value.strip()
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValueError(f"'{value}' is not a language code: write a BCP 47 code such as en, de, es, fr, pt-BR") from None
    return code


LanguageCode = Annotated[str, BeforeValidator(_language), WithJsonSchema({"type": "string", "pattern": LANGUAGE_PATTERN})]
"""A BCP 47 language code Babel knows (``de``, ``es``, ``pt-BR``), as written."""


def _number_or_text(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"expected a number or text, got {str(value).lower()} (put it in quotes to keep it as text)")
    if isinstance(value, (int, float)):
        return _number(value)
    return value


ResultValue = Annotated[Union[float, str], BeforeValidator(_number_or_text),
                        WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string"}]})]
Version = Annotated[int, Field(ge=1), BeforeValidator(_number)]
