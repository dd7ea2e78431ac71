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


TOP_POSTS = """
select p.platform, p.handle, p.engagement, p.engagement_rate_by_followers, p.text
from marts.posts as p
where not p.is_competitor and p.engagement_rate_by_followers is not null
order by p.engagement_rate_by_followers desc limit 8
"""

# the ranked all-platform rows of hashtag_trends (platform is null) on its latest complete day;
# tags under the minimum volume carry no rank and are not trends
TRENDING = """
select w.name as workspace, h.hashtag, h.posts, h.engagement,
       round(h.velocity::numeric, 2) as velocity
from marts.hashtag_trends as h
inner join app.workspaces as w on w.workspace_id = h.workspace_id
where h.platform is null
  and h.trending_rank is not null
  and h.metric_date = (select max(metric_date) from marts.hashtag_trends)
order by h.trending_rank, w.name limit 8
"""

BENCHMARK = """
select b.platform, b.handle,
       case when b.is_competitor then 'competitor' else 'own' end as side,
       b.posts, b.public_engagement_per_post,
       b.share_of_voice, b.public_engagement_rank, w.name as workspace
from marts.competitor_benchmark as b
inner join app.workspaces as w on w.workspace_id = b.workspace_id
where b.workspace_id = (select min(workspace_id) from app.workspaces)
  and b.period_grain = 'week'
  and b.period_start = (select max(period_start) from marts.competitor_benchmark
                        where period_grain = 'week')
order by b.platform, b.public_engagement_rank
"""

ALERTS = """
select kind, string_agg(rule, ', ' order by rule) as rules, min(status) as status,
       min(payload ->> 'handle') as handle, coalesce(post_id, '-') as post_id,
       round(max(score)::numeric, 1) as score
from app.alerts
group by kind, account_id, coalesce(post_id, '-')
order by kind, max(score) desc
"""

# (title, statement, [(column, header)]) in the order they are printed
SECTIONS = [
    ("top posts by engagement rate (by followers)", TOP_POSTS,
     [("platform", "platform"), ("handle", "account"), ("engagement", "engagement"),
      ("engagement_rate_by_followers", "rate"), ("text", "text")]),
    ("trending hashtags (latest complete day, all platforms)", TRENDING,
     [("workspace", "workspace"), ("hashtag", "hashtag"), ("posts", "posts"),
      ("engagement", "engagement"), ("velocity", "velocity z")]),
    ("competitor benchmark, latest week, first workspace", BENCHMARK,
     [("platform", "platform"), ("handle", "account"), ("side", "own/competitor"),
      ("posts", "posts"), ("public_engagement_per_post", "public eng/post"),
      ("share_of_voice", "share of voice"), ("public_engagement_rank", "rank")]),
    ("alerts raised (top 12 by score)", ALERTS,
     [("kind", "kind"), ("rules", "rules fired"), ("status", "status"),
      ("handle", "account"), ("post_id", "post"), ("score", "sigma")]),
]


def print_marts(url: str, echo: Echo) -> None:
    """Top posts, trending hashtags, one workspace's competitor table and the alerts."""
    with connect(url) as conn:
        built = conn.execute("select to_regclass('marts.competitor_benchmark') as t").fetchone()
        if not built or built["t"] is None:
            echo("\nthe marts were not built: see the failed steps above")
            return
        for title, statement, columns in SECTIONS:
            _table(echo, title, conn.execute(statement).fetchall()[:12], columns)


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
        rows = conn.execute("select rule, post_id, payload from app.alerts "
                            "where kind = 'viral_post'").fetchall()
    # posts that took off before their account was connected come in one notice per account
    notices = [r for r in rows if r["rule"] == "found_at_connection"]
    found = {p["post_id"] for r in notices for p in r["payload"].get("posts", [])}
    alerted = {r["post_id"] for r in rows if r["rule"] != "found_at_connection"} | found
    echo(f"\nviral posts injected by the sandbox that took off: {len(took_off)}; "
         f"alerted: {len(took_off & alerted)} ({len(took_off & found)} found at connection, "
         f"in {len(notices)} notice(s)); alerts on other posts: {len(alerted - took_off)}")
