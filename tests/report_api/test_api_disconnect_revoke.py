"""Disconnecting revokes the grant at the platform (over real HTTP: the sandbox refuses the old
token afterwards), leaves no ciphertext of the account anywhere in the database, keeps a grant
that another connected account still uses, and destroys the tokens even when the platform's
revoke fails (the account's row and the response say so)."""

# ruff: noqa: F811 - fixtures imported from oauth_helpers are parameters here
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import psycopg
from oauth_helpers import agency, api, consent, oauth_sandbox, people  # noqa: F401

from platform_sandbox.process import free_port
from socialpulse.accounts import save_tokens
from socialpulse.crypto import TokenCipher
from socialpulse.warehouse import connect

REST = {"LinkedIn-Version": "202610", "X-Restli-Protocol-Version": "2.0.0"}


def _tokens(agency, account_id: int) -> tuple[str, list[str]]:
    """The account's access token and its stored ciphertexts, before the disconnect."""
    row = agency.query("select access_token_ciphertext as a, refresh_token_ciphertext as r "
                       "from app.connected_accounts where account_id = %s", (account_id,))[0]
    return TokenCipher.from_settings().decrypt(row["a"]), [c for c in (row["a"], row["r"]) if c]


def _ciphertext_anywhere(agency, ciphertexts: list[str]) -> list[str]:
    """Every text column of every table in the app schema that holds one of them."""
    found = []
    with psycopg.connect(agency.url) as conn:
        columns = conn.execute("select table_name, column_name from information_schema.columns "
                               "where table_schema = 'app' and data_type = 'text'").fetchall()
        for table, column in columns:
            hit = conn.execute(f'select 1 from app."{table}" where "{column}" = any(%s) limit 1',
                               (ciphertexts,)).fetchone()
            if hit:
                found.append(f"{table}.{column}")
    return found


