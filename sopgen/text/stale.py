"""A stale text on a translated page: the source text in its place, marked, and the banner that counts them.

:func:`sopgen.core.translation.translate` keeps the source text where a translation is missing
or fuzzy, as a :class:`~sopgen.core.translation.Stale` string. The filters that turn a text into
Markdown (``text``, ``cell``, ``html``, ``md``, ``md_inline``: :mod:`sopgen.text.filters`) are
wrapped here, once, so that whatever template shows a stale text marks it:

- a plain text, or Markdown on one line, becomes a ``<span class="sopgen-stale">`` holding a small
  label in the page's language ("not yet translated", "changed since it was translated") and the
  text itself in a ``<span lang="en">`` (the source's language);
- a Markdown text of one paragraph is marked inline the same way (its emphasis and links kept);
  one of several blocks keeps them: the label on a line of its own, then the text in a
  ``<div class="sopgen-stale" lang="en" markdown>`` (Python-Markdown's ``md_in_html``), so a stale
  step still shows its list.

The text inside a mark is escaped by the filter it would have gone through anyway
(:mod:`sopgen.core.escape`): a mark adds markup around it, never inside. :func:`with_banner`
then counts the labels a page shows and says so under its title.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Callable

import jinja2
from babel import Locale, UnknownLocaleError

from ..core.translation import Stale
from .i18n import Language, N_

LABELS = {"missing": N_("not yet translated"), "fuzzy": N_("changed since it was translated")}
"""The label of a stale text, by why it is stale."""
LABEL_CLASS = "sopgen-stale-label"
QUIET_CLASS = "sopgen-stale-quiet"
"""A missing text of a page nobody has translated yet (the template global ``page_untranslated``)."""
_LABEL = re.compile(rf'<span class="{LABEL_CLASS}" data-stale="\w+" data-text="(\w+)"')
_BLOCKS = re.compile(r"(?m)\n\s*\n|^\s*(?:[-*+]\s|\d+[.)]\s|#{1,6}\s|>|\||```|~~~|!!!|\?\?\?|<)")
"""Markdown that is more than one paragraph: a blank line, or a line that starts a block."""
MARKED = ("text", "cell", "html", "md", "md_inline")
"""The filters whose stale values are marked (``md_plain`` is not: it fills image descriptions)."""


def _label(lang: Language, value: Stale) -> str:
    # data-text tells the texts apart: a step shown again as a checklist item is one text to translate
    digest = hashlib.blake2b(" ".join(value.split()).encode("utf-8"), digest_size=6).hexdigest()
    return (f'<span class="{LABEL_CLASS}" data-stale="{value.reason}" data-text="{digest}" lang="{lang.code}">'
            f"{lang.gettext(LABELS[value.reason])}</span>")


def _inline(lang: Language, source: str, value: Stale, shown: str) -> str:
    return (f'<span class="sopgen-stale" data-stale="{value.reason}">{_label(lang, value)} '
            f'<span lang="{source}">{shown}</span></span>')


def _block(lang: Language, source: str, value: Stale, shown: str) -> str:
    if not _BLOCKS.search(shown.strip()):  # one paragraph: marked inline, where it stands (a list item of 2 spaces)
        return _inline(lang, source, value, shown.strip())
    # the label first, on the line a list item or an admonition starts with; the text's blocks
    # in a div of their own (a template indents the whole, which keeps it inside its item)
    return (f"{_label(lang, value)}\n\n"
            f'<div class="sopgen-stale" data-stale="{value.reason}" lang="{source}" markdown>\n\n'
            f"{shown}\n\n</div>")


def _quiet(source: str, value: Stale, shown: str, *, block: bool) -> str:
    """A text missing from a page nobody has translated yet: no label (the banner says it once),
    only its language, for screen readers and spelling."""
    if block and _BLOCKS.search(shown.strip()):
        return f'<div class="{QUIET_CLASS}" data-stale="missing" lang="{source}" markdown>\n\n{shown}\n\n</div>'
    return f'<span class="{QUIET_CLASS}" data-stale="missing" lang="{source}">{shown.strip() if block else shown}</span>'


def marking(filters: dict[str, Callable[..., Any]], lang: Language) -> dict[str, Callable[..., Any]]:
    """The filters of :data:`MARKED` from ``filters``, each marking a :class:`Stale` value it is
    given; the source's language is the template global ``source_lang`` (English by default)."""
    out: dict[str, Callable[..., Any]] = {}
    for name in MARKED:
        out[name] = _marked(filters[name], lang, block=name == "md")
    return out


def _marked(inner: Callable[..., Any], lang: Language, *, block: bool) -> Callable[..., Any]:
    with_context = getattr(inner, "jinja_pass_arg", None) is not None  # md and md_inline take the context
    mark = _block if block else _inline

    @jinja2.pass_context
    def marked(context: jinja2.runtime.Context, value: Any, *args: Any, **kwargs: Any) -> Any:
        shown = inner(context, value, *args, **kwargs) if with_context else inner(value, *args, **kwargs)
        if not isinstance(value, Stale):
            return shown
        source = context.get("source_lang") or "en"
        if value.reason == "missing" and context.get("page_untranslated"):
            return _quiet(source, value, shown, block=block)
        return mark(lang, source, value, shown)

    return marked


def stale_count(markdown: str) -> int:
    """How many stale texts a page's Markdown shows (each mark has one label; a text shown twice,
    as a step and as its checklist item, counts once)."""
    return len(set(_LABEL.findall(markdown)))


def language_name(code: str, lang: Language) -> str:
    """The name of language ``code`` in ``lang`` ("inglés"), or the code when Babel knows neither."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(lang.locale) or code
    except (UnknownLocaleError, ValueError):
        return code


def with_banner(markdown: str, lang: Language, source: str, *, untranslated: bool = False) -> str:
    """``markdown`` with a banner under its title saying how many of its texts are stale (the labels
    it shows) and in which language they show; unchanged when none is. On a page nobody has
    translated yet (``untranslated``), the banner says so once, and counts only the texts labelled
    because they changed since they were translated."""
    count = stale_count(markdown)
    language = language_name(source, lang)
    if untranslated:
        said = lang.gettext("This page is not translated yet: it is shown in %(language)s.", language=language)
        if count:
            said += " " + lang.ngettext("%(num)s text changed since it was translated and is marked.",
                                        "%(num)s texts changed since they were translated and are marked.",
                                        count, num=count)
    elif count:
        said = lang.ngettext(
            "%(num)s text on this page is not translated yet, or changed since it was translated: it is "
            "shown in %(language)s and marked.",
            "%(num)s texts on this page are not translated yet, or changed since they were translated: they are "
            "shown in %(language)s and marked.", count, num=count, language=language)
    else:
        return markdown
    whole = " data-untranslated" if untranslated else ""
    banner = (f'<div class="sopgen-stale-banner" role="note" data-stale-count="{count}"{whole} markdown>\n\n'
              f"{said}\n\n</div>\n\n")
    title, newline, rest = markdown.partition("\n")
    if title.startswith("# ") and newline:
        return f"{title}\n\n{banner}{rest.lstrip(chr(10))}"
    return banner + markdown
