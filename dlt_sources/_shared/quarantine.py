"""Quarantine for malformed API records: a ``rejects`` table with the reason, never a crash."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime
from typing import Any

import dlt

from dlt_sources._shared.contract import Table, columns

log = logging.getLogger(__name__)

REJECTS_TABLE = "rejects"


def rejects_table(platforms: tuple[str, ...]) -> Table:
    """The rejects table of a source reading ``platforms`` (every source has one)."""
    return Table(
        REJECTS_TABLE, "reject", platforms, ("reject_id",),
        columns(reject_id="text", resource="text", platform_account_id="text", reason="text",
                record="text", observed_at="timestamp"),
        account_column="platform_account_id")


def reject(resource: str, record: Any, reason: str, observed_at: datetime,
           account_id: str | None = None) -> Any:
    """Wrap ``record`` for the rejects table; yield the result from a resource that declared
    that table (``declare_tables``) or from the rejects resource itself.

    The row key hashes the resource and the record itself, so re-loading the same bad record
    updates one row instead of adding another.
    """
    payload = json.dumps(record, sort_keys=True, default=str)
    row = {
        "reject_id": hashlib.sha1(f"{resource}|{payload}".encode()).hexdigest(),
        "resource": resource,
        "platform_account_id": account_id,
        "reason": reason,
        "record": payload,
        "observed_at": observed_at,
    }
    log.warning("quarantined a %s record: %s", resource, reason)
    return dlt.mark.with_table_name(row, REJECTS_TABLE)
