"""Meta Graph API emulation (Instagram business accounts and Facebook pages).

Every route lives under a versioned path ``/vNN.0/...``; the version decides which insights
metrics exist. Objects are resolved from their ids, the shared gate decides faults, auth and
quotas, and the answer carries Graph's usage headers. Multi-id reads (``/vNN.0/?ids=a,b``) are
how a client re-polls many posts in one call.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from platform_sandbox import ids
from platform_sandbox import meta_facebook as fb
from platform_sandbox import meta_instagram as ig
from platform_sandbox.auth import APP_CREDENTIALS, TokenError
from platform_sandbox.meta_errors import (
    GraphError,
    decision_error,
    error_response,
    not_found,
    usage_headers,
)
from platform_sandbox.meta_fields import Ctx, metric_list, parse_fields, version_number
from platform_sandbox.state import Decision, SandboxState
from platform_sandbox.world import Account, Post

router = APIRouter(tags=["meta"])
_VERSION = re.compile(r"^\d+\.0$")
MAX_IDS = 50
OLDEST_VERSION = 19


def _token(request: Request) -> str | None:
    token = request.query_params.get("access_token")
    auth = request.headers.get("authorization", "")
    if not token and auth.split(" ", 1)[0].lower() in ("bearer", "oauth"):
        token = auth.split(" ", 1)[1].strip()
    return token or None


def _resolve(state: SandboxState, object_id: str) -> tuple[str, Account | Post | None]:
    """(platform, object) for an id; the object is None when nothing visible has it."""
    world, now = state.world, state.now()
    for platform in ("instagram", "facebook"):
        account = world.account(platform, object_id)
        if account is not None:
            return platform, account
        post = ids.find_post(world, platform, object_id)
        if post is not None:
            return platform, post if post.visible_at(now) else None
    return ("facebook" if "_" in object_id else "instagram"), None


def _owned(ctx: Ctx, obj: Account | Post) -> bool:
    account = obj if isinstance(obj, Account) else obj.account
    return account.platform_account_id == ctx.subject


def _object(ctx: Ctx, object_id: str, obj, fields) -> dict:
    if obj is None:
        raise not_found(object_id)
    if isinstance(obj, Account):
        if obj.platform == "facebook":
            return fb.page_fields(ctx, obj, fields)
        if not _owned(ctx, obj):
            raise not_found(object_id)
        return ig.user_fields(ctx, obj, fields)
    if not _owned(ctx, obj):
        raise fb.NO_PERMISSION if obj.account.platform == "facebook" else not_found(object_id)
    if obj.account.platform == "facebook":
        return fb.render_post(ctx, obj, fields)
    return ig.render_media(ctx, obj, fields)


def _edge(ctx: Ctx, object_id: str, obj, edge: str) -> dict:
    params, fields = ctx.query, parse_fields(ctx.query.get("fields"))
    if obj is None:
        raise not_found(object_id)
    if not _owned(ctx, obj):
        raise fb.NO_PERMISSION if isinstance(obj, Account) and obj.platform == "facebook" \
            else not_found(object_id)
    if isinstance(obj, Account) and obj.platform == "instagram" and edge == "media":
        return ig.media_page(ctx, obj, fields, params)
    if isinstance(obj, Account) and obj.platform == "facebook":
        if edge in ("published_posts", "posts", "feed"):
            return fb.published_posts(ctx, obj, fields, params)
        if edge == "insights":
            return fb.page_insights(ctx, obj, params)
    if isinstance(obj, Post) and obj.account.platform == "instagram":
        if edge == "insights":
            return {"data": ig.media_insights(ctx, obj, _metrics(params))}
        if edge == "comments":
            return ig.comments_page(ctx, obj, fields, params)
    if isinstance(obj, Post) and obj.account.platform == "facebook":
        if edge == "insights":
            return {"data": fb.post_insights(ctx, obj, _metrics(params))}
        if edge == "comments":
            return fb.comments_page(ctx, obj, fields, params)
    raise GraphError(100, f"(#100) Unknown path components: /{edge}", subcode=2500)


def _metrics(params: dict) -> list[str]:
    return metric_list(params.get("metric"))


def _batch(ctx: Ctx, state: SandboxState) -> dict:
    """``GET /vNN.0/?ids=a,b&fields=...``: one object per id; a missing id fails the call."""
    wanted = [i for i in ctx.query.get("ids", "").split(",") if i]
    if not wanted:
        raise GraphError(100, "(#100) Missing or invalid ids parameter")
    if len(wanted) > MAX_IDS:
        raise GraphError(100, f"(#100) Too many IDs. Maximum: {MAX_IDS}. Actual: {len(wanted)}")
    resolved = {i: _resolve(state, i)[1] for i in wanted}
    missing = [i for i, obj in resolved.items() if obj is None]
    if missing:
        raise GraphError(803, f"(#803) Some of the aliases you requested do not exist: "
                         f"{','.join(missing)}")
    fields = parse_fields(ctx.query.get("fields"))
    return {i: _object(ctx, i, obj, fields) for i, obj in resolved.items()}


def _exchange(request: Request, state: SandboxState) -> JSONResponse:
    """``oauth/access_token?grant_type=fb_exchange_token``: a still-valid token buys a new
    long-lived one; an expired or revoked one cannot be exchanged."""
    q = request.query_params
    app = APP_CREDENTIALS["meta"]
    if q.get("client_id") != app["client_id"] or q.get("client_secret") != app["client_secret"]:
        return error_response(GraphError(101, "Error validating application. Invalid application"
                                         " ID.", subcode=None))
    if q.get("grant_type") != "fb_exchange_token" or not q.get("fb_exchange_token"):
        return error_response(GraphError(100, "(#100) Missing or unsupported grant_type"))
    try:
        issued = state.tokens.exchange(q["fb_exchange_token"], "meta", state.now())
    except TokenError as exc:
        refused = decision_error(state, Decision(f"auth_{exc.reason}"), "facebook", state.now())
        assert refused is not None  # an auth_* Decision is always refused
        return refused
    return JSONResponse({"access_token": issued["access_token"], "token_type": "bearer",
                         "expires_in": issued["expires_in"]})


@router.get("/oauth/access_token")
def unversioned_exchange(request: Request) -> JSONResponse:
    """The token exchange also answers without a version prefix."""
    return _exchange(request, request.app.state.sandbox)


@router.get("/v{version}/{rest:path}")
def graph(version: str, rest: str, request: Request) -> JSONResponse:
    """Every versioned Graph read: objects, edges, multi-id reads and the token exchange."""
    state: SandboxState = request.app.state.sandbox
    now = state.now()
    if not _VERSION.match(version) or version_number(version) > version_number(
            state.faults.meta_version.lstrip("v")):
        return error_response(GraphError(2500, f"Unknown path components: /v{version}"))
    parts = [p for p in rest.split("/") if p]
    if parts == ["oauth", "access_token"]:
        return _exchange(request, state)
    platform, obj = _resolve(state, parts[0]) if parts else _first(state, request)
    decision = state.gate(platform, _token(request), "/".join(parts[1:]) or "node")
    refused = decision_error(state, decision, platform, now)
    if refused is not None:
        return refused
    assert decision.claims is not None  # an "ok" Decision always carries its claims
    # versions older than the oldest supported one are served as that one (Graph upgrades them)
    ctx = Ctx(state, now, max(version_number(version), OLDEST_VERSION), decision.claims.subject,
              f"{request.base_url}v{version}".replace("//v", "/v"), dict(request.query_params),
              _token(request) or "")
    headers = usage_headers(decision, platform, now)
    try:
        if not parts:
            body = _batch(ctx, state)
        elif len(parts) == 1:
            body = _object(ctx, parts[0], obj, parse_fields(ctx.query.get("fields")))
        elif len(parts) == 2:
            body = _edge(ctx, parts[0], obj, parts[1])
        else:
            raise GraphError(2500, f"Unknown path components: /{'/'.join(parts[1:])}")
    except GraphError as err:
        return error_response(err, headers)
    return JSONResponse(body, headers=headers)


def _first(state: SandboxState, request: Request) -> tuple[str, None]:
    first = request.query_params.get("ids", "").split(",")[0]
    return _resolve(state, first)[0], None
