"""The ``sopgen`` command: a group of thin Click commands over the core, in :mod:`.authoring`,
:mod:`.building`, :mod:`.review`, :mod:`.printing` and :mod:`.train`.

Exit codes: 0 success, 1 problems found (or a project that cannot be read),
2 wrong usage (Click's own).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..core.errors import SopgenError
from . import authoring, building, printing, review
from .i18n import i18n
from .train import train

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class SopgenGroup(click.Group):
    """Turns sopgen's own errors into Click's, once for every command: a message, exit 1, no traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from ..core.outputs import failure

        try:
            return super().invoke(ctx)
        except SopgenError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:  # a full disk or a read-only folder, wherever a command writes
            path = Path(exc.filename) if exc.filename else None
            said = failure(exc, path.parent if path else Path.cwd(), path.name if path else "a file")
            if said is None:
                raise
            raise click.ClickException(str(said)) from None


@click.group(cls=SopgenGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="sopgen", message="%(prog)s %(version)s")
def main() -> None:
    """Standard operating procedures as code.

    Keep roles and tasks as small YAML files under sops/ and turn them into a
    training site, PDF handbooks, checklists and onboarding guides. Start with
    'sopgen init DIR'; run a command with --help for its options.
    """
    # Material's banner about MkDocs 2.0 is not the concern of someone running sopgen: the
    # program says so for its own process (a library import would say it for its caller's)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


for command in (authoring.init, authoring.new, authoring.templates, authoring.schema, authoring.validate_command,
                building.build, building.serve, building.render_command, review.review, review.changes,
                printing.pdf_command, printing.report_command, train, i18n):
    main.add_command(command)


def run() -> None:
    """The `sopgen` command (errors are translated by :class:`SopgenGroup`)."""
    main()
