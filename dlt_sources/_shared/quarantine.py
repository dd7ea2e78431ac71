"""Quarantine for malformed API records: a ``rejects`` table with the reason, never a crash."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime
from typing import Any

import dlt

log = logging.getLogger(__name__)

REJECTS_TABLE = "rejects"


def reject(resource: str, record: Any, reason: str, observed_at: datetime,
           account_id: str | None = None) -> Any:
    """Wrap ``record`` for the rejects table; yield the result from any resource.

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
    return dlt.mark.with_hints(
        row,
        dlt.mark.make_hints(
            table_name=REJECTS_TABLE,
            write_disposition="merge",
            primary_key="reject_id",
            columns={"platform_account_id": {"data_type": "text"},
                     "record": {"data_type": "text"}, "observed_at": {"data_type": "timestamp"}},
        ),
        # the hints belong to the rejects table only, not to the resource that yields the row
        create_table_variant=True,
    )
