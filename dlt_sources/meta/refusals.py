"""Graph refusals of an account itself that no retry can help: the token lost its permission
(``(#10)``, ``(#200)``-``(#299)``) or the account's node no longer exists (``(#100)`` subcode 33
"does not exist", ``(#803)``, HTTP 404 naming the account's id). They become AccountUnavailable:
the account is held (not called again) until it is reconnected, and its sync state says why and
what fixes it. Refusals of single media or posts are handled where they are read and never get
here (``media_insights.py``, the #803 deletions of ``polling.repoll``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from dlt_sources._shared.errors import AccountUnavailable
from dlt_sources.meta import settings
from dlt_sources.meta.helpers import GraphError

PERMISSION_FIX = {
    "instagram": "reconnect the account with Facebook Login as a person who manages its "
                 "Facebook Page, granting instagram_basic and instagram_manage_insights",
    "facebook": "reconnect the Page with Facebook Login as a person with a task on it, "
                "granting pages_read_engagement and read_insights",
}
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


def account_refusal(err: GraphError, platform: str, account_id: str
                    ) -> AccountUnavailable | None:
    """The permanent AccountUnavailable a refusal of this account means, else None."""
    if is_permission(err):
        return AccountUnavailable(f"Graph refuses this {platform} account for lack of "
                                  f"permission ({err}): {PERMISSION_FIX[platform]}")
    if is_gone(err, account_id):
        return AccountUnavailable(f"Graph says this {platform} account does not exist "
                                  f"({err}): {GONE_FIX}")
    return None


@contextmanager
def permanent_refusals(platform: str, account_id: str) -> Iterator[None]:
    """Turn a permanent refusal of the account that escapes its sync into AccountUnavailable."""
    try:
        yield
    except GraphError as err:
        unavailable = account_refusal(err, platform, account_id)
        if unavailable is None:
            raise
        raise unavailable from err
