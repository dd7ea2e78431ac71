"""The query plans of the overview and trending statements for one user, as the API runs them.

``EXPLAIN (ANALYZE, BUFFERS)`` of the report API's own statements with the parameters its
routes pass for an agency admin (every workspace of the agency, no filter), so a benchmark
result says which indexes the figures came from and how many rows each request read.
"""

from __future__ import annotations

import _world
import psycopg

from report_api.queries import analytics, dashboard


def _scope(url: str, user_id: int) -> list[int]:
    """The workspaces an agency admin sees: every workspace of the agency."""
    return [r["workspace_id"] for r in _world.query(
        url, "select w.workspace_id from app.workspaces as w join app.users as u "
             "using (agency_id) where u.user_id = %s order by 1", (user_id,))]


def plans(url: str, user_id: int, label: str) -> str:
    """The plans as text, one section per statement."""
    ws = _scope(url, user_id)
    statements = {
        "overview (account_posts_running)": (dashboard.OVERVIEW, {
            "ws": ws, "workspace_id": None, "platform": None, "include_competitors": False,
            "start": None, "end": None}),
        "trending, 7-day window (hashtag_trends_windows)": (analytics.trending(7), {
            "ws": ws, "workspace_id": None, "platform": None, "days": 7, "limit": 20,
            "as_of": None}),
        "trending, 30-day window (hashtag_trends)": (analytics.trending(30), {
            "ws": ws, "workspace_id": None, "platform": None, "days": 30, "limit": 20,
            "as_of": None}),
    }
    sections = []
    with psycopg.connect(url) as conn:
        for name, (sql, params) in statements.items():
            # a first run warms the cache as the servers' warm-up request does
            conn.execute(sql, params).fetchall()
            rows = conn.execute(f"explain (analyze, buffers) {sql}", params).fetchall()
            sections.append(f"## {name}, {label}, {len(ws)} workspaces\n\n"
                            + "\n".join(r[0] for r in rows))
    return "\n\n".join(sections)
