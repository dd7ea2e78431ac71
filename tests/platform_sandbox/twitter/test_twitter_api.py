"""The X API emulation over real HTTP: the shapes and quirks the source has to survive."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

SMALL = {"workspaces_per_agency": 1, "posts_per_account": 30, "competitors_per_workspace": 1}


@pytest.fixture
def x(sandbox):
    """A small world; returns (world, owned account, headers for its user token, app headers)."""
    sandbox.reset(config=SMALL)
    world = sandbox.world()
    owned = next(a for a in world["accounts"]
                 if a["platform"] == "twitter" and not a["is_competitor"])
    user = {"Authorization": f"Bearer {owned['tokens']['access_token']}"}
    app = {"Authorization": f"Bearer {world['app_credentials']['twitter']['app_bearer_token']}"}
    return world, owned, user, app


def test_users_and_unknown_user(sandbox, x):
    _, owned, user, _ = x
    r = sandbox.http.get(f"/2/users/{owned['platform_account_id']}",
                         params={"user.fields": "public_metrics"}, headers=user)
    assert r.status_code == 200
    assert {"x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"} <= set(r.headers)
    data = r.json()["data"]
    assert data["username"] == owned["handle"]
    assert data["public_metrics"]["followers_count"] == owned["followers"]
    assert set(data["public_metrics"]) == {"followers_count", "following_count", "tweet_count",
                                           "listed_count"}
    missing = sandbox.http.get("/2/users/by/username/nobody_here", headers=user)
    assert missing.status_code == 200 and set(missing.json()) == {"errors"}


def test_timeline_paging_quirks(sandbox, x):
    _, owned, user, _ = x
    path = f"/2/users/{owned['platform_account_id']}/tweets"
    truth = {p["post_id"] for p in sandbox.truth("posts", account_id=owned["platform_account_id"])
             if p["is_visible"]}
    seen, token, short_with_next, pages = [], None, False, 0
    while True:
        params = {"max_results": 5, **({"pagination_token": token} if token else {})}
        body = sandbox.http.get(path, params=params, headers=user).json()
        pages += 1
        if pages == 1:
            assert "previous_token" not in body["meta"]
        for tweet in body.get("data", []):
            assert set(tweet) == {"id", "text", "edit_history_tweet_ids"}  # no tweet.fields
            seen.append(tweet["id"])
        token = body["meta"].get("next_token")
        short_with_next |= bool(token) and body["meta"]["result_count"] < 5
        if not token:
            break
    assert set(seen) == truth and len(seen) == len(truth)
    assert short_with_next, "some page should be short and still carry next_token"
    newest = max(truth, key=int)
    since = sandbox.http.get(path, params={"since_id": newest}, headers=user).json()
    assert since == {"meta": {"result_count": 0}}
    bad = sandbox.http.get(path, params={"max_results": 500}, headers=user)
    assert bad.status_code == 400 and "status" not in bad.json()


def test_lookup_partial_and_total_misses(sandbox, x):
    _, owned, user, _ = x
    ids = [p["post_id"] for p in sandbox.truth("posts", account_id=owned["platform_account_id"])
           if p["is_visible"]][:3]
    body = sandbox.http.get("/2/tweets", params={"ids": ",".join(ids + ["42"]),
                                                 "tweet.fields": "public_metrics"},
                            headers=user).json()
    assert [t["id"] for t in body["data"]] == ids
    (error,) = body["errors"]
    assert {"value", "detail", "title", "resource_type", "parameter", "resource_id",
            "type"} <= set(error)
    assert error["detail"] == "Could not find tweet with ids: [42]."
    none = sandbox.http.get("/2/tweets", params={"ids": "42,43"}, headers=user).json()
    assert "data" not in none and len(none["errors"]) == 2
    too_many = sandbox.http.get("/2/tweets", params={"ids": ",".join(["1"] * 101)}, headers=user)
    assert too_many.status_code == 400


def test_metrics_grow_and_private_metrics_need_the_user_token(sandbox, x):
    _, owned, user, app = x
    newest = max((p for p in sandbox.truth("posts", account_id=owned["platform_account_id"])
                  if p["is_visible"] and not p["is_malformed"]), key=lambda p: p["created_at"])
    params = {"ids": newest["post_id"], "tweet.fields": "public_metrics,non_public_metrics"}
    assert sandbox.http.get("/2/tweets", params=params, headers=app).status_code == 403
    # brands post unevenly (office hours, fewer at weekends): look while the tweet is young
    sandbox.http.post("/_sandbox/clock", json={"now": (datetime.fromisoformat(
        newest["created_at"]) + timedelta(minutes=30)).isoformat()})
    newest = next(p for p in sandbox.truth("posts", account_id=owned["platform_account_id"])
                  if p["post_id"] == newest["post_id"])
    params = {"ids": newest["post_id"], "tweet.fields": "public_metrics,non_public_metrics"}
    before = sandbox.http.get("/2/tweets", params=params, headers=user).json()["data"][0]
    assert "non_public_metrics" in before
    assert before["public_metrics"]["like_count"] == newest["metrics"]["likes"]
    sandbox.advance(3600)  # within the 2 h token lifetime
    after = sandbox.http.get("/2/tweets", params=params, headers=user).json()["data"][0]
    assert after["public_metrics"]["impression_count"] > \
        before["public_metrics"]["impression_count"]


def test_search_recent_window_and_empty_shape(sandbox, x):
    world, owned, user, _ = x
    empty = sandbox.http.get("/2/tweets/search/recent", params={"query": "conversation_id:42"},
                             headers=user)
    assert empty.json() == {"meta": {"result_count": 0}}
    too_recent = sandbox.http.get("/2/tweets/search/recent", headers=user, params={
        "query": "conversation_id:42", "end_time": world["now"]})
    assert too_recent.status_code == 400 and "status" not in too_recent.json()
    too_old = sandbox.http.get("/2/tweets/search/recent", headers=user, params={
        "query": "conversation_id:42", "start_time": "2020-01-01T00:00:00Z"})
    assert too_old.status_code == 400
    assert sandbox.http.get("/2/tweets/search/recent", headers=user,
                            params={"query": "x" * 513}).status_code == 400


def test_auth_errors_and_refresh_rotation(sandbox, x):
    world, owned, _, _ = x
    r = sandbox.http.get(f"/2/users/{owned['platform_account_id']}",
                         headers={"Authorization": "Bearer sbxXnot-a-token.abc"})
    assert r.status_code == 401 and r.json()["status"] == 401
    assert not any(h.startswith("x-rate-limit") for h in r.headers)
    creds = world["app_credentials"]["twitter"]
    form = {"grant_type": "refresh_token", "refresh_token": owned["tokens"]["refresh_token"],
            "client_id": creds["client_id"]}
    ok = sandbox.http.post("/2/oauth2/token", data=form,
                           auth=(creds["client_id"], creds["client_secret"]))
    assert ok.status_code == 200 and ok.json()["refresh_token"] != form["refresh_token"]
    again = sandbox.http.post("/2/oauth2/token", data=form)
    assert again.status_code == 400
    assert again.json() == {"error": "invalid_request",
                            "error_description": "Value passed for the token was invalid."}


def test_injected_faults_render_as_x_errors(sandbox, x):
    _, owned, user, _ = x
    path = f"/2/users/{owned['platform_account_id']}"
    sandbox.faults(rate_429=1.0)
    shapes = set()
    for _ in range(4):
        r = sandbox.http.get(path, headers=user)
        assert r.status_code == 429 and "Retry-After" not in r.headers
        shapes.add("errors" if "errors" in r.json() else "title")
    assert shapes == {"errors", "title"}
    sandbox.faults(retry_after_s=3)
    assert sandbox.http.get(path, headers=user).headers["Retry-After"] == "3"
    sandbox.faults(rate_429=0.0, rate_5xx=1.0)
    assert sandbox.http.get(path, headers=user).status_code == 503
    sandbox.faults(rate_5xx=0.0, x_window_limit=2)
    statuses = [sandbox.http.get(path, headers=user) for _ in range(3)]
    assert [s.status_code for s in statuses] == [200, 200, 429]
    assert statuses[1].headers["x-rate-limit-remaining"] == "0"


def test_usage_cap_and_throttle_knobs(sandbox, x):
    _, owned, user, app = x
    path = f"/2/users/{owned['platform_account_id']}"
    sandbox.faults(x_usage_capped=True)
    for headers in (user, app):
        r = sandbox.http.get(path, headers=headers)
        assert r.status_code == 429 and r.json()["type"].endswith("/usage-capped")
        assert r.json()["detail"] == "Usage cap exceeded: Monthly product cap"
    sandbox.faults(x_usage_capped=False, x_throttle_for_s=30)
    r = sandbox.http.get(path, headers=user)
    now = int(datetime.fromisoformat(sandbox.world()["now"]).timestamp())
    assert r.status_code == 429 and r.headers["x-rate-limit-remaining"] == "0"
    assert int(r.headers["x-rate-limit-reset"]) == now + 30
    sandbox.advance(31)
    assert sandbox.http.get(path, headers=user).status_code == 200


def test_suspended_and_deleted_users_answer_200_with_only_errors(sandbox, x):
    world, owned, user, app = x
    other = next(a for a in world["accounts"] if a["platform"] == "twitter"
                 and a["is_competitor"])
    sid, did = owned["platform_account_id"], other["platform_account_id"]
    sandbox.faults(x_suspended_ids=[sid], x_deleted_ids=[did])
    for path in (f"/2/users/{sid}", f"/2/users/{sid}/tweets"):
        r = sandbox.http.get(path, headers=app)
        assert r.status_code == 200 and set(r.json()) == {"errors"}
        error = r.json()["errors"][0]
        assert error["title"] == "Forbidden" and "suspended" in error["detail"]
        assert error["type"].endswith("/resource-not-found")
    r = sandbox.http.get(f"/2/users/{did}", headers=app)
    assert r.status_code == 200 and set(r.json()) == {"errors"}
    assert r.json()["errors"][0]["detail"] == f"Could not find user with id: [{did}]."


def test_timelines_carry_retweets_with_the_originals_metrics_and_quotes(sandbox):
    sandbox.reset(config={**SMALL, "retweet_fraction": 0.5, "quote_fraction": 0.2})
    world = sandbox.world()
    owned = next(a for a in world["accounts"]
                 if a["platform"] == "twitter" and not a["is_competitor"])
    user = {"Authorization": f"Bearer {owned['tokens']['access_token']}"}
    truth = {p["post_id"]: p
             for p in sandbox.truth("posts", account_id=owned["platform_account_id"])}
    body = sandbox.http.get(f"/2/users/{owned['platform_account_id']}/tweets", headers=user,
                            params={"max_results": 100,
                                    "tweet.fields": "public_metrics,referenced_tweets"}).json()
    kinds = {"retweeted": [], "quoted": []}
    for tweet in body["data"]:
        for ref in tweet.get("referenced_tweets", []):
            kinds[ref["type"]].append(tweet)
    assert kinds["retweeted"] and kinds["quoted"]
    for tweet in kinds["retweeted"]:
        p = truth[tweet["id"]]
        assert p["kind"] == "retweet" and p["is_retweet"] and not p["is_viral"]
        assert tweet["text"].startswith("RT @")
        assert tweet["referenced_tweets"] == [{"type": "retweeted", "id": p["referenced_id"]}]
        # the original's counts: far above what the account's own posts get
        assert tweet["public_metrics"]["like_count"] == p["metrics"]["likes"]
        assert p["comment_count"] == 0
    own = [t for t in body["data"] if t["id"] not in {r["id"] for r in kinds["retweeted"]}]
    own_likes = sorted(t["public_metrics"]["like_count"] for t in own)
    rt_likes = sorted(t["public_metrics"]["like_count"] for t in kinds["retweeted"])
    assert rt_likes[len(rt_likes) // 2] > 3 * own_likes[len(own_likes) // 2]
    assert all(truth[t["id"]]["kind"] in ("quote", "post") for t in kinds["quoted"])
