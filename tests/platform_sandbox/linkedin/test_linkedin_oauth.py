"""LinkedIn 3-legged OAuth over real HTTP: the login and consent pages driven as forms, the
code and refresh grants, organizationAcls, what a member token may read, and LinkedIn's own
errors for every bad step."""

from __future__ import annotations

import pytest

from tests.platform_sandbox.consent_form import consent, read_form, redirect_query

WORLD = {"workspaces_per_agency": 1, "owned_accounts_per_platform": 2, "posts_per_account": 10,
         "competitors_per_workspace": 1, "prospect_workspaces": 1}
AUTHORIZE = "/oauth/v2/authorization"
TOKEN = "/oauth/v2/accessToken"
REST = {"LinkedIn-Version": "202610", "X-Restli-Protocol-Version": "2.0.0"}
ACLS = {"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED"}


@pytest.fixture
def li(sandbox):
    """(the LinkedIn app, the demo client's person) of a small world."""
    sandbox.reset(config=WORLD)
    people = sandbox.http.get("/_sandbox/people").json()
    return sandbox.http.get("/_sandbox/apps").json()["linkedin"], people[0]


def _params(app: dict, **over) -> dict:
    return {"response_type": "code", "client_id": app["client_id"],
            "redirect_uri": app["redirect_uris"][0], "state": "li-7",
            "scope": "r_organization_social rw_organization_admin", **over}


def _orgs(person: dict) -> list[str]:
    return [a["platform_account_id"] for a in person["accounts"] if a["platform"] == "linkedin"]


def _code(sandbox, app, person, orgs=None) -> str:
    query = redirect_query(consent(sandbox.http, AUTHORIZE, _params(app), person, orgs))
    assert query["state"] == "li-7"
    return query["code"]


def _redeem(sandbox, app, code, **over):
    return sandbox.http.post(TOKEN, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": app["redirect_uris"][0],
        "client_id": app["client_id"], "client_secret": app["client_secret"], **over})


def _auth(token: str) -> dict:
    return {**REST, "Authorization": f"Bearer {token}"}


def test_code_grant_acls_and_scoped_reads(sandbox, li):
    app, person = li
    first, second = _orgs(person)
    tokens = _redeem(sandbox, app, _code(sandbox, app, person, [first]))
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    assert body["expires_in"] == 5_184_000 and body["refresh_token_expires_in"] == 31_536_000
    assert body["scope"] == "r_organization_social,rw_organization_admin"
    acls = sandbox.http.get("/rest/organizationAcls", params=ACLS,
                            headers=_auth(body["access_token"]))
    assert acls.status_code == 200
    assert acls.json()["elements"] == [{
        "roleAssignee": f"urn:li:person:{person['linkedin_member_id']}", "state": "APPROVED",
        "role": "ADMINISTRATOR", "organization": f"urn:li:organization:{first}"}]
    # the member token reads the granted organization only
    for org, status in ((first, 200), (second, 403)):
        posts = sandbox.http.get("/rest/posts", headers=_auth(body["access_token"]), params={
            "q": "author", "author": f"urn:li:organization:{org}"})
        assert posts.status_code == status, posts.text
    missing = sandbox.http.get("/rest/organizationAcls", params=ACLS,
                               headers={"Authorization": f"Bearer {body['access_token']}"})
    assert missing.status_code == 400 and missing.json()["code"] == "VERSION_MISSING"


def test_acls_page_and_refresh_keeps_its_expiry(sandbox, li):
    app, person = li
    body = _redeem(sandbox, app, _code(sandbox, app, person)).json()
    auth = _auth(body["access_token"])
    pages = [sandbox.http.get("/rest/organizationAcls", headers=auth,
                              params={**ACLS, "start": s, "count": 1}).json() for s in (0, 1)]
    assert [p["paging"]["total"] for p in pages] == [2, 2]
    assert [p["elements"][0]["organization"].rsplit(":", 1)[1] for p in pages] == _orgs(person)
    sandbox.advance(86_400)
    refreshed = sandbox.http.post(TOKEN, data={
        "grant_type": "refresh_token", "refresh_token": body["refresh_token"],
        "client_id": app["client_id"], "client_secret": app["client_secret"]}).json()
    assert refreshed["refresh_token"] == body["refresh_token"]
    assert refreshed["refresh_token_expires_in"] == 31_536_000 - 86_400
    acls = sandbox.http.get("/rest/organizationAcls", params=ACLS,
                            headers=_auth(refreshed["access_token"]))
    assert acls.json()["paging"]["total"] == 2


