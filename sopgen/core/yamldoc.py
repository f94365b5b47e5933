"""A YAML source file as plain data, with the line and column of every value and key, so that a
problem found anywhere later names ``file:line:col`` and the field (``steps[2].image``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

from .errors import Problem

Loc = tuple[Union[str, int], ...]
"""Where a value sits in a document: ``("steps", 2, "image")``."""


@dataclass(frozen=True)
class Mark:
    """A position in a file, counting lines and columns from 1."""

    line: int
    col: int


@dataclass
class Document:
    """One YAML file as plain data, with the position of every value and key."""

    path: str
    """The file's path relative to the project (for messages)."""
    data: Any
    values: dict[Loc, Any] = field(default_factory=dict)
    """Where each value starts (PyYAML marks, 0-based; converted only when asked)."""
    keys: dict[Loc, Any] = field(default_factory=dict)
    """Where each mapping key starts."""
    lines: list[str] = field(default_factory=list)
    """The file's lines, for messages that quote the author's own line."""

    def mark(self, loc: Loc, *, key: bool = False) -> Mark:
        """Position of ``loc``, or of its closest enclosing value that has one."""
        if key and loc in self.keys:
            return _mark(self.keys[loc])
        while loc:
            if loc in self.values:
                return _mark(self.values[loc])
            loc = loc[:-1]
        return _mark(self.values[()]) if () in self.values else Mark(1, 1)

    def problem(self, loc: Loc, message: str, *, key: bool = False, severity: str = "error", rule: str = "") -> Problem:
        mark = self.mark(loc, key=key)
        return Problem(self.path, mark.line, mark.col, format_loc(loc), message, severity, rule)  # type: ignore[arg-type]


def _mark(yaml_mark: Any) -> Mark:
    return Mark(yaml_mark.line + 1, yaml_mark.column + 1)


def format_loc(loc: Loc) -> str:
    """``("steps", 2, "image")`` → ``steps[2].image``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
