"""The platforms' own competitor lookups as the sandbox answers them, with their not-found
shapes, and the request log naming whose token each call carried."""

from __future__ import annotations

import pytest

SMALL = {"workspaces_per_agency": 2, "posts_per_account": 4, "competitors_per_workspace": 1}
LI_HEADERS = {"Linkedin-Version": "202610", "X-Restli-Protocol-Version": "2.0.0"}


@pytest.fixture
def world(sandbox):
    sandbox.reset(config=SMALL)
    return sandbox.world()


def _pick(world: dict, platform: str, competitor: bool, n: int = 0) -> dict:
    return [a for a in world["accounts"]
            if a["platform"] == platform and a["is_competitor"] == competitor][n]


def _bearer(account: dict) -> dict:
    return {"Authorization": f"Bearer {account['tokens']['access_token']}"}


def test_linkedin_finds_an_organization_by_vanity_name(sandbox, world):
    mine, other = _pick(world, "linkedin", False, 0), _pick(world, "linkedin", False, 1)
    headers = {**LI_HEADERS, **_bearer(mine)}
    r = sandbox.http.get("/rest/organizations", headers=headers,
                         params={"q": "vanityName", "vanityName": other["handle"]})
    assert r.status_code == 200
    [org] = r.json()["elements"]
    assert (str(org["id"]), org["vanityName"]) == (other["platform_account_id"],
                                                   other["handle"])
    # found, yet its statistics stay closed to a member who does not administer it
    denied = sandbox.http.get(f"/rest/organizations/{other['platform_account_id']}",
                              headers=headers)
    assert denied.status_code == 403
    unknown = sandbox.http.get("/rest/organizations", headers=headers,
                               params={"q": "vanityName", "vanityName": "nobody-here"})
    assert unknown.status_code == 200 and unknown.json()["elements"] == []
    no_q = sandbox.http.get("/rest/organizations", headers=headers,
                            params={"vanityName": other["handle"]})
    assert no_q.status_code == 400


def test_a_facebook_page_is_read_by_vanity_name_but_not_its_posts(sandbox, world):
    mine, rival = _pick(world, "facebook", False), _pick(world, "facebook", True)
    r = sandbox.http.get(f"/v24.0/{rival['handle']}", headers=_bearer(mine),
                         params={"fields": "id,name"})
    assert r.status_code == 200
    assert r.json() == {"id": rival["platform_account_id"], "name": rival["name"]}
    posts = sandbox.http.get(f"/v24.0/{rival['platform_account_id']}/posts",
                             headers=_bearer(mine), params={"fields": "id", "limit": 1})
    assert posts.status_code == 403 and posts.json()["error"]["code"] == 10
    assert "Page Public Content Access" in posts.json()["error"]["message"]
    unknown = sandbox.http.get("/v24.0/nobodyhere", headers=_bearer(mine),
                               params={"fields": "id,name"})
    assert unknown.status_code == 400
    assert unknown.json()["error"]["code"] == 803
    assert "aliases you requested do not exist: nobodyhere" in unknown.json()["error"]["message"]


def test_the_request_log_names_whose_token_each_call_carried(sandbox, world):
    x_user, ig = _pick(world, "twitter", False), _pick(world, "instagram", False)
    app_token = world["app_credentials"]["twitter"]["app_bearer_token"]
    sandbox.clear_requests()
    sandbox.http.get(f"/2/users/{x_user['platform_account_id']}", headers=_bearer(x_user))
    sandbox.http.get(f"/2/users/{x_user['platform_account_id']}",
                     headers={"Authorization": f"Bearer {app_token}"})
    sandbox.http.get(f"/v24.0/{ig['platform_account_id']}",
                     params={"fields": "id", "access_token": ig["tokens"]["access_token"]})
    sandbox.http.get(f"/2/users/{x_user['platform_account_id']}",
                     headers={"Authorization": "Bearer forged"})
    log = sandbox.requests()
    assert [(r["platform"], r["token_subject"], r["token_kind"]) for r in log] == [
        ("twitter", x_user["platform_account_id"], "access"), ("twitter", "app", "app"),
        ("meta", ig["platform_account_id"], "access"), ("twitter", None, None)]
