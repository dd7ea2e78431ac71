"""What a consent granted, asked of the platform with the new token: the X user; the Facebook
Pages the person manages (each with its own Page token) and their Instagram business accounts;
the LinkedIn organizations the member administers."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from socialpulse.oauth.client import (
    TIMEOUT_S,
    ConnectionFailed,
    IssuedToken,
    issued_token,
    server_time,
)
from socialpulse.oauth.settings import LinkedInOAuth, SourceOAuth

MAX_PAGES = 50  # paging guard: a platform that repeats a cursor cannot loop us forever


@dataclass(frozen=True)
class GrantedAccount:
    """One account the consent lets us read, with the tokens that read it."""

    platform: str
    platform_account_id: str
    handle: str
    display_name: str | None
    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: datetime | None
    scope: str | None
    # whose consent the tokens came from (X user, Facebook user, LinkedIn member): accounts
    # with the same one share a grant, which a disconnect must not revoke under the others
    grant_subject: str | None = None


def _answer(response: httpx.Response, what: str) -> dict:
    """The JSON body of a successful answer; ConnectionFailed with the platform's own reason."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code >= 400 or not isinstance(body, dict):
        reason = body.get("error") if isinstance(body, dict) else None
        if isinstance(reason, dict):  # Graph
            reason = reason.get("message")
        reason = reason or (body.get("detail") or body.get("message")
                            if isinstance(body, dict) else None)
        raise ConnectionFailed(f"{what} answered {response.status_code}"
                               + (f": {reason}" if reason else ""))
    return body


def _get(http: httpx.Client, url: str, what: str, **kwargs: Any) -> httpx.Response:
    try:
        return http.get(url, **kwargs)
    except httpx.HTTPError as exc:  # the message may hold the URL: never the token's query
        raise ConnectionFailed(f"{what} unreachable: {type(exc).__name__}") from None


def twitter_accounts(app: SourceOAuth, token: IssuedToken) -> list[GrantedAccount]:
    """The X user who consented (``GET /2/users/me``)."""
    with httpx.Client(timeout=TIMEOUT_S) as http:
        body = _answer(_get(http, f"{app.api_url.rstrip('/')}/2/users/me", "X /2/users/me",
                            headers={"Authorization": f"Bearer {token.access_token}"}),
                       "X /2/users/me")
    user = body.get("data") or {}
    if not user.get("id"):
        raise ConnectionFailed("X /2/users/me named no user")
    return [GrantedAccount("twitter", str(user["id"]), user.get("username") or str(user["id"]),
                           user.get("name"), token.access_token, token.refresh_token,
                           token.expires_at, token.scope, str(user["id"]))]


def _proof(app: SourceOAuth, access_token: str) -> str:
    """appsecret_proof: the token signed with the app secret (Meta's "Require App Secret")."""
    return hmac.new((app.client_secret or "").encode(), access_token.encode(),
                    hashlib.sha256).hexdigest()


def long_lived_token(app: SourceOAuth, token: IssuedToken) -> IssuedToken:
    """Swap the short-lived user token for a long-lived one (``fb_exchange_token``)."""
    client_id, client_secret = app.credentials("meta")
    with httpx.Client(timeout=TIMEOUT_S) as http:
        response = _get(http, f"{app.api_url.rstrip('/')}/oauth/access_token",
                        "Meta token exchange",
                        params={"grant_type": "fb_exchange_token", "client_id": client_id,
                                "client_secret": client_secret,
                                "fb_exchange_token": token.access_token})
        body = _answer(response, "Meta token exchange")
    if not body.get("access_token"):
        raise ConnectionFailed("Meta token exchange sent no access token")
    return issued_token({**body, "scope": token.scope}, server_time(response))


def meta_accounts(app: SourceOAuth, token: IssuedToken) -> list[GrantedAccount]:
    """The Pages of ``/me/accounts`` (each read with its own Page token, which does not expire
    when derived from a long-lived user token) and each Page's Instagram business account
    (read with that Page's token)."""
    user = long_lived_token(app, token)
    fields = "id,name,username,access_token,instagram_business_account"
    params: dict[str, Any] = {"fields": fields, "limit": 25,
                              "appsecret_proof": _proof(app, user.access_token)}
    found: list[GrantedAccount] = []
    with httpx.Client(timeout=TIMEOUT_S) as http:
        me = _answer(_get(http, f"{app.api_url.rstrip('/')}/me", "Meta /me",
                          params={"fields": "id", "appsecret_proof": params["appsecret_proof"]},
                          headers={"Authorization": f"Bearer {user.access_token}"}), "Meta /me")
        for _ in range(MAX_PAGES):
            body = _answer(_get(http, f"{app.api_url.rstrip('/')}/me/accounts",
                                "Meta /me/accounts", params=params,
                                headers={"Authorization": f"Bearer {user.access_token}"}),
                           "Meta /me/accounts")
            for page in body.get("data") or []:
                found.extend(_page_accounts(http, app, page, user, str(me.get("id") or "")
                                            or None))
            after = ((body.get("paging") or {}).get("cursors") or {}).get("after")
            if not after or not (body.get("paging") or {}).get("next") \
                    or after == params.get("after"):
                break
            params["after"] = after
    return found


