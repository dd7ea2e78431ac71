"""X OAuth 2.0 with PKCE over real HTTP: the consent page driven as a form, code exchange,
rotating refresh tokens, /2/users/me, and X's own errors for every bad step."""

from __future__ import annotations

import base64
import html

import pytest

from tests.platform_sandbox.consent_form import (
    consent,
    log_in,
    pkce_pair,
    read_form,
    redirect_query,
)

WORLD = {"workspaces_per_agency": 1, "owned_accounts_per_platform": 2, "posts_per_account": 10,
         "competitors_per_workspace": 1, "prospect_workspaces": 1}
AUTHORIZE = "/i/oauth2/authorize"


@pytest.fixture
def x(sandbox):
    """(apps, the demo client's person, the prospect's person) of a small world."""
    sandbox.reset(config=WORLD)
    people = sandbox.http.get("/_sandbox/people").json()
    client, prospect = people[0], people[-1]
    assert not client["is_prospect"] and prospect["is_prospect"]
    return sandbox.http.get("/_sandbox/apps").json()["twitter"], client, prospect


def _params(app: dict, challenge: str, **over) -> dict:
    return {"response_type": "code", "client_id": app["client_id"],
            "redirect_uri": app["redirect_uris"][0], "state": "st-123",
            "scope": "tweet.read users.read offline.access", "code_challenge": challenge,
            "code_challenge_method": "S256", **over}


def _basic(app: dict, secret: str | None = None) -> dict:
    raw = f"{app['client_id']}:{secret or app['client_secret']}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def _x_ids(person: dict) -> list[str]:
    return [a["platform_account_id"] for a in person["accounts"] if a["platform"] == "twitter"]


def _code(sandbox, app, person, account=None, **over) -> tuple[str, str]:
    verifier, challenge = pkce_pair()
    done = consent(sandbox.http, AUTHORIZE, _params(app, challenge, **over), person,
                   [account] if account else None)
    query = redirect_query(done)
    assert query["state"] == "st-123"
    return query["code"], verifier


def _exchange(sandbox, app, code, verifier, **over):
    data = {"grant_type": "authorization_code", "code": code, "code_verifier": verifier,
            "redirect_uri": app["redirect_uris"][0], **over}
    return sandbox.http.post("/2/oauth2/token", data=data, headers=_basic(app))


def test_consent_exchange_refresh_rotation_and_me(sandbox, x):
    app, person, _ = x
    second = _x_ids(person)[1]
    code, verifier = _code(sandbox, app, person, account=second)
    tokens = _exchange(sandbox, app, code, verifier)
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 7200
    assert body["scope"] == "tweet.read users.read offline.access" and body["refresh_token"]
    auth = {"Authorization": f"Bearer {body['access_token']}"}
    me = sandbox.http.get("/2/users/me", headers=auth)
    assert me.status_code == 200 and me.json()["data"]["id"] == second
    # the user token reads as that user: private metrics on its own timeline, not on another's
    first = _x_ids(person)[0]
    fields = {"tweet.fields": "non_public_metrics,created_at"}
    own = sandbox.http.get(f"/2/users/{second}/tweets", params=fields, headers=auth).json()
    other = sandbox.http.get(f"/2/users/{first}/tweets", params=fields, headers=auth).json()
    assert any("non_public_metrics" in t for t in own["data"])
    assert not any("non_public_metrics" in t for t in other["data"])
    # refresh rotates: the new refresh token works, the old one is refused from then on
    refresh = {"grant_type": "refresh_token", "refresh_token": body["refresh_token"]}
    rotated = sandbox.http.post("/2/oauth2/token", data=refresh, headers=_basic(app))
    assert rotated.status_code == 200 and rotated.json()["refresh_token"] != body["refresh_token"]
    again = sandbox.http.post("/2/oauth2/token", data=refresh, headers=_basic(app))
    assert again.status_code == 400 and again.json()["error"] == "invalid_request"
    newer = {"grant_type": "refresh_token", "refresh_token": rotated.json()["refresh_token"]}
    assert sandbox.http.post("/2/oauth2/token", data=newer, headers=_basic(app)).status_code == 200


def test_public_client_without_offline_access_gets_no_refresh_token(sandbox, x):
    app, person, _ = x
    code, verifier = _code(sandbox, app, person, scope="tweet.read users.read")
    data = {"grant_type": "authorization_code", "code": code, "code_verifier": verifier,
            "redirect_uri": app["redirect_uris"][0], "client_id": app["client_id"]}
    tokens = sandbox.http.post("/2/oauth2/token", data=data)
    assert tokens.status_code == 200 and "refresh_token" not in tokens.json()
    assert tokens.json()["scope"] == "tweet.read users.read"


