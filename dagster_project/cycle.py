"""Run one sync -> enrich -> transform cycle through Dagster (the cycle job).

The demo and the tests call :func:`run_cycle`; the schedule runs the same job every 15 minutes.
In-process by default; ``executor="celery"`` (or ``DAGSTER_EXECUTOR=celery``) sends the steps
to the Celery workers (``make workers``), which rebuild the job from :func:`cycle_job`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import ExitStack
from typing import Any

import dagster as dg

from dagster_project.constants import CYCLE_JOB, CYCLE_TAG
from dagster_project.executors import cycle_executor, executor_kind


def _error(event: dg.DagsterEvent) -> str:
    error = getattr(event.event_specific_data, "error", None)
    if error is None:
        return ""
    # dbt and check failures carry the useful part in the cause chain
    parts: list[str] = []
    while error is not None and len(parts) < 3:
        parts.append(error.message.strip())
        error = error.cause
    return " | ".join(parts)[:2000]


def cycle_job(database_url: str | None = None, executor: str | None = None) -> dg.JobDefinition:
    """The cycle job bound to ``database_url``, with the ``executor`` given (default: the
    environment's). Module level, so a Celery worker rebuilds it from the same arguments."""
    from dagster_project.definitions import build_definitions

    job = build_definitions(database_url).resolve_job_def(CYCLE_JOB)
    if executor is not None:
        job = job.with_executor_def(cycle_executor(executor))
    return job


def summarize(result: dg.ExecuteInProcessResult | dg.ExecuteJobResult) -> dict[str, Any]:
    """What a run did: materialized assets, check outcomes, per-account failures, row counts."""
    materialized: list[str] = []
    rows_loaded: dict[str, int] = {}
    sentiment: dict[str, int] = {}
    failures: dict[str, dict[str, Any]] = {}
    synced: dict[str, str] = {}
    for event in result.get_asset_materialization_events():
        mat = event.event_specific_data.materialization  # type: ignore[union-attr]
        key = mat.asset_key.to_user_string()
        if mat.partition is not None:
            # an account step's report on its partition of ingestion/<group>_accounts
            synced[mat.partition] = key
            continue
        materialized.append(key)
        meta: dict[str, Any] = {k: getattr(v, "value", v) for k, v in mat.metadata.items()}
        if "rows_loaded" in meta and key.startswith("raw_"):
            rows_loaded[key] = int(meta["rows_loaded"] or 0)
        if "rows_scored" in meta:
            sentiment[key] = int(meta["rows_scored"])
        for failed in meta.get("failed_accounts") or []:
            failures[failed["account"]] = failed
    checks = [{
        "asset": ev.asset_key.to_user_string(), "check": ev.check_name, "passed": ev.passed,
        "severity": ev.severity.value, "description": ev.description,
    } for ev in result.get_asset_check_evaluations()]
    failed_steps = [ev.step_key for ev in result.all_events if ev.is_step_failure]
    errors = {ev.step_key: _error(ev) for ev in result.all_events if ev.is_step_failure}
    skipped_steps = [ev.step_key for ev in result.all_events if ev.is_step_skipped]
    # each finished step's own time (Dagster's duration), e.g. the dbt step against the syncs
    step_seconds = {ev.step_key: ev.event_specific_data.duration_ms / 1000  # type: ignore[union-attr]
                    for ev in result.all_events if ev.is_step_success and ev.step_key}
    return {
        "success": result.success,
        "run_id": result.run_id,
        "materialized": sorted(materialized),
        "checks": checks,
        "checks_failed": [f"{c['asset']}:{c['check']}" for c in checks if not c["passed"]],
        "account_failures": sorted(failures.values(), key=lambda f: f["account"]),
        "rows_loaded": rows_loaded,
        "sentiment_rows_scored": sentiment,
        "failed_steps": failed_steps,
        "errors": errors,
        "skipped_steps": skipped_steps,
        "account_steps": sorted(synced),
        "step_seconds": step_seconds,
    }


def run_cycle(database_url: str | None = None, *,
              asset_selection: Sequence[dg.AssetKey] | None = None,
              instance: dg.DagsterInstance | None = None,
              log_level: str = "INFO", executor: str | None = None) -> dict[str, Any]:
    """Execute the cycle job against ``database_url`` (default: the environment) and return
    :func:`summarize` of the run. A failed step does not raise: it is reported. A
    SNAPSHOT_RETENTION_DAYS that retention refuses raises ConfigError before the run starts.

    The run is recorded in ``DAGSTER_HOME``'s instance when that is set (so it shows in the UI),
    else in an ephemeral one. ``log_level`` sets Dagster's console logger (the run's full
    event log is kept in the instance whatever the level). ``executor`` (default
    ``DAGSTER_EXECUTOR``): ``in_process``, or ``celery``, which needs a persistent instance
    shared with the workers (``DAGSTER_HOME``, Postgres storage when they run elsewhere); the
    workers get ``database_url`` with the step (None: their own ``DATABASE_URL``).
    """
    from dagster_project.defs.storage.snapshots import check_retention
    from socialpulse.settings import get_settings

    # a clear error now rather than a failed retention step after the whole build
    check_retention(get_settings().snapshot_retention_days)
    kind = executor_kind(executor)
    run_config = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    selection = list(asset_selection) if asset_selection else None
    with ExitStack() as stack:
        if instance is None:
            instance = stack.enter_context(
                dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") or kind == "celery"
                else dg.DagsterInstance.ephemeral())
        if kind == "celery":
            from dagster._core.definitions.reconstruct import build_reconstructable_job

            recon = build_reconstructable_job(
                "dagster_project.cycle", "cycle_job",
                reconstructable_kwargs={"database_url": database_url, "executor": "celery"})
            result = stack.enter_context(dg.execute_job(
                recon, instance=instance, run_config=run_config, tags={CYCLE_TAG: "true"},
                asset_selection=selection))
            return summarize(result)
        job = cycle_job(database_url, kind)
        in_process = job.execute_in_process(instance=instance, raise_on_error=False,
                                            run_config=run_config, asset_selection=selection,
                                            tags={CYCLE_TAG: "true"})
        return summarize(in_process)
