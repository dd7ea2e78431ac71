"""Accounts connected through the flow are synced by the next sync, each read with the token
its own consent gave (the sandbox's request log names every call's token subject)."""

# ruff: noqa: F811 - fixtures imported from oauth_helpers are parameters here
from __future__ import annotations

from oauth_helpers import agency, api, consent, oauth_sandbox, people  # noqa: F401

from dlt_sources.runner import sync


def test_connected_accounts_sync_with_their_own_tokens(oauth_sandbox, agency, api) -> None:
    first, second = people(oauth_sandbox)[:2]
    connected = []
    for person in (first, second):  # two clients' accounts in one workspace: two per network
        for platform in ("twitter", "facebook", "linkedin"):
            r = consent(api, agency, platform, person)
            assert r.status_code == 200, r.text
            connected.extend(r.json()["accounts"])
    assert sorted(a["platform"] for a in connected) == sorted(
        [a["platform"] for a in first["accounts"] + second["accounts"]])
    oauth_sandbox.clear_requests()
    sync(url=agency.url)
    state = {r["account_id"]: r for r in agency.query("select * from app.sync_state")}
    for a in connected:
        s = state[a["account_id"]]
        assert s["last_success_at"] is not None and not s["needs_reauth"], (a, s)
    log = oauth_sandbox.requests("twitter")
    for a in (a for a in connected if a["platform"] == "twitter"):
        reads = [r for r in log if r["path"].startswith(f"/2/users/{a['platform_account_id']}")]
        assert reads, a
        assert {r["token_subject"] for r in reads} == {a["platform_account_id"]}
    # a Page and its Instagram account are read with that Page's token, never the other's
    pages = {a["platform_account_id"] for a in connected if a["platform"] == "facebook"}
    meta = [r for r in oauth_sandbox.requests("meta") if r.get("token_subject") in pages]
    assert {r["token_subject"] for r in meta} == pages
    posts = agency.query("select count(*) as n from raw_twitter.tweets")[0]["n"]
    assert posts > 0


def test_reconnect_after_revocation_resumes_the_same_account(oauth_sandbox, agency, api
                                                             ) -> None:
    person = people(oauth_sandbox)[0]
    account = consent(api, agency, "twitter", person).json()["accounts"][0]
    sync(["twitter"], url=agency.url)
    loaded = agency.query("select count(*) as n from raw_twitter.tweets where author_id = %s",
                          (account["platform_account_id"],))[0]["n"]
    assert loaded > 0
    oauth_sandbox.http.post("/_sandbox/oauth/revoke", json={"group": "twitter",
                                                             "login": person["login"]})
    sync(["twitter"], url=agency.url)
    path = f"/api/workspaces/{agency.workspace_id}/accounts"
    health = api.get(path, headers=agency.headers("admin")).json()["data"][0]
    assert health["status"] == "needs_reauth", health

    again = consent(api, agency, "twitter", person).json()["accounts"][0]
    assert again["account_id"] == account["account_id"] and not again["is_new"]
    sync(["twitter"], url=agency.url)
    health = api.get(path, headers=agency.headers("admin")).json()["data"][0]
    assert health["status"] == "ok" and not health["needs_reauth"], health
    assert agency.query("select count(*) as n from app.connected_accounts")[0]["n"] == 1
    kept = agency.query("select count(*) as n from raw_twitter.tweets where author_id = %s",
                        (account["platform_account_id"],))[0]["n"]
    assert kept >= loaded  # the history before the revocation is still there
