"""Revoking a grant at the platform when an account is disconnected: RFC 7009 revocation
through Authlib for X (``POST /2/oauth2/revoke``, Basic client auth) and LinkedIn
(``POST /oauth/v2/revoke``, client id and secret in the form), Graph's
``DELETE /{user-id}/permissions`` with the app token for Meta. Never raises: the outcome says
what the platform answered, without a token in it."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import httpx2  # Authlib's client runs on httpx2 where installed: its network errors are httpx2's
from authlib.integrations.httpx_client import OAuth2Client

from socialpulse.errors import ConfigError
from socialpulse.oauth.client import TIMEOUT_S
from socialpulse.oauth.settings import SourceOAuth, source_oauth


@dataclass(frozen=True)
class RevokeOutcome:
    """``revoked`` | ``failed`` | ``kept_shared`` | ``not_possible``, and why."""

    status: str
    detail: str


def _reason(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):  # Graph: {"error": {"message", "code", "error_subcode"}}
        return f"HTTP {response.status_code}: ({error.get('code')}) {error.get('message')}"
    text = " ".join(str(body.get(k)) for k in ("error", "error_description", "message")
                    if isinstance(body, dict) and body.get(k))
    return f"HTTP {response.status_code}" + (f": {text}" if text else "")


def _rfc7009(source: str, app: SourceOAuth, tokens: list[tuple[str, str]]) -> RevokeOutcome:
    client_id, secret = app.credentials(source)
    # X takes the client in a Basic header, LinkedIn in the form: as at their token endpoints
    with OAuth2Client(client_id, secret, revocation_endpoint_auth_method=app.token_auth,
                      timeout=TIMEOUT_S) as client:
        for token, hint in tokens:
            # LinkedIn documents no token_type_hint; X takes it
            response = client.revoke_token(app.revoke_url, token=token,
                                           token_type_hint=hint if source == "twitter" else None)
            if response.status_code != 200:
                return RevokeOutcome("failed", f"{source} revoke answered {_reason(response)}")
    return RevokeOutcome("revoked", f"{source} revoked the grant")


def _meta(app: SourceOAuth, user_id: str) -> RevokeOutcome:
    client_id, secret = app.credentials("meta")
    # Graph takes the app token for this call: the user token was never stored, and the Page
    # tokens are no user's
    with httpx.Client(timeout=TIMEOUT_S) as http:
        # in a header: a query would carry the app secret into access logs
        response = http.delete(f"{app.api_url.rstrip('/')}/{user_id}/permissions",
                               headers={"Authorization": f"OAuth {client_id}|{secret}"})
    body = response.json() if response.status_code == 200 else None
    if isinstance(body, dict) and body.get("success") is True:
        return RevokeOutcome("revoked", "meta removed the app's permissions of the person who "
                             "granted them")
    return RevokeOutcome("failed", f"meta revoke answered {_reason(response)}")


def revoke_grant(source: str, access_token: str | None, refresh_token: str | None,
                 grant_subject: str | None) -> RevokeOutcome:
    """Ask the platform to revoke the grant the account's tokens came from."""
    try:
        app = source_oauth(source)
        if source == "meta":
            if not grant_subject:
                return RevokeOutcome("not_possible", "the person who granted the Page is "
                                     "unknown (connected before grants were recorded)")
            return _meta(app, grant_subject)
        tokens = [(t, hint) for t, hint in ((refresh_token, "refresh_token"),
                                            (access_token, "access_token")) if t]
        if not tokens:
            return RevokeOutcome("not_possible", "no token was stored")
        return _rfc7009(source, app, tokens)
    except ConfigError as exc:
        return RevokeOutcome("failed", str(exc))
    except (httpx.HTTPError, httpx2.HTTPError) as exc:  # the message may name the URL
        return RevokeOutcome("failed", f"{source} revoke endpoint unreachable: "
                             f"{type(exc).__name__}")
    except ValueError:
        return RevokeOutcome("failed", f"{source} revoke endpoint sent an unreadable answer")
    except Exception as exc:  # noqa: BLE001 - the tokens are already gone: record, never raise
        # the type only: an Authlib or parsing error's message may carry a token
        return RevokeOutcome("failed", f"{source} revoke failed: {type(exc).__name__}")
