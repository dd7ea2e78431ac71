"""The ``socialpulse`` command: every tool's command group under one name, and ``demo``."""
