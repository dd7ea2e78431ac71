"""LinkedIn token revocation over real HTTP: ``POST /oauth/v2/revoke`` ends the member's
grant (401 REVOKED_ACCESS_TOKEN on every organization it covered, the refresh token refused),
with LinkedIn's client and parameter errors."""

# ruff: noqa: F811 - the fixture imported from the OAuth tests is a parameter here
from __future__ import annotations

from tests.platform_sandbox.linkedin.test_linkedin_oauth import (  # noqa: F401
    TOKEN,
    _auth,
    _code,
    _orgs,
    _redeem,
    li,
)

REVOKE = "/oauth/v2/revoke"


def test_revoke_ends_the_members_grant(sandbox, li):
    app, person = li
    body = _redeem(sandbox, app, _code(sandbox, app, person)).json()
    creds = {"client_id": app["client_id"], "client_secret": app["client_secret"]}
    wrong = sandbox.http.post(REVOKE, data={**creds, "client_secret": "x",
                                            "token": body["access_token"]})
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    missing = sandbox.http.post(REVOKE, data=creds)
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    r = sandbox.http.post(REVOKE, data={**creds, "token": body["access_token"]})
    assert r.status_code == 200 and r.content == b""
    for org in _orgs(person):
        refused = sandbox.http.get(f"/rest/organizations/{org}",
                                   headers=_auth(body["access_token"]))
        assert refused.status_code == 401, refused.text
        assert refused.json()["serviceErrorCode"] == 65602
    refresh = sandbox.http.post(TOKEN, data={**creds, "grant_type": "refresh_token",
                                             "refresh_token": body["refresh_token"]})
    assert refresh.status_code == 400
    fresh = _redeem(sandbox, app, _code(sandbox, app, person)).json()["access_token"]
    assert sandbox.http.get(f"/rest/organizations/{_orgs(person)[0]}",
                            headers=_auth(fresh)).status_code == 200
