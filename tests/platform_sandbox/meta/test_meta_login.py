"""Facebook Login over real HTTP: the dialog driven as a form, code -> short-lived -> long-lived
user token, /me/accounts with a Page token each, each Page's Instagram business account, what
a Page token may read, and Graph's own errors for every bad step."""

from __future__ import annotations

import hashlib
import hmac
import html

import pytest

from tests.platform_sandbox.consent_form import consent, redirect_query

WORLD = {"workspaces_per_agency": 1, "owned_accounts_per_platform": 2, "posts_per_account": 10,
         "competitors_per_workspace": 1, "prospect_workspaces": 1}
DIALOG = "/v24.0/dialog/oauth"
TOKEN = "/v24.0/oauth/access_token"
SCOPE = "pages_show_list,pages_read_engagement,read_insights,instagram_basic"


@pytest.fixture
def meta(sandbox):
    """(the Meta app, the demo client's person) of a small world."""
    sandbox.reset(config=WORLD)
    people = sandbox.http.get("/_sandbox/people").json()
    return sandbox.http.get("/_sandbox/apps").json()["meta"], people[0]


def _params(app: dict, **over) -> dict:
    return {"client_id": app["client_id"], "redirect_uri": app["redirect_uris"][0],
            "state": "st-9", "scope": SCOPE, "response_type": "code", **over}


def _pages(person: dict) -> list[dict]:
    return [a for a in person["accounts"] if a["platform"] == "facebook"]


def _code(sandbox, app, person, pages=None) -> str:
    done = consent(sandbox.http, DIALOG, _params(app), person, pages)
    assert done.headers["location"].endswith("#_=_")
    query = redirect_query(done)
    assert query["state"] == "st-9"
    return query["code"]


def _redeem(sandbox, app, code, **over):
    return sandbox.http.get(TOKEN, params={
        "client_id": app["client_id"], "client_secret": app["client_secret"],
        "redirect_uri": app["redirect_uris"][0], "code": code, **over})


def _long_lived(sandbox, app, person, pages=None) -> str:
    short = _redeem(sandbox, app, _code(sandbox, app, person, pages)).json()["access_token"]
    return sandbox.http.get(TOKEN, params={
        "grant_type": "fb_exchange_token", "client_id": app["client_id"],
        "client_secret": app["client_secret"], "fb_exchange_token": short}).json()["access_token"]


def test_login_tokens_pages_and_instagram_accounts(sandbox, meta):
    app, person = meta
    code = _code(sandbox, app, person)
    short = _redeem(sandbox, app, code)
    assert short.status_code == 200 and short.json()["expires_in"] == 7200
    long = sandbox.http.get(TOKEN, params={
        "grant_type": "fb_exchange_token", "client_id": app["client_id"],
        "client_secret": app["client_secret"], "fb_exchange_token": short.json()["access_token"]})
    assert long.status_code == 200 and long.json()["expires_in"] == 5_183_944
    user = long.json()["access_token"]
    me = sandbox.http.get("/v24.0/me", params={"access_token": user}).json()
    assert me == {"id": person["facebook_user_id"], "name": person["name"]}
    # paged one Page at a time: every granted Page once, each with its own token
    listed, url, params = [], "/v24.0/me/accounts", {"access_token": user, "limit": 1}
    while url:
        body = sandbox.http.get(url, params=params).json()
        listed += body["data"]
        url, params = body.get("paging", {}).get("next"), None
    assert [p["id"] for p in listed] == [p["platform_account_id"] for p in _pages(person)]
    assert len({p["access_token"] for p in listed}) == len(listed)
    for page, truth in zip(listed, _pages(person), strict=True):
        node = sandbox.http.get(f"/v24.0/{page['id']}", params={
            "fields": "instagram_business_account", "access_token": page["access_token"]}).json()
        assert node["instagram_business_account"]["id"] == truth["instagram_business_account_id"]
    debug = sandbox.http.get("/v24.0/debug_token", params={
        "input_token": listed[0]["access_token"],
        "access_token": f"{app['client_id']}|{app['client_secret']}"}).json()["data"]
    assert debug["is_valid"] and debug["type"] == "PAGE" and debug["expires_at"] == 0
    assert debug["profile_id"] == listed[0]["id"] and "pages_show_list" in debug["scopes"]


def test_page_token_reads_only_its_page_and_instagram_account(sandbox, meta):
    app, person = meta
    first, second = _pages(person)
    user = _long_lived(sandbox, app, person, [first["platform_account_id"]])
    pages = sandbox.http.get("/v24.0/me/accounts", params={"access_token": user}).json()["data"]
    assert [p["id"] for p in pages] == [first["platform_account_id"]]
    token = pages[0]["access_token"]

    def read(object_id: str, edge: str):
        return sandbox.http.get(f"/v24.0/{object_id}/{edge}", params={"access_token": token})

    assert read(first["platform_account_id"], "published_posts").status_code == 200
    assert read(first["instagram_business_account_id"], "media").status_code == 200
    other_page = read(second["platform_account_id"], "published_posts")
    assert other_page.status_code == 403 and other_page.json()["error"]["code"] == 10
    other_ig = read(second["instagram_business_account_id"], "media")
    assert other_ig.status_code == 400 and other_ig.json()["error"]["code"] == 100
    # the user token lists Pages but reads no Page data
    assert sandbox.http.get(f"/v24.0/{first['platform_account_id']}/published_posts",
                            params={"access_token": user}).status_code == 403


