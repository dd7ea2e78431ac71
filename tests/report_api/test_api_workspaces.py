"""Workspaces, their accounts' sync health, and disconnecting (tokens destroyed, data kept or
purged)."""

# ruff: noqa: F811 - fixtures imported from oauth_helpers are parameters here
from __future__ import annotations

from oauth_helpers import agency, api, consent, oauth_sandbox, people  # noqa: F401

from socialpulse.accounts import list_sync_targets, record_sync
from socialpulse.warehouse import connect


def test_create_and_list_workspaces(agency, api) -> None:
    admin = agency.headers("admin")
    r = api.post("/api/workspaces", json={"name": "Café Lumière"}, headers=admin)
    assert r.status_code == 201 and r.json()["slug"] == "cafe-lumiere"
    again = api.post("/api/workspaces", json={"name": "Café Lumière"}, headers=admin).json()
    assert again["slug"] == "cafe-lumiere-2" and again["workspace_id"] != r.json()["workspace_id"]
    taken = api.post("/api/workspaces", json={"name": "x", "slug": "client-one"}, headers=admin)
    assert taken.status_code == 409
    assert api.post("/api/workspaces", json={"name": ""}, headers=admin).status_code == 422
    assert api.post("/api/workspaces", json={"name": "a", "extra": 1},
                    headers=admin).status_code == 422
    names = [w["name"] for w in api.get("/api/workspaces", headers=admin).json()["data"]]
    assert sorted(names) == sorted(["Client one", "Client two", "Café Lumière", "Café Lumière"])
    # the other agency sees none of them, and cannot read their accounts
    other = agency.headers("other_admin")
    assert [w["name"] for w in api.get("/api/workspaces", headers=other).json()["data"]] == [
        "Other client"]
    assert api.get(f"/api/workspaces/{agency.workspace_id}/accounts",
                   headers=other).status_code == 404
    rows = agency.query("select agency_id from app.workspaces where slug like 'cafe-lumiere%%'")
    assert {r["agency_id"] for r in rows} == {agency.agency_id}


def test_account_health_follows_sync_state(oauth_sandbox, agency, api) -> None:
    person = people(oauth_sandbox)[0]
    accounts = consent(api, agency, "facebook", person).json()["accounts"]
    page, ig = (next(a["account_id"] for a in accounts if a["platform"] == p)
                for p in ("facebook", "instagram"))
    path = f"/api/workspaces/{agency.workspace_id}/accounts"

    def status() -> dict[int, dict]:
        return {a["account_id"]: a for a in
                api.get(path, headers=agency.headers("admin")).json()["data"]}

    assert {a["status"] for a in status().values()} == {"never_synced"}
    with connect(agency.url) as conn:
        record_sync(conn, [page])
        record_sync(conn, [ig], error="rate limited", hold=True, is_retryable=True)
    now = status()
    assert now[page]["status"] == "ok" and now[page]["last_success_at"]
    assert now[ig]["status"] == "held" and now[ig]["retry_reason"] == "rate limited"
    with connect(agency.url) as conn:
        record_sync(conn, [page], error="500 from Graph")
    assert status()[page]["status"] == "failing"
    assert status()[page]["last_error"] == "500 from Graph"
    listed = api.get("/api/workspaces", headers=agency.headers("admin")).json()["data"]
    mine = next(w for w in listed if w["workspace_id"] == agency.workspace_id)
    assert mine["owned_accounts"] == 2 and mine["accounts_needing_reauth"] == 0
    body = api.get(path, headers=agency.headers("admin")).text
    assert "ciphertext" not in body and "EAAsbx" not in body


def _raw_rows(agency, platform_account_id: str) -> dict[str, int]:
    return {t: agency.query(f"select count(*) as n from raw_twitter.{t} where {c} = %s",
                            (platform_account_id,))[0]["n"]
            for t, c in (("tweets", "author_id"), ("users", "id"))}


def test_disconnect_destroys_tokens_and_purge_deletes_the_data(oauth_sandbox, agency,
                                                               api) -> None:
    first, second = people(oauth_sandbox)[:2]
    a = consent(api, agency, "twitter", first).json()["accounts"][0]
    b = consent(api, agency, "twitter", second).json()["accounts"][0]
    with connect(agency.url) as conn:  # what a sync would have loaded for both
        conn.execute("create schema raw_twitter; create schema marts")
        conn.execute("create table raw_twitter.tweets (id text, author_id text)")
        conn.execute("create table raw_twitter.users (id text)")
        conn.execute("create table marts.posts (post_id text, account_id bigint)")
        for acct in (a, b):
            conn.execute("insert into raw_twitter.tweets values ('t1', %(p)s), ('t2', %(p)s)",
                         {"p": acct["platform_account_id"]})
            conn.execute("insert into raw_twitter.users values (%s)",
                         (acct["platform_account_id"],))
            conn.execute("insert into marts.posts values ('x', %s)", (acct["account_id"],))
    admin = agency.headers("admin")
    assert api.delete(f"/api/accounts/{a['account_id']}", headers=admin).status_code == 200
    row = agency.query("select * from app.connected_accounts where account_id = %s",
                       (a["account_id"],))[0]
    assert row["access_token_ciphertext"] is None and row["refresh_token_ciphertext"] is None
    assert row["is_active"] is False and row["disconnected_at"] is not None
    assert _raw_rows(agency, a["platform_account_id"]) == {"tweets": 2, "users": 1}
    with connect(agency.url) as conn:
        synced = {t.platform_account_id for t in list_sync_targets(conn, ["twitter"])}
    assert synced == {b["platform_account_id"]}
    health = api.get(f"/api/workspaces/{agency.workspace_id}/accounts", headers=admin).json()
    assert {x["account_id"]: x["status"] for x in health["data"]}[a["account_id"]] == (
        "disconnected")

    assert api.delete(f"/api/accounts/{b['account_id']}?purge=true",
                      headers=admin).status_code == 200
    assert not agency.query("select 1 from app.connected_accounts where account_id = %s",
                            (b["account_id"],))
    assert _raw_rows(agency, b["platform_account_id"]) == {"tweets": 0, "users": 0}
    assert _raw_rows(agency, a["platform_account_id"]) == {"tweets": 2, "users": 1}
    assert agency.query("select account_id from marts.posts") == [
        {"account_id": a["account_id"]}]
    assert api.delete(f"/api/accounts/{b['account_id']}", headers=admin).status_code == 404
    other = agency.headers("other_admin")
    assert api.delete(f"/api/accounts/{a['account_id']}", headers=other).status_code == 404

    # reconnecting the disconnected account brings the same row back with new tokens
    again = consent(api, agency, "twitter", first).json()["accounts"][0]
    assert again["account_id"] == a["account_id"] and again["is_new"] is False
    row = agency.query("select * from app.connected_accounts where account_id = %s",
                       (a["account_id"],))[0]
    assert row["is_active"] and row["access_token_ciphertext"] and not row["disconnected_at"]
