"""Errors that the CLI reports as one clear line instead of a traceback."""


class ConfigError(RuntimeError):
    """A configuration value is missing or wrong; the message names what to fix."""
