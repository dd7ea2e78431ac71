"""The cycle job, run in-process through Dagster against a real Postgres and the sandbox.

The tests share one world and run in order: first cycle, second (incremental) cycle, a revoked
account, then a blocking data-quality failure.
"""

from __future__ import annotations

import psycopg
import pytest

from dagster_project.constants import DBT_PROJECT_DIR
from dagster_project.cycle import run_cycle

pytestmark = pytest.mark.slow

POST_TABLES = {"raw_twitter.tweets": "text", "raw_meta.instagram_media": "caption",
               "raw_meta.facebook_posts": "message", "raw_linkedin.posts": "text"}
COMMENT_TABLES = {"raw_twitter.replies": "text", "raw_meta.instagram_comments": "text",
                  "raw_meta.facebook_comments": "message", "raw_linkedin.comments": "text"}
SNAPSHOTS = {"raw_twitter.tweet_metric_snapshots": "tweet_id",
             "raw_meta.instagram_media_metric_snapshots": "media_id",
             "raw_meta.facebook_post_metric_snapshots": "post_id",
             "raw_linkedin.post_metric_snapshots": "post_id"}


def _texts(world, tables: dict[str, str]) -> int:
    return sum(int(world.scalar(f"select count(*) from {t} where btrim(coalesce({c}, '')) <> ''"))
               for t, c in tables.items())


def _dbt_keys(summary: dict) -> set[str]:
    raw = ("raw_", "enrichment/")
    return {k for k in summary["materialized"] if not k.startswith(raw)}


def _dbt_log(run_id: str) -> str:
    """The dbt log of the run's dbt step (dagster-dbt names its target folder by the run)."""
    (folder,) = (DBT_PROJECT_DIR / "target").glob(f"dbt_models-{run_id[:7]}-*")
    return (folder / "dbt.log").read_text()


@pytest.fixture(scope="module")
def first_cycle(dagster_world) -> dict:
    return run_cycle(dagster_world.url)


def test_first_cycle_materializes_everything(dagster_world, first_cycle):
    s = first_cycle
    assert s["success"], s["errors"]
    assert not s["account_failures"]
    assert not s["checks_failed"], [c for c in s["checks"] if not c["passed"]]
    graph = _graph()
    every_asset = {k.to_user_string() for k in graph.get_all_asset_keys()
                   if graph.get(k).is_materializable}
    assert every_asset - set(s["materialized"]) == set()
    for mart in ("posts", "comments", "accounts", "post_metrics_daily", "viral_candidates"):
        assert mart in s["materialized"]
    for table in (*POST_TABLES, *SNAPSHOTS):
        assert table.replace(".", "/") in s["materialized"]
    platforms = {r[0] for r in psycopg.connect(dagster_world.url).execute(
        "select distinct platform from marts.posts").fetchall()}
    assert platforms == {"twitter", "instagram", "facebook", "linkedin"}
    assert dagster_world.scalar("select count(*) from marts.comments") > 0
    # every non-empty text got exactly one sentiment row, which the marts picked up
    scored = s["sentiment_rows_scored"]["enrichment/post_sentiment"]
    assert dagster_world.scalar("select count(*) from enrichment.post_sentiment") == \
        _texts(dagster_world, POST_TABLES) == scored
    assert dagster_world.scalar("select count(*) from enrichment.comment_sentiment") == \
        _texts(dagster_world, COMMENT_TABLES)
    assert dagster_world.scalar(
        "select count(*) from marts.posts where sentiment_label is not null") > 0
    ok = [c for c in s["checks"] if c["check"] == "accounts_synced"]
    assert len(ok) == 3 and all(c["passed"] for c in ok)


