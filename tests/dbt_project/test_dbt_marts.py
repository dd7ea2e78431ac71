"""The dbt marts against the sandbox's ground truth, after four real syncs of a viral world.

Every expected figure is recomputed here from the sandbox truth endpoints (posts, metrics and
followers at a given simulated time) or from the app tables, not read back from the warehouse;
only observation times (when a sync saw a post) come from the marts.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
import yaml
from psycopg.rows import dict_row

from socialpulse.transform import dbt_env, run_dbt

pytestmark = pytest.mark.slow
MARTS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "marts"
# every model of the marts folder, so a new mart is checked without editing a list
MARTS = {p.stem for p in MARTS_DIR.glob("*.sql")}
DATASETS = Path(__file__).resolve().parents[2] / "dashboards" / "datasets" / "socialpulse"


def _ts(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _truth_posts(wh, at) -> dict[str, dict]:
    """The accounts' own posts at ``at``: the ground truth without retweets (someone else's
    tweets, whose counts are the original's); quotes and replies are the account's own."""
    at = _ts(at).astimezone(UTC).isoformat()
    return {f"{p['platform']}:{p['post_id']}": p for p in wh.sandbox.truth("posts", at=at)
            if not p["is_retweet"]}


def _retweet_ids(wh) -> set[str]:
    return {f"twitter:{p['post_id']}" for p in wh.sandbox.truth("posts", platform="twitter")
            if p["is_retweet"]}


def _truth_followers(wh, at) -> dict[tuple[str, str], int]:
    at = _ts(at).astimezone(UTC).isoformat()
    return {(a["platform"], a["platform_account_id"]): a["followers"]
            for a in wh.sandbox.truth("accounts", at=at)}


def _engagement(platform: str, truth: dict, is_competitor: bool, has_saves: bool) -> int:
    """The documented canonical engagement, from the truth values the API reported."""
    m, insights = truth["metrics"], truth["reported_insights"] or {}
    if platform == "twitter":
        # old-style X responses omit bookmark_count: then there are no saves to count
        return (m["likes"] + m["comments"] + m["shares"] + m["quotes"]
                + (m["bookmarks"] if has_saves else 0))
    if platform == "instagram":
        if is_competitor:  # business_discovery: likes and comments only
            return m["likes"] + m["comments"]
        return m["likes"] + m["comments"] + insights.get("shares", 0) + insights.get("saves", 0)
    return m["likes"] + m["comments"] + m["shares"]


def _public_engagement(platform: str, truth: dict, has_saves: bool) -> int:
    if platform == "instagram":
        return truth["metrics"]["likes"] + truth["metrics"]["comments"]
    return _engagement(platform, truth, False, has_saves)


def _expected_posts(wh) -> list[dict]:
    """Every post the marts should hold (one per tracking account), with the figures the
    truth gives for it: visible at the last sync, readable (competitor Facebook pages expose
    no posts), engagement and public engagement at its last observation, followers at post
    time (the last sync at or before posting, else the first sync)."""
    last = wh.sync_times[-1]
    truth_last = _truth_posts(wh, last)
    accounts = defaultdict(list)
    for acct in wh.query("select * from marts.accounts"):
        accounts[(acct["platform"], acct["platform_account_id"])].append(acct)
    # when a sync last saw each post, and whether its X response carried bookmarks
    seen = {r["post_id"]: r for r in wh.query(
        "select distinct post_id, metrics_observed_at, saves is not null as has_saves "
        "from marts.posts")}
    truth_at = {t: _truth_posts(wh, t) for t in {r["metrics_observed_at"] for r in seen.values()}}
    followers_of = _followers_of_post_day(wh)
    out = []
    for post_id, post in truth_last.items():
        if not post["is_visible"] or post["is_malformed"]:
            continue
        created = _ts(post["created_at"])
        for acct in accounts.get((post["platform"], post["account_id"]), []):
            followers = followers_of(acct, created)
            if post["platform"] == "facebook" and acct["is_competitor"]:
                continue
            truth = truth_at[seen[post_id]["metrics_observed_at"]][post_id]
            has_saves = seen[post_id]["has_saves"]
            out.append({
                "post_id": post_id, "account": acct, "created_at": created,
                "hashtags": [t.lower() for t in post["hashtags"]], "followers": followers,
                "engagement": _engagement(post["platform"], truth, acct["is_competitor"],
                                          has_saves),
                "public_engagement": _public_engagement(post["platform"], truth, has_saves)})
    return out


def _followers_of_post_day(wh):
    """Followers at post time as the marts define them, from the truth: those of the post's
    UTC day (the platform's history before connection where it has one), else the first
    sync's."""
    from tests.dbt_project.test_dbt_history import _expected_followers

    syncs = sorted(_ts(t) for t in wh.sync_times)
    first = _truth_followers(wh, syncs[0])
    # the world's history (20 days) lies inside the 30 days before the first sync
    expected = _expected_followers(wh, {syncs[0].date() - timedelta(days=n) for n in range(30)})

    def followers(acct: dict, created: datetime) -> int:
        value, _ = expected(acct, created.astimezone(UTC).date())
        return value if value is not None else first[
            (acct["platform"], acct["platform_account_id"])]

    return followers


def test_dbt_env_parses_the_database_url():
    env = dbt_env("postgresql://ana:p%40ss@db.example:6543/warehouse?sslmode=require")
    assert env["SOCIALPULSE_DB_HOST"] == "db.example"
    assert env["SOCIALPULSE_DB_PORT"] == "6543"
    assert env["SOCIALPULSE_DB_USER"] == "ana"
    assert env["SOCIALPULSE_DB_PASSWORD"] == "p@ss"
    assert env["SOCIALPULSE_DB_NAME"] == "warehouse"
    assert env["SOCIALPULSE_DB_SSLMODE"] == "require"
    assert env["DBT_PROFILES_DIR"].endswith("dbt_project")


def test_build_passes_every_model_and_test(loaded):
    for build in loaded.builds:
        assert build.success
        statuses = {str(r.status).lower() for r in build.result.results}
        assert statuses <= {"success", "pass", "no-op"}, statuses  # exposures are no-ops
    built = {r.node.name for r in loaded.builds[-1].result.results
             if r.node.resource_type == "model"}
    assert built >= MARTS
    kinds = {r.node.resource_type for r in loaded.builds[-1].result.results}
    assert kinds >= {"model", "test", "unit_test"}
    rows = loaded.query("select platform, count(*) as n from marts.posts group by 1")
    assert {r["platform"] for r in rows} == {"twitter", "instagram", "facebook", "linkedin"}


def test_engagement_rates_equal_truth(loaded):
    posts = loaded.query("select * from marts.posts where metrics_observed_at is not null")
    assert len(posts) > 100
    truth_at = {t: _truth_posts(loaded, t) for t in {p["metrics_observed_at"] for p in posts}}
    followers_of = _followers_of_post_day(loaded)
    checked = defaultdict(int)
    for post in posts:
        assert post["post_id"] == f"{post['platform']}:{post['platform_post_id']}"
        truth = truth_at[post["metrics_observed_at"]][post["post_id"]]
        engagement = _engagement(post["platform"], truth, post["is_competitor"],
                                 post["saves"] is not None)
        assert post["engagement"] == engagement, post["post_id"]
        # followers at post time: those of the post's day
        followers = followers_of(post, post["created_at"])
        assert post["followers_at_post"] == followers
        assert post["engagement_rate_by_followers"] == pytest.approx(engagement / followers)
        impressions = truth["metrics"]["impressions"]
        if post["platform"] == "twitter" and post["impressions"] is None:
            # old-style X responses carry no impression_count
            assert post["engagement_rate_by_impressions"] is None
        elif post["platform"] in ("twitter", "linkedin"):
            assert post["impressions"] == impressions
            assert post["engagement_rate_by_impressions"] == pytest.approx(
                engagement / impressions)
        else:  # Meta removed impressions: no rate by impressions
            assert post["engagement_rate_by_impressions"] is None
        if post["platform"] == "twitter":
            assert post["engagement_rate_by_reach"] is None
        checked[post["platform"]] += 1
    assert set(checked) == {"twitter", "instagram", "facebook", "linkedin"}


def test_follower_growth_equals_truth(loaded):
    from tests.dbt_project.test_dbt_history import _expected_followers

    rows = loaded.query("select m.*, a.is_competitor from marts.account_metrics_daily as m "
                        "join marts.accounts as a using (account_id) "
                        "order by account_id, metric_date")
    expected = _expected_followers(loaded, {r["metric_date"] for r in rows})
    previous: dict = {}
    seen = 0
    for row in rows:
        followers, source = expected(row, row["metric_date"])
        assert (row["followers"], row["followers_source"]) == (followers, source), row
        before = previous.get(row["account_id"])
        if followers is None or before is None:
            assert row["follower_growth"] is None
        else:
            assert row["follower_growth"] == followers - before
            seen += 1
        previous[row["account_id"]] = followers
    assert seen >= 2 * len({r["account_id"] for r in rows})


def test_ids_are_bigint_in_every_mart(loaded):
    rows = loaded.query(
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_schema = 'marts' and column_name in ('account_id', 'workspace_id', "
        "'agency_id', 'alert_id')")
    # post_metrics_daily is the one mart without them: its grain is the post
    assert MARTS - {r["table_name"] for r in rows} == {"post_metrics_daily"}
    assert {(r["table_name"], r["column_name"]): r["data_type"] for r in rows} == {
        (r["table_name"], r["column_name"]): "bigint" for r in rows}


FIGURES = ("posts", "posts_with_engagement", "engagement", "public_engagement",
           "followers_at_post_sum", "rated_posts", "engagement_of_rated_posts",
           "public_engagement_of_rated_posts")


def test_account_posts_daily_equals_truth(loaded):
    """Posts of each account per UTC publication day and the sums of its engagement rate."""
    truth = _expected_posts(loaded)
    expected: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))
    for post in truth:
        day = expected[(post["account"]["account_id"], post["created_at"].date())]
        day["posts"] += 1
        day["posts_with_engagement"] += 1  # (this world has no post of unknown engagement)
        day["engagement"] += post["engagement"]
        day["public_engagement"] += post["public_engagement"]
        if post["followers"]:  # every loaded post has metrics: rated when followers are known
            day["rated_posts"] += 1
            day["followers_at_post_sum"] += post["followers"]
            day["engagement_of_rated_posts"] += post["engagement"]
            day["public_engagement_of_rated_posts"] += post["public_engagement"]
    rows = loaded.query("select * from marts.account_posts_daily")
    got = {(r["account_id"], r["metric_date"]): {c: r[c] for c in FIGURES} for r in rows}
    assert got == {k: {c: v.get(c, 0) for c in FIGURES} for k, v in expected.items()}
    # labels come from the connected account
    accounts = {a["account_id"]: a for a in loaded.query("select * from marts.accounts")}
    for r in rows:
        acct = accounts[r["account_id"]]
        assert (r["workspace_id"], r["platform"], r["handle"], r["is_competitor"]) == (
            acct["workspace_id"], acct["platform"], acct["handle"], acct["is_competitor"])
    # a range's rate is the ratio of the summed columns: the one formula over the posts
    acct_id = max(accounts, key=lambda a: sum(k[0] == a for k in expected))
    posts = [p for p in truth if p["account"]["account_id"] == acct_id]
    ratio = sum(p["engagement"] for p in posts) / sum(p["followers"] for p in posts)
    days = [r for r in rows if r["account_id"] == acct_id]
    assert sum(r["engagement_of_rated_posts"] for r in days) / sum(
        r["followers_at_post_sum"] for r in days) == pytest.approx(ratio)


