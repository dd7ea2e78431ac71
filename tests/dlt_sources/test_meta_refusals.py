"""Graph's permanent refusals of an account (no permission on its data, its node gone) hold the
account until it is reconnected: it is not called every cycle, and its state says the fix."""

from __future__ import annotations

import psycopg

from dlt_sources.runner import sync
from tests.dlt_sources.shared import connect_world, q

SMALL = {"workspaces_per_agency": 1, "posts_per_account": 4, "competitors_per_workspace": 1,
         "prospect_workspaces": 1}
PLATFORMS = ["instagram", "facebook"]


def state_of(db_url: str, platform_account_id: str) -> dict:
    return q(db_url, "select ss.* from app.sync_state ss join app.connected_accounts ca "
                     "using (account_id) where ca.platform_account_id = %s",
             platform_account_id)[0]


def repoint(db_url: str, platform: str, new_id: str) -> str:
    """Point the owned account of ``platform`` at another id (its token stays): what Graph
    answers when the token has no rights on that node, or the node is gone."""
    with psycopg.connect(db_url) as conn:
        conn.execute("update app.connected_accounts set platform_account_id = %s "
                     "where platform = %s and not is_competitor", (new_id, platform))
    return new_id


def held_then_not_called(db_url: str, sandbox, account_id: str, handle: str, words: list[str]):
    row = state_of(db_url, account_id)
    assert row["is_retryable"] is False and row["next_retry_at"] is None
    assert all(w in row["retry_reason"] for w in words), row["retry_reason"]
    sandbox.clear_requests()
    second = sync(PLATFORMS, url=db_url)[0]
    # (a competitor's business_discovery still goes through the owned account's id)
    assert not [r for r in sandbox.requests("meta") if account_id in r["path"]
                and "business_discovery" not in str(r["query"])]
    assert "reconnected" in second.failures[handle]


def test_a_page_without_permission_is_held_until_reconnected(db_url, sandbox):
    w = connect_world(sandbox, db_url, SMALL)
    prospect_page = next(a for a in sandbox.truth("accounts", include_prospects=True)
                         if a["platform"] == "facebook" and a["workspace_key"] not in
                         {x["workspace_key"] for x in w["accounts"]})
    page = repoint(db_url, "facebook", prospect_page["platform_account_id"])
    handle = next(f"facebook:{a['handle']}" for a in w["accounts"]
                  if a["platform"] == "facebook" and not a["is_competitor"])
    first = sync(PLATFORMS, url=db_url)[0]
    assert "#10" in first.failures[handle]
    held_then_not_called(db_url, sandbox, page, handle,
                         ["lack of permission", "pages_read_engagement", "reconnect"])
    # the other accounts are not affected
    assert len(first.failures) == 1


def test_an_instagram_account_that_no_longer_exists_is_held(db_url, sandbox):
    w = connect_world(sandbox, db_url, SMALL)
    gone = repoint(db_url, "instagram", "17841499999999999")
    handle = next(f"instagram:{a['handle']}" for a in w["accounts"]
                  if a["platform"] == "instagram" and not a["is_competitor"])
    first = sync(PLATFORMS, url=db_url)[0]
    assert "does not exist" in first.failures[handle]
    held_then_not_called(db_url, sandbox, gone, handle, ["does not exist", "reconnect"])
