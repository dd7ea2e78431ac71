"""Daily follower history over real HTTP: Instagram user insights ``follower_count`` (last 30
days, the day's change) and Facebook page insights ``page_follows`` (the day's total), each
value labelled by the end_time closing its day and equal to the world's followers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from platform_sandbox.meta.account_insights import MIN_FOLLOWERS, user_insights
from platform_sandbox.meta.context import Ctx
from platform_sandbox.state import SandboxState
from platform_sandbox.world_config import WorldConfig

SMALL = {"workspaces_per_agency": 1, "posts_per_account": 10, "competitors_per_workspace": 1}


@pytest.fixture
def meta(sandbox):
    sandbox.reset(config=SMALL)
    w = sandbox.world()
    pick = {(a["platform"], a["is_competitor"]): a for a in w["accounts"]}

    def auth(platform: str) -> dict:
        return {"Authorization": f"Bearer {pick[(platform, False)]['tokens']['access_token']}"}

    return sandbox, pick, auth, datetime.fromisoformat(w["now"])


def _end_of_day(sandbox, day) -> dict[str, int]:
    at = datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=UTC).isoformat()
    return {a["platform_account_id"]: a["followers"] for a in sandbox.truth("accounts", at=at)}


def _day_of(end_time: str):
    return (datetime.strptime(end_time, "%Y-%m-%dT%H:%M:%S%z") - timedelta(days=1)).date()


def test_ig_follower_count_is_each_days_change_for_the_last_30_days(meta):
    sandbox, pick, auth, now = meta
    ig = pick[("instagram", False)]["platform_account_id"]
    since = now - timedelta(days=29)
    r = sandbox.http.get(f"/v24.0/{ig}/insights", headers=auth("instagram"), params={
        "metric": "follower_count", "period": "day", "since": int(since.timestamp()),
        "until": int(now.timestamp())})
    assert r.status_code == 200, r.text
    (item,) = r.json()["data"]
    assert {"previous", "next"} <= set(r.json()["paging"])  # windows either side, endless
    assert item["name"] == "follower_count" and item["period"] == "day"
    assert item["id"] == f"{ig}/insights/follower_count/day"
    values = item["values"]
    days = [_day_of(v["end_time"]) for v in values]
    assert days[0] == since.date() and days[-1] == now.date() and len(days) == 30
    assert all(v["end_time"].endswith("T08:00:00+0000") for v in values)
    for value, day in zip(values, days, strict=True):
        today, before = _end_of_day(sandbox, day), _end_of_day(sandbox, day - timedelta(days=1))
        assert value["value"] == today[ig] - before[ig], day


def test_ig_follower_count_refuses_more_than_30_days_and_other_periods(meta):
    sandbox, pick, auth, now = meta
    ig = pick[("instagram", False)]["platform_account_id"]
    old = sandbox.http.get(f"/v24.0/{ig}/insights", headers=auth("instagram"), params={
        "metric": "follower_count", "period": "day",
        "since": int((now - timedelta(days=31)).timestamp())})
    assert old.status_code == 400 and old.json()["error"]["code"] == 100
    assert "30 days" in old.json()["error"]["message"]
    week = sandbox.http.get(f"/v24.0/{ig}/insights", headers=auth("instagram"),
                            params={"metric": "follower_count", "period": "week"})
    assert week.status_code == 400
    # a competitor's insights are not readable with the owned account's token
    comp = pick[("instagram", True)]["platform_account_id"]
    foreign = sandbox.http.get(f"/v24.0/{comp}/insights", headers=auth("instagram"),
                               params={"metric": "follower_count", "period": "day"})
    assert foreign.status_code >= 400


def test_ig_follower_count_is_empty_under_100_followers():
    state = SandboxState.create(WorldConfig(**SMALL))
    account = next(a for a in state.world.accounts if a.platform == "instagram")
    object.__setattr__(account, "base_followers", MIN_FOLLOWERS // 2)
    ctx = Ctx(state, state.now(), 24, account.platform_account_id, "http://x/v24.0", {})
    assert user_insights(ctx, account, {"metric": "follower_count", "period": "day"}) == {
        "data": []}


def test_fb_page_follows_is_each_days_total_and_90_days_at_most(meta):
    sandbox, pick, auth, now = meta
    page = pick[("facebook", False)]["platform_account_id"]
    since = now - timedelta(days=40)
    r = sandbox.http.get(f"/v24.0/{page}/insights", headers=auth("facebook"), params={
        "metric": "page_follows,page_daily_follows_unique", "period": "day",
        "since": int(since.timestamp()), "until": int(now.timestamp())})
    assert r.status_code == 200, r.text
    follows, gains = r.json()["data"]
    assert follows["name"] == "page_follows" and len(follows["values"]) == 41
    for value in follows["values"]:
        day = _day_of(value["end_time"])
        assert value["value"] == _end_of_day(sandbox, day)[page], day
    assert all(v["value"] >= 0 for v in gains["values"])
    too_long = sandbox.http.get(f"/v24.0/{page}/insights", headers=auth("facebook"), params={
        "metric": "page_follows", "period": "day",
        "since": int((now - timedelta(days=91)).timestamp()), "until": int(now.timestamp())})
    assert too_long.status_code == 400 and "90 days" in too_long.json()["error"]["message"]
