"""What `make demo` reads back: raw table counts, the marts, and alerts against the ground truth."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx

from socialpulse.warehouse import connect

Echo = Callable[[str], None]


def _table(echo: Echo, title: str, rows: list[dict[str, Any]], columns: list[tuple[str, str]]
           ) -> None:
    echo(f"\n{title}")
    if not rows:
        echo("  (none)")
        return
    widths = [max(len(header), *(len(_fmt(r[key])) for r in rows)) for key, header in columns]
    echo("  " + "  ".join(h.ljust(w) for (_, h), w in zip(columns, widths, strict=True)))
    for r in rows:
        echo("  " + "  ".join(_fmt(r[k]).ljust(w)
                              for (k, _), w in zip(columns, widths, strict=True)))


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 1 else f"{value:,.1f}"
    text = str(value).replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "..."


def print_marts(url: str, echo: Echo) -> None:
    """Top posts, trending hashtags, one workspace's competitor table and the alerts."""
    with connect(url) as conn:
        built = conn.execute("select to_regclass('marts.competitor_benchmark') as t").fetchone()
        if not built or built["t"] is None:
            echo("\nthe marts were not built: see the failed steps above")
            return
        top_posts = conn.execute(
            """
            select p.platform, a.handle, p.engagement, p.engagement_rate_by_followers as er,
                   p.text
            from marts.posts p join marts.accounts a on a.account_id = p.account_id
            where not a.is_competitor and p.engagement_rate_by_followers is not null
            order by p.engagement_rate_by_followers desc limit 8
            """).fetchall()
        hashtags = conn.execute(
            """
            select w.name as workspace, h.hashtag, h.posts, h.engagement, h.velocity
            from marts.hashtag_trends h
            join app.workspaces w on w.workspace_id::text = h.workspace_id::text
            where h.metric_date = (select max(metric_date) from marts.hashtag_trends)
            order by h.trending_rank, w.name limit 8
            """).fetchall()
        workspace = conn.execute(
            "select workspace_id, name from app.workspaces order by workspace_id limit 1"
        ).fetchone()
        benchmark = conn.execute(
            """
            select b.platform, a.handle, a.is_competitor, b.posts, b.engagement_per_post,
                   b.share_of_voice, b.engagement_rank
            from marts.competitor_benchmark b
            join marts.accounts a on a.account_id = b.account_id
            where b.workspace_id::text = %s::text and b.period_grain = 'week'
              and b.period_start = (select max(period_start) from marts.competitor_benchmark
                                    where period_grain = 'week')
            order by b.platform, b.engagement_rank
            """, (workspace["workspace_id"] if workspace else None,)).fetchall()
        alerts = conn.execute(
            """
            select kind, string_agg(rule, ', ' order by rule) as rules,
                   min(status) as status, min(payload ->> 'handle') as handle,
                   coalesce(post_key, '-') as post_key,
                   round(max(score)::numeric, 1) as score
            from app.alerts
            group by kind, account_id, coalesce(post_key, '-')
            order by kind, max(score) desc
            """).fetchall()
    _table(echo, "top posts by engagement rate (by followers)", top_posts,
           [("platform", "platform"), ("handle", "account"), ("engagement", "engagement"),
            ("er", "rate"), ("text", "text")])
    _table(echo, "trending hashtags (latest day)", hashtags,
           [("workspace", "workspace"), ("hashtag", "hashtag"), ("posts", "posts"),
            ("engagement", "engagement"), ("velocity", "velocity z")])
    title = f"competitor benchmark, latest week, workspace {workspace['name'] if workspace else ''}"
    _table(echo, title, benchmark,
           [("platform", "platform"), ("handle", "account"), ("is_competitor", "competitor"),
            ("posts", "posts"), ("engagement_per_post", "eng/post"),
            ("share_of_voice", "share of voice"), ("engagement_rank", "rank")])
    _table(echo, f"alerts raised ({len(alerts)} posts / accounts; top 12 by score)",
           alerts[:12], [("kind", "kind"), ("rules", "rules fired"), ("status", "status"),
                         ("handle", "account"), ("post_key", "post"), ("score", "sigma")])


def raw_table_counts(url: str) -> list[tuple[str, str, int]]:
    """(dataset, table, rows) for every raw table."""
    with connect(url) as conn:
        tables = conn.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema like 'raw\\_%%' and table_schema not like '%%\\_staging' "
            "and table_name not like '\\_dlt%%' order by 1, 2").fetchall()
        out = []
        for t in tables:
            n = conn.execute(
                f'select count(*) as n from "{t["table_schema"]}"."{t["table_name"]}"'
            ).fetchone()["n"]  # type: ignore[index]
            out.append((t["table_schema"], t["table_name"], n))
    return out


def latest_observation(url: str) -> datetime | None:
    """The newest observed_at in the raw snapshot tables (None before the first sync)."""
    with connect(url) as conn:
        tables = conn.execute(
            "select table_schema, table_name from information_schema.columns "
            "where table_schema like 'raw\\_%%' and table_schema not like '%%\\_staging' "
            "and column_name = 'observed_at'").fetchall()
        latest = None
        for t in tables:
            row = conn.execute(
                f'select max(observed_at) as at from "{t["table_schema"]}"."{t["table_name"]}"'
            ).fetchone()
            if row and row["at"] and (latest is None or row["at"] > latest):
                latest = row["at"]
    return latest


def viral_truth_check(sandbox_url: str, url: str, at: str, echo: Echo) -> None:
    """Compare raised viral alerts with the sandbox's injected viral posts."""
    world = httpx.get(f"{sandbox_url}/_sandbox/world", timeout=60).json()
    hidden = {(a["platform"], a["platform_account_id"]) for a in world["accounts"]
              if a["is_competitor"] and a["platform"] == "facebook"}
    truth = httpx.get(f"{sandbox_url}/_sandbox/truth/posts", params={"at": at},
                      timeout=120).json()
    took_off = {f"{p['platform']}:{p['post_id']}" for p in truth
                if p["is_viral"] and (p["platform"], p["account_id"]) not in hidden
                and datetime.fromisoformat(p["viral_at"]) <= datetime.fromisoformat(at)}
    with connect(url) as conn:
        alerted = {r["post_key"] for r in conn.execute(
            "select distinct post_key from app.alerts where kind = 'viral_post'")}
    echo(f"\nviral posts injected by the sandbox that took off: {len(took_off)}; "
         f"alerted: {len(took_off & alerted)}; alerts on other posts: {len(alerted - took_off)}")
