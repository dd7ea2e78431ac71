"""Domain folders; each exposes ``defs: dg.Definitions``."""
