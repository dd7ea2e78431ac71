"""One dynamic partition per connected account, per source group, kept in step with
app.connected_accounts: a newly connected account gets a partition, a disconnected one loses it.

The key is ``<platform>:<platform_account_id>``, one per sync target (an account tracked by
several workspaces is fetched once, so it is one partition).
"""


import re

import dagster as dg

from dagster_project.resources import WarehouseResource
from dlt_sources import runner
from socialpulse.platforms import SOURCES
from socialpulse.warehouse import connect

PARTITIONS: dict[str, dg.DynamicPartitionsDefinition] = {
    group: dg.DynamicPartitionsDefinition(name=f"{group}_accounts") for group in SOURCES}


def partition_key(platform: str, platform_account_id: str) -> str:
    """The partition of one platform account."""
    return f"{platform}:{platform_account_id}"


def mapping_key(key: str) -> str:
    """A step's mapping key for a partition key (Dagster allows only [A-Za-z0-9_])."""
    return re.sub(r"[^A-Za-z0-9_]", "_", key)


def connected_keys(url: str, group: str) -> list[str]:
    """Partition keys of the group's active accounts (owned and competitors)."""
    _, _, platforms = runner.SOURCES[group]
    with connect(url) as conn:
        rows = conn.execute(
            "select distinct platform, platform_account_id from app.connected_accounts "
            "where is_active and platform = any(%s) order by 1, 2", (list(platforms),)
        ).fetchall()
    return [partition_key(r["platform"], r["platform_account_id"]) for r in rows]


def sync_partitions(instance: dg.DagsterInstance, url: str) -> dict[str, tuple[list[str],
                                                                                  list[str]]]:
    """Add the partitions of new accounts and delete those of disconnected ones;
    returns ``{group: (added, removed)}``."""
    changes: dict[str, tuple[list[str], list[str]]] = {}
    for group, partitions in PARTITIONS.items():
        wanted = set(connected_keys(url, group))
        have = set(instance.get_dynamic_partitions(partitions.name or ""))
        added, removed = sorted(wanted - have), sorted(have - wanted)
        if added:
            instance.add_dynamic_partitions(partitions.name or "", added)
        for key in removed:
            instance.delete_dynamic_partition(partitions.name or "", key)
        changes[group] = (added, removed)
    return changes


@dg.sensor(name="account_partitions", minimum_interval_seconds=60,
           default_status=dg.DefaultSensorStatus.RUNNING,
           description="Keeps the per-account partitions in step with app.connected_accounts "
                       "(the cycle also does it at its start).")
def account_partitions_sensor(context: dg.SensorEvaluationContext,
                              warehouse: WarehouseResource) -> dg.SkipReason:
    """Between cycles, so a newly connected account shows in the UI at once."""
    changes = sync_partitions(context.instance, warehouse.url())
    return dg.SkipReason("; ".join(f"{g}: +{len(a)} -{len(r)}" for g, (a, r) in changes.items()))
