"""X API v2 query parameters: field lists, bounded integers, time and id bounds, and the opaque
pagination tokens; a bad value comes back as X's 400 response instead of a value."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from fastapi import Request
from fastapi.responses import JSONResponse

from platform_sandbox.twitter.errors import invalid_request


def field_set(request: Request, name: str, allowed: set[str]) -> set[str] | JSONResponse:
    """The comma-separated ``tweet.fields`` / ``user.fields``, or a 400 naming a bad one."""
    raw = request.query_params.get(name)
    fields = {f.strip() for f in raw.split(",") if f.strip()} if raw else set()
    bad = sorted(fields - allowed)
    if bad:
        return invalid_request(
            f"The `{name}` query parameter value [{bad[0]}] is not one of "
            f"[{','.join(sorted(allowed))}]", name, bad[0])
    return fields


def int_param(value: str | None, name: str, default: int, lo: int,
              hi: int) -> int | JSONResponse:
    """An integer parameter in [lo, hi] (``default`` when absent), or a 400."""
    if value is None:
        return default
    if not value.isdigit() or not lo <= int(value) <= hi:
        return invalid_request(
            f"The `{name}` query parameter value [{value}] is not between {lo} and {hi}",
            name, value)
    return int(value)


def time_bounds(request: Request) -> dict[str, datetime] | JSONResponse:
    """The ``start_time`` / ``end_time`` given, after checking them and the id bounds."""
    out = {}
    for name in ("start_time", "end_time"):
        if (value := request.query_params.get(name)) is not None:
            try:
                out[name] = parse_time(value)
            except ValueError:
                return invalid_request(
                    f"Invalid '{name}':'{value}'. '{name}' must be a valid RFC 3339 date.",
                    name, value)
    for name in ("since_id", "until_id"):
        value = request.query_params.get(name)
        if value is not None and not value.isdigit():
            return invalid_request(f"The `{name}` query parameter value [{value}] does not "
                                   "match ^[0-9]{1,19}$", name, value)
    return out


def parse_time(value: str) -> datetime:
    """An RFC 3339 timestamp as sent in start_time / end_time (raises ValueError)."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("timezone required")
    return parsed.astimezone(UTC)


def encode_token(*parts: object) -> str:
    """An opaque pagination token (lower-case base32, like X's)."""
    raw = ":".join(str(p) for p in parts).encode()
    return base64.b32encode(raw).decode().rstrip("=").lower()


def decode_token(token: str) -> list[str]:
    """Inverse of :func:`encode_token`; raises ValueError on garbage."""
    padded = token.upper() + "=" * (-len(token) % 8)
    return base64.b32decode(padded).decode().split(":")
