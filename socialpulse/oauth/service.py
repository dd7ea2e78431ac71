"""One connection from start to end, for the report API and the terminal alike: start a flow
(the consent URL), then on the callback check the state, exchange the code, list what was
granted and connect it, all or nothing."""

from __future__ import annotations

import logging
from typing import Any

import psycopg

from socialpulse.oauth import client, flows, grants
from socialpulse.oauth.connect import connect_granted
from socialpulse.oauth.reconnect import Completion, only_the_account
from socialpulse.oauth.settings import SOURCE_OF_PLATFORM, oauth_settings, source_oauth

log = logging.getLogger(__name__)
# the platforms' words for a person who said no (X, Meta, LinkedIn)
DENIED = {"access_denied", "user_cancelled_login", "user_cancelled_authorize"}


def begin(conn: psycopg.Connection[Any], signing_key: str, user_id: int, workspace_id: int,
          platform: str, redirect_uri: str, account_id: int | None = None) -> str:
    """Record a flow for ``user_id`` and ``workspace_id`` (a reconnect of ``account_id``
    alone when given); returns the consent URL."""
    source = SOURCE_OF_PLATFORM[platform]
    app = source_oauth(source)
    app.credentials(source)  # a missing client id fails here, before anything is stored
    verifier = client.new_code_verifier() if app.uses_pkce else None
    flows.forget_old_flows(conn)  # the table keeps a day of flows, for the record
    state = flows.start_flow(conn, signing_key, user_id, workspace_id, platform, redirect_uri,
                             oauth_settings().flow_ttl_seconds, verifier,
                             account_id=account_id)
    return client.authorization_url(app, source, redirect_uri, state, verifier)


def complete(conn: psycopg.Connection[Any], signing_key: str, user_id: int, platform: str,
             state: str | None, code: str | None, error: str | None = None,
             error_description: str | None = None) -> Completion:
    """Finish a flow: the workspace and the connected accounts (for a reconnect only that
    account, the others the consent granted named as not added). Raises FlowRefused for a
    bad state (nothing used up), ConnectionFailed for a platform refusal, a denied consent, an
    exchange that failed or a reconnect that did not grant its account (the flow is used up,
    nothing is connected). Commits as it goes: a used state
    stays used whatever happens next."""
    if not state:
        raise flows.FlowRefused("the callback carries no state: start the connection again")
    flow = flows.consume_flow(conn, signing_key, state, user_id, platform)
    conn.commit()
    try:
        if error or not code:
            raise client.ConnectionFailed(_refusal(platform, error, error_description))
        app = source_oauth(flow.source)
        token = client.exchange_code(app, flow.source, flow.redirect_uri, code,
                                     flow.code_verifier)
        granted = grants.granted_accounts(flow.source, app, token)
        if not granted:
            raise client.ConnectionFailed(
                "the consent granted no account to read: pick at least one account "
                "(or one your login administers) and connect again")
        not_added: list[str] = []
        if flow.account_id is not None:
            granted, not_added = only_the_account(conn, flow.account_id, granted)
        connected = connect_granted(conn, flow.workspace_id, user_id, granted)
        flows.finish_flow(conn, flow.flow_id, f"connected {len(connected)} accounts")
        conn.commit()
    except Exception as exc:
        conn.rollback()  # nothing half-connected
        reason = str(exc) if isinstance(exc, client.ConnectionFailed) else "internal error"
        flows.finish_flow(conn, flow.flow_id, reason)
        conn.commit()
        log.warning("connection of %s for workspace %s failed: %s", platform,
                    flow.workspace_id, reason)
        raise
    log.info("connected %s accounts of %s to workspace %s", len(connected), platform,
             flow.workspace_id)
    return Completion(flow.workspace_id, connected, not_added)


def _refusal(platform: str, error: str | None, description: str | None) -> str:
    if error in DENIED:
        return f"the consent on {platform} was cancelled or denied: nothing was connected"
    if error:
        detail = f" ({description[:200]})" if description else ""
        return f"{platform} answered the authorization with {error[:100]}{detail}"
    return "the callback carries no authorization code"
