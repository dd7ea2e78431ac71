"""Raw tables carry indexes on their keys and an account's posts by time (dlt makes none), and
a run of one account reads only that account's window of loaded posts, through them."""

from __future__ import annotations

from datetime import datetime, timedelta

import psycopg

from dlt_sources._shared.ageing import PollSchedule, WindowPolls
from dlt_sources._shared.indexes import ensure_indexes, table_indexes
from dlt_sources._shared.warehouse import window_posts
from dlt_sources.contracts import contracts
from dlt_sources.linkedin.tables import POST_SNAPSHOTS, POSTS
from dlt_sources.meta.tables import FB_POST_SNAPSHOTS, FB_POSTS, IG_MEDIA, IG_MEDIA_SNAPSHOTS
from dlt_sources.runner import sync
from dlt_sources.twitter.tables import TWEET_SNAPSHOTS, TWEETS
from socialpulse.partitions import ensure_partitioned
from tests.dlt_sources.shared import connect_world, q

WORLD = {"workspaces_per_agency": 1, "posts_per_account": 12, "history_days": 6}


def _plan(url: str, query: str) -> str:
    """The plan of ``query`` (one text[] parameter) with sequential scans off: which index
    it can use."""
    with psycopg.connect(url) as conn:
        conn.execute("set enable_seqscan = off")
        return "\n".join(r[0] for r in conn.execute(f"explain {query}", (["1"],)).fetchall())


def _indexes(url: str, schema: str, table: str) -> dict[str, str]:
    return {r["indexname"]: r["indexdef"] for r in q(
        url, "select indexname, indexdef from pg_indexes where schemaname = %s "
        "and tablename = %s", schema, table)}


# (dataset, posts, their snapshots) of the tables the sources re-poll
WINDOWS = (("raw_twitter", TWEETS, TWEET_SNAPSHOTS), ("raw_meta", IG_MEDIA, IG_MEDIA_SNAPSHOTS),
           ("raw_meta", FB_POSTS, FB_POST_SNAPSHOTS), ("raw_linkedin", POSTS, POST_SNAPSHOTS))


def test_a_sync_leaves_every_raw_table_indexed(sandbox, db_url):
    connect_world(sandbox, db_url, WORLD)
    assert all(r.failures == {} for r in sync(url=db_url))
    checked = 0
    for contract in contracts().values():
        for table in contract.tables:
            if not q(db_url, "select to_regclass(%s) as t",
                     f"{contract.dataset}.{table.name}")[0]["t"]:
                continue  # not written by this world
            have = _indexes(db_url, contract.dataset, table.name)
            for name, columns in table_indexes(table):
                assert name in have, (table.name, name)
                assert f"({', '.join(columns)})" in have[name]
                checked += 1
    assert checked >= 20
    # an account's window is read through its index, not by scanning every account's posts
    assert "tweets__sp_account_created" in _plan(
        db_url, "select id from raw_twitter.tweets where author_id = any(%s) "
        "and created_at >= now() - interval '28 days'")
    # and what a load wrote is counted without reading every row (loaded_row_counts)
    assert "instagram_media__sp_load" in _plan(
        db_url, "select count(*) from raw_meta.instagram_media where _dlt_load_id = any(%s)")


def test_a_partitioned_snapshot_table_gets_its_index_back(sandbox, db_url):
    connect_world(sandbox, db_url, WORLD)
    sync(["twitter"], url=db_url)
    ensure_partitioned(db_url, "raw_twitter", "tweet_metric_snapshots")
    assert "tweet_metric_snapshots__sp_key" not in _indexes(
        db_url, "raw_twitter", "tweet_metric_snapshots")
    created = ensure_indexes(db_url, contracts()["twitter"])
    assert created == ["raw_twitter.tweet_metric_snapshots__sp_key",
                       "raw_twitter.tweet_metric_snapshots__sp_load"]
    # the parent's index is every week's: one per partition
    partitions = q(db_url, "select count(*) as n from pg_inherits "
                   "where inhparent = 'raw_twitter.tweet_metric_snapshots'::regclass")[0]["n"]
    per_partition = q(db_url, "select count(*) as n from pg_inherits i "
                      "join pg_index x on x.indexrelid = i.inhrelid "
                      "where i.inhparent = 'raw_twitter.tweet_metric_snapshots__sp_key'"
                      "::regclass")[0]["n"]
    assert partitions > 1 and per_partition == partitions
    assert ensure_indexes(db_url, contracts()["twitter"]) == []


def test_one_accounts_window_is_its_part_of_every_accounts_window(sandbox, db_url):
    world = connect_world(sandbox, db_url, WORLD)
    assert all(r.failures == {} for r in sync(url=db_url))
    since = datetime.fromisoformat(world["now"]) - timedelta(days=28)
    compared = 0
    for dataset, posts, snapshots in WINDOWS:
        every = window_posts(db_url, dataset, posts, snapshots, since)
        accounts = {p["account_id"] for p in every.values()}
        for account in accounts:
            mine = {i: p for i, p in every.items() if p["account_id"] == account}
            assert window_posts(db_url, dataset, posts, snapshots, since,
                                accounts={account}) == mine
            compared += len(mine)
        # a run of one account asked for another reads that one on its own
        if len(accounts) >= 2:
            first, other = sorted(accounts)[:2]
            window = WindowPolls(db_url, dataset, posts, snapshots,
                                 PollSchedule.parse("6h:0s,2d:1h,28d:1d"), accounts={first})
            assert window.posts(other, since) == {
                i: p for i, p in every.items() if p["account_id"] == other}
    assert compared > 50
