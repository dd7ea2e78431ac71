"""What a Facebook Login token is: ``/me``, ``/me/accounts`` (the Pages the consent granted,
each with its own Page token, paged) and ``debug_token``."""

from __future__ import annotations

from datetime import UTC
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from platform_sandbox.auth import APP_CREDENTIALS, TokenClaims, TokenError
from platform_sandbox.meta.context import cursor, limit_of, uncursor
from platform_sandbox.meta.errors import (
    GraphError,
    decision_error,
    error_response,
    proof_refusal,
    usage_headers,
)
from platform_sandbox.meta.fields import parse_fields
from platform_sandbox.oauth import APP_NAME
from platform_sandbox.state import Decision, SandboxState
from platform_sandbox.world_objects import Account

router = APIRouter(tags=["meta"])
ACCOUNT_FIELDS = ("id", "name", "access_token", "category", "category_list", "tasks",
                  "instagram_business_account", "username")
DEFAULT_ACCOUNT_FIELDS = ("access_token", "category", "category_list", "name", "id", "tasks")
TASKS = ["ANALYZE", "ADVERTISE", "MESSAGING", "MODERATE", "CREATE_CONTENT", "MANAGE"]
# a Page token listed with a user token that outlives this is a long-lived (non-expiring) one
LONG_LIVED_AFTER_S = 86_400


