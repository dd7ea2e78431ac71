"""An app-level Graph limit (#4) stops the whole Meta source for the time it names: no account
re-hits it with retries, and every account is held until then."""

from __future__ import annotations

from tests.dlt_sources.shared import q
from tests.dlt_sources.test_meta import PLATFORMS, meta_sync, world  # noqa: F401


def test_app_limit_stops_the_source_and_holds_every_account(db_url, sandbox, world):  # noqa: F811
    w = world(faults={"meta_app_throttle_for_s": 3600})
    sandbox.clear_requests()
    result = meta_sync(db_url)[0]
    accounts = [a for a in w["accounts"] if a["platform"] in PLATFORMS]
    assert len(result.failures) == len(accounts)
    assert all("#4" in e for e in result.failures.values())
    # one refused call, not ten retries per account
    assert len(sandbox.requests("meta")) <= 2
    held = q(db_url, "select ss.next_retry_at from app.sync_state ss join "
                     "app.connected_accounts ca using (account_id) where ca.platform = any(%s)",
             PLATFORMS)
    assert len(held) == len(accounts) and all(r["next_retry_at"] is not None for r in held)