def test_authorization_refusals_and_cancels(sandbox, li):
    app, person = li
    page = sandbox.http.get(AUTHORIZE, params=_params(app, redirect_uri="https://evil.example/cb"))
    assert page.status_code == 400 and "location" not in page.headers
    assert "does not match the registered value" in page.text
    scope = redirect_query(sandbox.http.get(AUTHORIZE, params=_params(app, scope="r_everything")))
    assert scope["error"] == "unauthorized_scope_error" and scope["state"] == "li-7"
    login = read_form(sandbox.http.get(AUTHORIZE, params=_params(app)).text)
    at_login = sandbox.http.post(login.action, data={**login.hidden, "action": "cancel"})
    assert redirect_query(at_login) == {"error": "user_cancelled_login", "error_description":
                                        "The user cancelled LinkedIn login", "state": "li-7"}
    at_consent = consent(sandbox.http, AUTHORIZE, _params(app), person, action="cancel")
    assert redirect_query(at_consent)["error"] == "user_cancelled_authorize"


def test_token_refusals(sandbox, li):
    app, person = li
    code = _code(sandbox, app, person)
    other = _redeem(sandbox, app, code, redirect_uri=app["redirect_uris"][1])
    assert other.status_code == 400 and other.json()["error"] == "invalid_request"
    wrong_client = _redeem(sandbox, app, code, client_secret="nope")
    assert wrong_client.status_code == 401 and wrong_client.json()["error"] == "invalid_client"
    assert _redeem(sandbox, app, code).status_code == 200
    reused = _redeem(sandbox, app, code)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    late = _code(sandbox, app, person)
    sandbox.advance(1_801)  # LinkedIn's codes live 30 minutes
    expired = _redeem(sandbox, app, late)
    assert expired.status_code == 400 and expired.json()["error"] == "invalid_grant"


def test_revoked_consent_answers_revoked_token(sandbox, li):
    app, person = li
    token = _redeem(sandbox, app, _code(sandbox, app, person)).json()["access_token"]
    sandbox.http.post("/_sandbox/oauth/revoke", json={"group": "linkedin",
                                                      "login": person["login"]})
    revoked = sandbox.http.get(f"/rest/organizations/{_orgs(person)[0]}", headers=_auth(token))
    assert revoked.status_code == 401 and revoked.json()["code"] == "REVOKED_ACCESS_TOKEN"
    fresh = _redeem(sandbox, app, _code(sandbox, app, person)).json()["access_token"]
    assert sandbox.http.get(f"/rest/organizations/{_orgs(person)[0]}",
                            headers=_auth(fresh)).status_code == 200


def test_a_token_outlives_a_sandbox_restart_reading_by_role(sandbox, li):
    # consents live in the sandbox's memory; a restart (here: a reset of the same world) keeps
    # the signed tokens valid, and a member token without a known consent reads what its member
    # administers, as LinkedIn decides by role: `make sandbox` after `make demo` keeps syncing
    app, person = li
    first, second = _orgs(person)
    token = _redeem(sandbox, app, _code(sandbox, app, person, [first])).json()["access_token"]
    sandbox.reset(config=WORLD)
    acls = sandbox.http.get("/rest/organizationAcls", params=ACLS, headers=_auth(token))
    assert acls.status_code == 200, acls.text
    assert {e["organization"] for e in acls.json()["elements"]} == {
        f"urn:li:organization:{first}", f"urn:li:organization:{second}"}
    for org in (first, second):
        posts = sandbox.http.get("/rest/posts", headers=_auth(token), params={
            "q": "author", "author": f"urn:li:organization:{org}"})
        assert posts.status_code == 200, posts.text
    # an organization the member does not administer stays closed
    other = next(org for someone in sandbox.http.get("/_sandbox/people").json()
                 if someone["login"] != person["login"] for org in _orgs(someone))
    refused = sandbox.http.get("/rest/posts", headers=_auth(token), params={
        "q": "author", "author": f"urn:li:organization:{other}"})
    assert refused.status_code == 403
