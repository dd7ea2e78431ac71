"""Assemble a report's figures from the marts (one statement per section).

Daily and summary figures are sums of marts.account_posts_daily, competitor figures sums of
competitor_benchmark's day grain: nothing is re-derived from posts but the top posts list.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from socialpulse.reports import queries

SECTIONS = {
    "performance": ("summary", "engagement_over_time", "top_posts", "hashtags"),
    "competitor": ("summary", "engagement_over_time", "competitors"),
    "full": ("summary", "engagement_over_time", "top_posts", "competitors", "hashtags"),
}
TOP_POSTS = 10
TOP_HASHTAGS = 12


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _rows(conn: Any, sql: str, params: dict) -> list[dict]:
    return [{k: _plain(v) for k, v in r.items()} for r in conn.execute(sql, params).fetchall()]


def assemble(conn: Any, request: dict) -> dict:
    """The report as a JSON-ready dict: metadata plus the sections of its type."""
    ws = conn.execute(queries.REPORT_WORKSPACE,
                      {"workspace_id": request["workspace_id"]}).fetchone() or {}
    params = {"ids": list(request["account_ids"]), "start": request["start_date"],
              "end": request["end_date"], "workspace_id": request["workspace_id"]}
    statements = {
        "summary": (queries.REPORT_SUMMARY, {}),
        "engagement_over_time": (queries.REPORT_DAILY, {}),
        "top_posts": (queries.REPORT_TOP_POSTS, {"limit": TOP_POSTS}),
        "competitors": (queries.REPORT_COMPETITORS, {}),
        "hashtags": (queries.REPORT_HASHTAGS, {"limit": TOP_HASHTAGS}),
    }
    out: dict[str, Any] = {"report": {
        "report_id": str(request["report_id"]), "report_type": request["report_type"],
        "workspace_id": request["workspace_id"],
        "workspace_name": ws.get("workspace_name"), "agency_name": ws.get("agency_name"),
        "start_date": _plain(request["start_date"]), "end_date": _plain(request["end_date"]),
        "account_ids": list(request["account_ids"]),
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }}
    for section in SECTIONS[request["report_type"]]:
        sql, extra = statements[section]
        out[section] = _rows(conn, sql, {**params, **extra})
    return out
