"""Page Public Content Access over real HTTP: without the app feature another Page's posts are
Graph's (#10) refusal; with it (``POST /_sandbox/apps/meta/features``) they are readable with
``appsecret_proof`` (refused without), posts and counts only, never insights."""

from __future__ import annotations

import hashlib
import hmac

from platform_sandbox.auth import APP_CREDENTIALS

SMALL = {"workspaces_per_agency": 1, "posts_per_account": 12, "competitors_per_workspace": 1}
REFUSAL = ("(#10) This endpoint requires the 'pages_read_engagement' permission or the "
           "'Page Public Content Access' feature")
FIELDS = "id,created_time,shares,reactions.summary(total_count),comments.summary(true).limit(0)"


def _pages(sandbox):
    sandbox.reset(config=SMALL)
    pick = {a["is_competitor"]: a for a in sandbox.world()["accounts"]
            if a["platform"] == "facebook"}
    token = pick[False]["tokens"]["access_token"]
    proof = hmac.new(APP_CREDENTIALS["meta"]["client_secret"].encode(), token.encode(),
                     hashlib.sha256).hexdigest()
    return pick[True], {"Authorization": f"Bearer {token}"}, proof


def _grant(sandbox, granted: bool = True) -> list[str]:
    r = sandbox.http.post("/_sandbox/apps/meta/features",
                          json={"feature": "page_public_content_access", "granted": granted})
    assert r.status_code == 200
    return r.json()["features"]


def test_without_the_feature_another_pages_posts_are_refused(sandbox):
    rival, headers, proof = _pages(sandbox)
    r = sandbox.http.get(f"/v24.0/{rival['platform_account_id']}/posts", headers=headers,
                         params={"fields": "id", "appsecret_proof": proof})
    assert r.status_code == 403
    assert r.json()["error"]["code"] == 10 and REFUSAL in r.json()["error"]["message"]
    assert sandbox.http.get("/_sandbox/apps").json()["meta"]["features"] == []


def test_with_the_feature_public_posts_are_read_with_proof_and_without_insights(sandbox):
    rival, headers, proof = _pages(sandbox)
    assert _grant(sandbox) == ["page_public_content_access"]
    path = f"/v24.0/{rival['handle']}"
    page = sandbox.http.get(path, headers=headers, params={
        "fields": "id,name,username,followers_count,fan_count", "appsecret_proof": proof})
    assert page.json()["id"] == rival["platform_account_id"]
    posts_path = f"/v24.0/{rival['platform_account_id']}/posts"
    unproven = sandbox.http.get(posts_path, headers=headers, params={"fields": FIELDS})
    assert unproven.status_code == 400 and "requires either app secret proof" in unproven.text

    truth = {p["post_id"]: p for p in sandbox.truth(
        "posts", account_id=rival["platform_account_id"], include_invisible=False)}
    seen, body = [], sandbox.http.get(posts_path, headers=headers, params={
        "fields": FIELDS, "limit": 5, "appsecret_proof": proof}).json()
    while True:
        for item in body["data"]:
            m = truth[item["id"]]["metrics"]
            assert item["reactions"]["summary"]["total_count"] == m["likes"]
            assert item["comments"]["summary"]["total_count"] == m["comments"]
            assert item["comments"]["data"] == []
            assert item.get("shares", {}).get("count", 0) == m["shares"]
            assert ("shares" in item) == (m["shares"] > 0)
            seen.append(item["id"])
        if "next" not in body.get("paging", {}):
            break
        # the paging link names the same public edge
        assert "/posts?" in body["paging"]["next"]
        body = sandbox.http.get(f"{body['paging']['next']}&appsecret_proof={proof}",
                                headers=headers).json()
    assert sorted(seen) == sorted(truth)

    one = sorted(truth)[0]
    by_id = sandbox.http.get("/v24.0/", headers=headers, params={
        "ids": one, "fields": FIELDS, "appsecret_proof": proof})
    assert by_id.status_code == 200 and by_id.json()[one]["id"] == one
    insights = sandbox.http.get("/v24.0/", headers=headers, params={
        "ids": one, "fields": "id,insights.metric(post_clicks)", "appsecret_proof": proof})
    assert insights.status_code == 403 and REFUSAL in insights.text
    # the Page's own listing still needs its Page token
    own = sandbox.http.get(f"/v24.0/{rival['platform_account_id']}/published_posts",
                           headers=headers, params={"fields": "id", "appsecret_proof": proof})
    assert own.status_code == 403

    assert _grant(sandbox, granted=False) == []
    again = sandbox.http.get(posts_path, headers=headers, params={
        "fields": "id", "appsecret_proof": proof})
    assert again.status_code == 403
