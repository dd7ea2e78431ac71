"""What is already loaded: the posts a source re-polls inside its lookback window."""

from __future__ import annotations

from datetime import datetime

import psycopg
from psycopg import sql


def recent_post_ids(url: str, dataset: str, table: str, id_column: str, account_column: str,
                    created_column: str, account_id: str, since: datetime,
                    deleted_column: str | None = "is_deleted") -> list[str]:
    """Ids of an account's loaded posts created after ``since`` (and not known deleted).

    Returns an empty list before the first load, when the table does not exist yet.
    """
    query = sql.SQL("select {id}::text from {tbl} where {acct} = %s and {created} >= %s").format(
        id=sql.Identifier(id_column), tbl=sql.Identifier(dataset, table),
        acct=sql.Identifier(account_column), created=sql.Identifier(created_column))
    if deleted_column:
        query += sql.SQL(" and not coalesce({d}, false)").format(d=sql.Identifier(deleted_column))
    query += sql.SQL(" order by {created}").format(created=sql.Identifier(created_column))
    with psycopg.connect(url) as conn:
        exists = conn.execute("select to_regclass(%s)", (f"{dataset}.{table}",)).fetchone()
        if not exists or exists[0] is None:
            return []
        return [r[0] for r in conn.execute(query, (account_id, since)).fetchall()]
