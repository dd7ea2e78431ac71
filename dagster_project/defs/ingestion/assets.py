"""One multi-asset per dlt source group: every resource and every raw table it writes.

The real source needs the connected accounts (``targets``) and a per-run ``SyncContext``, so it
is built inside the asset with the runner's helpers; a template source built with no targets
lists the resources at load time. One failing account (revoked token, outage) fails only itself:
its outcome is recorded in app.sync_state, listed in every materialization's metadata, and fails
the group's ``accounts_synced`` check (WARN), while the run goes on.
"""


import importlib
import logging
import os
from collections.abc import Iterator
from typing import Any

import dagster as dg
from dagster_dlt import DagsterDltResource
from dagster_dlt.translator import DltResourceTranslatorData
from dlt.common.configuration.exceptions import ConfigFieldMissingException

from dagster_project.constants import ACCOUNTS_CHECK_TABLE, RAW_TABLES, raw_key
from dagster_project.defs.ingestion.translator import GROUP_NAME, RawTableTranslator
from dagster_project.defs.transformation.project import load_manifest, source_tables
from dagster_project.resources import WarehouseResource
from dlt_sources import runner
from dlt_sources._shared.context import SyncContext
from socialpulse.platforms import PLATFORMS, raw_dataset
from socialpulse.settings import PROJECT_ROOT

log = logging.getLogger(__name__)

ACCOUNTS_CHECK = "accounts_synced"


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


def _outcome_metadata(outcomes: list[runner.AccountOutcome]) -> dict[str, Any]:
    columns = [dg.TableColumn("account", "string"), dg.TableColumn("account_ids", "string"),
               dg.TableColumn("status", "string"), dg.TableColumn("needs_reauth", "bool"),
               dg.TableColumn("error", "string")]
    records = [dg.TableRecord({
        "account": o.name, "account_ids": ",".join(map(str, o.account_ids)),
        "status": "ok" if o.ok else "failed", "needs_reauth": o.needs_reauth,
        "error": o.error or ""}) for o in outcomes]
    failed = [{"account": o.name, "account_ids": list(o.account_ids), "error": o.error,
               "needs_reauth": o.needs_reauth} for o in outcomes if not o.ok]
    return {
        "accounts": len(outcomes),
        "accounts_failed": len(failed),
        "account_outcomes": dg.MetadataValue.table(records, dg.TableSchema(columns)),
        "failed_accounts": dg.MetadataValue.json(failed),
    }


def _accounts_check(key: dg.AssetKey, outcomes: list[runner.AccountOutcome]
                    ) -> dg.AssetCheckResult:
    failed = [o for o in outcomes if not o.ok]
    if failed:
        names = "; ".join(f"{o.name} ({o.error})" for o in failed)
        description = f"{len(failed)} of {len(outcomes)} accounts failed: {names}"
    else:
        description = f"all {len(outcomes)} accounts synced"
    return dg.AssetCheckResult(
        asset_key=key, check_name=ACCOUNTS_CHECK, passed=not failed,
        severity=dg.AssetCheckSeverity.WARN, description=description,
        metadata={"failed_accounts": dg.MetadataValue.json([o.name for o in failed])})


def build_group_assets(group: str) -> dg.AssetsDefinition | None:
    """The multi-asset of one source group (None while its source does not exist)."""
    template = template_source(group)
    if template is None:
        return None
    translator = RawTableTranslator(group=group)
    dataset = raw_dataset(group)
    tables = set(RAW_TABLES[group]) | {t for schema, t in source_tables(load_manifest(), dataset)
                                       if schema == dataset}
    # a resource named after its table is that table's asset (dagster-dlt's own metadata); a
    # resource writing several tables (meta's `instagram`) is represented by those tables
    resource_specs = [spec for spec in (
        translator.get_asset_spec(DltResourceTranslatorData(resource=r, pipeline=None))
        for r in template.selected_resources.values()) if spec.key.path[-1] in tables]
    covered = {s.key for s in resource_specs}
    table_specs = [
        dg.AssetSpec(raw_key(group, t), group_name=GROUP_NAME, kinds={"dlt", "postgres"},
                     description=f"{dataset}.{t}, written by the {group} dlt source")
        for t in sorted(tables) if raw_key(group, t) not in covered]
    primary = raw_key(group, ACCOUNTS_CHECK_TABLE[group])
    extra_keys = [s.key for s in table_specs]

    @dg.multi_asset(
        name=f"{group}_dlt",
        specs=[*resource_specs, *table_specs],
        check_specs=[dg.AssetCheckSpec(
            ACCOUNTS_CHECK, asset=primary,
            description=f"every connected {group} account synced in the last run")],
        can_subset=False,
        op_tags={"socialpulse/source": group},
    )
    def _load(context: dg.AssetExecutionContext, dlt: DagsterDltResource,
              warehouse: WarehouseResource) -> Iterator[Any]:
        url = warehouse.url()
        os.environ.setdefault("DLT_PROJECT_DIR", str(PROJECT_ROOT))
        targets = runner.group_targets(group, list(PLATFORMS), url)
        if not targets:
            context.log.info("%s: no connected accounts, nothing to load", group)
            for key in [*covered, *extra_keys]:
                yield dg.MaterializeResult(asset_key=key, metadata={"accounts": 0,
                                                                    "rows_loaded": 0})
            yield _accounts_check(primary, [])
            return
        source, sync_context, pipeline = runner.prepare_group(group, targets, url)
        context.log.info("%s: syncing %d accounts", group, len(targets))
        # the file format of `socialpulse sync` (csv: COPY)
        results = list(dlt.run(context=context, dlt_source=source, dlt_pipeline=pipeline,
                               dagster_dlt_translator=translator,
                               loader_file_format=runner.LOADER_FILE_FORMAT))
        outcomes = runner.record_outcomes(url, targets, sync_context)
        for o in outcomes:
            if not o.ok:
                context.log.warning("%s failed: %s", o.name, o.error)
        meta = _outcome_metadata(outcomes)
        trace = pipeline.last_trace
        load_ids = list(trace.last_load_info.loads_ids) if trace and trace.last_load_info else []
        # rows written by this run, counted in the warehouse (what the merges left behind)
        counts = runner.loaded_row_counts(url, dataset, load_ids) if load_ids else {}
        for result in results:
            if result.asset_key in covered:
                yield dg.MaterializeResult(asset_key=result.asset_key, metadata={
                    **(result.metadata or {}), **meta,
                    "rows_loaded": counts.get(result.asset_key.path[-1], 0)})
        for key in extra_keys:
            table = key.path[-1]
            yield dg.MaterializeResult(asset_key=key, metadata={
                "rows_loaded": counts.get(table, 0),
                "dagster/table_name": f"{dataset}.{table}", **meta})
        yield _accounts_check(primary, outcomes)

    return _load
