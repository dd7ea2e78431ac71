"""Storage: snapshot retention after the cycle's dbt build (the partitions ahead of each sync
are created by the ingestion groups' first step, see snapshots.prepare)."""

import dagster as dg

from dagster_project.defs.storage.snapshots import INTERMEDIATE_SNAPSHOT_TABLES, apply_retention
from dagster_project.resources import WarehouseResource
from socialpulse.settings import get_settings


@dg.asset(
    key=["storage", "snapshot_retention"], group_name="storage", kinds={"postgres"},
    # after the dbt build: its intermediate copies are thinned with the raw tables
    deps=[dg.AssetKey([t.table]) for t in INTERMEDIATE_SNAPSHOT_TABLES],
    description="Snapshots older than SNAPSHOT_RETENTION_DAYS thinned to each object's last of "
                "each UTC day, its last with a value per column per day and its first per week "
                "(socialpulse.retention); no mart figure changes.")
def snapshot_retention(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Apply the retention policy to every snapshot table."""
    done = apply_retention(warehouse.url(), get_settings().snapshot_retention_days)
    return dg.MaterializeResult(metadata={
        "cutoff": done["cutoff"] or "", "partitions_thinned": len(done["partitions_thinned"]),
        "intermediate_rows_deleted": done["intermediate_rows_deleted"]})


defs = dg.Definitions(assets=[snapshot_retention])
