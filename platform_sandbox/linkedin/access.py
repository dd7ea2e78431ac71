"""LinkedIn request checks: version headers, the shared gate rendered as LinkedIn errors,
organization access and the organization's visible posts, and Rest.li 2.0 ``List(...)``
parameters."""

from __future__ import annotations

import functools
from datetime import datetime

from fastapi import Request

from platform_sandbox.auth import TokenClaims
from platform_sandbox.linkedin import render as li
from platform_sandbox.oauth import may_read
from platform_sandbox.state import SandboxState
from platform_sandbox.world_objects import Account, Post

ORG_PREFIX = "urn:li:organization:"
THROTTLED = {"status": 429, "serviceErrorCode": 101, "code": "TOO_MANY_REQUESTS",
             "message": "Resource level throttle limit for calls to this resource is reached."}
# the 401 bodies LinkedIn sends, each in its own shape
UNAUTHORIZED = {
    "auth_missing": {"serviceErrorCode": 401, "message": "Empty oauth2_access_token",
                     "status": 401},
    "auth_invalid": {"status": 401, "code": 65600, "message": "Invalid access token"},
    "auth_expired": {"serviceErrorCode": 65601, "code": "EXPIRED_ACCESS_TOKEN", "status": 401,
                     "message": "The token used in the request has expired"},
    "auth_revoked": {"serviceErrorCode": 65602, "code": "REVOKED_ACCESS_TOKEN", "status": 401,
                     "message": "The token used in the request has been revoked by the user"},
}
# a token the app revoked at /oauth/v2/revoke is answered as one the member revoked
UNAUTHORIZED["auth_deauthorized"] = UNAUTHORIZED["auth_revoked"]


def li_route(fn):
    """Render a raised LinkedInError as the platform's error response."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except li.LinkedInError as exc:
            return exc.response()
    return wrapper


def guard(request: Request, endpoint: str) -> tuple[SandboxState, TokenClaims]:
    """Version headers first, then the shared gate (faults, token, daily app quota)."""
    state: SandboxState = request.app.state.sandbox
    version = request.headers.get("linkedin-version")
    if not version:
        raise li.LinkedInError(400, {
            "status": 400, "code": "VERSION_MISSING",
            "message": "A version must be present. Please specify a version by adding the "
                       "LinkedIn-Version header."})
    if not li.version_active(version, state.now()):
        raise li.service_error(426, f"Requested version {version} is not active",
                               "NONEXISTENT_VERSION", 0)
    if request.headers.get("x-restli-protocol-version") != "2.0.0":
        raise li.service_error(400, "Unsupported Rest.li protocol version: send "
                               "X-Restli-Protocol-Version: 2.0.0", "ILLEGAL_ARGUMENT", 100)
    auth = request.headers.get("authorization", "")
    token = auth[7:] if auth.lower().startswith("bearer ") else None
    if not token:
        raise li.LinkedInError(401, UNAUTHORIZED["auth_missing"])
    decision = state.gate("linkedin", token, endpoint)
    if decision.kind == "ok":
        assert decision.claims is not None  # an "ok" Decision always carries its claims
        return state, decision.claims
    if decision.kind in ("fault_429", "quota"):
        # one body for every throttle, the daily application quota included (which sends no
        # rate-limit headers at all): only the code tells a client what it is
        headers = ({"Retry-After": str(state.faults.retry_after_s)}
                   if decision.kind == "fault_429" and state.faults.retry_after_s else {})
        raise li.LinkedInError(429, THROTTLED, headers)
    if decision.kind == "fault_5xx":
        if len(state.requests) % 2:
            raise li.LinkedInError(504, {"message": "Gateway Timeout", "status": 504})
        raise li.LinkedInError(500, {"message": "Internal Server Error", "status": 500})
    raise li.LinkedInError(401, UNAUTHORIZED.get(decision.kind, UNAUTHORIZED["auth_invalid"]))


def reads(state: SandboxState, claims: TokenClaims, org_id: str) -> bool:
    """Whether the token reads an organization: the member's consent covers it (or the token
    is the organization's own, as /_sandbox/world hands out)."""
    return may_read(state.people, state.oauth, "linkedin", claims.subject, org_id)


def org_account(state: SandboxState, claims: TokenClaims, org: str, resource: str) -> Account:
    """The organization behind an id or URN, if the token's member administers it."""
    org_id = org[len(ORG_PREFIX):] if org.startswith(ORG_PREFIX) else org
    if not org_id.isdigit():
        raise li.service_error(400, f"Invalid organization URN: {org}", None, 100)
    account = state.world.account("linkedin", org_id)
    if account is None or not reads(state, claims, account.platform_account_id):
        raise li.service_error(403, f"Not enough permissions to access: {resource}",
                               "ACCESS_DENIED", 100)
    return account


def urn_list(request: Request, name: str) -> list[str]:
    """URNs of a Rest.li 2.0 ``name=List(urn%3Ali%3A...,...)`` parameter."""
    raw = request.url.query
    if f"{name}=List(urn:" in raw:
        # Rest.li 2.0 requires the URNs inside List(...) to be URL-encoded
        raise li.service_error(400, f"Invalid query parameter: {name} must be URL-encoded")
    value = request.query_params.get(name)
    if value is None:
        return []
    if not (value.startswith("List(") and value.endswith(")")):
        raise li.input_error(name, f"{name} must be a List(...) of URNs")
    return [v for v in value[5:-1].split(",") if v]


def visible_posts(state: SandboxState, account: Account, now: datetime) -> list[Post]:
    """The organization's posts visible at ``now``, oldest first."""
    world = state.world
    found = (world.post(account, k) for k in range(world.post_count(account, now)))
    return [p for p in found if p.visible_at(now)]
