"""Meta Graph API routes (Instagram business accounts and Facebook pages).

Every route lives under a versioned path ``/vNN.0/...``; the version decides which insights
metrics exist. Objects are resolved from their ids (nodes.py), the shared gate decides faults,
auth and quotas, and the answer carries Graph's usage headers. Multi-id reads
(``/vNN.0/?ids=a,b``) are how a client re-polls many posts in one call.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from platform_sandbox.auth import APP_CREDENTIALS, TokenError
from platform_sandbox.meta import nodes
from platform_sandbox.meta.context import Ctx, version_number
from platform_sandbox.meta.errors import GraphError, decision_error, error_response, proof_refusal
from platform_sandbox.meta.fields import parse_fields
from platform_sandbox.meta.usage import app_budget_spent, app_usage_pct, usage_headers
from platform_sandbox.state import Decision, SandboxState

router = APIRouter(tags=["meta"])
_VERSION = re.compile(r"^\d+\.0$")
OLDEST_VERSION = 19


def _token(request: Request) -> str | None:
    token = request.query_params.get("access_token")
    auth = request.headers.get("authorization", "")
    if not token and auth.split(" ", 1)[0].lower() in ("bearer", "oauth"):
        token = auth.split(" ", 1)[1].strip()
    return token or None


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
    platform, obj = nodes.resolve(state, parts[0]) if parts else _first(state, request)
    decision = state.gate(platform, _token(request), "/".join(parts[1:]) or "node")
    if decision.kind == "ok":
        # the app's own hourly budget (all tokens): spent, every call is the (#4) limit
        decision = app_budget_spent(state, now) or decision
    refused = decision_error(state, decision, platform, now)
    if refused is not None:
        return refused
    assert decision.claims is not None  # an "ok" Decision always carries its claims
    headers = usage_headers(decision, platform, now, app_usage_pct(state, now))
    unproven = proof_refusal(state, _token(request) or "", request.query_params.get(
        "appsecret_proof"), APP_CREDENTIALS["meta"]["client_secret"])
    if unproven is not None:
        return error_response(unproven, headers)
    # versions older than the oldest supported one are served as that one (Graph upgrades them)
    ctx = Ctx(state, now, max(version_number(version), OLDEST_VERSION), decision.claims.subject,
              _link_base(state, request, version), dict(request.query_params),
              _token(request) or "")
    try:
        if not parts:
            body = nodes.read_batch(ctx, state)
        elif len(parts) == 1:
            body = nodes.read_node(ctx, parts[0], obj, parse_fields(ctx.query.get("fields")))
        elif len(parts) == 2:
            body = nodes.read_edge(ctx, parts[0], obj, parts[1])
        else:
            raise GraphError(2500, f"Unknown path components: /{'/'.join(parts[1:])}")
    except GraphError as err:
        return error_response(err, headers)
    return JSONResponse(body, headers=headers)


def _link_base(state: SandboxState, request: Request, version: str) -> str:
    """Where paging links point: the sandbox itself, or Graph's public host (a knob), as real
    Graph links always name graph.facebook.com whatever host the call went through."""
    if state.faults.meta_links_to_graph_host:
        return f"https://graph.facebook.com/v{version}"
    return f"{request.base_url}v{version}".replace("//v", "/v")


def _first(state: SandboxState, request: Request) -> tuple[str, None]:
    first = request.query_params.get("ids", "").split(",")[0]
    return nodes.resolve(state, first)[0], None
