"""The bulk world path of the benchmarks: what a copy of a synced row is, and that copies of
real raw tables keep every key unique and every reference between posts, snapshots and
comments intact (a throw-away database with the contracts' tables)."""

from __future__ import annotations

import math
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from dlt_sources.contracts import all_tables
from tests.warehouse import create_database, drop_database

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import _bulk  # noqa: E402
from _world import WorldSize  # noqa: E402

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def _table(name: str):
    return next(t for c, t in all_tables() if c.source == "twitter" and t.name == name)


def test_a_copy_suffixes_ids_and_moves_creation_and_observation():
    tweets = _table("tweets")
    sql = dict(zip(["id", "created_at", "last_observed_at", "conversation_id", "text",
                    "_dlt_id"],
                   _bulk._expressions(tweets, ["id", "created_at", "last_observed_at",
                                               "conversation_id", "text", "_dlt_id"]),
                   strict=True))
    assert sql["id"] == sql["conversation_id"].replace("conversation_id", "id")
    assert "~" in sql["id"] and "~" in sql["_dlt_id"]
    assert "interval" in sql["created_at"] and "interval" in sql["last_observed_at"]
    assert sql["text"] == '"text"'
    snapshots = _bulk._expressions(_table("tweet_metric_snapshots"),
                                   ["tweet_id", "author_id", "observed_at"])
    assert "~" in snapshots[0] and snapshots[1] == '"author_id"'
    assert "interval" in snapshots[2]


def test_a_cycled_worlds_copies_are_older_than_every_polling_window():
    """The sandbox knows only the synced base: a copy inside a source's polling window would
    be due for a re-poll by an id the platform never issued."""
    from dlt_sources.linkedin.settings import DEFAULT_LOOKBACK_DAYS as LINKEDIN
    from dlt_sources.meta.settings import LOOKBACK_DAYS as META
    from dlt_sources.twitter.settings import DEFAULT_LOOKBACK_DAYS as TWITTER

    assert max(LINKEDIN, META, TWITTER) < _bulk.POLLING_WINDOW_DAYS
    size = WorldSize(1_000_000, workspaces=38)
    config = _bulk.base_config(size, 494, math.ceil(_bulk.POLLING_WINDOW_DAYS * 10))
    assert config["history_days"] == _bulk.POLLING_WINDOW_DAYS


def test_the_base_keeps_the_posting_rate():
    config = _bulk.base_config(WorldSize(100_000, workspaces=39), 507, 10)
    assert config["posts_per_account"] == 10 and config["history_days"] == 1.0
    assert _bulk.base_config(WorldSize(100, workspaces=2), 26, 10)["posts_per_account"] == 4


@pytest.fixture
def raw_twitter():
    url = create_database("sp_test_bulk")
    try:
        with psycopg.connect(url) as conn:
            conn.execute("create schema raw_twitter")
            conn.execute("create table raw_twitter.tweets (id text primary key, author_id text, "
                         "created_at timestamptz, conversation_id text, "
                         "last_observed_at timestamptz, _dlt_id text unique)")
            conn.execute("create table raw_twitter.tweet_metric_snapshots (tweet_id text, "
                         "observed_at timestamptz, like_count bigint, _dlt_id text unique, "
                         "primary key (tweet_id, observed_at))")
            conn.execute("create table raw_twitter.replies (id text primary key, "
                         "conversation_id text, created_at timestamptz, _dlt_id text unique)")
            for i in range(3):
                created = NOW - timedelta(hours=i)
                conn.execute("insert into raw_twitter.tweets values (%s, 'a', %s, %s, %s, %s)",
                             (f"t{i}", created, f"t{i}", NOW, f"d{i}"))
                conn.execute("insert into raw_twitter.tweet_metric_snapshots values "
                             "(%s, %s, %s, %s)", (f"t{i}", NOW, i, f"s{i}"))
                conn.execute("insert into raw_twitter.replies values (%s, %s, %s, %s)",
                             (f"r{i}", f"t{i}", created + timedelta(minutes=5), f"c{i}"))
        yield url
    finally:
        drop_database(url)


def test_copies_keep_keys_unique_and_references_whole(raw_twitter):
    assert _bulk.multiply(raw_twitter, 4, 1.0) == 3 * 3 * 3
    with psycopg.connect(raw_twitter) as conn:
        def one(sql: str):
            return conn.execute(sql).fetchone()

        assert one("select count(*), count(distinct id), count(distinct _dlt_id) "
                   "from raw_twitter.tweets") == (12, 12, 12)
        # every snapshot and reply points at a post of its own copy
        assert one("select count(*) from raw_twitter.tweet_metric_snapshots s "
                   "left join raw_twitter.tweets t on t.id = s.tweet_id "
                   "where t.id is null")[0] == 0
        assert one("select count(*) from raw_twitter.replies r join raw_twitter.tweets t "
                   "on t.conversation_id = r.conversation_id "
                   "where r.created_at - t.created_at = interval '5 minutes'")[0] == 12
        # copy k is k histories (1 day) older, as a sync k days ago observed it
        assert one("select created_at, last_observed_at from raw_twitter.tweets "
                   "where id = 't0~3'") == (NOW - timedelta(days=3), NOW - timedelta(days=3))
        assert one("select array_agg(distinct observed_at order by observed_at) from "
                   "raw_twitter.tweet_metric_snapshots")[0] == [
            NOW - timedelta(days=k) for k in (3, 2, 1, 0)]
