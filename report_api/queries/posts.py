"""An account's posts (marts.posts): keyset pages on a whitelisted sort."""

from __future__ import annotations

from typing import Any

from psycopg import sql

Conn = Any  # psycopg.Connection[dict[str, Any]]

POST_COLUMNS = sql.SQL("""
    post_id, platform_post_id, platform, text, post_url, media_type, created_at, is_deleted,
    likes, comments, shares, saves, clicks, impressions, reach, views, engagement,
    engagement_rate_by_followers, engagement_rate_by_impressions, engagement_rate_by_reach,
    sentiment_label, sentiment_compound, metrics_observed_at""")

# sort key -> (expression, the type its cursor value is cast to); nulls sort as -1 so the
# keyset comparison stays total
POST_SORTS: dict[str, tuple[sql.Composable, str]] = {
    "created_at": (sql.SQL("created_at"), "timestamptz"),
    "engagement": (sql.SQL("coalesce(engagement, -1)"), "bigint"),
    "engagement_rate": (sql.SQL("coalesce(engagement_rate_by_followers, -1)"),
                        "double precision"),
}


def _keyset(expr: sql.Composable, cast: str, order: str) -> sql.Composable:
    """Rows after the cursor's (sort value, post_id), in the page's direction."""
    op = sql.SQL("<" if order == "desc" else ">")
    return sql.SQL("and ({expr}, post_id) {op} (%(after_value)s::{cast}, %(after_id)s)"
                   ).format(expr=expr, op=op, cast=sql.SQL(cast))


def posts_page(conn: Conn, account_id: int, sort: str, order: str, limit: int, offset: int,
               after: tuple[Any, str] | None, include_deleted: bool) -> list[dict]:
    """One page (``limit + 1`` rows, to tell whether another follows) of an account's posts."""
    expr, cast = POST_SORTS[sort]
    direction = sql.SQL("desc" if order == "desc" else "asc")
    keyset = _keyset(expr, cast, order) if after is not None else sql.SQL("")
    query = sql.SQL("""
        select {columns}, {expr} as sort_value
        from marts.posts
        where account_id = %(account_id)s::bigint
          and (%(include_deleted)s or not is_deleted)
          {keyset}
        order by {expr} {direction}, post_id {direction}
        limit %(limit)s offset %(offset)s
    """).format(columns=POST_COLUMNS, expr=expr, keyset=keyset, direction=direction)
    params = {"account_id": account_id, "include_deleted": include_deleted,
              "limit": limit + 1, "offset": offset,
              "after_value": after[0] if after else None, "after_id": after[1] if after else None}
    return conn.execute(query, params).fetchall()
