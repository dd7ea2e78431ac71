"""Connecting accounts through the platforms' OAuth flows, against the sandbox over HTTP: the
consent pages are filled in as a person would, the tokens stored are checked at the sandbox."""

# ruff: noqa: F811 - fixtures imported from oauth_helpers are parameters here
from __future__ import annotations

import logging

import httpx
import pytest
from oauth_helpers import (  # noqa: F401  (fixtures)
    REDIRECT_BASE,
    SOURCE,
    TOKEN_MARKERS,
    agency,
    api,
    authorize,
    consent,
    oauth_sandbox,
    people,
    query_of,
)

from platform_sandbox.oauth import s256
from socialpulse.crypto import TokenCipher

GRANTED = {"twitter": {"twitter"}, "facebook": {"facebook", "instagram"},
           "instagram": {"facebook", "instagram"}, "linkedin": {"linkedin"}}
LINKEDIN_HEADERS = {"LinkedIn-Version": "202610", "X-Restli-Protocol-Version": "2.0.0"}


def _expected(person: dict, platform: str) -> set[tuple[str, str]]:
    return {(a["platform"], a["platform_account_id"]) for a in person["accounts"]
            if a["platform"] in GRANTED[platform]}


def _reads_as_itself(sandbox, platform: str, account_id: str, access_token: str) -> bool:
    """The stored token reads the account at the platform (and names it)."""
    auth = {"Authorization": f"Bearer {access_token}"}
    if platform == "twitter":
        r = sandbox.http.get("/2/users/me", headers=auth)
        return r.status_code == 200 and r.json()["data"]["id"] == account_id
    if platform == "linkedin":
        r = sandbox.http.get(f"/rest/organizations/{account_id}",
                             headers={**auth, **LINKEDIN_HEADERS})
        return r.status_code == 200
    r = sandbox.http.get(f"/v24.0/{account_id}", params={"fields": "id"}, headers=auth)
    return r.status_code == 200 and r.json()["id"] == account_id


def _stored(agency, workspace_id: int | None = None) -> list[dict]:
    return agency.query(
        "select account_id, platform, platform_account_id, access_token_ciphertext, "
        "refresh_token_ciphertext, token_expires_at, is_active, connected_by_user_id "
        "from app.connected_accounts where workspace_id = %s order by account_id",
        (workspace_id or agency.workspace_id,))


def test_authorize_redirects_to_the_consent_page_with_state_and_pkce(oauth_sandbox, agency,
                                                                     api) -> None:
    location = authorize(api, agency, "twitter")
    assert location.startswith(f"{oauth_sandbox.url}/i/oauth2/authorize?")
    q = query_of(location)
    assert q["client_id"] == "sandbox-x-client" and q["response_type"] == "code"
    assert q["redirect_uri"] == f"{REDIRECT_BASE}/api/connections/twitter/callback"
    assert q["code_challenge_method"] == "S256"
    assert set(q["scope"].split()) == {"tweet.read", "users.read", "offline.access"}
    flow = agency.query("select code_verifier_ciphertext, user_id, workspace_id "
                        "from app.oauth_flows")[0]
    verifier = TokenCipher.from_settings().decrypt(flow["code_verifier_ciphertext"])
    assert q["code_challenge"] == s256(verifier)
    assert (flow["user_id"], flow["workspace_id"]) == (agency.users["admin"],
                                                        agency.workspace_id)
    # Facebook and Instagram both start Facebook Login; LinkedIn has no PKCE
    for platform, path in (("facebook", "/v24.0/dialog/oauth"),
                           ("instagram", "/v24.0/dialog/oauth"),
                           ("linkedin", "/oauth/v2/authorization")):
        location = authorize(api, agency, platform)
        assert location.startswith(f"{oauth_sandbox.url}{path}?"), location
        assert "code_challenge" not in query_of(location)
        assert query_of(location)["redirect_uri"].endswith(f"/{platform}/callback")


@pytest.mark.parametrize("platform", ["twitter", "facebook", "instagram", "linkedin"])
def test_connect_stores_each_granted_account_with_its_own_token(oauth_sandbox, agency, api,
                                                                platform) -> None:
    person = people(oauth_sandbox)[0]
    r = consent(api, agency, platform, person)
    assert r.status_code == 200, r.text
    body = r.json()
    got = {(a["platform"], a["platform_account_id"]) for a in body["accounts"]}
    assert got == _expected(person, platform) and got
    assert all(a["is_new"] for a in body["accounts"])
    cipher = TokenCipher.from_settings()
    rows = _stored(agency)
    assert {(r["platform"], r["platform_account_id"]) for r in rows} == got
    for row in rows:
        token = cipher.decrypt(row["access_token_ciphertext"])
        assert _reads_as_itself(oauth_sandbox, row["platform"], row["platform_account_id"],
                                token), row["platform"]
        assert row["connected_by_user_id"] == agency.users["admin"]
        if row["platform"] in ("twitter", "linkedin"):
            assert row["refresh_token_ciphertext"] and row["token_expires_at"] is not None
    # a Page's token is its own, not the person's: two Pages never share one
    if platform == "facebook":
        tokens = [cipher.decrypt(r["access_token_ciphertext"]) for r in rows
                  if r["platform"] == "facebook"]
        assert len(set(tokens)) == len(tokens)


