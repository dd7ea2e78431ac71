"""The connection flow as the API and the console run it: the callback URL registered with
each platform, and the core's errors as API errors (never with a token in them)."""

from __future__ import annotations

from typing import Any

from report_api.config import ApiSettings
from report_api.errors import ApiError, not_found
from report_api.queries import accounts as account_queries
from report_api.scope import Scope
from socialpulse.errors import ConfigError
from socialpulse.oauth import service
from socialpulse.oauth.client import ConnectionFailed
from socialpulse.oauth.flows import FlowRefused
from socialpulse.oauth.reconnect import Completion
from socialpulse.oauth.settings import oauth_settings


def callback_url(platform: str) -> str:
    """The redirect URI to register with the platform's app for ``platform``."""
    return f"{oauth_settings().redirect_base_url.rstrip('/')}/api/connections/{platform}/callback"


def begin(conn: Any, settings: ApiSettings, user: Scope, platform: str,
          workspace_id: int) -> str:
    """The platform's consent URL for a new flow of ``user`` (agency admins only)."""
    user.require_admin("connect accounts")
    user.check_workspace(workspace_id)
    try:
        return service.begin(conn, settings.signing_key(), user.user_id, workspace_id,
                             platform, callback_url(platform))
    except ConfigError as exc:
        raise ApiError(503, "not_configured", str(exc)) from None


def begin_reconnect(conn: Any, settings: ApiSettings, user: Scope, account_id: int) -> str:
    """The platform's consent URL for a flow that reconnects one owned account (its tokens
    alone are replaced on the callback)."""
    user.require_admin("reconnect accounts")
    row = conn.execute(account_queries.ACCOUNT_IN_SCOPE, {"account_id": account_id,
                                                          "ws": user.ws}).fetchone()
    if row is None:
        raise not_found("account")
    if row["is_competitor"]:
        raise ApiError(409, "conflict", "a competitor is read with a connected account's or "
                       "the app's token: it has no tokens of its own to reconnect")
    try:
        return service.begin(conn, settings.signing_key(), user.user_id, row["workspace_id"],
                             row["platform"], callback_url(row["platform"]),
                             account_id=account_id)
    except ConfigError as exc:
        raise ApiError(503, "not_configured", str(exc)) from None


def finish(conn: Any, settings: ApiSettings, user: Scope, platform: str, query: dict[str, str]
           ) -> Completion:
    """Complete the flow of the callback's query; 400 with the reason when it cannot."""
    user.require_admin("connect accounts")
    try:
        return service.complete(conn, settings.signing_key(), user.user_id, platform,
                                query.get("state"), query.get("code"), query.get("error"),
                                query.get("error_description"))
    except FlowRefused as exc:
        raise ApiError(400, "invalid_state", str(exc)) from None
    except ConnectionFailed as exc:
        raise ApiError(400, "connection_failed", str(exc)) from None
    except ConfigError as exc:
        raise ApiError(503, "not_configured", str(exc)) from None
