"""One graph-backed multi-asset per dlt source group: every raw table the group writes.

Inside, ``<group>_resolve_competitors`` first looks up the competitors added since the last
cycle; then the sync fans out over the group's accounts: ``<group>_due_accounts`` brings the
per-account partitions in step with app.connected_accounts and lists the accounts no hold keeps
back; ``<group>_sync_account`` runs once per due account (its own step, retries, log, and a
materialization of the account's partition of ``ingestion/<group>_accounts``);
``<group>_publish`` materializes the raw tables once, after the accounts' steps. One failing
account fails only itself: its outcome is recorded in app.sync_state, listed in every
materialization's metadata and fails the group's ``accounts_synced`` check (WARN).
"""


import importlib
import logging
from collections.abc import Iterator
from typing import Any

import dagster as dg
from dagster_dlt.translator import DltResourceTranslatorData
from dlt.common.configuration.exceptions import ConfigFieldMissingException

from dagster_project.constants import ACCOUNTS_CHECK_TABLE, RAW_TABLES, raw_key
from dagster_project.defs.ingestion import outcomes as account_outcomes
from dagster_project.defs.ingestion.competitors import resolve_competitors_op
from dagster_project.defs.ingestion.partitions import PARTITIONS, mapping_key
from dagster_project.defs.ingestion.steps import due_accounts, sync_account
from dagster_project.defs.ingestion.translator import GROUP_NAME, RawTableTranslator
from dagster_project.defs.storage import snapshots as snapshot_storage
from dagster_project.defs.transformation.project import load_manifest, source_tables
from dagster_project.resources import WarehouseResource
from dlt_sources import runner
from dlt_sources._shared.context import SyncContext
from dlt_sources._shared.indexes import ensure_indexes
from dlt_sources.contracts import contracts
from socialpulse.platforms import raw_dataset

log = logging.getLogger(__name__)

# a step whose worker died or whose load hit a transient error runs again; after the last
# attempt the account is reported failed instead, so the group's other accounts still publish
SYNC_RETRIES = 3
SYNC_RETRY = dg.RetryPolicy(max_retries=SYNC_RETRIES, delay=2, backoff=dg.Backoff.EXPONENTIAL)


def accounts_key(group: str) -> dg.AssetKey:
    """The per-account asset of a group: one partition per connected account."""
    return dg.AssetKey(["ingestion", f"{group}_accounts"])


def accounts_spec(group: str) -> dg.AssetSpec:
    """Reported by the account steps (not materialized by a job of its own)."""
    return dg.AssetSpec(accounts_key(group), partitions_def=PARTITIONS[group],
                        group_name=GROUP_NAME, kinds={"dlt"},
                        description=f"one partition per connected {group} account: its last "
                                    "sync's outcome and rows")


def template_source(group: str) -> Any | None:
    """The group's dlt source with no targets, to enumerate its resources; None when the source
    is not importable. Missing config/secrets get placeholders: nothing is fetched."""
    module, factory, _ = runner.SOURCES[group]
    try:
        fn = getattr(importlib.import_module(module), factory, None)
    except ImportError as exc:
        log.warning("dlt source %s cannot be imported (%s): no %s assets", module, exc, group)
        return None
    if fn is None:
        log.warning("dlt source %s.%s does not exist yet: no %s assets", module, factory, group)
        return None
    placeholders: dict[str, str] = {}
    while True:
        try:
            return fn(targets=[], context=SyncContext("", raw_dataset(group)), **placeholders)
        except ConfigFieldMissingException as exc:
            if set(exc.fields) <= set(placeholders):
                raise
            placeholders.update({f: "unset" for f in exc.fields})


def _specs(group: str, template: Any) -> list[dg.AssetSpec]:
    translator = RawTableTranslator(group=group)
    dataset = raw_dataset(group)
    tables = set(RAW_TABLES[group]) | {t for schema, t in source_tables(load_manifest(), dataset)
                                       if schema == dataset}
    # a resource named after its table is that table's asset (dagster-dlt's own metadata); a
    # resource writing several tables (meta's `instagram`) is represented by those tables
    specs = [spec for spec in (
        translator.get_asset_spec(DltResourceTranslatorData(resource=r, pipeline=None))
        for r in template.selected_resources.values()) if spec.key.path[-1] in tables]
    covered = {s.key for s in specs}
    return specs + [
        dg.AssetSpec(raw_key(group, t), group_name=GROUP_NAME, kinds={"dlt", "postgres"},
                     description=f"{dataset}.{t}, written by the {group} dlt source")
        for t in sorted(tables) if raw_key(group, t) not in covered]


def _out_name(key: dg.AssetKey) -> str:
    return "__".join(key.path)


