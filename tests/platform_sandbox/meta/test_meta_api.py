"""Meta Graph emulation over real HTTP: the documented shapes and the recorded quirks."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

SMALL = {"workspaces_per_agency": 1, "posts_per_account": 60, "competitors_per_workspace": 1}


@pytest.fixture
def meta(sandbox):
    """(http client, owned IG, competitor IG, owned FB page, competitor FB page, headers)."""
    sandbox.reset(config=SMALL)
    w = sandbox.world()
    pick = {(a["platform"], a["is_competitor"]): a for a in w["accounts"]}

    def auth(platform: str) -> dict:
        return {"Authorization": f"Bearer {pick[(platform, False)]['tokens']['access_token']}"}

    return sandbox, pick, auth


def get(sandbox, path: str, headers: dict, **params):
    return sandbox.http.get(path, params=params, headers=headers)


def test_ig_media_paging_ends_without_next_but_keeps_previous(meta):
    sandbox, pick, auth = meta
    ig = pick[("instagram", False)]["platform_account_id"]
    r = get(sandbox, f"/v24.0/{ig}/media", auth("instagram"), fields="id,timestamp", limit=25)
    assert r.status_code == 200 and "call_count" in json.loads(r.headers["x-app-usage"])
    assert "estimated_time_to_regain_access" in r.headers["x-business-use-case-usage"]
    seen, body = [], r.json()
    while True:
        seen += [m["id"] for m in body["data"]]
        if "next" not in body["paging"]:
            break
        body = sandbox.http.get(body["paging"]["next"]).json()
    assert set(body["paging"]["cursors"]) == {"before", "after"} and "previous" in body["paging"]
    visible = [p["post_id"] for p in sandbox.truth("posts", account_id=ig,
                                                   include_invisible=False)]
    assert sorted(seen) == sorted(visible) and len(seen) == len(set(seen))
    stamps = [m["timestamp"] for m in r.json()["data"]]
    assert stamps == sorted(stamps, reverse=True) and stamps[0].endswith("+0000")


def test_ig_insights_whole_call_fails_on_one_bad_metric_and_first_hour_is_empty(meta):
    sandbox, pick, auth = meta
    ig = pick[("instagram", False)]["platform_account_id"]
    now = datetime.fromisoformat(sandbox.world()["now"])
    # the newest post past its first hour (insights are empty before)
    post = [p for p in sandbox.truth("posts", account_id=ig, include_invisible=False)
            if datetime.fromisoformat(p["created_at"]) < now - timedelta(hours=1)][-1]
    r = get(sandbox, f"/v24.0/{post['post_id']}/insights", auth("instagram"),
            metric="reach,impressions")
    assert r.status_code == 400
    message = r.json()["error"]["message"]
    # like Graph, the refusal lists the allowed values, not the refused one
    assert r.json()["error"]["code"] == 100 and message.startswith(
        "(#100) metric[1] must be one of the following values: ")
    assert "reach" in message and "impressions" not in message
    # impressions still exists on v21 (for feed media)
    ok = get(sandbox, f"/v21.0/{post['post_id']}/insights", auth("instagram"), metric="reach")
    assert ok.status_code == 200 and ok.json()["data"][0]["period"] == "lifetime"
    sandbox.http.post("/_sandbox/clock", json={"now": (datetime.fromisoformat(
        post["created_at"]) + timedelta(minutes=20)).isoformat()})
    r = get(sandbox, f"/v24.0/{post['post_id']}/insights", auth("instagram"), metric="reach")
    assert r.status_code == 200 and r.json() == {"data": []}


def test_ig_comments_last_page_has_no_paging_and_discovery_has_no_next(meta):
    sandbox, pick, auth = meta
    ig = pick[("instagram", False)]["platform_account_id"]
    posts = sandbox.truth("posts", account_id=ig, include_invisible=False)
    post = max(posts, key=lambda p: p["comment_count"])
    r = get(sandbox, f"/v24.0/{post['post_id']}/comments", auth("instagram"), limit=2)
    body = r.json()
    while "paging" in body:
        body = sandbox.http.get(body["paging"]["next"]).json()
    assert set(body) == {"data"}
    handle = pick[("instagram", True)]["handle"]
    fields = f"business_discovery.username({handle}){{followers_count,media{{id,like_count}}}}"
    r = get(sandbox, f"/v24.0/{ig}", auth("instagram"), fields=fields)
    media = r.json()["business_discovery"]["media"]
    assert "next" not in media["paging"] and media["paging"]["cursors"]["after"]
    bad = get(sandbox, f"/v24.0/{ig}", auth("instagram"),
              fields="business_discovery.username(nobody_here){followers_count}")
    assert bad.json()["error"]["code"] == 110 and bad.json()["error"]["error_subcode"] == 2207013


def test_fb_posts_omit_zero_shares_and_deprecated_metrics_fail(meta):
    sandbox, pick, auth = meta
    page = pick[("facebook", False)]["platform_account_id"]
    r = get(sandbox, f"/v24.0/{page}/published_posts", auth("facebook"),
            fields="id,created_time,shares,reactions.summary(total_count)", limit=100)
    posts = r.json()["data"]
    truth = {p["post_id"]: p for p in sandbox.truth("posts", account_id=page)}
    for p in posts:
        shares = truth[p["id"]]["metrics"]["shares"]
        assert ("shares" in p) == (shares > 0)
        assert p["reactions"]["summary"]["total_count"] == truth[p["id"]]["metrics"]["likes"]
    r = get(sandbox, f"/v24.0/{posts[0]['id']}/insights", auth("facebook"),
            metric="post_clicks,post_impressions")
    assert r.status_code == 400 and r.json()["error"]["code"] == 100
    comp = pick[("facebook", True)]["platform_account_id"]
    assert get(sandbox, f"/v24.0/{comp}", auth("facebook"), fields="fan_count").status_code == 200
    assert get(sandbox, f"/v24.0/{comp}/published_posts", auth("facebook")).json()[
        "error"]["code"] == 10
    r = get(sandbox, f"/v24.0/{page}/insights", auth("facebook"), metric="page_follows",
            period="day", since="1700000000", until="1790000000")
    assert "90 days" in r.json()["error"]["message"]


def test_batch_read_and_missing_ids(meta):
    sandbox, pick, auth = meta
    ig = pick[("instagram", False)]["platform_account_id"]
    ids = [p["post_id"] for p in sandbox.truth("posts", account_id=ig,
                                                include_invisible=False)][:3]
    r = get(sandbox, "/v24.0/", auth("instagram"), ids=",".join(ids),
            fields="like_count,insights.metric(reach)")
    assert set(r.json()) == set(ids)
    r = get(sandbox, "/v24.0/", auth("instagram"), ids=",".join([*ids, "123"]),
            fields="like_count")
    assert r.json()["error"]["code"] == 803 and "123" in r.json()["error"]["message"]


def test_throttling_is_not_a_429_and_tokens_expire(meta):
    sandbox, pick, auth = meta
    ig = pick[("instagram", False)]["platform_account_id"]
    sandbox.faults(rate_429=1.0)
    for _ in range(5):
        r = get(sandbox, f"/v24.0/{ig}", auth("instagram"), fields="id")
        assert r.status_code in (400, 403)
        assert r.json()["error"]["code"] in (4, 17, 613, 80002)
    sandbox.faults(rate_429=0.0, rate_5xx=1.0)
    r = get(sandbox, f"/v24.0/{ig}", auth("instagram"), fields="id")
    assert r.status_code in (500, 503) and r.json()["error"]["code"] == 2
    sandbox.faults(rate_5xx=0.0)
    token = auth("instagram")["Authorization"].split()[1]
    exchanged = sandbox.http.get("/v24.0/oauth/access_token", params={
        "grant_type": "fb_exchange_token", "client_id": "sandbox-meta-app",
        "client_secret": "sandbox-meta-secret", "fb_exchange_token": token}).json()
    assert exchanged["token_type"] == "bearer" and exchanged["expires_in"] > 5_000_000
    sandbox.advance(70 * 86_400)
    r = get(sandbox, f"/v24.0/{ig}", auth("instagram"), fields="id")
    assert (r.json()["error"]["code"], r.json()["error"]["error_subcode"]) == (190, 463)
    assert "invalid_token" in r.headers["www-authenticate"]