def _page_accounts(http: httpx.Client, app: SourceOAuth, page: dict, user: IssuedToken,
                   person: str | None) -> list[GrantedAccount]:
    if not page.get("id") or not page.get("access_token"):
        return []  # a Page without a token cannot be read: the person lacks a task on it
    page_token = page["access_token"]
    out = [GrantedAccount("facebook", str(page["id"]), page.get("username") or str(page["id"]),
                          page.get("name"), page_token, None, None, user.scope, person)]
    ig_id = (page.get("instagram_business_account") or {}).get("id")
    if ig_id:  # named by its own node, read with the Page's token (which reads it)
        ig = _answer(_get(http, f"{app.api_url.rstrip('/')}/{ig_id}", "Meta Instagram account",
                          params={"fields": "id,username,name",
                                  "appsecret_proof": _proof(app, page_token)},
                          headers={"Authorization": f"Bearer {page_token}"}),
                     "Meta Instagram account")
        out.append(GrantedAccount("instagram", str(ig_id), ig.get("username") or str(ig_id),
                                  ig.get("name"), page_token, None, None, user.scope, person))
    return out


def linkedin_accounts(app: LinkedInOAuth, token: IssuedToken) -> list[GrantedAccount]:
    """Organizations where the member is an approved ADMINISTRATOR
    (``organizationAcls?q=roleAssignee``), named by ``/rest/organizations/{id}``. Each is read
    with the member's token (LinkedIn tokens belong to the member)."""
    base = app.api_url.rstrip("/")
    headers = {"Authorization": f"Bearer {token.access_token}",
               "LinkedIn-Version": app.api_version, "X-Restli-Protocol-Version": "2.0.0"}
    org_ids: list[str] = []
    members: list[str] = []  # the roleAssignee of the ACLs: the member the token belongs to
    with httpx.Client(timeout=TIMEOUT_S, headers=headers) as http:
        start = 0
        for _ in range(MAX_PAGES):
            body = _answer(_get(http, f"{base}/rest/organizationAcls", "LinkedIn "
                                "organizationAcls", params={
                                    "q": "roleAssignee", "role": "ADMINISTRATOR",
                                    "state": "APPROVED", "start": start, "count": 100}),
                           "LinkedIn organizationAcls")
            elements = body.get("elements") or []
            members.extend(str(e["roleAssignee"]) for e in elements if e.get("roleAssignee"))
            org_ids.extend(str(e.get("organization", "")).rsplit(":", 1)[-1]
                           for e in elements if e.get("role", "ADMINISTRATOR") == "ADMINISTRATOR"
                           and e.get("state", "APPROVED") == "APPROVED" and e.get("organization"))
            total = (body.get("paging") or {}).get("total")
            start += len(elements)
            if not elements or total is None or start >= int(total):
                break
        found = []
        for org_id in dict.fromkeys(org_ids):
            org = _answer(_get(http, f"{base}/rest/organizations/{org_id}",
                               "LinkedIn organizations"), "LinkedIn organizations")
            found.append(GrantedAccount(
                "linkedin", org_id, org.get("vanityName") or org_id,
                org.get("localizedName") or _preferred_name(org), token.access_token,
                token.refresh_token, token.expires_at, token.scope,
                members[0] if members else None))
    return found


def _preferred_name(org: dict) -> str | None:
    name = org.get("name") or {}
    locale = name.get("preferredLocale") or {}
    key = f"{locale.get('language', '')}_{locale.get('country', '')}"
    return (name.get("localized") or {}).get(key)


def granted_accounts(source: str, app: SourceOAuth, token: IssuedToken) -> list[GrantedAccount]:
    """Every account the consent of ``source`` granted, each with its own tokens."""
    if source == "twitter":
        return twitter_accounts(app, token)
    if source == "meta":
        return meta_accounts(app, token)
    assert isinstance(app, LinkedInOAuth)
    return linkedin_accounts(app, token)
