"""Mart tables with exactly the dbt contract's columns, for rule tests with controlled rows.

The end-to-end tests (test_viral_world.py) read the marts dbt builds; these tables let the
delivery and sentiment-rule tests state their input precisely (a known pattern of comments, one
candidate row) without a sandbox sync.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import psycopg

CONTRACT_DDL = """
create schema if not exists marts;
create table if not exists marts.viral_candidates (
    post_key text, post_id text, platform text, account_id bigint, workspace_id bigint,
    handle text, rule text, metric_value double precision, baseline_mean double precision,
    baseline_stddev double precision, threshold double precision, score double precision,
    detected_at timestamptz, post_created_at timestamptz);
create table if not exists marts.posts (
    post_key text, post_id text, platform text, account_id bigint, workspace_id bigint,
    text text, created_at timestamptz, engagement bigint);
create table if not exists marts.comments (
    comment_id text, post_key text, platform text, account_id bigint, workspace_id bigint,
    text text, created_at timestamptz, sentiment_label text,
    sentiment_compound double precision);
"""


def create_contract_marts(conn: psycopg.Connection) -> None:
    conn.execute(CONTRACT_DDL)


def add_candidate(conn: psycopg.Connection, account: dict, post_id: str, detected_at: datetime,
                  rule: str = "engagement_24h_zscore", score: float = 7.5,
                  text: str = "Our launch day thread 🚀 #launch") -> str:
    """A viral_candidates row (and its post) for ``account``; returns the post_key."""
    post_key = f"{account['platform']}:{post_id}"
    created = detected_at - timedelta(hours=3)
    conn.execute(
        "insert into marts.viral_candidates values "
        "(%s, %s, %s, %s, %s, %s, %s, 5400, 300, 120, 660, %s, %s, %s)",
        (post_key, post_id, account["platform"], account["account_id"],
         account["workspace_id"], account["handle"], rule, score, detected_at, created))
    conn.execute(
        "insert into marts.posts values (%s, %s, %s, %s, %s, %s, %s, 5400) ",
        (post_key, post_id, account["platform"], account["account_id"],
         account["workspace_id"], text, created))
    return post_key


def add_comments(conn: psycopg.Connection, account: dict, start: datetime, hours: float,
                 per_hour: float, negative_share: float, tag: str) -> int:
    """Evenly spaced comments over ``hours`` from ``start`` with an exact negative share
    (every k-th comment negative, the rest alternating positive/neutral)."""
    n = int(hours * per_hour)
    step = timedelta(hours=hours) / max(n, 1)
    negatives = round(n * negative_share)
    rows = []
    for i in range(n):
        # spread the negatives evenly: comment i is negative when the running quota grows
        is_neg = (i + 1) * negatives // n > i * negatives // n
        label = "negative" if is_neg else ("positive" if i % 2 else "neutral")
        text = "this is awful, cancel my order" if is_neg else "love it"
        rows.append((f"{tag}-{i}", f"{account['platform']}:{tag}", account["platform"],
                     account["account_id"], account["workspace_id"], f"{text} ({tag} {i})",
                     start + step * i, label, -0.7 if is_neg else 0.5))
    with conn.cursor() as cur:
        cur.executemany("insert into marts.comments values (%s,%s,%s,%s,%s,%s,%s,%s,%s)", rows)
    return n