def test_dialog_refusals_and_denied_consent(sandbox, meta):
    app, person = meta
    blocked = sandbox.http.get(DIALOG, params=_params(app, redirect_uri="https://evil.example/"))
    assert blocked.status_code == 400 and "location" not in blocked.headers
    assert "URL Blocked" in blocked.text and ">191<" in blocked.text
    bad_app = sandbox.http.get(DIALOG, params=_params(app, client_id="123"))
    assert bad_app.status_code == 400 and "Invalid App ID" in html.unescape(bad_app.text)
    denied = consent(sandbox.http, DIALOG, _params(app), person, action="cancel")
    assert redirect_query(denied) == {"error": "access_denied", "error_code": "200",
                                      "error_description": "Permissions error",
                                      "error_reason": "user_denied", "state": "st-9"}


def test_code_refusals(sandbox, meta):
    app, person = meta
    code = _code(sandbox, app, person)
    wrong_uri = _redeem(sandbox, app, code, redirect_uri=app["redirect_uris"][1])
    err = wrong_uri.json()["error"]
    assert wrong_uri.status_code == 400 and err["type"] == "OAuthException"
    assert (err["code"], err["error_subcode"]) == (100, 36008)
    bad_secret = _redeem(sandbox, app, code, client_secret="nope").json()["error"]
    assert bad_secret["code"] == 1
    assert _redeem(sandbox, app, code).status_code == 200
    reused = _redeem(sandbox, app, code).json()["error"]
    assert (reused["code"], reused["error_subcode"]) == (100, 36009)
    late = _code(sandbox, app, person)
    sandbox.advance(601)  # Facebook's codes live 10 minutes
    expired = _redeem(sandbox, app, late).json()["error"]
    assert (expired["code"], expired["error_subcode"]) == (100, 36007)
    posted = sandbox.http.post(TOKEN, data={
        "client_id": app["client_id"], "client_secret": app["client_secret"],
        "redirect_uri": app["redirect_uris"][0], "code": _code(sandbox, app, person)})
    assert posted.status_code == 200 and posted.json()["token_type"] == "bearer"


def test_revoked_consent_kills_user_and_page_tokens(sandbox, meta):
    app, person = meta
    user = _long_lived(sandbox, app, person)
    page = sandbox.http.get("/v24.0/me/accounts", params={"access_token": user}).json()["data"][0]
    sandbox.http.post("/_sandbox/oauth/revoke", json={"group": "meta", "login": person["login"]})
    for token, path in ((user, "/v24.0/me"), (page["access_token"], f"/v24.0/{page['id']}/posts")):
        err = sandbox.http.get(path, params={"access_token": token}).json()["error"]
        assert (err["code"], err["error_subcode"]) == (190, 460)
    again = _long_lived(sandbox, app, person)
    assert sandbox.http.get("/v24.0/me", params={"access_token": again}).status_code == 200


def test_accounts_by_header_with_appsecret_proof_and_fields(sandbox, meta):
    app, person = meta
    user = _long_lived(sandbox, app, person)
    sandbox.faults(meta_require_appsecret_proof=True)
    auth = {"Authorization": f"Bearer {user}"}
    params = {"fields": "id,name,access_token,instagram_business_account", "limit": 1}
    unproven = sandbox.http.get("/v24.0/me/accounts", params=params, headers=auth)
    assert unproven.status_code == 400 and unproven.json()["error"]["code"] == 100
    proof = hmac.new(app["client_secret"].encode(), user.encode(), hashlib.sha256).hexdigest()
    body = sandbox.http.get("/v24.0/me/accounts", params={**params, "appsecret_proof": proof},
                            headers=auth).json()
    page, truth = body["data"][0], _pages(person)[0]
    assert set(page) == {"id", "name", "access_token", "instagram_business_account"}
    assert page["instagram_business_account"]["id"] == truth["instagram_business_account_id"]
    assert "access_token=" in body["paging"]["next"] and "fields=" in body["paging"]["next"]
    token = page["access_token"]
    ig = sandbox.http.get(f"/v24.0/{truth['instagram_business_account_id']}", params={
        "fields": "id,username", "appsecret_proof": hmac.new(
            app["client_secret"].encode(), token.encode(), hashlib.sha256).hexdigest()},
        headers={"Authorization": f"Bearer {token}"})
    assert ig.status_code == 200 and ig.json()["id"] == truth["instagram_business_account_id"]
