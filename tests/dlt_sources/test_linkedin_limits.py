"""The LinkedIn source under lasting refusals: refused refreshes, the real 429 body and the
daily quota that resets at midnight UTC, and the several 401 bodies."""

from __future__ import annotations

import psycopg
import pytest

from dlt_sources.runner import sync
from socialpulse.crypto import TokenCipher
from tests.dlt_sources.shared import connect_world, q

SMALL = {"workspaces_per_agency": 2, "posts_per_account": 6, "competitors_per_workspace": 1}


@pytest.fixture
def li_world(db_url, sandbox):
    """A small LinkedIn world connected in app.*."""
    def setup(faults: dict | None = None, token_ttl_s: dict | None = None) -> dict:
        return connect_world(sandbox, db_url, SMALL, faults, token_ttl_s)
    return setup


def li_state(db_url: str) -> dict[str, dict]:
    return {r["platform_account_id"]: r for r in q(
        db_url, "select a.platform_account_id, s.* from app.sync_state s "
        "join app.connected_accounts a using (account_id) where a.platform = 'linkedin'")}


def test_refused_refresh_says_why(li_world, sandbox, db_url):
    world = li_world(token_ttl_s={"linkedin": 3_600})
    broken = next(a for a in world["accounts"] if a["platform"] == "linkedin")
    with psycopg.connect(db_url) as conn:
        conn.execute("update app.connected_accounts set refresh_token_ciphertext = %s "
                     "where platform = 'linkedin' and platform_account_id = %s",
                     (TokenCipher.from_settings().encrypt("sbx-not-a-refresh-token"),
                      broken["platform_account_id"]))
    sandbox.advance(7_200)
    sync(["linkedin"], url=db_url)
    row = li_state(db_url)[broken["platform_account_id"]]
    assert row["needs_reauth"] is True
    assert "invalid_request" in row["last_error"]
    assert "refresh token is invalid" in row["last_error"]


def test_daily_quota_is_known_by_its_code_and_resets_at_midnight_utc(li_world, db_url):
    li_world(faults={"linkedin_daily_limit": 3})
    results = sync(["linkedin"], url=db_url)
    assert len(results[0].failures) == 2
    for row in li_state(db_url).values():
        assert "TOO_MANY_REQUESTS" in row["last_error"]
        # the world's clock reads 2026-11-01 12:00 UTC: the quota is back at midnight
        assert "2026-11-02T00:00:00+00:00" in row["last_error"]
        assert row["is_retryable"] and not row["needs_reauth"]


def test_revoked_token_asks_for_authorisation_without_a_refresh(li_world, sandbox, db_url):
    world = li_world()
    revoked = next(a for a in world["accounts"] if a["platform"] == "linkedin")
    sandbox.revoke("linkedin", revoked["platform_account_id"])
    sandbox.clear_requests()
    sync(["linkedin"], url=db_url)
    row = li_state(db_url)[revoked["platform_account_id"]]
    assert row["needs_reauth"] and "authorise the app again" in row["last_error"]
    assert not [r for r in sandbox.requests("linkedin") if r["path"] == "/oauth/v2/accessToken"]
