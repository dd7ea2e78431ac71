"""A local, deterministic emulator of the X v2, Meta Graph and LinkedIn REST APIs."""
