"""The LinkedIn emulation over real HTTP: headers, paging styles, statistics and error shapes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import httpx
import pytest

SMALL = {"workspaces_per_agency": 1, "posts_per_account": 15, "competitors_per_workspace": 1}
REST_HEADERS = {"Linkedin-Version": "202610", "X-Restli-Protocol-Version": "2.0.0"}


def ms(t: datetime) -> int:
    return int(t.timestamp() * 1000)


@pytest.fixture
def li(sandbox):
    """(client with a valid admin token, the organization's account, its URN, the world)."""
    sandbox.reset(config=SMALL)
    world = sandbox.world()
    account = next(a for a in world["accounts"] if a["platform"] == "linkedin")
    client = httpx.Client(base_url=sandbox.url, timeout=30, headers={
        **REST_HEADERS, "Authorization": f"Bearer {account['tokens']['access_token']}"})
    return client, account, f"urn:li:organization:{account['platform_account_id']}", world


def encoded_list(urns: list[str]) -> str:
    return "List(" + ",".join(quote(u, safe="") for u in urns) + ")"


def test_version_and_protocol_headers_are_required(li):
    client, _, urn, _ = li
    params = {"q": "author", "author": urn}
    missing = client.get("/rest/posts", params=params, headers={"Linkedin-Version": ""})
    assert missing.status_code == 400 and missing.json()["code"] == "VERSION_MISSING"
    sunset = client.get("/rest/posts", params=params, headers={"Linkedin-Version": "202505"})
    assert sunset.status_code == 426
    assert sunset.json() == {"serviceErrorCode": 0, "code": "NONEXISTENT_VERSION",
                             "message": "Requested version 202505 is not active", "status": 426}
    no_restli = client.get("/rest/posts", params=params,
                           headers={"X-Restli-Protocol-Version": ""})
    assert no_restli.status_code == 400


def test_posts_page_by_links_newest_first_with_little_text(li, sandbox):
    client, account, urn, _ = li
    seen, url = [], "/rest/posts"
    params = {"q": "author", "author": urn, "count": 4, "sortBy": "CREATED"}
    while url:
        body = client.get(url, params=params).json()
        params = None  # the next link carries the whole query
        assert body["paging"]["count"] == 4 and "total" in body["paging"]
        seen += body["elements"]
        url = next((lk["href"] for lk in body["paging"]["links"] if lk["rel"] == "next"), None)
    truth = [p for p in sandbox.truth("posts", platform="linkedin",
                                      account_id=account["platform_account_id"])
             if p["is_visible"]]
    assert len(seen) == len(truth) == body["paging"]["total"]
    created = [p["createdAt"] for p in seen]
    assert created == sorted(created, reverse=True)
    by_id = {p["post_id"]: p for p in truth}
    for post in seen:
        assert post["id"].startswith(("urn:li:share:", "urn:li:ugcPost:"))
        assert post["author"] == urn and post["lifecycleState"] == "PUBLISHED"
        for tag in by_id[post["id"]]["hashtags"]:
            assert "{hashtag|\\#|" + tag + "}" in post["commentary"]


def test_per_post_statistics_by_encoded_urn_lists(li, sandbox):
    client, account, urn, world = li
    truth = {p["post_id"]: p for p in sandbox.truth("posts", platform="linkedin",
                                                      account_id=account["platform_account_id"])
             if p["is_visible"]}
    shares = [u for u in truth if ":share:" in u]
    ugc = [u for u in truth if ":ugcPost:" in u]
    path = (f"/rest/organizationalEntityShareStatistics?q=organizationalEntity"
            f"&organizationalEntity={quote(urn, safe='')}&shares={encoded_list(shares)}"
            f"&ugcPosts={encoded_list(ugc)}")
    elements = client.get(path).json()["elements"]
    assert len(elements) == len(truth)
    for element in elements:
        post = element.get("share") or element.get("ugcPost")
        stats, metrics = element["totalShareStatistics"], truth[post]["metrics"]
        assert stats["impressionCount"] == metrics["impressions"]
        assert stats["uniqueImpressionsCount"] == metrics["reach"]
        assert stats["likeCount"] == metrics["likes"]
        assert isinstance(stats["engagement"], float)
    raw = path.replace(quote(shares[0], safe=""), shares[0])  # an unencoded URN
    assert client.get(raw).status_code == 400
    now = datetime.fromisoformat(world["now"])
    too_recent = (f"(timeRange:(start:{ms(now - timedelta(days=1))},end:{ms(now)}),"
                  "timeGranularityType:DAY)")
    bad = client.get("/rest/organizationalEntityShareStatistics", params={
        "q": "organizationalEntity", "organizationalEntity": urn, "timeIntervals": too_recent})
    assert bad.status_code == 400 and bad.json()["message"] == "Invalid timeIntervals parameter"


def test_followers_network_size_and_daily_gains(li, sandbox):
    client, account, urn, world = li
    size = client.get(f"/rest/networkSizes/{quote(urn, safe='')}",
                      params={"edgeType": "COMPANY_FOLLOWED_BY_MEMBER"}).json()
    assert size == {"firstDegreeSize": account["followers"]}
    now = datetime.fromisoformat(world["now"])
    end = datetime(now.year, now.month, now.day, tzinfo=UTC)
    start = end - timedelta(days=5)
    body = client.get("/rest/organizationalEntityFollowerStatistics", params={
        "q": "organizationalEntity", "organizationalEntity": urn,
        "timeIntervals": f"(timeRange:(start:{ms(start)},end:{ms(end)}),"
                         "timeGranularityType:DAY)"}).json()
    assert len(body["elements"]) == 5
    gained = sum(e["followerGains"]["organicFollowerGain"] + e["followerGains"]
                 ["paidFollowerGain"] for e in body["elements"])
    # a day's bucket [start, end) holds the change at its opening midnight
    just = timedelta(microseconds=1)
    truth = {a["platform_account_id"]: a["followers"] for a in sandbox.truth(
        "accounts", at=(end - just).isoformat())}
    before = {a["platform_account_id"]: a["followers"] for a in sandbox.truth(
        "accounts", at=(start - just).isoformat())}
    pid = account["platform_account_id"]
    assert gained == truth[pid] - before[pid]
    first = body["elements"][0]
    day_before = {a["platform_account_id"]: a["followers"] for a in sandbox.truth(
        "accounts", at=(start + timedelta(days=1) - just).isoformat())}
    assert sum(first["followerGains"].values()) == day_before[pid] - before[pid]
    org = client.get(f"/rest/organizations/{pid}").json()
    assert org["id"] == int(pid) and isinstance(org["id"], int)  # a JSON number


def test_comments_page_by_token_and_point_at_the_activity(li, sandbox):
    client, account, urn, _ = li
    truth = sandbox.truth("comments", platform="linkedin")
    post = max({c["post_id"] for c in truth}, key=lambda p: sum(c["post_id"] == p for c in truth))
    expected = [c for c in truth if c["post_id"] == post]
    got, token = [], None
    while True:
        params = {"count": 2, **({"pageToken": token} if token else {})}
        body = client.get(f"/rest/socialActions/{quote(post, safe='')}/comments",
                          params=params).json()
        assert body["paging"]["links"] == [] and "total" not in body["paging"]
        got += body["elements"]
        token = (body.get("metadata") or {}).get("nextPageToken")
        if not token:
            break
    assert [c["$URN"] for c in got] == [c["comment_id"] for c in expected]
    assert all(c["object"].startswith("urn:li:activity:") and c["object"] != post for c in got)
    missing = client.get(f"/rest/socialActions/{quote('urn:li:share:42', safe='')}/comments")
    assert missing.status_code == 404 and missing.json()["code"] == "NOT_FOUND"


def test_error_shapes_auth_quota_and_validation(li, sandbox):
    client, account, urn, _ = li
    params = {"q": "author", "author": urn}
    invalid = client.get("/rest/posts", params={**params, "count": 500})
    assert invalid.status_code == 422
    assert invalid.json()["errorDetails"]["inputErrors"][0]["input"]["inputPath"][
        "fieldPath"] == "count"
    sandbox.faults(rate_429=1.0, retry_after_s=7)
    throttled = client.get("/rest/posts", params=params)
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "7"
    sandbox.faults(rate_429=0.0, retry_after_s=None, linkedin_daily_limit=0)
    quota = client.get("/rest/posts", params=params)
    assert quota.status_code == 429 and quota.json() == {
        "status": 429, "serviceErrorCode": 101, "code": "TOO_MANY_REQUESTS",
        "message": "Resource level throttle limit for calls to this resource is reached."}
    assert not [h for h in quota.headers if "rate" in h.lower() or h.lower() == "retry-after"]
    sandbox.faults(linkedin_daily_limit=100_000)
    sandbox.revoke("linkedin", account["platform_account_id"])
    revoked = client.get("/rest/posts", params=params)
    assert revoked.status_code == 401 and revoked.json()["code"] == "REVOKED_ACCESS_TOKEN"
    no_token = client.get("/rest/posts", params=params, headers={"Authorization": ""})
    assert no_token.status_code == 401 and no_token.json() == {
        "serviceErrorCode": 401, "message": "Empty oauth2_access_token", "status": 401}
    invalid = client.get("/rest/posts", params=params,
                         headers={"Authorization": "Bearer sbx-not-a-token"})
    assert invalid.status_code == 401 and invalid.json()["code"] == 65600
    assert "serviceErrorCode" not in invalid.json()


def test_expired_token_and_refresh_flow(sandbox):
    sandbox.reset(config=SMALL, token_ttl_s={"linkedin": 60})
    account = next(a for a in sandbox.world()["accounts"] if a["platform"] == "linkedin")
    tokens = account["tokens"]
    sandbox.advance(3_600)
    http = httpx.Client(base_url=sandbox.url, timeout=30)
    expired = http.get(f"/rest/organizations/{account['platform_account_id']}", headers={
        **REST_HEADERS, "Authorization": f"Bearer {tokens['access_token']}"})
    assert expired.status_code == 401 and expired.json()["code"] == "EXPIRED_ACCESS_TOKEN"
    form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
            "client_id": "sandbox-li-client", "client_secret": "sandbox-li-secret"}
    fresh = http.post("/oauth/v2/accessToken", data=form).json()
    assert fresh["refresh_token"] == tokens["refresh_token"]  # fixed TTL, not rotated
    assert fresh["refresh_token_expires_in"] == 31_536_000 - 3_600
    ok = http.get(f"/rest/organizations/{account['platform_account_id']}", headers={
        **REST_HEADERS, "Authorization": f"Bearer {fresh['access_token']}"})
    assert ok.status_code == 200
    sandbox.revoke("linkedin", account["platform_account_id"])
    refused = http.post("/oauth/v2/accessToken", data=form)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_request"


