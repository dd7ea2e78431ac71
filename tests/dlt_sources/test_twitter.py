"""The X source against the sandbox: loads must match the world's ground truth."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from dlt.common.versioned_state import decompress_state

from dlt_sources.runner import sync
from platform_sandbox.twitter.render import LEGACY_METRICS_BEFORE
from socialpulse.crypto import TokenCipher
from tests.dlt_sources.shared import connect_world, q, raw_counts

SMALL = {"workspaces_per_agency": 1, "posts_per_account": 15, "competitors_per_workspace": 2}
METRIC_MAP = {"retweet_count": "shares", "reply_count": "comments", "like_count": "likes",
              "quote_count": "quotes", "bookmark_count": "bookmarks",
              "impression_count": "impressions"}
TABLES = ("users", "tweets", "replies", "tweet_metric_snapshots", "user_metric_snapshots",
          "rejects")


@pytest.fixture
def x_world(db_url, sandbox):
    """Reset the sandbox to a small world and connect its accounts in app.*."""
    def setup(faults: dict | None = None, token_ttl_s: dict | None = None, **config) -> dict:
        return connect_world(sandbox, db_url, {**SMALL, **config}, faults, token_ttl_s)
    return setup


def counts(url: str) -> dict[str, int]:
    return raw_counts(url, "raw_twitter")


def twitter_truth(sandbox) -> tuple[list[dict], dict[str, dict]]:
    posts = sandbox.truth("posts", platform="twitter")
    visible = {p["post_id"]: p for p in posts if p["is_visible"] and not p["is_malformed"]}
    return posts, visible


def assert_snapshots_match(db_url: str, visible: dict[str, dict], observed: str) -> None:
    snaps = q(db_url, "select * from raw_twitter.tweet_metric_snapshots where observed_at = %s",
              observed)
    assert snaps, "no snapshot at the observation time"
    for snap in snaps:
        truth = visible[snap["tweet_id"]]
        legacy = datetime.fromisoformat(truth["created_at"]) < LEGACY_METRICS_BEFORE
        for column, canonical in METRIC_MAP.items():
            if legacy and column in ("bookmark_count", "impression_count"):
                assert snap[column] is None  # the old 4-key public_metrics shape
            else:
                assert snap[column] == truth["metrics"][canonical], (column, snap["tweet_id"])


def test_full_sync_matches_the_world(x_world, sandbox, db_url):
    world = x_world()
    results = sync(["twitter"], url=db_url)
    assert results[0].failures == {}
    posts, visible = twitter_truth(sandbox)
    tweets = q(db_url, "select * from raw_twitter.tweets")
    assert {t["id"] for t in tweets} == set(visible)
    assert not any(t["is_deleted"] for t in tweets)
    by_id = {t["id"]: t for t in tweets}
    for tid, truth in visible.items():
        row = by_id[tid]
        assert row["author_id"] == truth["account_id"]
        assert row["text"] == truth["text"]
        assert row["created_at"] == datetime.fromisoformat(truth["created_at"])
        assert row["hashtags"] == list(truth["hashtags"])
    types = {(c["table_name"], c["column_name"]): c["data_type"] for c in q(
        db_url, "select table_name, column_name, data_type from information_schema.columns "
        "where table_schema = 'raw_twitter'")}
    # dlt's postgres "text" is an unbounded varchar
    assert {types[("tweets", "id")], types[("users", "id")]} == {"character varying"}
    assert types[("tweets", "created_at")] == "timestamp with time zone"
    assert types[("tweets", "hashtags")] == "jsonb"
    assert types[("tweet_metric_snapshots", "bookmark_count")] == "bigint"
    assert not any(t.startswith("tweets__") for t, _ in types)  # no child tables
    now = world["now"]
    assert_snapshots_match(db_url, visible, now)
    # retweets are stored, flagged, but carry other people's metrics: no snapshot for them
    own = {tid for tid, p in visible.items() if not p["is_retweet"]}
    assert own != set(visible), "the default world should have retweets"
    assert {t["id"] for t in tweets if t["is_retweet"]} == set(visible) - own
    assert q(db_url, "select count(*) as n from raw_twitter.tweet_metric_snapshots")[0]["n"] \
        == len(own)
    # private metrics come with the owner's token only
    owned = {a["platform_account_id"] for a in world["accounts"]
             if a["platform"] == "twitter" and not a["is_competitor"]}
    clicks = q(db_url, "select author_id, url_link_clicks from raw_twitter.tweet_metric_snapshots")
    assert all(r["url_link_clicks"] is None for r in clicks if r["author_id"] not in owned)
    assert any(r["url_link_clicks"] is not None for r in clicks if r["author_id"] in owned)
    # users and followers
    truth_users = {a["platform_account_id"]: a for a in sandbox.truth("accounts")
                   if a["platform"] == "twitter"}
    users = q(db_url, "select u.id, u.username, s.followers_count, s.tweet_count from "
              "raw_twitter.users u join raw_twitter.user_metric_snapshots s on s.user_id = u.id")
    assert {u["id"] for u in users} == set(truth_users)
    for u in users:
        assert u["username"] == truth_users[u["id"]]["handle"]
        assert u["followers_count"] == truth_users[u["id"]]["followers"]
        assert u["tweet_count"] == truth_users[u["id"]]["post_count"]
    # replies of owned tweets from the last 7 days
    comments = {c["comment_id"]: c for c in sandbox.truth("comments", platform="twitter")}
    replies = q(db_url, "select * from raw_twitter.replies")
    assert replies
    for r in replies:
        assert comments[r["id"]]["post_id"] == r["conversation_id"]
        assert r["account_id"] in owned


def test_second_sync_is_incremental_and_batched(x_world, sandbox, db_url):
    x_world(deleted_fraction=0.3, posts_per_account=30)
    sync(["twitter"], url=db_url)
    first = {r["id"]: r for r in q(db_url, "select id, created_at from raw_twitter.tweets")}
    sandbox.clear_requests()
    now2 = sandbox.advance(24 * 3600)["now"]
    results = sync(["twitter"], url=db_url)
    assert results[0].failures == {}
    log = sandbox.requests("twitter")
    timeline = [r for r in log if r["path"].endswith("/tweets") and "/users/" in r["path"]]
    assert timeline and all("since_id" in r["query"] for r in timeline)
    assert not any("pagination_token" in r["query"] for r in timeline)
    lookups = [r for r in log if r["path"] == "/2/tweets"]
    assert lookups and all(len(r["query"]["ids"].split(",")) <= 100 for r in lookups)
    assert not any(r["path"].startswith("/2/tweets/") and r["path"][9:].isdigit() for r in log)
    # one lookup call per account (all its hot tweets fit in one batch)
    assert len(lookups) == len({r["path"] for r in timeline})

    posts, visible = twitter_truth(sandbox)
    tweets = {t["id"]: t for t in q(db_url, "select * from raw_twitter.tweets")}
    new = {tid for tid, p in visible.items() if tid not in first}
    assert new and new <= set(tweets)  # new tweets appear
    # tweets deleted since the first sync are flagged, with their other columns kept
    gone = {p["post_id"] for p in posts if p["is_deleted"] and p["post_id"] in first}
    assert gone, "the world should delete some loaded tweets between the syncs"
    for tid in gone:
        assert tweets[tid]["is_deleted"] and tweets[tid]["text"] and tweets[tid]["created_at"]
    assert {tid for tid, t in tweets.items() if not t["is_deleted"]} == set(visible)
    # each tracked tweet (inside the 15-day lookback, still there) has exactly one new snapshot
    cutoff = datetime.fromisoformat(now2) - timedelta(days=15)
    tracked = {tid for tid, p in visible.items() if not p["is_retweet"]
               and (tid in new or datetime.fromisoformat(p["created_at"]) >= cutoff)}
    snaps = q(db_url, "select tweet_id, count(*) as n from raw_twitter.tweet_metric_snapshots "
              "where observed_at = %s group by tweet_id", now2)
    assert {s["tweet_id"] for s in snaps} == tracked
    assert all(s["n"] == 1 for s in snaps)
    assert_snapshots_match(db_url, visible, now2)
    # one user snapshot per account per sync
    assert q(db_url, "select count(distinct observed_at) as n from "
             "raw_twitter.user_metric_snapshots")[0]["n"] == 2


def test_rerun_at_the_same_instant_adds_nothing(x_world, db_url):
    x_world()
    sync(["twitter"], url=db_url)
    before = counts(db_url)
    assert before["tweets"] and before["replies"] and before["tweet_metric_snapshots"]
    sync(["twitter"], url=db_url)
    assert counts(db_url) == before


def test_faults_are_retried_to_the_same_data(x_world, sandbox, db_url):
    world = x_world(faults={"rate_429": 0.15, "rate_5xx": 0.15})
    results = sync(["twitter"], url=db_url)
    assert results[0].failures == {}
    _, visible = twitter_truth(sandbox)
    assert {t["id"] for t in q(db_url, "select id from raw_twitter.tweets")} == set(visible)
    assert_snapshots_match(db_url, visible, world["now"])
    users = q(db_url, "select count(*) as n from raw_twitter.user_metric_snapshots")[0]["n"]
    assert users == sum(1 for a in world["accounts"] if a["platform"] == "twitter")


def _owned_tokens(db_url: str) -> dict[str, tuple[str, str]]:
    cipher = TokenCipher.from_settings()
    rows = q(db_url, "select platform_account_id, access_token_ciphertext, "
             "refresh_token_ciphertext from app.connected_accounts "
             "where platform = 'twitter' and not is_competitor")
    return {r["platform_account_id"]: (cipher.decrypt(r["access_token_ciphertext"]),
                                       cipher.decrypt(r["refresh_token_ciphertext"]))
            for r in rows}


def test_expired_token_is_refreshed_and_stored_encrypted(x_world, sandbox, db_url):
    world = x_world(token_ttl_s={"twitter": 60})
    sandbox.advance(120)
    results = sync(["twitter"], url=db_url)
    assert results[0].failures == {}
    stored = _owned_tokens(db_url)
    for acct in world["accounts"]:
        if acct["platform"] != "twitter" or acct["is_competitor"]:
            continue
        access, refresh = stored[acct["platform_account_id"]]
        old = acct["tokens"]
        assert access != old["access_token"] and refresh != old["refresh_token"]
        # X rotates refresh tokens: the old one is refused, the stored new one works
        http = sandbox.http
        refused = http.post("/2/oauth2/token", data={
            "grant_type": "refresh_token", "refresh_token": old["refresh_token"],
            "client_id": world["app_credentials"]["twitter"]["client_id"]})
        assert refused.status_code == 400
        me = http.get(f"/2/users/{acct['platform_account_id']}",
                      headers={"Authorization": f"Bearer {access}"})
        assert me.status_code == 200
    assert q(db_url, "select count(*) as n from raw_twitter.tweets")[0]["n"] > 0


def test_revoked_account_needs_reauth_others_still_load(x_world, sandbox, db_url):
    world = x_world(workspaces_per_agency=2)
    owned = [a for a in world["accounts"] if a["platform"] == "twitter"
             and not a["is_competitor"]]
    revoked, other = owned[0], owned[1]
    sandbox.revoke("twitter", revoked["platform_account_id"])
    results = sync(["twitter"], url=db_url)
    assert len(results[0].failures) == 1
    state = q(db_url, "select ca.platform_account_id, ss.needs_reauth from app.sync_state ss "
              "join app.connected_accounts ca using (account_id) where ca.platform = 'twitter'")
    reauth = {s["platform_account_id"]: s["needs_reauth"] for s in state}
    assert reauth[revoked["platform_account_id"]] is True
    assert reauth[other["platform_account_id"]] is False
    authors = {r["author_id"] for r in q(db_url, "select distinct author_id from "
                                         "raw_twitter.tweets")}
    assert other["platform_account_id"] in authors
    assert revoked["platform_account_id"] not in authors
    competitors = {a["platform_account_id"] for a in world["accounts"]
                   if a["platform"] == "twitter" and a["is_competitor"]}
    assert competitors <= authors  # read with the app token, unaffected


def test_malformed_records_are_quarantined(x_world, sandbox, db_url):
    x_world(malformed_fraction=0.2)
    results = sync(["twitter"], url=db_url)
    assert results[0].failures == {}
    posts, visible = twitter_truth(sandbox)
    bad = [p for p in posts if p["is_visible"] and p["is_malformed"]]
    assert bad
    assert {t["id"] for t in q(db_url, "select id from raw_twitter.tweets")} == set(visible)
    rejects = q(db_url, "select * from raw_twitter.rejects")
    assert len(rejects) == len(bad)
    assert all(r["reason"] and r["resource"] == "tweets" for r in rejects)
    assert {r["platform_account_id"] for r in rejects} <= {p["account_id"] for p in bad}
    sync(["twitter"], url=db_url)
    assert len(q(db_url, "select * from raw_twitter.rejects")) == len(bad)


def test_no_plaintext_token_in_the_database(x_world, sandbox, db_url):
    world = x_world(token_ttl_s={"twitter": 60})
    sandbox.advance(120)
    sync(["twitter"], url=db_url)  # refreshes: new tokens exist too
    secrets = {world["app_credentials"]["twitter"]["app_bearer_token"],
               world["app_credentials"]["twitter"]["client_secret"]}
    for acct in world["accounts"]:
        secrets |= {v for k, v in (acct.get("tokens") or {}).items() if k.endswith("_token")}
    for access, refresh in _owned_tokens(db_url).values():
        secrets |= {access, refresh}
    columns = q(db_url, "select table_schema, table_name, column_name from "
                "information_schema.columns where table_schema not in "
                "('pg_catalog', 'information_schema') and data_type in "
                "('text', 'character varying', 'json', 'jsonb')")
    assert columns
    texts: list[str] = []
    for c in columns:
        texts += [str(r["v"]) for r in q(
            db_url, f'select "{c["column_name"]}"::text as v from '
            f'"{c["table_schema"]}"."{c["table_name"]}"') if r["v"] is not None]
    # dlt keeps pipeline state compressed: look inside it too
    for r in q(db_url, "select state from raw_twitter._dlt_pipeline_state"):
        texts.append(json.dumps(decompress_state(r["state"])))
    blob = "\n".join(texts)
    for secret in secrets:
        assert secret not in blob


def test_exhausted_rate_limit_window_fails_only_that_account(x_world, db_url):
    # one call per token and endpoint per 15 minutes: the app token's window runs out after
    # the first competitor, and its reset is too far away to wait for
    world = x_world(faults={"x_window_limit": 1})
    results = sync(["twitter"], url=db_url)
    competitors = [a for a in world["accounts"] if a["platform"] == "twitter"
                   and a["is_competitor"]]
    failed = {name.split(":", 1)[1]: error for name, error in results[0].failures.items()}
    assert competitors[1]["handle"] in failed
    assert "rate limit" in failed[competitors[1]["handle"]].lower()
    state = q(db_url, "select ca.handle, ss.needs_reauth, ss.is_retryable from app.sync_state ss "
              "join app.connected_accounts ca using (account_id)")
    by_handle = {s["handle"]: s for s in state}
    assert by_handle[competitors[1]["handle"]]["needs_reauth"] is False
    assert by_handle[competitors[1]["handle"]]["is_retryable"] is True
    users = {r["id"] for r in q(db_url, "select id from raw_twitter.users")}
    assert competitors[0]["platform_account_id"] in users


@pytest.mark.parametrize("header", ["missing", "unparsable"])
def test_missing_date_header_is_logged_once_with_the_clock_used(x_world, db_url, caplog,
                                                                monkeypatch, header):
    from dlt_sources._shared import http
    monkeypatch.setattr(http, "_CLOCK_WARNED", set())
    x_world(faults={"date_header": header})
    with caplog.at_level("WARNING", logger="dlt_sources._shared.http"):
        results = sync(["twitter"], url=db_url)
    assert results[0].failures == {}
    lines = [r.getMessage() for r in caplog.records if r.name == "dlt_sources._shared.http"]
    assert len(lines) == 1, lines
    assert "Date header" in lines[0] and "this machine's UTC clock" in lines[0]
    # the sandbox's simulated clock is far from now: observed_at is the local clock's time
    observed = q(db_url, "select max(observed_at) as t from raw_twitter.user_metric_snapshots")
    assert abs(observed[0]["t"] - datetime.now(observed[0]["t"].tzinfo)) < timedelta(minutes=5)
