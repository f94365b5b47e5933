"""The whole exception family of sopgen, and the problem record every check reports.

A :class:`Problem` is one thing wrong (or worth a warning) at one place in one
file. Checks collect problems; the boundaries (CLI, MkDocs plugin) report them
all at once and then fail once, by raising :class:`ProjectInvalid`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, located like a compiler's: ``path:line:col: field: message``."""

    path: str
    """File path relative to the project folder, with forward slashes."""
    line: int
    """1-based line; 0 when the finding concerns the file as a whole."""
    col: int
    """1-based column; 0 when the finding concerns the file as a whole."""
    field: str
    """Field path inside the file, such as ``steps[2].image``; empty for the file itself."""
    message: str
    severity: Severity = "error"
    rule: str = ""
    """A short name for the kind of warning (``review-overdue``, ``unknown-tool``), for filtering."""

    def __str__(self) -> str:
        where = self.path if not self.line else f"{self.path}:{self.line}:{self.col}"
        kind = "warning: " if self.severity == "warning" else ""
        field = f"{self.field}: " if self.field else ""
        return printable(f"{where}: {kind}{field}{self.message}")

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def printable(text: str) -> str:
    """``text`` on one line with its control characters escaped (``\\r``, ``\\x1b``, ``\\u202e``).

    Problems quote what authors wrote; a key or value holding a line break, a
    terminal escape or a bidirectional override must not split or disguise a
    report line in a terminal or a CI log.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or unicodedata.category(c) == "Zs" else repr(c)[1:-1] for c in text)


class SopgenError(Exception):
    """Base of every error sopgen reports to a user (never with a traceback)."""


class ProjectNotFound(SopgenError):
    """No sopgen project where one was expected."""


class ProjectInvalid(SopgenError):
    """The project has problems; :attr:`problems` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(summary(problems))


def summary(problems: list[Problem]) -> str:
    """``2 errors and 1 warning in 3 files``, the closing line of a report."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    files = len({p.path for p in problems})
    parts = []
    if errors:
        parts.append(plural(errors, "error"))
    if warnings:
        parts.append(plural(warnings, "warning"))
    return f"{' and '.join(parts) or 'no problems'} in {plural(files, 'file')}"


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


class BadEnvironment(SopgenError):
    """An environment variable sopgen reads holds a value it cannot use (``SOURCE_DATE_EPOCH=abc``)."""


class TemplateFailed(SopgenError):
    """A template could not be rendered: ``templates/sop.md.j2:12: 'x' is undefined``."""


class UnknownTemplate(SopgenError):
    """No default template has this name (``sopgen templates explain/eject``)."""


class TemplateExists(SopgenError):
    """``sopgen templates eject`` would overwrite a file of the project."""
