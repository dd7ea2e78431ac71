"""Graph refusals of an account itself that no retry can help: the token lost its permission
(``(#10)``, ``(#200)``-``(#299)``) or the account's node no longer exists (``(#100)`` subcode 33
"does not exist", ``(#803)``, HTTP 404 naming the account's id). They become AccountUnavailable:
the account is held (not called again) until it is reconnected, and its sync state says why and
what fixes it. Refusals of single media or posts are handled where they are read and never get
here (``media_insights.py``, the #803 deletions of ``polling.repoll``). A competitor cannot be
reconnected (only owned accounts can), so its refusal names its own fix and holds it for a day
(``COMPETITOR_HOLD``), after which it is tried again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from dlt_sources._shared.errors import AccountSyncError, AccountUnavailable, CompetitorRefused
from dlt_sources.meta import settings
from dlt_sources.meta.capabilities import PPCA_ENV, page_public_content_access
from dlt_sources.meta.helpers import GraphError

PERMISSION_FIX = {
    "instagram": "reconnect the account with Facebook Login as a person who manages its "
                 "Facebook Page, granting instagram_basic and instagram_manage_insights",
    "facebook": "reconnect the Page with Facebook Login as a person with a task on it, "
                "granting pages_read_engagement and read_insights",
}
# long enough not to call a refusing competitor every cycle, short enough that a fix made
# elsewhere (the feature approved, the owned account reconnected) shows within a day
COMPETITOR_HOLD = timedelta(days=1)
BORROWED_FIX = ("the owned account's token that competitors are read with lacks the "
                "permission: reconnect the workspace's owned Instagram/Facebook account")
FEATURE_FIX = (f"Meta has not granted this app Page Public Content Access: set {PPCA_ENV}=false "
               "or get the feature approved")
COMPETITOR_GONE_FIX = ("the competitor was deleted, unpublished or renamed: remove it and add "
                       "it again by its current handle")
GONE_FIX = ("the account was deleted, unpublished or converted, or its id changed: reconnect it "
            "with Facebook Login (which stores its current id), or remove it")


def is_permission(err: GraphError) -> bool:
    """(#10) or Graph's permission range (#200-#299, e.g. ``(#200) Requires
    pages_read_engagement permission``)."""
    code = err.code or 0
    return code == settings.PERMISSION_CODE or 200 <= code <= 299


def is_gone(err: GraphError, account_id: str) -> bool:
    """The account's own node does not exist: the refusal names its id (a missing post or
    comment names another id and is not the account's problem)."""
    if account_id not in str(err):
        return False
    return (err.code == settings.MISSING_ALIASES_CODE or err.status == 404
            or (err.code == 100 and (err.subcode == settings.MISSING_OBJECT_SUBCODE
                                     or "does not exist" in str(err))))


def competitor_refusal(err: GraphError, platform: str, account_id: str
                       ) -> CompetitorRefused | None:
    """The day-long hold a refusal of this competitor means, else None."""
    if is_permission(err):
        # a Facebook competitor's posts are read with the feature when it is declared;
        # Instagram's business_discovery borrows the owned account's token
        fix = FEATURE_FIX if platform == "facebook" and page_public_content_access() \
            else BORROWED_FIX
        reason = f"Graph refuses this {platform} competitor for lack of permission ({err}): {fix}"
    elif is_gone(err, account_id):
        reason = (f"Graph says this {platform} competitor does not exist ({err}): "
                  f"{COMPETITOR_GONE_FIX}")
    else:
        return None
    # in the platform's time, as every hold (``holds.platform_now``)
    return CompetitorRefused(reason, (err.observed_at or datetime.now(UTC)) + COMPETITOR_HOLD)


def account_refusal(err: GraphError, platform: str, account_id: str
                    ) -> AccountUnavailable | None:
    """The permanent AccountUnavailable a refusal of this owned account means, else None."""
    if is_permission(err):
        return AccountUnavailable(f"Graph refuses this {platform} account for lack of "
                                  f"permission ({err}): {PERMISSION_FIX[platform]}")
    if is_gone(err, account_id):
        return AccountUnavailable(f"Graph says this {platform} account does not exist "
                                  f"({err}): {GONE_FIX}")
    return None


@contextmanager
def permanent_refusals(platform: str, account_id: str, is_competitor: bool = False
                       ) -> Iterator[None]:
    """Turn a permanent refusal of the account that escapes its sync into AccountUnavailable
    (a competitor's into a day-long CompetitorRefused)."""
    try:
        yield
    except GraphError as err:
        unavailable: AccountSyncError | None = (
            competitor_refusal if is_competitor else account_refusal)(err, platform, account_id)
        if unavailable is None:
            raise
        raise unavailable from err
