"""How the command line says things: colour on a terminal, none under ``NO_COLOR``.

Colour marks what a reader scans for (errors red, warnings yellow, success
green); the words say it all without colour. Click strips colour when the
output is not a terminal; ``NO_COLOR`` (https://no-color.org), set to
anything but the empty string, turns it off on a terminal too.
"""

from __future__ import annotations

import os

import click

from ..core.errors import Problem

COLOURS = {"error": "red", "warning": "yellow", "ok": "green"}


def colour_wanted() -> bool:
    return not os.environ.get("NO_COLOR")


def paint(text: str, kind: str) -> str:
    """``text`` in the colour of ``kind`` (error, warning, ok), unless colour is unwanted."""
    if not colour_wanted():
        return text
    return click.style(text, fg=COLOURS[kind], bold=kind == "error")


def say(text: str, kind: str = "", *, err: bool = True) -> None:
    """Print one line (on standard error by default), painted when ``kind`` is given."""
    click.echo(paint(text, kind) if kind else text, err=err)


def show_problem(problem: Problem) -> None:
    """One problem, like a compiler's: ``path:line:col: field: message``."""
    say(str(problem), "warning" if problem.severity == "warning" else "error")
