"""Ingestion: the dlt sources of the three platform groups, fanned out per connected account."""

import dagster as dg

from dagster_project.defs.ingestion.assets import build_group_assets
from dagster_project.defs.ingestion.partitions import account_partitions_sensor
from socialpulse.platforms import SOURCES

_parts = [p for g in SOURCES for p in build_group_assets(g)]

defs = dg.Definitions(
    assets=[p for p in _parts if not isinstance(p, dg.AssetChecksDefinition)],
    asset_checks=[p for p in _parts if isinstance(p, dg.AssetChecksDefinition)],
    sensors=[account_partitions_sensor],
)