def test_retweets_are_in_no_mart_figure(loaded):
    retweets = _retweet_ids(loaded)
    assert retweets, "the world should carry retweets"
    for mart in ("posts", "post_metrics_daily", "viral_candidates"):
        ids = {r["post_id"] for r in loaded.query(f"select distinct post_id from marts.{mart}")}
        assert not ids & retweets, mart
    # (best_time_to_post, hashtag_trends, account_posts_daily and the benchmark are built on
    # marts.posts; the tests above hold them to the truth without retweets)
    flagged = {f"twitter:{r['tweet_id']}" for r in loaded.query(
        "select tweet_id from staging.stg_twitter__tweets where is_retweet")}
    assert flagged and flagged <= retweets  # kept as posting activity, flagged


def test_viral_candidates_are_the_sandbox_viral_posts(loaded):
    last = _ts(loaded.sync_times[-1])
    truth_last = _truth_posts(loaded, last)
    loaded_keys = {r["post_id"] for r in loaded.query("select post_id from marts.posts")}
    viral = {k: _ts(p["viral_at"]) for k, p in truth_last.items()
             if p["is_viral"] and k in loaded_keys}
    rows = loaded.query("select * from marts.viral_candidates")
    fired = {r["post_id"] for r in rows}
    # every post that took off at least an hour before the last sync is caught ...
    took_off = {k for k, t in viral.items() if t <= last - timedelta(hours=1)}
    assert took_off - fired == set()
    # ... and nothing else: no calm post, no post that had not yet taken off
    assert fired - {k for k, t in viral.items() if t <= last} == set()
    # takeoffs between syncs exist and are detected at the first sync after them
    syncs = sorted(_ts(t) for t in loaded.sync_times)
    live = [r for r in rows if viral[r["post_id"]] > syncs[0]]
    assert live, "no viral post took off between syncs: enlarge the world"
    for row in rows:
        assert row["detected_at"] in syncs
        assert row["detected_at"] > viral[row["post_id"]]
        assert row["score"] > 0 and row["metric_value"] >= row["threshold"]
        # took off well before the first sync: found at connection; after it: live
        if viral[row["post_id"]] <= syncs[0] - timedelta(hours=2):
            assert row["is_found_at_connection"], row["post_id"]
        elif viral[row["post_id"]] > syncs[0]:
            assert not row["is_found_at_connection"], row["post_id"]
    assert any(r["is_found_at_connection"] for r in rows)
    assert {r["rule"] for r in rows} == {"engagement_24h_zscore", "engagement_rate_breakout"}


