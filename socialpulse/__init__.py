"""socialpulse shared core: settings, warehouse, token encryption, application schema and CLI."""

__version__ = "0.1.0"
