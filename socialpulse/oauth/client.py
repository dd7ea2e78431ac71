"""The authorization URL (with the PKCE challenge where the platform uses one) and the code
exchange, through Authlib's OAuth 2.0 client on httpx."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

# Authlib's client runs on httpx2 where installed (it is): its network errors are httpx2's
import httpx2
from authlib.common.errors import AuthlibBaseError
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client

from socialpulse.oauth.settings import SourceOAuth

TIMEOUT_S = 30


class _NoQueryInLog(logging.Filter):
    """httpx logs every request's URL at INFO; Graph's token calls carry the app secret, the
    code and the token being exchanged in the query, so the query is left out of the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(a.copy_with(query=None) if isinstance(a, httpx.URL) else a
                                for a in record.args)
        return True


logging.getLogger("httpx").addFilter(_NoQueryInLog())


class ConnectionFailed(Exception):
    """The platform refused or failed a step of the flow; the message says which and why, and
    never carries a token."""


@dataclass(frozen=True)
class IssuedToken:
    """A token response: the token, its refresh token, when it expires (platform clock)."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: datetime | None
    scope: str | None
    issued_at: datetime


def server_time(response: httpx.Response) -> datetime:
    """When the platform answered (its Date header: the sandbox's simulated clock, or the
    real platform's), else this machine's clock."""
    try:
        return parsedate_to_datetime(response.headers["Date"]).astimezone(UTC)
    except (KeyError, TypeError, ValueError):
        return datetime.now(UTC)


def new_code_verifier() -> str:
    """A PKCE code verifier (RFC 7636: 43-128 unreserved characters)."""
    return generate_token(64)


def _client(app: SourceOAuth, source: str, redirect_uri: str) -> OAuth2Client:
    client_id, client_secret = app.credentials(source)
    scope = app.scopes
    return OAuth2Client(client_id, client_secret, scope=scope, redirect_uri=redirect_uri,
                        token_endpoint_auth_method=app.token_auth,
                        code_challenge_method="S256" if app.uses_pkce else None,
                        timeout=TIMEOUT_S)


def authorization_url(app: SourceOAuth, source: str, redirect_uri: str, state: str,
                      code_verifier: str | None) -> str:
    """Where to send the person: the platform's consent page for this app, ``state`` and,
    for PKCE platforms, the S256 challenge of ``code_verifier``."""
    with _client(app, source, redirect_uri) as client:
        url, _ = client.create_authorization_url(
            app.authorize_url, state=state,
            code_verifier=code_verifier if app.uses_pkce else None)
    return str(url)


def exchange_code(app: SourceOAuth, source: str, redirect_uri: str, code: str,
                  code_verifier: str | None) -> IssuedToken:
    """Trade the authorization code for tokens; ConnectionFailed with the platform's reason."""
    answered: dict[str, httpx.Response] = {}

    def keep(response: httpx.Response) -> httpx.Response:
        answered["response"] = response
        if response.status_code >= 400 and "json" not in response.headers.get(
                "content-type", ""):
            raise ConnectionFailed(f"{source} token endpoint answered "
                                   f"{response.status_code}")
        return response

    extra: dict[str, Any] = {}
    if app.uses_pkce and code_verifier:
        extra["code_verifier"] = code_verifier
    try:
        with _client(app, source, redirect_uri) as client:
            client.register_compliance_hook("access_token_response", keep)
            # POST everywhere: Graph takes the exchange either way, and a POST keeps the app
            # secret and the code out of URLs
            token = client.fetch_token(app.token_url, code=code,
                                       grant_type="authorization_code", **extra)
    except AuthlibBaseError as exc:
        raise ConnectionFailed(f"{source} refused the code exchange: "
                               f"{_oauth_reason(exc)}") from None
    except (httpx.HTTPError, httpx2.HTTPError) as exc:
        raise ConnectionFailed(f"{source} token endpoint unreachable: "
                               f"{type(exc).__name__}") from None
    except ValueError:  # not a JSON body
        raise ConnectionFailed(f"{source} token endpoint sent an unreadable answer") from None
    if isinstance(token.get("error"), dict):  # Graph's {"error": {"message", "code"}}
        raise ConnectionFailed(f"{source} refused the code exchange: "
                               f"{token['error'].get('message', 'error')}")
    if not token.get("access_token"):
        raise ConnectionFailed(f"{source} token endpoint sent no access token")
    return issued_token(dict(token), server_time(answered["response"]))


def _oauth_reason(exc: AuthlibBaseError) -> str:
    error = exc.error
    if isinstance(error, dict):  # Graph errors are objects, not strings
        return str(error.get("message") or error.get("type") or "error")
    return " ".join(str(p) for p in (error, exc.description) if p)


def issued_token(body: dict, issued_at: datetime) -> IssuedToken:
    """An IssuedToken from a token endpoint's JSON answer and the platform's time."""
    expires_in = body.get("expires_in")
    return IssuedToken(access_token=str(body["access_token"]),
                       refresh_token=body.get("refresh_token") or None,
                       expires_at=issued_at + timedelta(seconds=int(expires_in))
                       if expires_in else None,
                       scope=body.get("scope") if isinstance(body.get("scope"), str) else None,
                       issued_at=issued_at)