def test_superset_metrics_run_on_the_marts_and_agree(loaded):
    """Every saved metric of the Superset datasets is valid SQL on its mart, and the shared
    engagement rate by followers is the same figure on posts, account_posts_daily and the
    truth (a ratio of sums over the rated posts)."""
    figures = {}
    for path in sorted(DATASETS.glob("*.yaml")):
        ds = yaml.safe_load(path.read_text())
        columns = ", ".join(f'{m["expression"]} as "{m["metric_name"]}"' for m in ds["metrics"])
        where = " where not is_deleted" if ds["table_name"] == "posts" else ""
        figures[ds["table_name"]] = loaded.query(
            f'select {columns} from {ds["schema"]}.{ds["table_name"]}{where}')[0]
    truth = _expected_posts(loaded)
    rate = sum(p["engagement"] for p in truth) / sum(p["followers"] for p in truth)
    for table in ("posts", "account_posts_daily"):
        assert figures[table]["engagement_rate_by_followers"] == pytest.approx(rate), table
        assert figures[table]["engagement"] == sum(p["engagement"] for p in truth), table
        assert figures[table]["posts"] == len(truth), table
    assert figures["best_time_to_post"]["engagement_rate_by_followers"] is not None


ALERT_COLUMNS = ("kind", "rule", "status", "workspace_id", "account_id", "platform", "handle",
                 "is_competitor", "post_id", "post_url", "text_excerpt", "score", "detected_at",
                 "sent_at", "acknowledged_at")


