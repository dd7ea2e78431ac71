"""``python -m socialpulse`` is the ``socialpulse`` command."""

from socialpulse.cli import main

main()
