"""The translations' files, ``sops/locale/<lang>.po``: reading one with its mistakes located,
updating it from the sources with Babel's catalog update, and writing it back at once.

Babel reads PO files leniently: a string left unclosed loses its last letter, a stray line is
skipped, a file with Windows line ends reads as empty. A translator's slip must instead be an
error at its line, like a YAML source's, so the file is checked line by line (:func:`_syntax`)
before Babel reads it; what Babel itself refuses is located too.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from babel import Locale
from babel.messages.catalog import Catalog as Messages
from babel.messages.pofile import PoFileError, normalize, read_po, unescape, write_po

from .errors import Problem

LOCALE_DIR = "locale"
"""The folder of sops/ that holds the translations."""
WIDTH = 76
"""Where long strings are wrapped: gettext's own width, so that msgmerge and Poedit agree."""


@dataclass
class PoFile:
    """One translation's file as read: its messages, or the problems that kept it from being read."""

    language: str
    path: Path
    rel: str
    """Relative to the project, with forward slashes: ``sops/locale/es.po``."""
    messages: Optional[Messages] = None
    problems: list[Problem] = field(default_factory=list)
    crlf: bool = False
    """Whether the file had Windows line ends, which writing it back keeps."""
    raw: bytes = b""

    @property
    def exists(self) -> bool:
        return self.path.is_file()


def po_path(sops: Path, language: str) -> Path:
    return sops / LOCALE_DIR / f"{language}.po"


def read(root: Path, sops: Path, language: str) -> PoFile:
    """The file of ``language`` under ``sops/locale/``; without messages (and with no problem)
    when there is none yet."""
    path = po_path(sops, language)
    po = PoFile(language, path, path.relative_to(root).as_posix())
    if not path.is_file():
        return po
    po.raw = path.read_bytes()
    try:
        text = po.raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = po.raw[:exc.start].count(b"\n") + 1
        col = exc.start - po.raw.rfind(b"\n", 0, exc.start)
        po.problems.append(Problem(po.rel, line, col, "", "the file is not UTF-8 text: save it as UTF-8 "
                                                          "(Poedit and other PO editors do)"))
        return po
    po.crlf = "\r\n" in text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    problems, previous = _syntax(po.rel, text.split("\n"))
    po.problems += problems
    if po.problems:
        return po
    try:
        po.messages = read_po(io.StringIO(text), abort_invalid=True)
    except PoFileError as exc:
        po.problems.append(Problem(po.rel, getattr(exc, "lineno", 0) + 1, 1, "", f"{exc}: correct the entry"))
    except ValueError as exc:  # a header Babel cannot use: an unknown Language, bad Plural-Forms
        po.problems.append(Problem(po.rel, 1, 1, "", f"the header cannot be read ({exc}): correct it, or "
                                                     f"remove the file and run 'sopgen i18n update {language}'"))
    if po.messages is not None:
        for message in (*po.messages, *po.messages.obsolete.values()):
            message.flags.discard("python-format")
            # Babel reads a "#|" line as a translator's comment: it is the previous text
            message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
            if message.fuzzy and (message.context, message.id) in previous:
                message.previous_id = [previous[message.context, message.id]]
    return po


def new_messages(language: str, business: str) -> Messages:
    """An empty catalog for ``language``, its header saying what it is and how to keep it up to date."""
    locale = Locale.parse(language.replace("-", "_"))
    messages = Messages(locale=locale, project=business, version="handbook", fuzzy=False)
    messages.header_comment = (
        f"# {locale.english_name} translation of the {business} handbook.\n"
        f"# Made from the sources (sops/) by `sopgen i18n update {language}`.\n"
        "# Translate it with any PO editor (Poedit, Weblate);\n"
        "# `sopgen i18n status` says what is left to translate.")
    return messages


