"""``python -m sopgen``: the same as the ``sopgen`` command."""

from .cli import main

main()