def test_second_cycle_processes_only_new_rows(dagster_world, first_cycle):
    w = dagster_world
    posts_before = _texts(w, POST_TABLES)
    comments_before = _texts(w, COMMENT_TABLES)
    last_load = {t: w.scalar(f"select max(_dlt_load_id) from {t}") for t in SNAPSHOTS}
    w.sandbox.advance(12 * 3600)  # a small world posts ~1.6 times a day per account

    s = run_cycle(w.url)

    assert s["success"], s["errors"]
    new_posts = _texts(w, POST_TABLES) - posts_before
    new_comments = _texts(w, COMMENT_TABLES) - comments_before
    assert new_posts > 0
    # the sentiment asset scored exactly the new texts: none of the old ones again
    assert s["sentiment_rows_scored"]["enrichment/post_sentiment"] == new_posts
    assert s["sentiment_rows_scored"]["enrichment/comment_sentiment"] == new_comments
    for table, id_col in {**{t: "id" for t in POST_TABLES}, **SNAPSHOTS}.items():
        key = f"{id_col}, observed_at" if table in SNAPSHOTS else id_col
        assert w.scalar(f"select count(*) - count(distinct ({key})) from {table}") == 0, table
    for table, id_col in SNAPSHOTS.items():
        # one new snapshot per tracked post, none for anything else
        per_post = w.scalar(f"select max(n) from (select count(*) n from {table} "
                            f"where _dlt_load_id > %s group by {id_col}) x", last_load[table])
        assert per_post == 1, table
    # retweets are not tracked: their metrics are the original tweet's; the polls age, so 12
    # hours on only tweets younger than 2 days (the hourly tier) are due, older ones daily
    tracked = w.scalar("select count(*) from raw_twitter.tweets where not coalesce(is_deleted, "
                       "false) and not coalesce(is_retweet, false) and created_at > "
                       "(select max(observed_at) from "
                       "raw_twitter.tweet_metric_snapshots) - interval '2 days'")
    added = w.scalar("select count(*) from raw_twitter.tweet_metric_snapshots "
                     "where _dlt_load_id > %s", last_load["raw_twitter.tweet_metric_snapshots"])
    assert added == tracked
    # the materialization metadata reports the rows the run actually wrote
    assert s["rows_loaded"]["raw_twitter/tweet_metric_snapshots"] == added
    # the first cycle's parse was kept: this one re-parsed nothing of the unchanged project
    # (the saved parse it started from was made for this database)
    assert "Unable to do partial parsing" not in _dbt_log(s["run_id"])


def test_revoked_account_fails_alone(dagster_world, first_cycle):
    w = dagster_world
    owned = [a for a in w.sandbox.world()["accounts"]
             if a["platform"] == "twitter" and not a["is_competitor"]]
    assert len(owned) >= 2
    victim = owned[0]
    w.sandbox.revoke("twitter", str(victim["platform_account_id"]))
    twitter_keys = [k for k in _ingestion_keys() if k.path[0] == "raw_twitter"]

    s = run_cycle(w.url, asset_selection=twitter_keys)

    assert s["success"], s["errors"]  # a WARN check never fails the run
    failed = {f["account"]: f for f in s["account_failures"]}
    assert list(failed) == [f"twitter:{victim['handle']}"]
    assert failed[f"twitter:{victim['handle']}"]["needs_reauth"]
    check = next(c for c in s["checks"] if c["check"] == "accounts_synced"
                 and c["asset"] == "raw_twitter/tweets")
    assert not check["passed"] and check["severity"] == "WARN", check
    assert victim["handle"] in check["description"]
    with psycopg.connect(w.url) as conn:
        states = conn.execute(
            "select ca.platform_account_id, ss.needs_reauth, ss.last_success_at >= "
            "ss.last_attempt_at - interval '1 second' from app.connected_accounts ca "
            "join app.sync_state ss using (account_id) where ca.platform = 'twitter'"
        ).fetchall()
    for account_id, needs_reauth, ok in states:
        is_victim = account_id == str(victim["platform_account_id"])
        assert needs_reauth == is_victim and ok != is_victim, account_id


def test_blocking_quality_check_stops_the_marts(dagster_world, first_cycle):
    w = dagster_world
    table = "raw_twitter.tweet_metric_snapshots"
    posts_refreshed = w.scalar("select count(*) from marts.posts")
    with psycopg.connect(w.url) as conn:
        conn.execute(f"create temp table bad as select * from {table} limit 1")
        conn.execute("update bad set like_count = -5, _dlt_id = 'bad-row', "
                     "observed_at = observed_at + interval '1 second'")
        conn.execute(f"insert into {table} select * from bad")
    try:
        s = run_cycle(w.url)
    finally:
        with psycopg.connect(w.url) as conn:
            conn.execute(f"delete from {table} where _dlt_id = 'bad-row'")

    assert not s["success"]
    assert "raw_twitter/tweet_metric_snapshots:ge_integrity" in s["checks_failed"]
    check = next(c for c in s["checks"] if c["asset"] == "raw_twitter/tweet_metric_snapshots"
                 and c["check"] == "ge_integrity")
    assert "like_count" in check["description"]
    # ingestion ran, the dbt models did not
    assert "raw_twitter/tweets" in s["materialized"]
    assert not _dbt_keys(s), _dbt_keys(s)
    assert w.scalar("select count(*) from marts.posts") == posts_refreshed


def _graph():
    from dagster_project.definitions import defs

    return defs.resolve_asset_graph()


def _ingestion_keys():
    graph = _graph()
    return [k for k in graph.get_all_asset_keys()
            if graph.get(k).group_name == "ingestion"]