def update(messages: Messages, texts: Messages) -> None:
    """``messages`` brought up to date with the sources' ``texts`` (:func:`sopgen.core.translatable.template`),
    by Babel's catalog update: a new text is added untranslated, a changed one keeps its old
    translation marked fuzzy with the previous text as ``#| msgid``, a vanished one becomes
    obsolete (``#~``). The translators' comments and the header are kept."""
    previous = {_key(m): m.previous_id for m in messages if m.id and m.fuzzy and m.previous_id}
    messages.update(texts, update_header_comment=False, keep_user_comments=True, update_creation_date=False)
    for message in messages:
        message.flags.discard("python-format")
        if message.fuzzy and not message.previous_id and _key(message) in previous:
            # Babel's update drops the previous text of an entry still fuzzy from the last update
            message.previous_id = previous[_key(message)]
    active = {_key(m) for m in messages if m.id}
    for key in [key for key, m in messages.obsolete.items() if _key(m) in active]:
        del messages.obsolete[key]  # a text that came back is an entry again, not also an obsolete one


def _key(message: object) -> tuple[str, Optional[str]]:
    return (message.id, message.context)  # type: ignore[attr-defined]


def written(po: PoFile, messages: Messages) -> bytes:
    """What the file holds for ``messages``: wrapped at :data:`WIDTH`, the entries in the order of
    the sources, obsolete ones last, and the file's own line ends."""
    out = io.BytesIO()
    write_po(out, messages, width=WIDTH, include_previous=False, sort_output=False, sort_by_file=False)
    text = out.getvalue().decode("utf-8")
    # Babel rewraps a previous text as a comment, which breaks one of several lines into lines
    # no PO reader takes ("#| msgid "" "Open…"): each is written here, as msgmerge writes it
    for message in messages:
        if message.id and message.previous_id:
            entry = _entry_start(message)
            at = text.find("\n" + entry)
            if at >= 0:
                lines = normalize(message.previous_id[0], width=WIDTH - 3).split("\n")
                previous = "#| msgid " + "\n#| ".join(lines) + "\n"
                text = text[:at + 1] + previous + text[at + 1:]
    data = text.encode("utf-8")
    return data.replace(b"\n", b"\r\n") if po.crlf else data


def _entry_start(message: object) -> str:
    """How an entry's msgctxt and msgid are written: where its previous text goes before."""
    context = getattr(message, "context", None)
    start = f"msgctxt {normalize(context, width=WIDTH)}\n" if context is not None else ""
    return start + f"msgid {normalize(message.id, width=WIDTH)}\n"  # type: ignore[attr-defined]


