"""How X API v2 spells its errors: the bodies and statuses of refusals, quirks included."""

from __future__ import annotations

from fastapi.responses import JSONResponse

PROBLEMS = "https://api.twitter.com/2/problems"


def invalid_request(message: str, parameter: str, value: str) -> JSONResponse:
    """400: X puts no ``status`` field in 400 bodies."""
    return JSONResponse({
        "errors": [{"parameters": {parameter: [value]}, "message": message}],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": f"{PROBLEMS}/invalid-request",
    }, status_code=400)


def not_found(resource: str, parameter: str, value: str) -> dict:
    """One partial error of a lookup (more keys than the docs show)."""
    return {
        "value": value, "detail": f"Could not find {resource} with {parameter}: [{value}].",
        "title": "Not Found Error", "resource_type": resource, "parameter": parameter,
        "resource_id": value, "type": f"{PROBLEMS}/resource-not-found",
    }


def suspended(parameter: str, value: str) -> dict:
    """The only error of a suspended user's lookup (a 200; the type says resource-not-found)."""
    return {
        "value": value, "detail": f"User has been suspended: [{value}].", "title": "Forbidden",
        "resource_type": "user", "parameter": parameter, "resource_id": value,
        "type": f"{PROBLEMS}/resource-not-found",
    }


def usage_capped() -> JSONResponse:
    """429 once the app's monthly usage cap is spent: no 15-minute window will lift it."""
    return JSONResponse({
        "title": "UsageCapExceeded", "detail": "Usage cap exceeded: Monthly product cap",
        "type": "https://api.x.com/2/problems/usage-capped", "period": "Monthly",
        "scope": "Product",
    }, status_code=429)


def unauthorized() -> JSONResponse:
    """401 for an invalid, expired or revoked token: no x-rate-limit-* headers."""
    return JSONResponse({"title": "Unauthorized", "type": "about:blank", "status": 401,
                         "detail": "Unauthorized"}, status_code=401)


def too_many_requests(v1_style: bool, headers: dict[str, str]) -> JSONResponse:
    """429 in one of the two shapes X is seen to send."""
    body: dict = ({"errors": [{"code": 88, "message": "Rate limit exceeded"}]} if v1_style else
                  {"title": "Too Many Requests", "detail": "Too Many Requests",
                   "type": "about:blank", "status": 429})
    return JSONResponse(body, status_code=429, headers=headers)


def unavailable(headers: dict[str, str]) -> JSONResponse:
    """503 for an injected server fault."""
    return JSONResponse({"title": "Service Unavailable", "detail": "Service Unavailable",
                         "type": "about:blank", "status": 503}, status_code=503, headers=headers)


def forbidden_app_only() -> JSONResponse:
    """403 when an app-only bearer token asks for a user's private metrics."""
    return JSONResponse({
        "title": "Unsupported Authentication",
        "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this "
                  "endpoint.  Supported authentication types are [OAuth 1.0a User Context, "
                  "OAuth 2.0 User Context].",
        "type": f"{PROBLEMS}/unsupported-authentication", "status": 403,
    }, status_code=403)
