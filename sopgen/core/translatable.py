"""What a translation translates: the texts of each source file, as a gettext catalog's entries.

A text is a value of a field written for people to read, plain or Markdown
(:data:`sopgen.core.fields.PROSE`): a title, a purpose, a step and its tip, a quiz question.
Everything else (ids, addresses, paths, numbers, durations, frequencies, dates, the order and
nesting of steps) comes from the source in every language. The fields are found by walking the
models (:func:`sopgen.core.walk.prose_values`), so a text field added to the format is translated
without a word here; :data:`NOT_TRANSLATED` lists the string fields that are not, and why.

Each text is an entry of ``sops/locale/<lang>.po`` (README.md, "Translating the handbook"):
``msgctxt`` is its file's id (``tasks/send-invoices``, ``roles/bookkeeper``, ``organization``),
``msgid`` the text as written, the reference its place in the source (``sops/tasks/x.yml:12``)
and the automatic comment its field (``steps[2].tip``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Optional

from babel.messages.catalog import Catalog as Messages

from .catalog import Catalog
from .entries import Entry, RoleEntry, Source, TaskEntry
from .model import Benchmark, Organization, Person, Phase, QuizQuestion, Recording, Result, Role, SignOff, Step, Task, Tool
from .walk import prose_values
from .yamldoc import Loc, format_loc

NOT_TRANSLATED: dict[tuple[type, str], str] = {
    (Organization, "name"): "the business's name, the same in every language",
    (Organization, "owner"): "a role id",
    (Organization, "currency"): "a currency code",
    (Organization, "logo"): "a path under sops/",
    (Organization, "color"): "a colour",
    (Organization, "language"): "a language code",
    (Organization, "translations"): "language codes",
    (Role, "reports_to"): "a role id",
    (Tool, "name"): "how tasks name the tool (a task's tools), and the product's own name",
    (Tool, "url"): "a web address",
    (Recording, "url"): "a web address",
    (Phase, "tasks"): "task ids",
    (Task, "role"): "a role id",
    (Task, "status"): "a keyword (draft, active, retired)",
    (Task, "frequency"): "a frequency (weekly, every 2 weeks), said in the site's language by sopgen",
    (Task, "prerequisites"): "task ids",
    (Task, "tools"): "names of the role's tools, which are not translated",
    (Task, "maintainer"): "a role id",
    (Task, "tags"): "labels for finding SOPs, the same in every language",
    (Step, "image"): "a path under sops/",
    (Step, "video"): "a web address",
    (Benchmark, "id"): "how results refer to the benchmark",
}
"""The string fields of organization, role and task files that are not translated, and why.
Training records (``sops/people/``) are not translated at all: they are the business's own
records, not the handbook."""

_SKIP = frozenset(NOT_TRANSLATED)
ORGANIZATION = "organization"
"""The context of ``organization.yml``'s texts."""
KINDS_TRANSLATED = (Organization, Role, Task)
KINDS_NOT_TRANSLATED = (Person, SignOff, Result)


@dataclass(frozen=True)
class SourceText:
    """One text of a source file, where it is and what a translator is told about it."""

    context: str
    """Its file's id: ``tasks/send-invoices``, ``roles/bookkeeper``, ``organization``."""
    text: str
    """The text as written (a Markdown block keeps its line breaks)."""
    path: str
    """The file, relative to the project: ``sops/tasks/send-invoices.yml``."""
    line: int
    col: int
    loc: Loc
    """Where it sits in the file: ``("steps", 2, "tip")``."""
    markdown: bool

    @property
    def field(self) -> str:
        """``steps[2].tip``, and whether it is Markdown: the entry's comment for translators."""
        return format_loc(self.loc) + (" (Markdown)" if self.markdown else "")


def context_of(entry: Entry) -> str:
    """The context of the texts of a role or task: ``roles/<id>``, ``tasks/<id>``."""
    if isinstance(entry, RoleEntry):
        return f"roles/{entry.id}"
    if isinstance(entry, TaskEntry):
        return f"tasks/{entry.id}"
    raise TypeError(f"{entry!r} is not translated")


def translated_files(catalog: Catalog) -> Iterator[tuple[str, Optional[Source], Any]]:
    """(context, source, data) of every file whose texts are translated: the organization's
    (when there is an ``organization.yml``), then roles and tasks by id."""
    if catalog.organization_source is not None:
        yield ORGANIZATION, catalog.organization_source, catalog.organization
    for table in (catalog.roles, catalog.tasks):
        for ident in sorted(table):
            entry = table[ident]
            yield context_of(entry), entry.source, entry.data


def source_texts(catalog: Catalog) -> list[SourceText]:
    """Every text of the project to translate, file by file and, within a file, in the order it
    is written (a text that is empty or only spaces is no text)."""
    found: list[SourceText] = []
    for context, source, data in translated_files(catalog):
        assert source is not None
        here = []
        for loc, text, markdown in prose_values(data, _SKIP):
            if not text.strip():
                continue
            mark = source.doc.mark(loc)
            here.append(SourceText(context, text, source.rel, mark.line, mark.col, loc, markdown))
        found += sorted(here, key=lambda t: (t.line, t.col))
    return found


def template(texts: list[SourceText]) -> Messages:
    """The texts as a catalog without translations (what gettext calls a POT): one entry per
    text of a file, a text written twice in one file being one entry with two references."""
    messages = Messages(fuzzy=False)
    for text in texts:
        message = messages.get(text.text, text.context)
        if message is not None:
            message.locations.append((text.path, text.line))
            if text.field not in message.auto_comments:
                message.auto_comments.append(text.field)
            continue
        added = messages.add(text.text, locations=[(text.path, text.line)], context=text.context,
                             auto_comments=[text.field])
        added.flags.discard("python-format")  # "95% of" is not a format string to check
    return messages
