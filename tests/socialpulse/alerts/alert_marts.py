"""Mart tables built from the dbt contract, for rule tests with controlled rows.

The end-to-end tests (test_alert_viral_world.py) read the marts dbt builds; these tables let the
delivery and sentiment-rule tests state their input precisely (a known pattern of comments, one
candidate row) without a sandbox sync. Their columns and types are read from the marts'
contract (``data_type`` in dbt_project/models/marts/_marts__models.yml), so they cannot drift
from what dbt builds.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import psycopg
import yaml
from psycopg import sql

MARTS_YML = Path(__file__).resolve().parents[3] / "dbt_project/models/marts/_marts__models.yml"
# the marts alert detection reads
MARTS = ("viral_candidates", "posts", "comments")


@cache
def contract_columns(model: str) -> dict[str, str]:
    """column -> data_type of a mart, in the contract's order."""
    models = yaml.safe_load(MARTS_YML.read_text())["models"]
    spec = next(m for m in models if m["name"] == model)
    return {c["name"]: c["data_type"] for c in spec["columns"]}


def create_contract_marts(conn: psycopg.Connection) -> None:
    """Empty ``marts.<model>`` tables with exactly the contract's columns and types."""
    conn.execute("create schema if not exists marts")
    for model in MARTS:
        # data types come from our own contract file, not from input: SQL() is safe here
        columns = sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(data_type))
            for name, data_type in contract_columns(model).items())
        conn.execute(sql.SQL("create table if not exists {} ({})").format(
            sql.Identifier("marts", model), columns))


def insert(conn: psycopg.Connection, model: str, rows: list[dict]) -> None:
    """Insert rows given by column name (other columns stay null); a column the contract does
    not have is an error, as it would be against the real mart."""
    known = contract_columns(model)
    for row in rows:
        unknown = set(row) - set(known)
        assert not unknown, f"marts.{model} has no column {unknown}"
    names = list(rows[0])
    statement = sql.SQL("insert into {} ({}) values ({})").format(
        sql.Identifier("marts", model), sql.SQL(", ").join(map(sql.Identifier, names)),
        sql.SQL(", ").join(sql.Placeholder() * len(names)))
    with conn.cursor() as cur:
        cur.executemany(statement, [tuple(r[n] for n in names) for r in rows])


def add_candidate(conn: psycopg.Connection, account: dict, platform_post_id: str,
                  detected_at: datetime, rule: str = "engagement_24h_zscore", score: float = 7.5,
                  text: str = "Our launch day thread 🚀 #launch",
                  found_at_connection: bool = False) -> str:
    """A viral_candidates row (and its post) for ``account``; returns the post_id."""
    post_id = f"{account['platform']}:{platform_post_id}"
    created = detected_at - timedelta(hours=3)
    ids = {"post_id": post_id, "platform_post_id": platform_post_id,
           "platform": account["platform"], "account_id": account["account_id"],
           "workspace_id": account["workspace_id"]}
    insert(conn, "viral_candidates", [{
        **ids, "handle": account["handle"], "rule": rule, "metric_value": 5400,
        "baseline_mean": 300, "baseline_stddev": 120, "threshold": 660, "score": score,
        "detected_at": detected_at, "post_created_at": created,
        "is_found_at_connection": found_at_connection}])
    insert(conn, "posts", [{**ids, "handle": account["handle"], "text": text,
                            "created_at": created, "engagement": 5400}])
    return post_id


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
        rows.append({
            "comment_id": f"{tag}-{i}", "post_id": f"{account['platform']}:{tag}",
            "platform_post_id": tag, "platform": account["platform"],
            "account_id": account["account_id"], "workspace_id": account["workspace_id"],
            "text": f"{text} ({tag} {i})", "created_at": start + step * i,
            "sentiment_label": label, "sentiment_compound": -0.7 if is_neg else 0.5})
    if rows:
        insert(conn, "comments", rows)
    return n
