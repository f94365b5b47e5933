"""``sopgen i18n``: the translations of the handbook, ``sops/locale/<lang>.po``, kept up to date
with the sources and checked for stale texts.

Thin commands over :mod:`sopgen.core.translatable` (what a text is), :mod:`sopgen.core.pofile`
(reading, Babel's update, writing) and :mod:`sopgen.core.translation` (what is stale).
"""

from __future__ import annotations

from typing import Any, Optional

import click

from ..core.fields import language_code
from ..core.i18ncheck import catalogs_present, same_language
from ..core.pofile import PoFile, new_messages, read, save, update, written
from ..core.translatable import source_texts, template
from ..core.translation import StaleText, stale_texts
from .common import Failed, config_option, load_checked, stop_on_errors
from .console import say

SHOWN = 5
"""Stale texts listed per file without --verbose."""


@click.group()
def i18n() -> None:
    """Translations of the handbook: sops/locale/<lang>.po, one per language.

    'update' makes each catalog from the sources and keeps it in step with them;
    a translator fills it in with any PO editor (Poedit, Weblate); 'status' says
    what is stale: not yet translated, or changed since it was translated.
    """


def _languages(catalog: Any, asked: tuple[str, ...]) -> list[str]:
    """The languages named, or those of ``translations`` and of the catalogs already there."""
    own = catalog.organization.language
    listed = list(catalog.organization.translations)
    if not asked:
        return listed + [code for code in catalogs_present(catalog)
                         if not any(same_language(code, known) for known in listed)]
    codes = []
    for code in asked:
        try:
            code = language_code(code)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="LANG") from None
        if same_language(code, own):
            raise click.BadParameter(f"'{code}' is the sources' own language (language: {own}): name a "
                                     "language to translate into", param_hint="LANG")
        if not any(same_language(code, known) for known in codes):
            codes.append(next((known for known in listed if same_language(code, known)), code))
    return codes


def _unlisted(catalog: Any, language: str) -> None:
    if not any(same_language(language, known) for known in catalog.organization.translations):
        source = catalog.organization_source
        where = source.rel if source else "sops/organization.yml"
        say(f"warning: '{language}' is not in the translations of {where}: the site does not publish it until "
            f"it is listed (translations: [{language}])", "warning")


def _read_all(catalog: Any, languages: list[str]) -> list[PoFile]:
    files = [read(catalog.root, catalog.sops, code) for code in languages]
    stop_on_errors([p for po in files for p in po.problems], outcome="fix the PO file first")
    return files


@i18n.command("update")
@click.argument("languages", nargs=-1, metavar="[LANG]...")
@config_option
def update_command(languages: tuple[str, ...], config_file: Optional[str]) -> None:
    """Make or update sops/locale/<LANG>.po from the sources.

    Without LANG, every language of 'translations' in organization.yml and every
    catalog already in sops/locale/. A new text is added untranslated; a changed
    one keeps its translation, marked fuzzy, with the previous text as '#| msgid';
    a vanished one becomes obsolete (#~). Translators' comments and the header
    are kept, and a file whose texts did not change is not touched.
    """
    _config, catalog, problems = load_checked(config_file)
    # a source that cannot be read would lose its entries; the catalogs' own problems are read below
    stop_on_errors([p for p in problems if not p.path.endswith(".po")])
    codes = _languages(catalog, languages)
    if not codes:
        raise click.UsageError("no language to translate into: list them in organization.yml "
                               "(translations: [es]) or name one: sopgen i18n update es")
    texts = template(source_texts(catalog))
    for po in _read_all(catalog, codes):
        _unlisted(catalog, po.language)
        messages = po.messages if po.messages is not None else new_messages(po.language, catalog.organization.name)
        update(messages, texts)
        changed = save(po, written(po, messages))
        entries = [m for m in messages if m.id]
        done = sum(1 for m in entries if m.string and not m.fuzzy)
        fuzzy = sum(1 for m in entries if m.fuzzy)
        counts = f"{done} of {len(entries)} texts translated, {fuzzy} fuzzy, {len(entries) - done - fuzzy} untranslated"
        obsolete = f", {len(messages.obsolete)} obsolete" if messages.obsolete else ""
        verb = "wrote" if changed else "unchanged:"
        say(f"{verb} {po.rel} ({counts}{obsolete})", "ok" if changed else "")


@i18n.command("status")
@click.argument("language", required=False, metavar="[LANG]")
@config_option
@click.option("--check", is_flag=True,
              help="Exit with 1 when a text is stale, naming its SOPs: for CI and the sopgen-i18n pre-commit hook.")
@click.option("-v", "--verbose", is_flag=True, help=f"List every stale text (by default {SHOWN} per file).")
def status_command(language: Optional[str], config_file: Optional[str], check: bool, verbose: bool) -> None:
    """What is stale in each translation (or LANG): texts not yet translated,
    and texts changed since they were translated (fuzzy), per SOP and role.

    Without LANG, every language of 'translations' and every catalog in
    sops/locale/.
    """
    _config, catalog, problems = load_checked(config_file)
    stop_on_errors([p for p in problems if not p.path.endswith(".po")])
    codes = _languages(catalog, (language,) if language else ())
    if not codes:
        say("✓ no translations: organization.yml lists none, and sops/locale/ holds no catalog", "ok")
        return
    failing = []
    for po in _read_all(catalog, codes):
        stale = stale_texts(catalog, po.messages)
        total = len({(t.context, t.text) for t in source_texts(catalog)})
        if not stale:
            say(f"✓ {po.language}: all {total} texts translated ({po.rel})", "ok")
            continue
        failing.append((po.language, stale))
        if not po.exists:
            say(f"{po.language}: no {po.rel} yet: run 'sopgen i18n update {po.language}', then translate it", "warning")
            continue
        entries = len({(t.source.context, t.source.text) for t in stale})
        click.echo(f"{po.language}: {total - entries} of {total} texts translated, {entries} stale ({po.rel})")
        _list(po, stale, verbose)
    if not failing:
        return
    what = "; ".join(f"{code}: {', '.join(dict.fromkeys(t.source.context for t in stale))}" for code, stale in failing)
    message = f"stale translations in {what}"
    if check:
        say(f"✗ {message}: translate them with a PO editor (run 'sopgen i18n update' first if texts are "
            "missing from the catalog)", "error")
        raise Failed()
    say(f"! {message}", "warning")


def _list(po: PoFile, stale: list[StaleText], verbose: bool) -> None:
    by_file: dict[str, list[StaleText]] = {}
    for text in stale:
        by_file.setdefault(text.source.context, []).append(text)
    for context, texts in by_file.items():
        reasons = {reason: sum(1 for t in texts if t.reason == reason) for reason in ("fuzzy", "missing")}
        said = ", ".join(f"{n} {'changed since translated (fuzzy)' if r == 'fuzzy' else 'not translated'}"
                         for r, n in reasons.items() if n)
        click.echo(f"  {context}: {said}")
        for text in texts if verbose else texts[:SHOWN]:
            where = f"{po.rel}:{text.line}" if text.line else f"{text.source.path}:{text.source.line} (not in {po.rel})"
            shown = " ".join(text.source.text.split())
            shown = shown if len(shown) <= 60 else shown[:59] + "…"
            click.echo(f"    {where}: {text.reason}: {shown}")
        if not verbose and len(texts) > SHOWN:
            click.echo(f"    … and {len(texts) - SHOWN} more (-v lists them all)")
