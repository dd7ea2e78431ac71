"""The 15-minute cycle (sync + enrich + incremental dbt build) and the nightly full rebuild."""

from __future__ import annotations

import dagster as dg

from dagster_project.constants import CYCLE_CRON, CYCLE_JOB, CYCLE_TAG, NIGHTLY_CRON, NIGHTLY_JOB
from dagster_project.defs.transformation.assets import DBT_ASSETS_NAME
from dagster_project.executors import cycle_executor

cycle_job = dg.define_asset_job(
    CYCLE_JOB,
    selection=dg.AssetSelection.all(),
    description="Sync every due account (one step each), score new texts, build the marts "
                "incrementally.",
    tags={CYCLE_TAG: "true"},
    # DAGSTER_EXECUTOR=celery spreads the account steps over the workers (executors.py)
    executor_def=cycle_executor(),
)

cycle_schedule = dg.ScheduleDefinition(
    name="every_15_minutes", job=cycle_job, cron_schedule=CYCLE_CRON,
    execution_timezone="UTC")


def nightly(dbt_assets: dg.AssetsDefinition) -> tuple[dg.UnresolvedAssetJobDefinition,
                                                       dg.ScheduleDefinition]:
    """``dbt build --full-refresh`` of every model, and its nightly schedule."""
    job = dg.define_asset_job(
        NIGHTLY_JOB,
        selection=dg.AssetSelection.assets(dbt_assets),
        description="dbt build --full-refresh of every model, every test on every row: "
                    "corrections older than the incremental lookback are rebuilt too.",
        config={"ops": {DBT_ASSETS_NAME: {"config": {"full_refresh": True,
                                                        "full_tests": True}}}},
    )
    schedule = dg.ScheduleDefinition(name="nightly_full_build", job=job,
                                     cron_schedule=NIGHTLY_CRON, execution_timezone="UTC")
    return job, schedule
