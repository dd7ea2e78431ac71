"""The code location: the domain folders merged, plus the resources built from the environment."""

from __future__ import annotations

import dagster as dg

from dagster_project.defs import (
    alerting,
    enrichment,
    ingestion,
    reporting,
    storage,
    transformation,
)
from dagster_project.defs.quality.checks import build_checks
from dagster_project.resources import build_resources


def _asset_keys(*parts: dg.Definitions) -> set[dg.AssetKey]:
    keys: set[dg.AssetKey] = set()
    for part in parts:
        for a in part.assets or []:
            keys |= set(getattr(a, "keys", ()))
    return keys


def build_definitions(database_url: str | None = None) -> dg.Definitions:
    """All definitions, with resources bound to ``database_url`` (default: the environment)."""
    domains = [ingestion.defs, transformation.defs, enrichment.defs, storage.defs]
    quality = dg.Definitions(asset_checks=build_checks(_asset_keys(*domains)))
    return dg.Definitions.merge(*domains, quality, alerting.defs, reporting.defs,
                                dg.Definitions(resources=build_resources(database_url)))


defs = build_definitions()