def save(po: PoFile, data: bytes) -> bool:
    """Replace the file with ``data`` at once (a reader never sees half a file); whether it changed."""
    if po.path.is_file() and po.raw == data:
        return False
    po.path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{po.path.name}.", dir=po.path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        if po.path.is_file():
            os.chmod(temporary, po.path.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, po.path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    po.raw = data
    return True


# -- the syntax of a PO file --------------------------------------------------------------

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?=[\s\"]|$)\s*(.*)$")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"\s*$')
_FIX_STRING = 'close the string with a double quote, and write a quote inside it as \\"'
_ORDER = {"msgctxt": (None, "msgstr"), "msgid": (None, "msgstr", "msgctxt"),
          "msgid_plural": ("msgid",), "msgstr": ("msgid", "msgid_plural")}
"""For each keyword, those that may come right before it (None: the start of the file)."""


def _syntax(rel: str, lines: list[str]) -> tuple[list[Problem], dict[tuple[Optional[str], str], str]]:
    """The lines that are not PO: each a comment, a keyword and its string, or a string that goes
    on with the one above; an entry is ``[msgctxt] msgid [msgid_plural] msgstr``, once per text.
    With them, the previous text (``#| msgid``) of each entry, by (msgctxt, msgid)."""
    problems: list[Problem] = []
    previous: dict[tuple[Optional[str], str], str] = {}
    before_text: list[str] = []  # the "#| msgid" strings of the entry being read
    in_msgid = False
    last: Optional[str] = None  # the keyword of the entry being read
    entry: dict[str, str] = {}
    entry_previous: list[str] = []
    seen: dict[tuple[str, str], int] = {}

    def problem(number: int, col: int, message: str) -> None:
        problems.append(Problem(rel, number, col, "", message))


    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if line.startswith("#|") and not obsolete:  # the previous text of a fuzzy entry
            said = line[2:].strip()
            keyword = said.split(" ", 1)[0] if said.startswith("msg") else ""
            in_msgid = keyword == "msgid" if keyword else in_msgid
            said = said[len(keyword):].strip()
            if in_msgid and _STRING.match(said):
                before_text.append(said)
            continue
        if not line or line.startswith(("#", "|")):  # a comment; "#~|" is an obsolete entry's previous text
            continue
        col = raw.index(line[0]) + 1
        match = _KEYWORD.match(line)
        if match:
            keyword, rest = match.group(1), match.group(2)
            kind = "msgstr" if keyword.startswith("msgstr") else keyword
            allowed = _ORDER[kind]
            before = "msgstr" if last and last.startswith("msgstr") else last
            if before not in allowed and not (kind == "msgstr" and before == "msgstr"):
                what = {"msgstr": "a msgid", "msgid_plural": "a msgid"}.get(kind)
                if what:
                    problem(number, col, f"{keyword} without {what} before it: each entry is msgid \"…\" then msgstr \"…\"")
                else:
                    problem(int(entry.get("line", number)), 1, "this entry has no msgstr: add 'msgstr \"\"' after its msgid")
            if kind in ("msgctxt", "msgid") and (before in (None, "msgstr") or before not in allowed):
                entry = {"line": str(number), "obsolete": "1" if obsolete else ""}
                entry_previous, before_text = before_text, []
            last = keyword
            entry[kind] = ""
            string_col = col + line.index(rest) if rest else col + len(line)
        elif line.startswith('"'):
            if last is None:
                problem(number, col, "a string with no msgid or msgstr before it: start the line with the keyword")
                continue
            rest, string_col, kind = line, col, "msgstr" if last.startswith("msgstr") else last
        else:
            word = line.split()[0]
            problem(number, col, f"'{word[:20]}' is not a PO keyword: a line is a comment (# …), msgctxt, msgid or "
                                 f"msgstr followed by a quoted string, or a quoted string going on from the line above")
            continue
        if not rest:
            problem(number, string_col, f"{last} has no string: write {last} \"\" (two double quotes) at least")
        elif not _STRING.match(rest):
            problem(number, string_col, f"the string is not closed, or text follows it: {_FIX_STRING}")
        else:
            entry[kind] = entry.get(kind, "") + rest.strip()[1:-1]
        if kind == "msgstr" and "msgid" in entry and entry.get("msgid") and not entry.get("counted"):
            entry["counted"] = "1"
            if entry_previous and not entry["obsolete"]:
                context = _text(entry["msgctxt"]) if "msgctxt" in entry else None
                previous[context, _text(entry["msgid"])] = "".join(_text(part[1:-1]) for part in entry_previous)
            key = (entry.get("obsolete", ""), entry.get("msgctxt", "\x00") + "\x04" + entry["msgid"])
            if key in seen and not key[0]:
                problem(int(entry["line"]), 1, f"the same text (and msgctxt) as the entry of line {seen[key]}: "
                                               "keep one of the two")
            seen.setdefault(key, int(entry["line"]))
    if last in ("msgctxt", "msgid", "msgid_plural"):
        problem(int(entry["line"]), 1, "the last entry has no msgstr: add 'msgstr \"\"' after its msgid")
    return problems, previous


def _text(escaped: str) -> str:
    """A PO string's content (between its quotes) as the text it stands for."""
    return unescape(f'"{escaped}"')
