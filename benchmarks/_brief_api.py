"""The original design brief's overview and trending-hashtags algorithms, served over HTTP.

The baseline of ``endpoints.py``, on the same database and with the same pool size as the
report API (a FastAPI app, sync routes, one pooled connection per request):

- overview: "fetches all user accounts from database, then retrieves post statistics for each
  account in a loop" (one query for the accounts, then one per account: N+1);
- trending hashtags: "queries all posts in the database and extracts hashtags from content
  field, counts occurrences, and returns top hashtags" (every post text of the user's
  workspaces, a regex, a counter).

The caller names the user in ``X-User-Id`` (the report API verifies a token instead).

    python benchmarks/_brief_api.py DATABASE_URL PORT
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from typing import Annotated

import uvicorn
from fastapi import FastAPI, Header
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

HASHTAG = re.compile(r"#(\w+)")
ACCOUNTS = """
select a.account_id, a.platform
from app.connected_accounts as a
join app.workspaces as w using (workspace_id)
join app.users as u on u.agency_id = w.agency_id
where u.user_id = %s and not a.is_competitor
order by a.account_id
"""
ACCOUNT_POSTS = """
select count(*) as posts_count, coalesce(sum(engagement), 0) as total_engagement,
       avg(engagement)::double precision as avg_engagement
from marts.posts where account_id = %s
"""
POST_TEXTS = """
select p.text
from marts.posts as p
join app.workspaces as w using (workspace_id)
join app.users as u on u.agency_id = w.agency_id
where u.user_id = %s
"""


def create_app(url: str, pool_size: int = 10) -> FastAPI:
    """The brief's two endpoints against the warehouse at ``url``."""
    pool = ConnectionPool(url, min_size=pool_size, max_size=pool_size, open=True)
    app = FastAPI()

    @app.get("/healthz")
    def healthz() -> dict:
        return {"ok": True}

    @app.get("/api/dashboard/overview")
    def overview(x_user_id: Annotated[int, Header()]) -> dict:
        with pool.connection() as conn:
            cur = conn.cursor(row_factory=dict_row)
            accounts = cur.execute(ACCOUNTS, (x_user_id,)).fetchall()
            out = [{**a, **(cur.execute(ACCOUNT_POSTS, (a["account_id"],)).fetchone() or {})}
                   for a in accounts]
        return {"total_posts": sum(a["posts_count"] for a in out),
                "total_engagement": sum(a["total_engagement"] for a in out), "accounts": out}

    @app.get("/api/analytics/trending-hashtags")
    def trending(x_user_id: Annotated[int, Header()], limit: int = 20) -> dict:
        with pool.connection() as conn:
            texts = conn.cursor(row_factory=dict_row).execute(POST_TEXTS, (x_user_id,)).fetchall()
        counts = Counter(tag.lower() for row in texts for tag in HASHTAG.findall(row["text"] or ""))
        return {"hashtags": [{"hashtag": t, "count": n} for t, n in counts.most_common(limit)]}

    return app


if __name__ == "__main__":
    uvicorn.run(create_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]),
                log_level="error")