def test_alerts_mart_equals_app_alerts(loaded):
    """The world's alerts, raised by the alert rules into app.alerts, plus one stored before
    the rename (its payload names the link `permalink`), read back through marts.alerts: each
    column recomputed here from the app rows and their JSON payloads."""
    from socialpulse.alerts import load_alert_settings, raise_sentiment_alerts, raise_viral_alerts

    settings = load_alert_settings()
    with psycopg.connect(loaded.url, row_factory=dict_row) as conn:
        viral = raise_viral_alerts(conn, settings, ["log"])
        raise_sentiment_alerts(conn, settings, ["log"])
        old = conn.execute(
            "select workspace_id, account_id from app.connected_accounts order by account_id"
        ).fetchone()
        conn.execute(
            "insert into app.alerts (kind, dedupe_key, workspace_id, account_id, post_id, rule,"
            " score, detected_at, payload) values ('viral_post', 'before-the-rename', %s, %s,"
            " 'twitter:1', 'engagement_24h_zscore', 9.5, now(), %s)",
            (old["workspace_id"], old["account_id"], json.dumps({
                "handle": "someone", "platform": "twitter", "text_excerpt": "an old alert",
                "permalink": "https://x.com/someone/status/1"})))
    assert viral.alert_ids, "the viral world raised no alert"
    accounts = {a["account_id"]: a for a in loaded.query("select * from app.connected_accounts")}
    expected = {}
    for alert in loaded.query("select * from app.alerts"):
        p, acct = alert["payload"], accounts[alert["account_id"]]
        examples = p.get("negative_examples") or [None]
        expected[alert["alert_id"]] = {
            **{c: alert[c] for c in ("kind", "rule", "status", "workspace_id", "account_id",
                                     "post_id", "score", "detected_at", "sent_at",
                                     "acknowledged_at")},
            "platform": acct["platform"], "handle": acct["handle"],
            "is_competitor": acct["is_competitor"],
            "post_url": p.get("post_url") or p.get("permalink"),
            "text_excerpt": p.get("text_excerpt") or examples[0]}
    rows = loaded.query("select * from marts.alerts")
    assert {r["alert_id"]: {c: r[c] for c in ALERT_COLUMNS} for r in rows} == expected
    # viral alerts name a post the truth has, with the link of its platform
    truth = _truth_posts(loaded, loaded.sync_times[-1])
    urls = {r["post_id"]: r["post_url"] for r in loaded.query(
        "select post_id, post_url from marts.posts")}
    for row in rows:
        if row["kind"] != "viral_post" or row["text_excerpt"] == "an old alert":
            continue
        assert truth[row["post_id"]]["is_viral"]
        platform, platform_post_id = row["post_id"].split(":", 1)
        if platform == "twitter":
            assert row["post_url"] == f"https://x.com/{row['handle']}/status/{platform_post_id}"
        elif platform == "instagram":  # only the platform's permalink has the shortcode
            assert row["post_url"] == urls[row["post_id"]]
        else:
            assert platform_post_id in row["post_url"]
    # a view: an acknowledgement shows without a dbt build
    with psycopg.connect(loaded.url) as conn:
        conn.execute("update app.alerts set acknowledged_at = now() where alert_id = %s",
                     (viral.alert_ids[0],))
    assert loaded.query("select acknowledged_at from marts.alerts where alert_id = %s",
                        (viral.alert_ids[0],))[0]["acknowledged_at"] is not None