def _token(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    return request.query_params.get("access_token") or (
        auth.split(" ", 1)[1].strip() if " " in auth else "")


def _caller(request: Request, endpoint: str) -> tuple[SandboxState, Decision] | JSONResponse:
    """The shared gate (faults, token, quota) and "Require App Secret" for a Login endpoint,
    in Graph's terms."""
    state: SandboxState = request.app.state.sandbox
    token = _token(request)
    decision = state.gate("facebook", token or None, endpoint)
    refused = decision_error(state, decision, "facebook", state.now())
    if refused is not None:
        return refused
    unproven = proof_refusal(state, token, request.query_params.get("appsecret_proof"),
                             APP_CREDENTIALS["meta"]["client_secret"])
    if unproven is not None:
        return error_response(unproven)
    return state, decision


def _page_token(state: SandboxState, claims: TokenClaims, page: Account) -> str:
    now_ms = int(state.now().timestamp() * 1000)
    left_s = (claims.expires_ms - now_ms) // 1000 if claims.expires_ms else 0
    ttl = 0 if not claims.expires_ms or left_s > LONG_LIVED_AFTER_S else max(1, left_s)
    return state.tokens.issue("meta", page.platform_account_id, state.now(), ttl_s=ttl,
                              with_refresh=False)["access_token"]


def _page_json(state: SandboxState, claims: TokenClaims, page: Account,
               names: list[str]) -> dict:
    ig = state.people.instagram_of_page(page.platform_account_id)
    values = {"id": page.platform_account_id, "name": page.name, "username": page.handle,
              "category": "Brand", "category_list": [{"id": "1605186416478696",
                                                      "name": "Brand"}], "tasks": TASKS,
              "instagram_business_account": {"id": ig.platform_account_id} if ig else None}
    out = {n: values[n] for n in names if n != "access_token" and values.get(n) is not None}
    if "access_token" in names:
        out["access_token"] = _page_token(state, claims, page)
    return out


@router.get("/v{version}/me/accounts")
def me_accounts(version: str, request: Request) -> JSONResponse:
    """The Pages the person's consent granted, ``limit`` per page with cursors."""
    found = _caller(request, "me/accounts")
    if isinstance(found, JSONResponse):
        return found
    state, decision = found
    assert decision.claims is not None  # an "ok" Decision always carries its claims
    claims, headers = decision.claims, usage_headers(decision, "facebook", state.now())
    q = request.query_params
    try:
        names = [f.name for f in parse_fields(q.get("fields"))] or list(DEFAULT_ACCOUNT_FIELDS)
        if bad := next((n for n in names if n not in ACCOUNT_FIELDS), None):
            raise GraphError(100, f"(#100) Tried accessing nonexisting field ({bad}) on node "
                             "type (Page)")
        if claims.kind != "user":
            raise GraphError(100, "(#100) Tried accessing nonexisting field (accounts) on node "
                             "type (Page)")
        after = uncursor(q.get("after"), "acct")
        limit, start = limit_of(q.get("limit")), 0 if after is None else after + 1
    except GraphError as err:
        return error_response(err, headers)
    grant = state.oauth.grant_of("meta", claims.subject)
    pages = [a for i in (grant.account_ids if grant else ())
             if (a := state.world.account("facebook", i)) is not None]
    chunk = pages[start:start + limit]
    body: dict = {"data": [_page_json(state, claims, p, names) for p in chunk]}
    if chunk:
        body["paging"] = {"cursors": {"before": cursor("acct", start),
                                      "after": cursor("acct", start + len(chunk) - 1)}}
        if start + len(chunk) < len(pages):
            base = f"{request.base_url}v{version}".replace("//v", "/v")
            # like Graph's, the link carries the token (and the fields asked for)
            query = {"access_token": _token(request), "fields": q.get("fields"),
                     "limit": limit, "after": cursor("acct", start + len(chunk) - 1)}
            body["paging"]["next"] = f"{base}/me/accounts?" + urlencode(
                {k: v for k, v in query.items() if v is not None})
    return JSONResponse(body, headers=headers)


@router.get("/v{version}/me")
def me(version: str, request: Request) -> JSONResponse:
    """The person behind a user token, or the Page behind a Page token."""
    found = _caller(request, "me")
    if isinstance(found, JSONResponse):
        return found
    state, decision = found
    assert decision.claims is not None  # an "ok" Decision always carries its claims
    claims = decision.claims
    person = state.people.by_facebook_user(claims.subject)
    page = state.world.account("facebook", claims.subject)
    if person is not None:
        values = {"id": person.facebook_user_id, "name": person.name}
    elif page is not None:
        values = {"id": page.platform_account_id, "name": page.name}
    else:
        return error_response(GraphError(2500, "An active access token must be used to query "
                                         "information about the current user."))
    wanted = [f.name for f in parse_fields(request.query_params.get("fields"))] or ["id", "name"]
    if bad := next((n for n in wanted if n not in values), None):
        return error_response(GraphError(100, f"(#100) Tried accessing nonexisting field ({bad})"
                                         " on node type (User)"))
    return JSONResponse({n: values[n] for n in wanted})


@router.get("/v{version}/debug_token")
def debug_token(version: str, request: Request) -> JSONResponse:
    """What a token is and whether it still works (app token ``app_id|app_secret`` or any
    valid token as ``access_token``)."""
    state: SandboxState = request.app.state.sandbox
    q, app = request.query_params, APP_CREDENTIALS["meta"]
    caller = q.get("access_token", "")
    if caller != f"{app['client_id']}|{app['client_secret']}":
        try:
            state.tokens.verify(caller, "meta", state.now())
        except TokenError:
            return error_response(GraphError(190, "Invalid OAuth access token signature."))
    now = state.now()
    data: dict = {"app_id": app["client_id"], "application": APP_NAME}
    try:
        claims = state.tokens.verify(q.get("input_token", ""), "meta", now)
    except TokenError as exc:
        code = {"expired": 463, "revoked": 460, "deauthorized": 458}.get(exc.reason)
        data.update({"is_valid": False, "scopes": [], "error": {
            "code": 190, "message": f"Error validating access token: token is {exc.reason}",
            **({"subcode": code} if code else {})}})
        return JSONResponse({"data": data})
    grant = state.oauth.grant_of("meta", claims.subject)
    person = state.people.by_facebook_user(claims.subject)
    if grant is None and claims.kind != "user":
        owner = next((g for g in state.oauth.consents.values()
                      if g.group == "meta" and claims.subject in g.account_ids), None)
        grant, person = owner, state.people.by_key(owner.person_key) if owner else None
        data.update({"type": "PAGE", "profile_id": claims.subject})
    else:
        data["type"] = "USER"
    data.update({
        "is_valid": True, "expires_at": claims.expires_ms // 1000,
        "data_access_expires_at": int(now.astimezone(UTC).timestamp()) + 90 * 86_400,
        "scopes": list(grant.scopes) if grant else [],
        "granular_scopes": [{"scope": s, "target_ids": list(grant.account_ids)}
                            for s in grant.scopes if s.startswith(("pages_", "instagram_"))]
        if grant else [],
        "user_id": person.facebook_user_id if person else None})
    return JSONResponse({"data": data})
