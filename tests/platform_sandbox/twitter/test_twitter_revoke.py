"""X token revocation over real HTTP: ``POST /2/oauth2/revoke`` ends the user's grant (access
and refresh tokens refused everywhere), with X's client-auth and parameter errors."""

# ruff: noqa: F811 - the fixture imported from the OAuth tests is a parameter here
from __future__ import annotations

from tests.platform_sandbox.twitter.test_twitter_oauth import _basic, _code, _exchange, x  # noqa: F401

REVOKE = "/2/oauth2/revoke"


def test_revoke_ends_the_grant_and_a_new_consent_works(sandbox, x):
    app, person, _ = x
    tokens = _exchange(sandbox, app, *_code(sandbox, app, person)).json()
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert sandbox.http.get("/2/users/me", headers=auth).status_code == 200
    r = sandbox.http.post(REVOKE, data={"token": tokens["access_token"],
                                        "token_type_hint": "access_token"}, headers=_basic(app))
    assert r.status_code == 200 and r.json() == {"revoked": True}
    for path in ("/2/users/me", f"/2/users/{person['accounts'][0]['platform_account_id']}"):
        refused = sandbox.http.get(path, headers=auth)
        assert refused.status_code == 401 and refused.json()["title"] == "Unauthorized"
        assert "x-rate-limit-remaining" not in refused.headers
    # the grant's refresh token died with it
    refresh = sandbox.http.post("/2/oauth2/token", headers=_basic(app), data={
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_request"
    # revoking again, or a token X never issued, is still a 200 (RFC 7009)
    for token in (tokens["refresh_token"], "not-a-token"):
        again = sandbox.http.post(REVOKE, data={"token": token}, headers=_basic(app))
        assert again.json() == {"revoked": True}
    fresh = _exchange(sandbox, app, *_code(sandbox, app, person)).json()["access_token"]
    me = sandbox.http.get("/2/users/me", headers={"Authorization": f"Bearer {fresh}"})
    assert me.status_code == 200


def test_revoke_refusals(sandbox, x):
    app, person, _ = x
    token = _exchange(sandbox, app, *_code(sandbox, app, person)).json()["access_token"]
    wrong = sandbox.http.post(REVOKE, data={"token": token}, headers=_basic(app, "nope"))
    assert wrong.status_code == 401 and wrong.json()["error"] == "unauthorized_client"
    missing = sandbox.http.post(REVOKE, data={}, headers=_basic(app))
    assert missing.status_code == 400
    assert missing.json()["error_description"] == "Missing required parameter [token]."
    hint = sandbox.http.post(REVOKE, data={"token": token, "token_type_hint": "id_token"},
                             headers=_basic(app))
    assert hint.status_code == 400
    # nothing was revoked by the refused calls
    me = sandbox.http.get("/2/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