def test_incremental_build_rewrites_only_the_lookback_window(loaded):
    """Build 2 ran with lookback_days=0: only days from the last stored day on are rewritten;
    the result equals a full rebuild."""
    rows = loaded.query("select * from marts.post_metrics_daily order by post_id, metric_date")
    by_day: dict = defaultdict(set)
    for r in rows:
        if not r["is_backfilled"]:  # backfill rows sit on publication days
            by_day[r["metric_date"]].add(r["dbt_invocation_id"])
    days = sorted(by_day)
    assert len(days) == 3  # the syncs fell on three UTC days
    first_build, *_ = by_day[days[0]]
    assert by_day[days[0]] == {first_build}
    # the window started at the last day build 1 had stored (lookback 0): days 2 and 3
    second = by_day[days[1]] | by_day[days[2]]
    assert len(second) == 1 and first_build not in second
    assert 0 < sum(1 for r in rows if r["metric_date"] >= days[1]) < len(rows)

    skip = {"dbt_invocation_id", "processed_at"}
    incremental = [{k: v for k, v in r.items() if k not in skip} for r in rows]
    run_dbt(["run", "--select", "post_metrics_daily", "--full-refresh"], loaded.url)
    full = loaded.query("select * from marts.post_metrics_daily order by post_id, metric_date")
    assert incremental == [{k: v for k, v in r.items() if k not in skip} for r in full]
