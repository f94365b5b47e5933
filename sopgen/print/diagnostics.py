"""Typst's report in the user's words: each error or warning at the template's file as the user
knows it (``templates/pdf/x.typ:3:5``), with its hints and where the failing code was called
from, never at the staging folder; the first few errors only, as the rest most often echo them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

SHOWN_ERRORS = 3
"""Typst's errors said of a template; those after them are most often the first one's echoes (an
unclosed bracket makes every later line an error)."""


def first_errors(errors: list[str]) -> str:
    """The first :data:`SHOWN_ERRORS` of ``errors`` (each once), and how many more there were."""
    errors = list(dict.fromkeys(errors))
    more = len(errors) - SHOWN_ERRORS
    if more <= 0:
        return "\n".join(errors)
    return "\n".join(errors[:SHOWN_ERRORS] + [f"(and {more} more, most likely caused by the first: fix it and "
                                                "build again)"])


def diagnostic_blocks(diagnostic: str, kind: str) -> list[dict[str, Any]]:
    """The ``kind`` diagnostics (error, warning) of Typst's report, each with its message, place
    (Typst's path, line, column), hints, and trace: where the failing code was called from."""
    found: list[dict[str, Any]] = []
    for block in re.split(r"\n(?=(?:error|warning|help): )", "\n" + diagnostic.strip()):
        head, _, rest = block.strip().partition(": ")
        if not rest:
            continue
        place = re.search(r"┌─ (.+?):(\d+):(\d+)", rest)
        where = (place.group(1), int(place.group(2)), int(place.group(3)) + 1) if place else None  # columns from 0
        if head == kind:
            hints = [h for h in re.findall(r"^\s*= hint: (.*)", rest, re.M) if "--root" not in h]
            found.append({"message": rest.split("\n")[0], "where": where, "hints": hints, "trace": []})
        elif head == "help" and found and kind == "error":
            found[-1]["trace"].append((rest.split("\n")[0], where))
    return found


class Places:
    """Typst's report in the user's words: each file as the user knows it, never the staging folder."""

    def __init__(self, origins: dict[str, str], folder: Path, main: str) -> None:
        self.origins = origins
        self.main = main  # what a diagnostic without a place concerns: the document (no title…)
        self.folder = folder
        self.root = folder / "root"

    def explained(self, diagnostic: str, kind: str) -> list[str]:
        """``templates/pdf/x.typ:3:5: message (hint: …); calling `f` at templates/pdf/y.typ:9:2``"""
        lines = []
        for block in diagnostic_blocks(diagnostic, kind):
            text = f"{self.where(block['where']) if block['where'] else self.main}: {block['message']}"
            text += "".join(f" (hint: {hint})" for hint in block["hints"])
            text += "".join(f"; {message.replace('while ', '')} at {self.where(where)}"
                            for message, where in block["trace"] if where)
            lines.append(self.scrubbed(text))
        return lines or [self.scrubbed(f"{self.main}: {diagnostic.strip()}")]

    def where(self, place: tuple[str, int, int]) -> str:
        path, line, col = place  # Typst's path is relative to the working folder
        absolute = Path(os.path.abspath(path))
        for root in (self.root, self.root.resolve()):
            if absolute.is_relative_to(root):
                path = absolute.relative_to(root).as_posix()
        return f"{self.origins.get(path, path)}:{line}:{col}"

    def scrubbed(self, text: str) -> str:
        """``text`` without the staging folder's path: its files have their project paths."""
        for folder in dict.fromkeys((self.root, self.root.resolve(), self.folder, self.folder.resolve())):
            for prefix in (str(folder), os.path.relpath(folder)):
                text = text.replace(prefix + os.sep, "").replace(prefix, ".")
        return text
