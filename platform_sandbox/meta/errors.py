"""Graph API error bodies and usage headers, rendered from the shared gate's Decision.

Meta never throttles with a 429: limits come back as HTTP 400/403 OAuthException bodies with
codes 4 (app), 17 (user), 32 (page), 613 (custom) or 80001/80002 (business use case), and the
usage headers are often missing on the rejection itself.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime

from fastapi.responses import JSONResponse

from platform_sandbox import ids
from platform_sandbox.auth import APP_CREDENTIALS
from platform_sandbox.meta.usage import app_usage_pct, usage_headers
from platform_sandbox.state import Decision, SandboxState

THROTTLE_MESSAGES = {
    4: (403, "(#4) Application request limit reached"),
    17: (400, "(#17) User request limit reached"),
    32: (400, "(#32) Page request limit reached"),
    613: (400, "(#613) Calls to this api have exceeded the rate limit."),
    80001: (400, "There have been too many calls to this Page account. Wait a bit and try "
                 "again. For more info, please refer to https://developers.facebook.com/docs/"
                 "graph-api/overview/rate-limiting."),
    80002: (400, "There have been too many calls to this Instagram account. Wait a bit and try "
                 "again. For more info, please refer to https://developers.facebook.com/docs/"
                 "graph-api/overview/rate-limiting."),
}


class GraphError(Exception):
    """Raised by route code; rendered as a Graph error body."""

    def __init__(self, code: int, message: str, status: int = 400, subcode: int | None = None,
                 **extra):
        super().__init__(message)
        self.code, self.message, self.status, self.subcode, self.extra = (
            code, message, status, subcode, extra)


def fbtrace(*key: object) -> str:
    """A fbtrace_id-looking string (deterministic, so responses are reproducible)."""
    return "A" + hashlib.sha1(repr(key).encode()).hexdigest()[:22]


def error_response(err: GraphError, headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict = {"message": err.message, "type": "OAuthException", "code": err.code}
    if err.subcode is not None:
        body["error_subcode"] = err.subcode
    body.update(err.extra)
    body["fbtrace_id"] = fbtrace(err.code, err.message)
    headers = dict(headers or {})
    if err.code == 190:
        headers["WWW-Authenticate"] = (f'OAuth "Facebook Platform" "invalid_token" '
                                       f'"{err.message[:80]}"')
    return JSONResponse({"error": body}, status_code=err.status, headers=headers)


def not_found(object_id: str) -> GraphError:
    return GraphError(100, f"Unsupported get request. Object with ID '{object_id}' does not "
                      "exist, cannot be loaded due to missing permissions, or does not support "
                      "this operation. Please read the Graph API documentation at "
                      "https://developers.facebook.com/docs/graph-api", subcode=33)


def invalid_metric(index: int | None = None, allowed: list[str] | None = None) -> GraphError:
    """Facebook's refusal names nothing; Instagram's names the position of the bad metric and
    lists the values that ARE allowed for that media (never the refused one)."""
    if index is None or allowed is None:
        return GraphError(100, "(#100) The value must be a valid insights metric")
    return GraphError(100, f"(#100) metric[{index}] must be one of the following values: "
                      f"{', '.join(allowed)}")


def preconversion(state: SandboxState, media_id: str) -> bool:
    """A media posted before its account's business conversion: named by the knob, or one of
    the oldest live, non-viral media of an owned account (``WorldConfig.preconversion_media``;
    viral and deleted ones are left out so that the refusal never hides a truth)."""
    if media_id in state.faults.meta_preconversion_media:
        return True
    oldest = state.world.config.preconversion_media
    if not oldest:
        return False
    post = ids.find_post(state.world, "instagram", media_id)
    if post is None or post.account.is_competitor or post.is_viral or post.deleted_at:
        return False
    # the account's ``oldest`` first media that are live and not viral
    live = (state.world.post(post.account, k) for k in range(post.k))
    return sum(1 for p in live if not p.is_viral and p.deleted_at is None) < oldest


def media_insights_refusal(state: SandboxState, media_id: str) -> GraphError | None:
    """Graph's per-media refusal of insights (sandbox knobs name the media), or None."""
    if preconversion(state, media_id):
        return GraphError(100, "(#100) Media posted before business account conversion",
                          subcode=2108006, error_user_title="Media Posted Before Business "
                          "Account Conversion", error_user_msg="The media was posted before the "
                          "most recent time that the user's account was converted to a business "
                          "account from a personal account.")
    if media_id in state.faults.meta_insights_denied_media:
        return GraphError(10, "(#10) Application does not have permission for this action")
    return None


