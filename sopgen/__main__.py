"""``python -m sopgen``: the same as the ``sopgen`` command."""

from .cli.main import main

main()
