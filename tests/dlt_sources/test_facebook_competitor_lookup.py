"""Facebook competitor lookups and Page Public Content Access, against the sandbox over HTTP:
without the feature a Page found by its vanity name is not_available with Graph's own refusal;
with the feature granted but not declared by the deployment it is not_available too (no sync
would read its posts); granted and declared, it is tracked."""

from __future__ import annotations

import psycopg
import pytest
from psycopg.rows import dict_row

from dlt_sources.lookups import resolve_pending
from dlt_sources.meta.capabilities import PPCA_ENV
from socialpulse import competitors
from tests.dlt_sources.shared import connect_world, q

SMALL = {"workspaces_per_agency": 1, "posts_per_account": 3, "competitors_per_workspace": 1}
REFUSAL = ("(#10) This endpoint requires the 'pages_read_engagement' permission or the "
           "'Page Public Content Access' feature")


@pytest.fixture
def rival(sandbox, db_url) -> dict:
    """The world's Facebook competitor, left out of the seed so it is added by handle."""
    world = connect_world(sandbox, db_url, SMALL)
    with psycopg.connect(db_url) as conn:
        conn.execute("delete from app.competitors where platform = 'facebook'")
        conn.execute("delete from app.connected_accounts where platform = 'facebook' "
                     "and is_competitor")
    return next(a for a in world["accounts"] if a["platform"] == "facebook"
                and a["is_competitor"])


def _add(db_url: str, handle: str) -> int:
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        ws = conn.execute("select min(workspace_id) as w from app.workspaces").fetchone()["w"]
        return competitors.add(conn, ws, "facebook", handle)["competitor_id"]


def _grant(sandbox) -> None:
    sandbox.http.post("/_sandbox/apps/meta/features",
                      json={"feature": "page_public_content_access"}).raise_for_status()


def _competitor(db_url: str, cid: int) -> dict:
    return q(db_url, "select * from app.competitors where competitor_id = %s", cid)[0]


def test_without_page_public_content_access_a_page_is_not_available(rival, db_url,
                                                                     monkeypatch):
    monkeypatch.delenv(PPCA_ENV, raising=False)
    cid = _add(db_url, f"https://www.facebook.com/{rival['handle']}")
    assert resolve_pending(db_url, ["facebook"]) == {"not_available": 1}
    c = _competitor(db_url, cid)
    assert (c["status"], c["account_id"]) == ("not_available", None)
    assert "Page Public Content Access feature, which this app does not have" in c["reason"]
    assert REFUSAL in c["reason"]


def test_a_granted_feature_the_deployment_does_not_declare_tracks_nothing(rival, db_url,
                                                                          sandbox, monkeypatch):
    monkeypatch.delenv(PPCA_ENV, raising=False)
    _grant(sandbox)
    cid = _add(db_url, rival["handle"])
    assert resolve_pending(db_url, ["facebook"]) == {"not_available": 1}
    assert f"{PPCA_ENV} is not true" in _competitor(db_url, cid)["reason"]


def test_with_page_public_content_access_a_page_is_tracked_by_handle(rival, db_url, sandbox,
                                                                      monkeypatch):
    monkeypatch.setenv(PPCA_ENV, "true")
    _grant(sandbox)
    cid = _add(db_url, f"https://www.facebook.com/{rival['handle']}")
    assert resolve_pending(db_url, ["facebook"]) == {"tracked": 1}
    c = _competitor(db_url, cid)
    assert (c["status"], c["reason"]) == ("tracked", None)
    account = q(db_url, "select platform_account_id, handle, is_competitor from "
                "app.connected_accounts where account_id = %s", c["account_id"])
    assert account == [{"platform_account_id": rival["platform_account_id"],
                        "handle": rival["handle"].lower(), "is_competitor": True}]
    # the Page's posts were asked for with appsecret_proof (Page Public Content Access needs it)
    reads = [r for r in sandbox.requests()
             if r["path"].endswith(f"{rival['platform_account_id']}/posts")]
    assert reads and all("appsecret_proof" in r["query"] for r in reads)
