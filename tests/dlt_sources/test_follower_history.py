"""The sources' daily follower history against the sandbox's ground truth: Instagram's
follower_count (30 days), Facebook's page_follows (90 days) and LinkedIn's followerGains (90
days) of owned accounts; a re-run merges onto the same days and a later sync reads on from a
few days before the last day loaded."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from dlt_sources.runner import sync
from tests.dlt_sources.shared import connect_world, q

SMALL = {"workspaces_per_agency": 1, "posts_per_account": 6, "competitors_per_workspace": 1,
         "comments_per_post": 0.5}
HISTORY = {  # platform: (table, account column, value column, days on the first sync)
    "instagram": ("raw_meta.instagram_follower_count_insights", "account_id", "follower_count",
                  30),
    "facebook": ("raw_meta.facebook_page_follows_insights", "page_id", "page_follows", 90),
    "linkedin": ("raw_linkedin.organization_follower_gains", "organization_id",
                 "organic_follower_gain + paid_follower_gain", 90),
}
DAY_COLUMN = {"instagram": "metric_date", "facebook": "metric_date", "linkedin": "gain_date"}


def _end_of_day(sandbox, day: date) -> dict[str, int]:
    at = datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=UTC).isoformat()
    return {a["platform_account_id"]: a["followers"] for a in sandbox.truth("accounts", at=at)}


def _loaded(db_url: str, platform: str) -> dict[tuple[str, date], int]:
    table, account, value, _ = HISTORY[platform]
    rows = q(db_url, f"select {account} as account, {DAY_COLUMN[platform]} as day, "
             f"{value} as value from {table}")
    out = {(r["account"], r["day"]): r["value"] for r in rows}
    assert len(out) == len(rows), f"{platform}: a day loaded twice"
    return out


def _check_truth(sandbox, db_url: str, owned: dict[str, list[str]], now: datetime) -> None:
    truth_cache: dict[date, dict[str, int]] = {}

    def truth(day: date) -> dict[str, int]:
        if day not in truth_cache:
            truth_cache[day] = _end_of_day(sandbox, day)
        return truth_cache[day]

    for platform, (_, _, _, days) in HISTORY.items():
        loaded = _loaded(db_url, platform)
        last = now.date() if platform != "linkedin" else now.date() - timedelta(days=1)
        for account in owned[platform]:
            got = {d: v for (a, d), v in loaded.items() if a == account}
            first = now.date() - timedelta(days=days - (1 if platform != "linkedin" else 0))
            assert min(got) == first and max(got) == last, platform
            assert len(got) == (last - first).days + 1, platform
            for day, value in got.items():
                expected = truth(day)[account] if platform == "facebook" else (
                    truth(day)[account] - truth(day - timedelta(days=1))[account])
                assert value == expected, (platform, day)


def test_follower_history_is_loaded_once_per_day_and_read_on_incrementally(sandbox, db_url):
    world = connect_world(sandbox, db_url, SMALL)
    owned = {p: [a["platform_account_id"] for a in world["accounts"]
                 if a["platform"] == p and not a["is_competitor"]] for p in HISTORY}
    competitors = {a["platform_account_id"] for a in world["accounts"] if a["is_competitor"]}
    sandbox.clear_requests()
    assert all(r.failures == {} for r in sync(["instagram", "facebook", "linkedin"],
                                              url=db_url))
    now = datetime.fromisoformat(sandbox.world()["now"])
    _check_truth(sandbox, db_url, owned, now)
    for platform in HISTORY:  # competitors have no readable insights
        assert not {a for a, _ in _loaded(db_url, platform)} & competitors

    # a re-run at the same time loads nothing new and duplicates nothing
    before = {p: _loaded(db_url, p) for p in HISTORY}
    assert all(r.failures == {} for r in sync(["instagram", "facebook", "linkedin"],
                                              url=db_url))
    assert {p: _loaded(db_url, p) for p in HISTORY} == before

    # a day later: the new day, read from two days before the last one loaded
    sandbox.advance(86_400)
    sandbox.clear_requests()
    assert all(r.failures == {} for r in sync(["instagram", "facebook", "linkedin"],
                                              url=db_url))
    later = now + timedelta(days=1)
    for platform in HISTORY:
        loaded = _loaded(db_url, platform)
        for account in owned[platform]:
            newest = max(d for a, d in loaded if a == account)
            assert newest == (later.date() if platform != "linkedin"
                              else later.date() - timedelta(days=1)), platform
    asked = [r for r in sandbox.requests() if r["path"].endswith("/insights")
             and r["query"].get("period") == "day"]
    # one call per owned account: the endless time-window paging links are not followed
    assert sorted(r["path"].split("/")[2] for r in asked) == sorted(
        owned["instagram"] + owned["facebook"])
    for r in asked:
        since = datetime.fromtimestamp(int(r["query"]["since"]), UTC).date()
        assert since == now.date() - timedelta(days=2), r
    gains = [r for r in sandbox.requests("linkedin") if "FollowerStatistics" in r["path"]
             and "timeIntervals" in r["query"]]
    starts = sorted(int(r["query"]["timeIntervals"].split("start:")[1].split(",")[0])
                    for r in gains)
    # the one-day read of the snapshot table and the history read from two days back
    assert datetime.fromtimestamp(starts[0] / 1000, UTC).date() == (
        now.date() - timedelta(days=3))
