"""An organization's posts: the new ones by cursor (newest first), and the lookback window's
re-read in batches, which also finds the deleted ones."""

from __future__ import annotations

from collections.abc import Iterator

import dlt

from dlt_sources._shared.context import SyncContext
from dlt_sources._shared.http import server_time
from dlt_sources._shared.quarantine import reject
from dlt_sources._shared.warehouse import stored_rows
from dlt_sources.linkedin import records, settings
from dlt_sources.linkedin.helpers import LinkedInApi, LinksPaginator, urn_list
from dlt_sources.linkedin.tables import POSTS, REJECTS

Rows = dict[str, list]  # raw table name -> rows fetched for it


def chunks(items: list[str], size: int) -> Iterator[list[str]]:
    """``items`` in consecutive lists of at most ``size``."""
    for i in range(0, len(items), size):
        yield items[i:i + size]


def new_posts(api: LinkedInApi, org_id: str, page_size: int, out: Rows) -> list[str]:
    """Posts newer than the cursor (newest first; stop at the first one already seen)."""
    cursors = dlt.current.source_state().setdefault("last_created_at_ms", {})
    cursor = cursors.get(org_id)
    params = {"q": "author", "author": settings.ORG_URN.format(org_id=org_id),
              "sortBy": "CREATED", "count": page_size}
    new: list[str] = []
    newest = cursor
    stop = False
    for page in api.pages(settings.POSTS_PATH, params, LinksPaginator()):
        observed = server_time(page.response)
        for element in page:
            created = element.get("createdAt")
            if cursor is not None and isinstance(created, int) and created <= cursor:
                stop = True  # already seen (a broken record there was quarantined then)
                break
            try:
                row = records.post_row(element, org_id, observed)
            except ValueError as exc:
                out[REJECTS.name].append(reject("posts", element, str(exc), observed, org_id))
                continue
            out[POSTS.name].append(row)
            new.append(row["id"])
            newest = max(newest or 0, int(row["created_at"].timestamp() * 1000))
        if stop:
            break
    if newest is not None:
        cursors[org_id] = newest
    return new


def recheck(api: LinkedInApi, org_id: str, urns: list[str], batch_size: int,
            context: SyncContext, out: Rows) -> list[str]:
    """BATCH_GET the window's posts: refresh the live ones, flag the 404s as deleted (their
    stored rows again: a merge replaces whole rows). Returns the live ones."""
    alive, gone = [], []
    for chunk in chunks(urns, batch_size):
        body, observed = api.get(f"{settings.POSTS_PATH}?ids={urn_list(chunk)}")
        for urn, element in (body.get("results") or {}).items():
            try:
                out[POSTS.name].append(records.post_row(element, org_id, observed))
                alive.append(urn)
            except ValueError as exc:
                out[REJECTS.name].append(reject("posts", element, str(exc), observed, org_id))
        gone += [urn for urn, err in (body.get("errors") or {}).items()
                 if (err or {}).get("status") == 404]
    for row in stored_rows(context.warehouse_url, context.dataset, POSTS, gone):
        out[POSTS.name].append({**row, "is_deleted": True})
    return alive