def test_two_x_accounts_of_one_workspace_each_keep_their_own_token(oauth_sandbox, agency,
                                                                   api) -> None:
    first, second = people(oauth_sandbox)[:2]
    for person in (first, second):
        assert consent(api, agency, "twitter", person).status_code == 200
    rows = _stored(agency)
    assert len(rows) == 2
    cipher = TokenCipher.from_settings()
    for row in rows:
        assert _reads_as_itself(oauth_sandbox, "twitter", row["platform_account_id"],
                                cipher.decrypt(row["access_token_ciphertext"]))


def test_reconnect_replaces_tokens_clears_reauth_and_keeps_the_account(oauth_sandbox, agency,
                                                                       api) -> None:
    from socialpulse.accounts import record_sync
    from socialpulse.warehouse import connect

    person = people(oauth_sandbox)[0]
    first = consent(api, agency, "twitter", person).json()["accounts"][0]
    cipher = TokenCipher.from_settings()
    old = cipher.decrypt(_stored(agency)[0]["access_token_ciphertext"])
    with connect(agency.url) as conn:  # a sync succeeded, then the consent was revoked
        record_sync(conn, [first["account_id"]])
    oauth_sandbox.http.post("/_sandbox/oauth/revoke", json={"group": "twitter",
                                                             "login": person["login"]})
    assert not _reads_as_itself(oauth_sandbox, "twitter", first["platform_account_id"], old)
    with connect(agency.url) as conn:
        record_sync(conn, [first["account_id"]], error="401: reconnect", needs_reauth=True)
    health = api.get(f"/api/workspaces/{agency.workspace_id}/accounts",
                     headers=agency.headers("admin")).json()["data"][0]
    assert health["status"] == "needs_reauth" and health["last_success_at"]

    again = consent(api, agency, "twitter", person).json()["accounts"][0]
    assert again["account_id"] == first["account_id"] and again["is_new"] is False
    rows = _stored(agency)
    assert len(rows) == 1
    new = cipher.decrypt(rows[0]["access_token_ciphertext"])
    assert new != old and _reads_as_itself(oauth_sandbox, "twitter",
                                           first["platform_account_id"], new)
    health = api.get(f"/api/workspaces/{agency.workspace_id}/accounts",
                     headers=agency.headers("admin")).json()["data"][0]
    assert health["needs_reauth"] is False and health["last_success_at"] is not None


def _no_account(agency) -> bool:
    return not agency.query("select 1 from app.connected_accounts")


def test_replayed_forged_and_expired_states_are_refused(oauth_sandbox, agency, api) -> None:
    from socialpulse_cli.consent import give_consent

    person = people(oauth_sandbox)[0]
    back = give_consent(authorize(api, agency, "twitter"), person["login"], person["password"])
    path = back.split(REDIRECT_BASE, 1)[1]
    forged = path.replace("state=", "state=x")
    r = api.get(forged, headers=agency.headers("admin"))
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_state"
    assert "invalid" in r.json()["error"]["message"]
    assert api.get(path, headers=agency.headers("admin")).status_code == 200
    r = api.get(path, headers=agency.headers("admin"))  # the same callback again
    assert r.status_code == 400 and "already used" in r.json()["error"]["message"]

    back = give_consent(authorize(api, agency, "linkedin"), person["login"], person["password"])
    agency.query("update app.oauth_flows set expires_at = now() - interval '1 second' "
                 "where consumed_at is null returning 1")
    r = api.get(back.split(REDIRECT_BASE, 1)[1], headers=agency.headers("admin"))
    assert r.status_code == 400 and "expired" in r.json()["error"]["message"]
    assert not agency.query("select 1 from app.connected_accounts where platform = 'linkedin'")

    r = api.get("/api/connections/twitter/callback?code=abc", headers=agency.headers("admin"))
    assert r.status_code == 400 and "no state" in r.json()["error"]["message"]


def test_another_users_callback_is_refused_and_leaves_the_flow_to_its_owner(
        oauth_sandbox, agency, api) -> None:
    from socialpulse_cli.consent import give_consent

    person = people(oauth_sandbox)[0]
    back = give_consent(authorize(api, agency, "twitter"), person["login"], person["password"])
    path = back.split(REDIRECT_BASE, 1)[1]
    for who in ("admin2", "other_admin"):
        r = api.get(path, headers=agency.headers(who))
        assert r.status_code == 400 and "another user" in r.json()["error"]["message"], who
    assert _no_account(agency)
    assert api.get(path, headers=agency.headers("admin")).status_code == 200
    # a callback path of another platform does not accept this platform's state
    back = give_consent(authorize(api, agency, "linkedin"), person["login"], person["password"])
    r = api.get(back.split(REDIRECT_BASE, 1)[1].replace("/linkedin/", "/twitter/"),
                headers=agency.headers("admin"))
    assert r.status_code == 400 and "another platform" in r.json()["error"]["message"]


