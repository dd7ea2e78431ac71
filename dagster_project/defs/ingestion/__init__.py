"""Ingestion: the dlt sources of the three platform groups, one multi-asset each."""

import dagster as dg

from dagster_project.defs.ingestion.assets import build_group_assets
from socialpulse.platforms import SOURCES

_assets = [a for a in (build_group_assets(g) for g in SOURCES) if a is not None]

defs = dg.Definitions(assets=_assets)
