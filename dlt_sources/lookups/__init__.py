"""Competitor lookups: the cycle's first step turns pending competitor handles into platform
accounts through each platform's own lookup, or says why it cannot.

- X: ``GET /2/users/by/username/:username`` with the app's bearer token.
- Instagram: ``business_discovery`` through an owned Instagram account of the workspace.
- Facebook: the Page by vanity name or id (``GET /{vanity}?fields=id,name,username,...``), then
  whether its posts can be read at all (Page Public Content Access, granted by Meta and
  declared with ``META_PAGE_PUBLIC_CONTENT_ACCESS``).
- LinkedIn: ``GET /rest/organizations?q=vanityName``; LinkedIn gives no posts or statistics of
  organizations one does not administer, so a found one is ``not_available``.

A lookup that fails for a passing reason (throttling, a 5xx, no owned account to borrow a token
from yet) leaves the competitor pending with that reason; the next cycle tries again.
"""

from __future__ import annotations

import logging
from typing import Any

from dlt_sources._shared.errors import AccountSyncError
from dlt_sources._shared.http import redact
from dlt_sources.lookups import linkedin, meta, twitter
from dlt_sources.lookups.results import Found, Lookup, Unresolved, Waiting
from socialpulse import competitors
from socialpulse.warehouse import connect

log = logging.getLogger(__name__)

LOOKUPS: dict[str, Lookup] = {
    "twitter": twitter.lookup,
    "instagram": meta.lookup_instagram,
    "facebook": meta.lookup_facebook,
    "linkedin": linkedin.lookup,
}


def resolve_pending(url: str, platforms: list[str] | tuple[str, ...]) -> dict[str, int]:
    """Look up every pending competitor of ``platforms``; returns how many ended in each
    status (``pending`` counts those still waiting, ``removed`` those removed meanwhile)."""
    counts: dict[str, int] = {}
    with connect(url) as conn:
        todo = competitors.pending(conn, platforms)
    for competitor in todo:
        with connect(url) as conn:
            result = _look_up(url, conn, competitor)
            status = _store(conn, competitor, result)
        counts[status] = counts.get(status, 0) + 1
    return counts


def _look_up(url: str, conn: Any, competitor: competitors.Pending) -> Found | Unresolved | Waiting:
    try:
        return LOOKUPS[competitor.platform](url, conn, competitor)
    except AccountSyncError as exc:
        # throttled, a 5xx after retries, a refused token: the handle is not the problem
        reason = redact(f"the {competitor.platform} lookup failed ({exc}); it is tried again "
                        "next cycle")
        log.warning("competitor %s:%s: %s", competitor.platform, competitor.handle, reason)
        return Waiting(reason)
    except Exception as exc:  # noqa: BLE001 - a lookup must never stop the group's syncs
        log.exception("competitor %s:%s: lookup failed", competitor.platform, competitor.handle)
        return Waiting(redact(f"the {competitor.platform} lookup could not run "
                              f"({type(exc).__name__}: {exc}); it is tried again next cycle"))


def _store(conn: Any, competitor: competitors.Pending,
           result: Found | Unresolved | Waiting) -> str:
    if not competitors.lock_pending(conn, competitor):
        return "removed"  # stopped tracking while the platform was asked
    if isinstance(result, Found):
        account_id = competitors.mark_tracked(conn, competitor, result.platform_account_id,
                                              result.handle, result.display_name)
        return "tracked" if account_id is not None else "not_available"
    if isinstance(result, Unresolved):
        competitors.mark_unresolved(conn, competitor, result.status, result.reason)
        return result.status
    competitors.mark_waiting(conn, competitor, result.reason)
    return "pending"