def test_linkedin_shapes_comments_organizations_and_mentions(li, sandbox):
    client, account, urn, _ = li
    truth = sandbox.truth("comments", platform="linkedin")
    post = truth[0]["post_id"]
    comment = client.get(f"/rest/socialActions/{quote(post, safe='')}/comments").json()[
        "elements"][0]
    assert "commentUrn" not in comment and comment["$URN"].startswith("urn:li:comment:")
    assert {"selectedLikes", "aggregatedTotalLikes"} <= set(comment["likesSummary"])
    orgs = [client.get(f"/rest/organizations/{a['platform_account_id']}").json()
            for a in sandbox.world()["accounts"] if a["platform"] == "linkedin"]
    assert orgs and all("$URN" not in o for o in orgs)
    foreign = [o for o in orgs if "localizedName" not in o]
    assert foreign, "some organisation should come without localizedName"
    for org in foreign:
        locale = org["name"]["preferredLocale"]
        assert f"{locale['language']}_{locale['country']}" in org["name"]["localized"]
    stats = client.get("/rest/organizationalEntityShareStatistics",
                       params={"q": "organizationalEntity", "organizationalEntity": urn}).json()
    totals = stats["elements"][0]["totalShareStatistics"]
    assert {"shareMentionsCount", "commentMentionsCount"} <= set(totals)
