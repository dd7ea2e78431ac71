"""Transformation: the dbt project as assets, its tests as checks, the cycle and nightly jobs."""

import dagster as dg

from dagster_project.defs.transformation.assets import build_dbt_assets
from dagster_project.defs.transformation.jobs import cycle_job, cycle_schedule, nightly

_dbt_assets = build_dbt_assets()
_nightly = nightly(_dbt_assets) if _dbt_assets is not None else None

defs = dg.Definitions(
    assets=[_dbt_assets] if _dbt_assets is not None else [],
    jobs=[cycle_job, *([_nightly[0]] if _nightly else [])],
    schedules=[cycle_schedule, *([_nightly[1]] if _nightly else [])],
)
