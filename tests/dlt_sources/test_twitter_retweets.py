"""Retweets and quotes on X timelines: retweets are stored flagged and never snapshotted or
searched for replies (their counts are the original's); quotes are the account's own posts."""

from __future__ import annotations

from dlt_sources.runner import sync
from tests.dlt_sources.shared import connect_world, q

RESHARES = {"workspaces_per_agency": 1, "posts_per_account": 30, "competitors_per_workspace": 1,
            "retweet_fraction": 0.5, "quote_fraction": 0.15}


def _searched_ids(sandbox) -> set[str]:
    queries = [r["query"]["query"] for r in sandbox.requests("twitter")
               if r["path"] == "/2/tweets/search/recent"]
    return {c.removeprefix("conversation_id:") for query in queries for c in query.split(" OR ")}


def test_retweets_are_flagged_without_snapshots_or_reply_searches(sandbox, db_url):
    connect_world(sandbox, db_url, RESHARES)
    assert sync(["twitter"], url=db_url)[0].failures == {}
    truth = {p["post_id"]: p for p in sandbox.truth("posts", platform="twitter")
             if p["is_visible"]}
    tweets = {t["id"]: t for t in q(db_url, "select * from raw_twitter.tweets")}
    assert set(tweets) == set(truth)
    retweets = {i for i, p in truth.items() if p["is_retweet"]}
    quotes = {i for i, p in truth.items() if p["kind"] == "quote"}
    assert retweets and quotes
    for tid, row in tweets.items():
        assert row["is_retweet"] == (tid in retweets), tid
        if tid in retweets or tid in quotes:
            kind = "retweeted" if tid in retweets else "quoted"
            assert row["referenced_tweets"] == [{"type": kind, "id": truth[tid]["referenced_id"]}]
    snapped = {r["tweet_id"] for r in q(db_url,
                                        "select tweet_id from raw_twitter.tweet_metric_snapshots")}
    assert snapped == set(truth) - retweets  # quotes and own posts are snapshotted
    searched = _searched_ids(sandbox)
    assert searched and not searched & retweets
    assert searched & quotes, "a quote is the account's own post: its replies are searched"

    # later syncs re-poll recent tweets: still no snapshot or reply search for a retweet
    sandbox.clear_requests()
    sandbox.advance(3 * 3600)
    assert sync(["twitter"], url=db_url)[0].failures == {}
    snapped = {r["tweet_id"] for r in q(db_url,
                                        "select tweet_id from raw_twitter.tweet_metric_snapshots")}
    assert not snapped & retweets
    assert not _searched_ids(sandbox) & retweets