def proof_refusal(state: SandboxState, token: str, proof: str | None,
                  app_secret: str) -> GraphError | None:
    """With "Require App Secret" on (a knob), a read without a valid ``appsecret_proof`` of its
    token is refused as Graph refuses it; None when the read may proceed."""
    if not state.faults.meta_require_appsecret_proof:
        return None
    if not proof:
        return GraphError(100, "(#100) Pages Public Content Access requires either app secret "
                          "proof or an app token")
    expected = hmac.new(app_secret.encode(), token.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(proof, expected):
        return GraphError(100, "Invalid appsecret_proof provided in the API argument")
    return None


def _throttle(code: int, **extra) -> GraphError:
    status, message = THROTTLE_MESSAGES[code]
    return GraphError(code, message, status=status, is_transient=True, **extra)


def _pick(state: SandboxState, options: list):
    with state._lock:  # the sandbox's seeded fault RNG, so runs are reproducible
        return state._rng.choice(options)


def decision_error(state: SandboxState, decision: Decision, platform: str,
                   now: datetime) -> JSONResponse | None:
    """The error response a refused Decision becomes; None when the request may proceed."""
    kind = decision.kind
    if kind == "ok":
        return None
    if kind == "fault_5xx":
        status = _pick(state, [500, 503])
        err = GraphError(2, "An unexpected error has occurred. Please retry your request later.",
                         status=status, is_transient=True)
        retry = state.faults.retry_after_s
        return error_response(err, {"Retry-After": str(retry)} if retry and status == 503
                              else None)
    if kind == "fault_429":
        # short throttling: one of the classic codes, usually without usage headers
        codes = [4, 17, 613] + ([32, 80001] if platform == "facebook" else [80002])
        code = _pick(state, codes)
        headers = None
        if code in (80001, 80002):
            headers = usage_headers(Decision("ok", usage_pct=100), platform, now,
                                    app_usage_pct(state, now))
        return error_response(_throttle(code), headers)
    if kind == "app_throttled":
        # the app-level limit: X-App-Usage at 100 %, no business-use-case header
        app = {"call_count": 100, "total_cputime": 40, "total_time": 60}
        return error_response(_throttle(4), {"X-App-Usage": json.dumps(app,
                                                                       separators=(",", ":"))})
    if kind == "quota":
        # the account's budget is spent: an Instagram account's BUC limit (80002); a Page's
        # own limit (#32 Page request limit reached), which holds that Page only
        code = 80002 if platform == "instagram" else 32
        return error_response(_throttle(code), usage_headers(
            decision, platform, now, app_usage_pct(state, now)))
    if kind == "auth_expired":
        return error_response(GraphError(
            190, "Error validating access token: Session has expired on "
            f"{now:%A, %d-%b-%y %H:%M:%S} UTC. The current time is "
            f"{now:%A, %d-%b-%y %H:%M:%S} UTC.", subcode=463))
    if kind == "auth_deauthorized":  # the app revoked the grant (DELETE /{user}/permissions)
        return error_response(GraphError(
            190, "Error validating access token: The user has not authorized application "
            f"{APP_CREDENTIALS['meta']['client_id']}.", subcode=458))
    if kind == "auth_revoked":
        return error_response(GraphError(
            190, "Error validating access token: The session has been invalidated because the "
            "user changed their password or Facebook has changed the session for security "
            "reasons.", subcode=460))
    return error_response(GraphError(190, "Invalid OAuth access token - Cannot parse access "
                                     "token"))
