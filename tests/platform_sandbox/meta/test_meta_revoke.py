"""Revoking Facebook Login over real HTTP: ``DELETE /{user-id}/permissions`` (user token or app
token) ends the user token, every Page token of the consent and the Instagram reads, with
Graph's 190/458; Graph's refusals for a Page token, an unknown id and the app token's "me"."""

# ruff: noqa: F811 - the fixture imported from the login tests is a parameter here
from __future__ import annotations

from tests.platform_sandbox.meta.test_meta_login import _long_lived, meta  # noqa: F401


def _dead(sandbox, token: str, path: str) -> None:
    err = sandbox.http.get(path, params={"access_token": token}).json()["error"]
    assert (err["code"], err["error_subcode"]) == (190, 458), err
    assert "has not authorized application" in err["message"]


def test_app_token_revokes_what_the_person_granted(sandbox, meta):
    app, person = meta
    user = _long_lived(sandbox, app, person)
    pages = sandbox.http.get("/v24.0/me/accounts", params={
        "access_token": user, "fields": "id,access_token,instagram_business_account"}
    ).json()["data"]
    me = sandbox.http.get("/v24.0/me", params={"access_token": user}).json()
    r = sandbox.http.delete(f"/v24.0/{me['id']}/permissions",
                            params={"access_token": f"{app['client_id']}|{app['client_secret']}"})
    assert r.status_code == 200 and r.json() == {"success": True}
    _dead(sandbox, user, "/v24.0/me")
    for page in pages:
        _dead(sandbox, page["access_token"], f"/v24.0/{page['id']}/posts")
        ig = (page.get("instagram_business_account") or {}).get("id")
        if ig:
            _dead(sandbox, page["access_token"], f"/v24.0/{ig}/media")
    again = _long_lived(sandbox, app, person)
    assert sandbox.http.get("/v24.0/me", params={"access_token": again}).status_code == 200


def test_user_token_revokes_me_and_graphs_refusals(sandbox, meta):
    app, person = meta
    user = _long_lived(sandbox, app, person)
    page = sandbox.http.get("/v24.0/me/accounts", params={"access_token": user}).json()["data"][0]
    by_page = sandbox.http.delete("/v24.0/me/permissions",
                                  params={"access_token": page["access_token"]})
    assert by_page.status_code == 400 and by_page.json()["error"]["code"] == 100
    app_token = f"{app['client_id']}|{app['client_secret']}"
    no_me = sandbox.http.delete("/v24.0/me/permissions", params={"access_token": app_token})
    assert no_me.json()["error"]["code"] == 2500
    unknown = sandbox.http.delete("/v24.0/999/permissions", params={"access_token": app_token})
    assert (unknown.json()["error"]["code"], unknown.json()["error"]["error_subcode"]) == (100, 33)
    assert sandbox.http.get("/v24.0/me", params={"access_token": user}).status_code == 200
    r = sandbox.http.delete("/v24.0/me/permissions", headers={"Authorization": f"Bearer {user}"})
    assert r.json() == {"success": True}
    _dead(sandbox, user, "/v24.0/me")
    _dead(sandbox, page["access_token"], f"/v24.0/{page['id']}")
