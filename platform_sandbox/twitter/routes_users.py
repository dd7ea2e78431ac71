"""X / Twitter API v2 emulation: users, tweet lookup and OAuth 2.0 refresh (timeline and search
routes live in x_timeline.py). Shapes follow recorded live responses, quirks included: partial
``errors`` next to ``data``, HTTP 200 with only ``errors`` for unknown users, 401 without
rate-limit headers."""

from __future__ import annotations

import base64
import math
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from platform_sandbox import ids
from platform_sandbox import x_render as xr
from platform_sandbox.auth import APP_CREDENTIALS, TokenError
from platform_sandbox.state import Decision, SandboxState
from platform_sandbox.world import Account

router = APIRouter(tags=["x"])
MAX_LOOKUP_IDS = 100


class Gate:
    """The outcome of the shared request gate for one X request, in X's terms."""

    def __init__(self, state: SandboxState, decision: Decision):
        self.state, self.decision = state, decision

    @property
    def headers(self) -> dict[str, str]:
        """x-rate-limit-* headers of the token's 15-minute window for this endpoint."""
        d, limit = self.decision, self.state.faults.x_window_limit
        if d.reset_at is None:
            return {}
        used = math.ceil(d.usage_pct * limit / 100)
        return {"x-rate-limit-limit": str(limit),
                "x-rate-limit-remaining": str(max(0, limit - used)),
                "x-rate-limit-reset": str(int(d.reset_at.timestamp()))}

    @property
    def is_user_token(self) -> bool:
        claims = self.decision.claims
        return claims is not None and claims.kind == "access"

    def owns(self, account_id: str) -> bool:
        """True when the caller holds the user token of ``account_id``."""
        claims = self.decision.claims
        return claims is not None and claims.kind == "access" and claims.subject == account_id

    def refusal(self) -> JSONResponse | None:
        """The error response for a refused request, None when it may go on."""
        d, state = self.decision, self.state
        if d.kind == "ok":
            return None
        if d.kind.startswith("auth_"):
            return xr.unauthorized()
        if d.kind == "fault_5xx":
            return xr.unavailable({})
        headers = self.headers if d.kind == "quota" else {
            "x-rate-limit-limit": str(state.faults.x_window_limit),
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": str(int(state.now().timestamp()) + 1)}
        if d.kind == "fault_429" and state.faults.retry_after_s is not None:
            headers["Retry-After"] = str(state.faults.retry_after_s)
        # both shapes are seen in the wild; alternate deterministically
        v1_style = len(state.requests) % 2 == 1
        return xr.too_many_requests(v1_style, headers)

    def respond(self, body: dict) -> JSONResponse:
        return JSONResponse(body, headers=self.headers)


def gate(request: Request, endpoint: str) -> Gate:
    """Run the shared gate (faults, token, quota) for an X endpoint."""
    state: SandboxState = request.app.state.sandbox
    auth = request.headers.get("authorization", "")
    token = auth[7:].strip() if auth.lower().startswith("bearer ") else None
    return Gate(state, state.gate("twitter", token, endpoint))


def field_set(request: Request, name: str, allowed: set[str]) -> set[str] | JSONResponse:
    """The comma-separated ``tweet.fields`` / ``user.fields``, or a 400 naming a bad one."""
    raw = request.query_params.get(name)
    fields = {f.strip() for f in raw.split(",") if f.strip()} if raw else set()
    bad = sorted(fields - allowed)
    if bad:
        return xr.invalid_request(
            f"The `{name}` query parameter value [{bad[0]}] is not one of "
            f"[{','.join(sorted(allowed))}]", name, bad[0])
    return fields


# ----- users -------------------------------------------------------------------------------
def _users(request: Request, accounts: list[tuple[str, Account | None]], param: str,
           single: bool = False) -> JSONResponse:
    g = gate(request, "users")
    if (refused := g.refusal()) is not None:
        return refused
    fields = field_set(request, "user.fields", xr.USER_FIELDS)
    if isinstance(fields, JSONResponse):
        return fields
    state, now = g.state, g.state.now()
    data, errors = [], []
    for value, account in accounts:
        if account is None:
            errors.append(xr.not_found("user", param, value))
        else:
            data.append(xr.user_json(state.world, account, now, fields))
    body: dict = {}
    if data:
        # single-user lookups answer ``data`` as an object, not a list
        body["data"] = data[0] if single else data
    if errors:
        body["errors"] = errors
    return g.respond(body)


@router.get("/2/users/by/username/{username}")
def user_by_username(username: str, request: Request):
    """GET /2/users/by/username/:username (unknown or suspended: 200 with only errors)."""
    world = request.app.state.sandbox.world
    return _users(request, [(username, world.account_by_handle("twitter", username))],
                  "username", single=True)


@router.get("/2/users")
def users_by_ids(request: Request, ids: str = ""):
    """GET /2/users?ids= (up to 100 ids)."""
    wanted = [i for i in ids.split(",") if i]
    if not wanted or len(wanted) > MAX_LOOKUP_IDS or not all(i.isdigit() for i in wanted):
        return xr.invalid_request("The `ids` query parameter value is not valid", "ids", ids)
    world = request.app.state.sandbox.world
    return _users(request, [(i, world.account("twitter", i)) for i in wanted], "ids")


@router.get("/2/users/{user_id}")
def user_by_id(user_id: str, request: Request):
    """GET /2/users/:id."""
    if not user_id.isdigit():
        return xr.invalid_request(f"The `id` query parameter value [{user_id}] is not valid",
                                  "id", user_id)
    world = request.app.state.sandbox.world
    return _users(request, [(user_id, world.account("twitter", user_id))], "id", single=True)


# ----- tweet lookup ------------------------------------------------------------------------
@router.get("/2/tweets")
def tweets_lookup(request: Request, ids: str = ""):
    """GET /2/tweets?ids= (<=100). Missing ids come back in a partial ``errors`` array; when
    none is found the body has no ``data`` key at all."""
    wanted = [i for i in ids.split(",") if i]
    if not wanted or len(wanted) > MAX_LOOKUP_IDS:
        return xr.invalid_request(
            f"The number of values in the `ids` query parameter list [{len(wanted)}] is not "
            f"between 1 and {MAX_LOOKUP_IDS}", "ids", ids)
    if bad := next((i for i in wanted if not i.isdigit()), None):
        return xr.invalid_request(
            f"The `ids` query parameter value [{bad}] does not match ^[0-9]{{1,19}}$", "ids", bad)
    g = gate(request, "tweets_lookup")
    if (refused := g.refusal()) is not None:
        return refused
    fields = field_set(request, "tweet.fields", xr.TWEET_FIELDS)
    if isinstance(fields, JSONResponse):
        return fields
    if fields & {"non_public_metrics", "organic_metrics"} and not g.is_user_token:
        return xr.forbidden_app_only()
    return g.respond(_lookup_body(g, wanted, fields))


def _lookup_body(g: Gate, wanted: list[str], fields: set[str]) -> dict:
    state, now = g.state, g.state.now()
    data, missing = [], []
    for tid in wanted:
        post = ids.find_post(state.world, "twitter", tid)
        if post is None or not post.visible_at(now):
            missing.append(tid)
            continue
        private_ok = g.owns(post.account.platform_account_id)
        data.append(xr.tweet_json(state.world, post, now, fields, private_ok))
    body: dict = {}
    if data:
        body["data"] = data
    if missing:
        body["errors"] = [xr.not_found("tweet", "ids", tid) for tid in missing]
    return body


# ----- OAuth 2.0 ---------------------------------------------------------------------------
@router.post("/2/oauth2/token")
async def oauth2_token(request: Request):
    """Refresh grant: a new access token and a rotated refresh token (the old one dies)."""
    state: SandboxState = request.app.state.sandbox
    # parsed by hand: the form body is plain urlencoded and python-multipart is not a dependency
    form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
    client = APP_CREDENTIALS["twitter"]
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("basic "):
        try:
            user, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        except ValueError:
            user, secret = "", ""
        if (user, secret) != (client["client_id"], client["client_secret"]):
            return JSONResponse({"error": "unauthorized_client",
                                 "error_description": "Missing valid authorization header"},
                                status_code=401)
    elif form.get("client_id") != client["client_id"]:
        return JSONResponse({"error": "invalid_request",
                             "error_description": "Missing required parameter [client_id]."},
                            status_code=400)
    if form.get("grant_type") != "refresh_token":
        return JSONResponse({"error": "invalid_request",
                             "error_description": "Value passed for the grant_type was invalid."},
                            status_code=400)
    try:
        issued = state.tokens.refresh(str(form.get("refresh_token") or ""), "twitter",
                                      state.now())
    except TokenError:
        return JSONResponse({"error": "invalid_request",
                             "error_description": "Value passed for the token was invalid."},
                            status_code=400)
    return {"token_type": "bearer", "expires_in": issued["expires_in"],
            "access_token": issued["access_token"], "refresh_token": issued["refresh_token"],
            "scope": "tweet.read users.read offline.access"}


# registers the timeline and search routes on ``router``
from platform_sandbox import x_timeline  # noqa: E402,F401
