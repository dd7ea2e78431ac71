"""The ops of one source group's fan-out: which accounts are due, one account's sync, and the
publication of the group's raw tables once the accounts' steps have finished.

Each account loads through its own dlt pipeline (``socialpulse_<group>__<account>``): dlt keeps
the incremental cursors in the pipeline state, and concurrent steps sharing one pipeline would
overwrite each other's state.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict
from typing import Any, cast

import dlt
from dlt.common.schema.typing import TFileFormat

from dagster_project.defs.ingestion.api_slots import api_slot
from dagster_project.defs.ingestion.partitions import mapping_key, partition_key, sync_partitions
from dlt_sources import runner
from dlt_sources._shared.context import SyncContext
from dlt_sources._shared.contract import apply_file_format
from dlt_sources.holds import hold_back, is_held, platform_now
from dlt_sources.pipeline import check_reachable, make_pipeline, run_in_turn, token_saver
from socialpulse import locks
from socialpulse.accounts import SyncTarget
from socialpulse.platforms import PLATFORMS, raw_dataset
from socialpulse.settings import PROJECT_ROOT
from socialpulse.warehouse import connect

# steps reading with the same refreshable credential take turns, so two workers never spend
# one rotating refresh token at once (X issues a new one per refresh and refuses the old)
_CREDENTIAL_LOCK = locks.CREDENTIAL


def _targets(group: str, url: str) -> list[SyncTarget]:
    os.environ.setdefault("DLT_PROJECT_DIR", str(PROJECT_ROOT))
    return runner.group_targets(group, list(PLATFORMS), url)


def due_accounts(instance: Any, group: str, url: str) -> tuple[list[str], list[dict[str, Any]]]:
    """(partition keys due now, outcomes of the held ones). Partitions follow the account table
    first; held accounts get their 'skipped' outcome recorded and are not launched."""
    sync_partitions(instance, url)
    targets = _targets(group, url)
    if not targets:
        return [], []
    context = SyncContext(url, raw_dataset(group))
    due = hold_back(url, targets, platform_now(check_reachable(group)), context)
    held = [t for t in targets if t not in due]
    outcomes = runner.record_outcomes(url, held, context)
    return ([partition_key(t.platform, t.platform_account_id) for t in due],
            [_outcome(o) for o in outcomes])


def _outcome(o: runner.AccountOutcome) -> dict[str, Any]:
    return {**asdict(o), "name": o.name, "ok": o.ok, "account_ids": list(o.account_ids)}


def account_pipeline(group: str, key: str, url: str) -> dlt.Pipeline:
    """The account's own dlt pipeline into the group's raw dataset."""
    return make_pipeline(group, url, mapping_key(key))


def sync_account(group: str, key: str, url: str) -> dict[str, Any]:
    """Load one account; its outcome (ok, failed, refused) is recorded in app.sync_state.

    Returns ``{"key", "outcome", "rows": {table: n}, "api_slot", "waits"}``: ``outcome`` is
    None when the account was disconnected since the cycle started; ``api_slot`` (a
    :class:`SlotHold` as a dict) and ``waits`` (seconds waiting for the credential's turn, for
    the dataset's load turn and loading, see ``run_in_turn``) are there when the platform was
    called.
    Infrastructure errors raise (the step retries).
    """
    with connect(url, autocommit=True) as lock_conn:
        target = next((t for t in _targets(group, url)
                       if partition_key(t.platform, t.platform_account_id) == key), None)
        if target is None:
            return {"key": key, "outcome": None, "rows": {}}
        waited = time.monotonic()
        if target.refresh_token:
            # without a refresh token nothing can be spent: Meta's long-lived tokens, whose
            # exchange leaves the old one valid, are read by an owned Instagram account and its
            # competitors at once (a turn each held them all for whole syncs)
            credential = target.credential_account_id or target.account_ids[0]
            lock_conn.execute("select pg_advisory_lock(%s, %s)", (_CREDENTIAL_LOCK, credential))
            # re-read after the wait: the step before may have refreshed the shared token
            target = next(t for t in _targets(group, url)
                          if partition_key(t.platform, t.platform_account_id) == key)
        waits: dict[str, float] = {"credential_wait_s": time.monotonic() - waited}
        base_url = check_reachable(group)
        context = SyncContext(url, raw_dataset(group), save_tokens=token_saver(url),
                              accounts=frozenset({target.platform_account_id}))
        if is_held(url, target, base_url, context):
            # held since the cycle started (an earlier step met the app's limit): no call
            outcome = runner.record_outcomes(url, [target], context)[0]
            return {"key": key, "outcome": _outcome(outcome), "rows": {}}
        # taken after the credential: a step waiting for its credential holds no slot
        with api_slot(lock_conn, group) as slot:
            source = runner.build_source(group, [target], context)
            apply_file_format(source, cast(TFileFormat, runner.LOADER_FILE_FORMAT))
            pipeline = account_pipeline(group, key, url)
            info = run_in_turn(pipeline, source, url, runner.LOADER_FILE_FORMAT, waits)
        outcome = runner.record_outcomes(url, [target], context)[0]
    rows = runner.loaded_row_counts(url, raw_dataset(group), list(info.loads_ids))
    return {"key": key, "outcome": _outcome(outcome), "rows": rows, "api_slot": asdict(slot),
            "waits": waits}
