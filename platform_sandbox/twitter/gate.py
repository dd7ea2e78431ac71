"""The shared request gate (faults, token, quota) as X API v2 answers it: x-rate-limit-*
headers, 401 without rate-limit headers, and 429 in either of X's two shapes."""

from __future__ import annotations

import math

from fastapi import Request
from fastapi.responses import JSONResponse

from platform_sandbox.state import Decision, SandboxState
from platform_sandbox.twitter import errors


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
        """True when the caller holds a user token (not the app-only bearer token)."""
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
            return errors.unauthorized()
        if d.kind == "fault_5xx":
            return errors.unavailable({})
        if d.kind == "usage_capped":
            return errors.usage_capped()
        headers = self.headers if d.kind in ("quota", "throttled") else {
            "x-rate-limit-limit": str(state.faults.x_window_limit),
            "x-rate-limit-remaining": "0",
            # an injected 429 is a window that resets at once: no wait is needed
            "x-rate-limit-reset": str(int(state.now().timestamp()))}
        if d.kind == "fault_429" and state.faults.retry_after_s is not None:
            headers["Retry-After"] = str(state.faults.retry_after_s)
        # both shapes are seen in the wild; alternate deterministically
        v1_style = len(state.requests) % 2 == 1
        return errors.too_many_requests(v1_style, headers)

    def user_errors(self, account_id: str, account: object | None) -> dict | None:
        """The 200-with-only-errors body for a suspended, deleted or unknown user, else None."""
        faults = self.state.faults
        if account_id in faults.x_suspended_ids:
            return {"errors": [errors.suspended("id", account_id)]}
        if account is None or account_id in faults.x_deleted_ids:
            return {"errors": [errors.not_found("user", "id", account_id)]}
        return None

    def respond(self, body: dict) -> JSONResponse:
        """A 200 with ``body`` and the window's rate-limit headers."""
        return JSONResponse(body, headers=self.headers)


def gate(request: Request, endpoint: str) -> Gate:
    """Run the shared gate (faults, token, quota) for an X endpoint."""
    state: SandboxState = request.app.state.sandbox
    auth = request.headers.get("authorization", "")
    token = auth[7:].strip() if auth.lower().startswith("bearer ") else None
    return Gate(state, state.gate("twitter", token, endpoint))