def _delete(api, agency, account_id: int) -> dict:
    r = api.delete(f"/api/accounts/{account_id}", headers=agency.headers("admin"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["account_id"] == account_id and body["tokens_destroyed"] is True
    return body


def _revoke_state(agency, account_id: int) -> dict:
    return agency.query("select platform_revoke_status as status, platform_revoke_detail as "
                        "detail, access_token_ciphertext, refresh_token_ciphertext "
                        "from app.connected_accounts where account_id = %s", (account_id,))[0]


def test_disconnect_revokes_the_x_grant_and_leaves_no_ciphertext(oauth_sandbox, agency,
                                                                 api) -> None:
    account = consent(api, agency, "twitter", people(oauth_sandbox)[0]).json()["accounts"][0]
    token, ciphertexts = _tokens(agency, account["account_id"])
    auth = {"Authorization": f"Bearer {token}"}
    assert oauth_sandbox.http.get("/2/users/me", headers=auth).status_code == 200
    body = _delete(api, agency, account["account_id"])
    assert body["platform_revoke"] == "revoked", body
    refused = oauth_sandbox.http.get("/2/users/me", headers=auth)
    assert refused.status_code == 401 and refused.json()["title"] == "Unauthorized"
    assert oauth_sandbox.http.get(f"/2/users/{account['platform_account_id']}/tweets",
                                  headers=auth).status_code == 401
    assert _ciphertext_anywhere(agency, ciphertexts) == []
    state = _revoke_state(agency, account["account_id"])
    assert state["status"] == "revoked" and state["access_token_ciphertext"] is None
    assert token not in str(body)
    revokes = [r for r in oauth_sandbox.requests("twitter") if r["path"] == "/2/oauth2/revoke"]
    assert revokes, "the platform's revoke endpoint was never called"


def test_a_shared_meta_grant_is_revoked_with_its_last_account(oauth_sandbox, agency,
                                                              api) -> None:
    accounts = consent(api, agency, "facebook", people(oauth_sandbox)[0]).json()["accounts"]
    assert {a["platform"] for a in accounts} == {"facebook", "instagram"}, accounts
    page = next(a for a in accounts if a["platform"] == "facebook")
    page_token, ciphertexts = _tokens(agency, page["account_id"])
    read = f"/v24.0/{page['platform_account_id']}"

    first = _delete(api, agency, page["account_id"])
    assert first["platform_revoke"] == "kept_shared" and "@" in first["detail"], first
    # the Instagram account (and any other Page) of the same consent still reads
    assert oauth_sandbox.http.get(read, params={"access_token": page_token}).status_code == 200
    rest = [a for a in accounts if a["account_id"] != page["account_id"]]
    for a in rest[:-1]:
        assert _delete(api, agency, a["account_id"])["platform_revoke"] == "kept_shared"
    last = _delete(api, agency, rest[-1]["account_id"])
    assert last["platform_revoke"] == "revoked", last
    err = oauth_sandbox.http.get(read, params={"access_token": page_token}).json()["error"]
    assert (err["code"], err["error_subcode"]) == (190, 458)
    assert _ciphertext_anywhere(agency, ciphertexts) == []
    states = agency.query("select platform_revoke_status as s from app.connected_accounts")
    assert sorted(r["s"] for r in states) == sorted(["kept_shared"] * (len(accounts) - 1)
                                                    + ["revoked"])


def test_linkedin_member_token_is_revoked_once_no_organization_uses_it(oauth_sandbox, agency,
                                                                       api) -> None:
    orgs = consent(api, agency, "linkedin", people(oauth_sandbox)[0]).json()["accounts"]
    token, _ = _tokens(agency, orgs[0]["account_id"])
    for org in orgs:
        _delete(api, agency, org["account_id"])
    refused = oauth_sandbox.http.get(f"/rest/organizations/{orgs[0]['platform_account_id']}",
                                     headers={**REST, "Authorization": f"Bearer {token}"})
    assert refused.status_code == 401 and refused.json()["code"] == "REVOKED_ACCESS_TOKEN"


def test_a_failed_revoke_still_destroys_the_tokens(oauth_sandbox, agency, api,
                                                   monkeypatch) -> None:
    person = people(oauth_sandbox)[0]
    x = consent(api, agency, "twitter", person).json()["accounts"][0]
    li = consent(api, agency, "linkedin", person).json()["accounts"]
    x_token, x_cipher = _tokens(agency, x["account_id"])
    # the platform is down: nothing listens on the revoke URL
    monkeypatch.setenv("OAUTH_TWITTER_REVOKE_URL",
                       f"http://127.0.0.1:{free_port()}/2/oauth2/revoke")
    down = _delete(api, agency, x["account_id"])
    assert down["platform_revoke"] == "failed" and "unreachable" in down["detail"], down
    state = _revoke_state(agency, x["account_id"])
    assert state["status"] == "failed" and "unreachable" in state["detail"]
    assert state["access_token_ciphertext"] is None and state["refresh_token_ciphertext"] is None
    assert _ciphertext_anywhere(agency, x_cipher) == []
    # honest: the platform did not revoke it, the token lives until its expiry
    assert oauth_sandbox.http.get("/2/users/me",
                                  headers={"Authorization": f"Bearer {x_token}"}).status_code == 200
    # the platform refuses: LinkedIn's own 401 invalid_client is named
    monkeypatch.setenv("OAUTH_LINKEDIN_CLIENT_SECRET", "not-the-secret")
    for org in li[:-1]:
        _delete(api, agency, org["account_id"])
    refused = _delete(api, agency, li[-1]["account_id"])
    assert refused["platform_revoke"] == "failed", refused
    assert "401" in refused["detail"] and "invalid_client" in refused["detail"]
    assert "not-the-secret" not in refused["detail"]
    health = api.get(f"/api/workspaces/{agency.workspace_id}/accounts",
                     headers=agency.headers("admin")).json()["data"]
    assert {h["status"] for h in health} == {"disconnected"}


def test_a_sync_finishing_after_the_disconnect_stores_no_token(oauth_sandbox, agency,
                                                               api) -> None:
    account = consent(api, agency, "twitter", people(oauth_sandbox)[0]).json()["accounts"][0]
    _delete(api, agency, account["account_id"])
    with connect(agency.url) as conn:  # what a sync that refreshed meanwhile would write
        save_tokens(conn, account["account_id"], "sbxXrefreshed", "sbxXrefresh", None)
    state = _revoke_state(agency, account["account_id"])
    assert state["access_token_ciphertext"] is None and state["refresh_token_ciphertext"] is None


def _answering(body: bytes) -> tuple[str, HTTPServer]:
    """A platform stand-in that answers every DELETE with 200 and ``body``."""

    class Handler(BaseHTTPRequestHandler):
        def do_DELETE(self) -> None:  # noqa: N802 - http.server's naming
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/v24.0", server


def test_an_unexpected_revoke_answer_is_recorded_as_failed(oauth_sandbox, agency, api,
                                                           monkeypatch) -> None:
    accounts = consent(api, agency, "facebook", people(oauth_sandbox)[0]).json()["accounts"]
    url, server = _answering(b"[true]")  # JSON, but not Graph's {"success": true}
    try:
        monkeypatch.setenv("OAUTH_META_API_URL", url)
        for a in accounts[:-1]:
            _delete(api, agency, a["account_id"])
        last = _delete(api, agency, accounts[-1]["account_id"])
    finally:
        server.shutdown()
        server.server_close()
    assert last["platform_revoke"] == "failed", last
    state = _revoke_state(agency, accounts[-1]["account_id"])
    assert state["status"] == "failed" and state["access_token_ciphertext"] is None
    assert "sbx" not in state["detail"], state["detail"]


def test_a_meta_grant_is_kept_while_an_unrecorded_grant_may_share_it(oauth_sandbox, agency,
                                                                    api) -> None:
    first, second = people(oauth_sandbox)[:2]
    mine = consent(api, agency, "facebook", first).json()["accounts"]
    theirs = consent(api, agency, "facebook", second).json()["accounts"]
    # connected before grants were recorded: whose Pages they are is unknown, and Graph's
    # DELETE /{user}/permissions would take every Page that person granted with it
    with psycopg.connect(agency.url) as conn:
        conn.execute("update app.connected_accounts set grant_subject = null "
                     "where account_id = any(%s)", ([a["account_id"] for a in theirs],))
    page = next(a for a in mine if a["platform"] == "facebook")
    page_token, _ = _tokens(agency, page["account_id"])
    outcomes = [_delete(api, agency, a["account_id"]) for a in mine]
    assert outcomes[-1]["platform_revoke"] == "kept_shared", outcomes[-1]
    assert "unknown" in outcomes[-1]["detail"], outcomes[-1]
    assert not [r for r in oauth_sandbox.requests("meta") if r["method"] == "DELETE"]
    read = f"/v24.0/{page['platform_account_id']}"
    assert oauth_sandbox.http.get(read, params={"access_token": page_token}).status_code == 200
