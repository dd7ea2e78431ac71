"""Reconnecting one account (``GET /api/accounts/{id}/reconnect``): revoked at the platform
(the sandbox's revoke knob), the next sync marks it needs_reauth, the reconnect clears it on
the same row with its history kept; a consent for another account changes nothing; on Meta
only the reconnected account is updated and the others are named as not added."""

# ruff: noqa: F811 - fixtures imported from oauth_helpers are parameters here
from __future__ import annotations

from oauth_helpers import (  # noqa: F401
    agency,
    api,
    callback_path,
    consent,
    oauth_sandbox,
    people,
)

from dlt_sources.runner import sync
from socialpulse.crypto import TokenCipher
from socialpulse.warehouse import connect
from socialpulse_cli.consent import give_consent


def _reconnect_url(api, agency, account_id: int, who: str = "admin"):
    return api.get(f"/api/accounts/{account_id}/reconnect", headers=agency.headers(who),
                   follow_redirects=False)


def _reconnect(api, agency, account_id: int, person: dict):
    r = _reconnect_url(api, agency, account_id)
    assert r.status_code == 307, r.text
    back = give_consent(r.headers["location"], person["login"], person["password"])
    return api.get(callback_path(back), headers=agency.headers("admin"))


def _health(api, agency) -> dict[int, dict]:
    data = api.get(f"/api/workspaces/{agency.workspace_id}/accounts",
                   headers=agency.headers("admin")).json()["data"]
    return {h["account_id"]: h for h in data}


def _ciphertext(agency, account_id: int) -> str:
    return agency.query("select access_token_ciphertext as c from app.connected_accounts "
                        "where account_id = %s", (account_id,))[0]["c"]


def test_revoked_account_is_reconnected_alone_with_its_history(oauth_sandbox, agency,
                                                               api) -> None:
    person = people(oauth_sandbox)[0]
    x = consent(api, agency, "twitter", person).json()["accounts"][0]
    page = next(a for a in consent(api, agency, "facebook", person).json()["accounts"]
                if a["platform"] == "facebook")
    sync(["twitter"], url=agency.url)
    before = agency.query("select count(*) as n from raw_twitter.tweets where author_id = %s",
                          (x["platform_account_id"],))[0]["n"]
    assert before > 0
    with connect(agency.url) as conn:  # a mart row of the account, as dbt would have built
        conn.execute("create schema if not exists marts")
        conn.execute("create table if not exists marts.posts (post_id text, account_id bigint)")
        conn.execute("insert into marts.posts values ('twitter:1', %s)", (x["account_id"],))
    oauth_sandbox.http.post("/_sandbox/oauth/revoke", json={"group": "twitter",
                                                             "login": person["login"]})
    sync(["twitter"], url=agency.url)
    assert _health(api, agency)[x["account_id"]]["status"] == "needs_reauth"
    page_cipher = _ciphertext(agency, page["account_id"])

    r = _reconnect(api, agency, x["account_id"], person)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [a["account_id"] for a in body["accounts"]] == [x["account_id"]]
    assert body["accounts"][0]["is_new"] is False and body["not_added"] == []
    health = _health(api, agency)[x["account_id"]]
    assert not health["needs_reauth"] and health["status"] != "needs_reauth", health
    sync(["twitter"], url=agency.url)
    assert _health(api, agency)[x["account_id"]]["status"] == "ok"
    after = agency.query("select count(*) as n from raw_twitter.tweets where author_id = %s",
                         (x["platform_account_id"],))[0]["n"]
    assert after >= before
    assert agency.query("select account_id from marts.posts") == [
        {"account_id": x["account_id"]}]
    assert agency.query("select count(*) as n from app.connected_accounts where platform = "
                        "'twitter'")[0]["n"] == 1
    assert _ciphertext(agency, page["account_id"]) == page_cipher  # nobody else touched


def test_a_consent_for_another_account_changes_nothing(oauth_sandbox, agency, api) -> None:
    first, second = people(oauth_sandbox)[:2]
    x = consent(api, agency, "twitter", first).json()["accounts"][0]
    stored = _ciphertext(agency, x["account_id"])
    r = _reconnect(api, agency, x["account_id"], second)
    assert r.status_code == 400, r.text
    message = r.json()["error"]["message"]
    assert f"@{x['handle']}" in message and "nothing was changed" in message, message
    assert _ciphertext(agency, x["account_id"]) == stored
    assert agency.query("select count(*) as n from app.connected_accounts")[0]["n"] == 1
    flow = agency.query("select account_id, outcome from app.oauth_flows "
                        "where account_id is not null")[0]
    assert flow["account_id"] == x["account_id"] and "being reconnected" in flow["outcome"]


def test_meta_reconnect_updates_only_that_account(oauth_sandbox, agency, api) -> None:
    person = people(oauth_sandbox)[0]
    accounts = consent(api, agency, "facebook", person).json()["accounts"]
    ig = next(a for a in accounts if a["platform"] == "instagram")
    others = {a["account_id"]: _ciphertext(agency, a["account_id"]) for a in accounts
              if a["account_id"] != ig["account_id"]}
    old = TokenCipher.from_settings().decrypt(_ciphertext(agency, ig["account_id"]))
    r = _reconnect(api, agency, ig["account_id"], person)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [a["account_id"] for a in body["accounts"]] == [ig["account_id"]]
    assert body["not_added"] and all(n.startswith("Facebook @") for n in body["not_added"])
    assert TokenCipher.from_settings().decrypt(_ciphertext(agency, ig["account_id"])) != old
    assert {k: _ciphertext(agency, k) for k in others} == others


def test_reconnect_refusals(oauth_sandbox, agency, api) -> None:
    x = consent(api, agency, "twitter", people(oauth_sandbox)[0]).json()["accounts"][0]
    assert _reconnect_url(api, agency, x["account_id"], "viewer").status_code == 403
    assert _reconnect_url(api, agency, x["account_id"], "other_admin").status_code == 404
    assert _reconnect_url(api, agency, 987654).status_code == 404
    with connect(agency.url) as conn:
        rival = conn.execute(
            "insert into app.connected_accounts (workspace_id, platform, platform_account_id, "
            "handle, is_competitor) values (%s, 'twitter', '42', 'rival', true) "
            "returning account_id", (agency.workspace_id,)).fetchone()["account_id"]
    assert _reconnect_url(api, agency, rival).status_code == 409


def test_a_token_endpoint_that_is_down_is_named_and_changes_nothing(oauth_sandbox, agency, api,
                                                                    monkeypatch) -> None:
    from platform_sandbox.process import free_port

    person = people(oauth_sandbox)[0]
    x = consent(api, agency, "twitter", person).json()["accounts"][0]
    stored = _ciphertext(agency, x["account_id"])
    monkeypatch.setenv("OAUTH_TWITTER_TOKEN_URL", f"http://127.0.0.1:{free_port()}/2/oauth2/token")
    r = _reconnect(api, agency, x["account_id"], person)
    assert r.status_code == 400, r.text
    assert "token endpoint unreachable: ConnectError" in r.json()["error"]["message"]
    assert _ciphertext(agency, x["account_id"]) == stored