def _wait_metadata(result: dict[str, Any]) -> dict[str, Any]:
    """What the step waited for, for the UI and checks: its credential's turn, the API slot it
    held (which, how long it waited, when) and its dataset's load turn (waiting, then
    loading)."""
    slot = result.get("api_slot")
    out: dict[str, Any] = {k: round(v, 3) for k, v in (result.get("waits") or {}).items()}
    if slot:
        out.update(api_slot_wait_s=round(slot["waited_s"], 3),
                   api_slot=dg.MetadataValue.json(slot))
    return out


def build_group_assets(group: str) -> list[dg.AssetsDefinition | dg.AssetSpec
                                          | dg.AssetChecksDefinition]:
    """The group's multi-asset, its per-account asset and its accounts check ([] while the
    source does not exist)."""
    template = template_source(group)
    if template is None:
        return []
    specs = _specs(group, template)
    dataset = raw_dataset(group)
    tags = {"socialpulse/source": group}

    resolve = resolve_competitors_op(group, tags)

    @dg.op(name=f"{group}_due_accounts", tags=tags, ins={"after": dg.In(dg.Nothing)},
           out={"due": dg.DynamicOut(str), "held": dg.Out(list)})
    def due(context: dg.OpExecutionContext, warehouse: WarehouseResource) -> Iterator[Any]:
        # the snapshot tables' weeks exist before the sync appends to them
        created = snapshot_storage.prepare(warehouse.url(), group)
        if created:
            context.log.info("%s: snapshot partitions created: %s", group, ", ".join(created))
        # after the partitions: a table converted just now has lost its indexes
        indexed = ensure_indexes(warehouse.url(), contracts()[group])
        if indexed:
            context.log.info("%s: raw table indexes created: %s", group, ", ".join(indexed))
        keys, held = due_accounts(context.instance, group, warehouse.url())
        context.log.info("%s: %d accounts due, %d held back", group, len(keys), len(held))
        for key in keys:
            yield dg.DynamicOutput(key, mapping_key=mapping_key(key), output_name="due")
        yield dg.Output(held, "held")

    # no Dagster pool: the step takes one of its group's API slots itself (api_slots.py)
    @dg.op(name=f"{group}_sync_account", retry_policy=SYNC_RETRY, tags=tags)
    def sync_one(context: dg.OpExecutionContext, warehouse: WarehouseResource,
                 key: str) -> dict[str, Any]:
        try:
            result = sync_account(group, key, warehouse.url())
        except Exception as exc:
            if context.retry_number < SYNC_RETRIES:
                raise
            context.log.error("%s: giving up after %d attempts: %s", key, SYNC_RETRIES + 1, exc)
            result = {"key": key, "rows": {}, "outcome": {
                "name": key, "ok": False, "error": f"step failed: {exc}"[:500],
                "needs_reauth": False, "skipped": False, "account_ids": []}}
        outcome = result["outcome"]
        if outcome is not None:
            if outcome.get("skipped"):
                context.log.info("%s held back: %s", outcome["name"], outcome["error"])
            elif not outcome["ok"]:
                context.log.warning("%s failed: %s", outcome["name"], outcome["error"])
            context.log_event(dg.AssetMaterialization(
                accounts_key(group), partition=key, metadata={
                    "status": account_outcomes.status(outcome),
                    "error": outcome["error"] or "", "rows_loaded": sum(result["rows"].values()),
                    "rows_by_table": dg.MetadataValue.json(result["rows"]),
                    **_wait_metadata(result)}))
        return result

    @dg.op(name=f"{group}_publish", tags=tags,
           out={_out_name(s.key): dg.Out(is_required=True) for s in specs})
    def publish(context: dg.OpExecutionContext, held: list[dict[str, Any]],
                results: list[dict[str, Any]]) -> Iterator[dg.Output[None]]:
        outcomes = [r["outcome"] for r in results if r["outcome"] is not None] + held
        meta = account_outcomes.outcome_metadata(outcomes)
        counts: dict[str, int] = {}
        for r in results:
            for table, n in r["rows"].items():
                counts[table] = counts.get(table, 0) + n
        for spec in specs:
            table = spec.key.path[-1]
            yield dg.Output(None, _out_name(spec.key), metadata={
                **meta, "rows_loaded": counts.get(table, 0),
                "dagster/table_name": f"{dataset}.{table}"})

    @dg.graph_multi_asset(name=f"{group}_dlt", can_subset=False, group_name=GROUP_NAME,
                          outs={_out_name(s.key): dg.AssetOut.from_spec(s.replace_attributes(
                              group_name=None)) for s in specs})
    def _load() -> dict[str, Any]:
        keys, held = due(resolve())
        published = publish(held, keys.map(sync_one).collect())
        return {_out_name(s.key): getattr(published, _out_name(s.key)) for s in specs}

    primary = raw_key(group, ACCOUNTS_CHECK_TABLE[group])
    return [_load, accounts_spec(group), account_outcomes.accounts_check(
        group, primary, account_outcomes.ACCOUNTS_CHECK)]