@pytest.mark.parametrize("platform", ["twitter", "facebook", "linkedin"])
def test_denied_consent_connects_nothing_and_uses_up_the_state(oauth_sandbox, agency, api,
                                                               platform) -> None:
    person = people(oauth_sandbox)[0]
    r = consent(api, agency, platform, person, allow=False)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "connection_failed"
    assert "cancelled or denied" in r.json()["error"]["message"]
    assert _no_account(agency)
    flow = agency.query("select consumed_at, outcome, code_verifier_ciphertext "
                        "from app.oauth_flows")[0]
    assert flow["consumed_at"] is not None and "denied" in flow["outcome"]
    assert flow["code_verifier_ciphertext"] is None


@pytest.mark.parametrize("platform", ["twitter", "facebook", "linkedin"])
def test_a_code_the_platform_refuses_connects_nothing(oauth_sandbox, agency, api,
                                                      platform) -> None:
    from socialpulse_cli.consent import give_consent

    person = people(oauth_sandbox)[0]
    back = give_consent(authorize(api, agency, platform), person["login"], person["password"])
    code = query_of(back)["code"]
    r = api.get(back.split(REDIRECT_BASE, 1)[1].replace(code, code[:-3] + "zzz"),
                headers=agency.headers("admin"))
    assert r.status_code == 400 and r.json()["error"]["code"] == "connection_failed"
    assert "refused the code exchange" in r.json()["error"]["message"]
    assert _no_account(agency)


def test_viewers_are_refused_and_other_agencies_workspaces_are_not_found(oauth_sandbox, agency,
                                                                         api) -> None:
    viewer = agency.headers("viewer")
    for path in (f"/api/connections/twitter/authorize?workspace_id={agency.workspace_id}",
                 "/api/connections/twitter/callback?code=a&state=b", "/api/workspaces",
                 f"/api/workspaces/{agency.workspace_id}/accounts"):
        r = api.get(path, headers=viewer, follow_redirects=False)
        assert r.status_code == 403, (path, r.text)
    assert api.post("/api/workspaces", json={"name": "x"}, headers=viewer).status_code == 403
    assert api.delete("/api/accounts/1", headers=viewer).status_code == 403
    r = api.get(f"/api/connections/twitter/authorize?workspace_id={agency.foreign_workspace_id}",
                headers=agency.headers("admin"), follow_redirects=False)
    assert r.status_code == 404
    assert api.get("/api/connections/twitter/authorize?workspace_id=1",
                   follow_redirects=False).status_code == 401
    assert api.get("/api/connections/myspace/authorize?workspace_id=1",
                   headers=agency.headers("admin")).status_code == 422


def test_no_token_in_logs_responses_or_errors(oauth_sandbox, agency, api, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    person = people(oauth_sandbox)[0]
    texts = []
    for platform in ("twitter", "facebook", "linkedin"):
        texts.append(consent(api, agency, platform, person).text)
        texts.append(consent(api, agency, platform, person, allow=False).text)
    texts.append(api.get(f"/api/workspaces/{agency.workspace_id}/accounts",
                         headers=agency.headers("admin")).text)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "HTTP Request" in logged  # httpx did log the platform calls
    for marker in (*TOKEN_MARKERS, "sandbox-x-secret", "sandbox-meta-secret",
                   "sandbox-li-secret"):
        assert marker not in logged, marker
        assert all(marker not in t for t in texts), marker
    assert len(_stored(agency)) >= 4


def test_unconfigured_app_is_a_clear_error(oauth_sandbox, agency, api, monkeypatch) -> None:
    monkeypatch.setenv("OAUTH_LINKEDIN_CLIENT_ID", " ")  # blank, whatever .env says
    r = api.get(f"/api/connections/linkedin/authorize?workspace_id={agency.workspace_id}",
                headers=agency.headers("admin"), follow_redirects=False)
    assert r.status_code == 503 and "OAUTH_LINKEDIN_CLIENT_ID" in r.json()["error"]["message"]
    assert not agency.query("select 1 from app.oauth_flows")


def test_sandbox_is_reached_over_http(oauth_sandbox) -> None:
    assert httpx.get(f"{oauth_sandbox.url}/_sandbox/apps").status_code == 200


def test_a_platform_error_on_the_callback_is_named_and_connects_nothing(oauth_sandbox, agency,
                                                                        api) -> None:
    state = query_of(authorize(api, agency, "linkedin"))["state"]
    r = api.get("/api/connections/linkedin/callback", params={
        "state": state, "error": "temporarily_unavailable",
        "error_description": "The server is busy"}, headers=agency.headers("admin"))
    assert r.status_code == 400 and r.json()["error"]["code"] == "connection_failed"
    assert "temporarily_unavailable (The server is busy)" in r.json()["error"]["message"]
    assert _no_account(agency)
    again = api.get("/api/connections/linkedin/callback", params={"state": state, "code": "x"},
                    headers=agency.headers("admin"))
    assert again.status_code == 400 and "already used" in again.json()["error"]["message"]