def test_authorize_refusals(sandbox, x):
    app, person, _ = x
    _, challenge = pkce_pair()
    for bad in ({"redirect_uri": "http://127.0.0.1:8000/elsewhere"}, {"client_id": "nope"}):
        page = sandbox.http.get(AUTHORIZE, params=_params(app, challenge, **bad))
        assert page.status_code == 400 and "location" not in page.headers
        assert "You weren't able to give access to the App" in html.unescape(page.text)
    plain = sandbox.http.get(AUTHORIZE, params=_params(app, challenge,
                                                       code_challenge_method="plain"))
    query = redirect_query(plain)
    assert query["error"] == "invalid_request" and query["state"] == "st-123"
    assert "code_challenge_method" in query["error_description"]
    denied = consent(sandbox.http, AUTHORIZE, _params(app, challenge), person, action="cancel")
    assert redirect_query(denied) == {"error": "access_denied", "state": "st-123"}
    wrong = log_in(sandbox.http, AUTHORIZE, _params(app, challenge), person["login"], "guess")
    assert wrong.status_code == 401 and "incorrect" in wrong.text


def test_token_refusals(sandbox, x):
    app, person, _ = x
    code, verifier = _code(sandbox, app, person)
    bad_verifier = _exchange(sandbox, app, code, verifier + "x")
    assert bad_verifier.status_code == 400
    assert bad_verifier.json() == {"error": "invalid_request", "error_description":
                                   "Value passed for the code verifier did not match the code "
                                   "challenge."}
    other_uri = _exchange(sandbox, app, code, verifier, redirect_uri=app["redirect_uris"][1])
    assert other_uri.status_code == 400 and "redirect uri" in other_uri.json()["error_description"]
    wrong_secret = sandbox.http.post("/2/oauth2/token", headers=_basic(app, "wrong"), data={
        "grant_type": "authorization_code", "code": code, "code_verifier": verifier})
    assert wrong_secret.status_code == 401 and wrong_secret.json()["error"] == "unauthorized_client"
    assert _exchange(sandbox, app, code, verifier).status_code == 200
    reused = _exchange(sandbox, app, code, verifier)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_request"
    late, late_verifier = _code(sandbox, app, person)
    sandbox.advance(31)  # X's codes live 30 seconds
    expired = _exchange(sandbox, app, late, late_verifier)
    assert expired.status_code == 400 and "authorization code" in expired.json()[
        "error_description"]


def test_revoked_consent_and_reconnect(sandbox, x):
    app, person, _ = x
    code, verifier = _code(sandbox, app, person)
    body = _exchange(sandbox, app, code, verifier).json()
    auth = {"Authorization": f"Bearer {body['access_token']}"}
    assert sandbox.http.get("/2/users/me", headers=auth).status_code == 200
    revoked = sandbox.http.post("/_sandbox/oauth/revoke",
                                json={"group": "twitter", "login": person["login"]})
    assert revoked.status_code == 200
    me = sandbox.http.get("/2/users/me", headers=auth)
    assert me.status_code == 401 and me.json()["title"] == "Unauthorized"
    refresh = sandbox.http.post("/2/oauth2/token", headers=_basic(app), data={
        "grant_type": "refresh_token", "refresh_token": body["refresh_token"]})
    assert refresh.status_code == 400
    # consenting again gives tokens that work
    code, verifier = _code(sandbox, app, person)
    fresh = _exchange(sandbox, app, code, verifier).json()
    me = sandbox.http.get("/2/users/me", headers={"Authorization":
                                                  f"Bearer {fresh['access_token']}"})
    assert me.status_code == 200


def test_prospect_can_connect_but_is_not_in_the_world(sandbox, x):
    app, _, prospect = x
    listed = {a["platform_account_id"] for a in sandbox.world()["accounts"]}
    own = _x_ids(prospect)
    assert own and not set(own) & listed
    code, verifier = _code(sandbox, app, prospect)
    token = _exchange(sandbox, app, code, verifier).json()["access_token"]
    me = sandbox.http.get("/2/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["data"]["id"] == own[0]


def test_consent_page_shows_app_scopes_and_the_persons_accounts(sandbox, x):
    app, person, _ = x
    _, challenge = pkce_pair()
    page = log_in(sandbox.http, AUTHORIZE, _params(app, challenge), person["login"],
                  person["password"])
    form = read_form(page.text)
    assert page.status_code == 200 and "socialpulse" in page.text
    assert all(s in page.text for s in ("tweet.read", "users.read", "offline.access"))
    assert form.accounts == _x_ids(person) and len(form.checked) == 1
    both = sandbox.http.post(form.action, data={**form.hidden, "action": "allow",
                                                "account": form.accounts})
    assert both.status_code == 200 and "Pick one account." in both.text


def test_ground_truth_reads_do_not_spend_a_connected_refresh_token(sandbox, x):
    app, person, _ = x
    code, verifier = _code(sandbox, app, person)
    body = _exchange(sandbox, app, code, verifier).json()
    sandbox.world()  # issues fresh tokens for every listed account, this user's included
    refresh = {"grant_type": "refresh_token", "refresh_token": body["refresh_token"]}
    assert sandbox.http.post("/2/oauth2/token", data=refresh,
                             headers=_basic(app)).status_code == 200
