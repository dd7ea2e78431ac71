"""The first step of a source group's sync: look up the group's pending competitors, so a
competitor added since the last cycle is a connected account (and a partition) before the
group's due accounts are listed, and is synced in this same cycle."""

import dagster as dg

from dagster_project.resources import WarehouseResource
from dlt_sources import runner
from dlt_sources.lookups import resolve_pending


def resolve_competitors_op(group: str, tags: dict[str, str]) -> dg.OpDefinition:
    """``<group>_resolve_competitors``: pending competitors of the group's platforms become
    tracked, not_found or not_available (or stay pending with the reason)."""
    _, _, platforms = runner.SOURCES[group]

    @dg.op(name=f"{group}_resolve_competitors", tags=tags, out=dg.Out(dg.Nothing),
           description="Looks up the competitors added since the last cycle on the platform")
    def resolve(context: dg.OpExecutionContext, warehouse: WarehouseResource) -> None:
        counts = resolve_pending(warehouse.url(), platforms)
        if counts:
            context.log.info("%s competitors looked up: %s", group,
                             ", ".join(f"{n} {status}" for status, n in sorted(counts.items())))

    return resolve
