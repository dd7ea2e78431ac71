"""Opaque pagination cursors: URL-safe base64 of the last row's sort key."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from report_api.errors import invalid


def encode(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> dict[str, Any]:
    """The cursor's payload; a cursor this API did not issue is a 422 on ``cursor``."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise invalid("cursor", "not a cursor issued by this API") from exc
    if not isinstance(payload, dict):
        raise invalid("cursor", "not a cursor issued by this API")
    return payload


def post_cursor(sort: str, order: str, value: Any, post_id: str) -> str:
    """The last row's sort value and ``post_id`` (1.x cursors carried post_key, the same
    value, so they stay valid)."""
    if isinstance(value, datetime):
        value = value.isoformat()
    return encode({"s": sort, "o": order, "v": value, "k": post_id})


def parse_post_cursor(cursor: str, sort: str, order: str) -> tuple[Any, str]:
    """(sort value, post_id) after which the next page starts."""
    p = decode(cursor)
    if p.get("s") != sort or p.get("o") != order:
        raise invalid("cursor", "the cursor belongs to another sort or order")
    value, key = p.get("v"), p.get("k")
    if not isinstance(key, str) or len(key) > 512 or "\x00" in key or not _encodable(key):
        raise invalid("cursor", "not a cursor issued by this API")
    try:
        if sort == "created_at":
            if not isinstance(value, str) or len(value) > 64 or not _encodable(value):
                raise ValueError
            value = datetime.fromisoformat(value)
            if value.tzinfo is None:
                raise ValueError
        elif sort == "engagement":
            if not isinstance(value, int) or isinstance(value, bool) or abs(value) >= 2**63:
                raise ValueError
        elif not isinstance(value, int | float) or isinstance(value, bool) \
                or value != value or abs(value) > 1e300:
            raise ValueError
    except ValueError as exc:
        raise invalid("cursor", "not a cursor issued by this API") from exc
    return value, key


def _encodable(text: str) -> bool:
    """False for text the driver cannot send (a lone surrogate from a ``\\ud800`` escape)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def alert_cursor(alert_id: int) -> str:
    return encode({"a": alert_id})


def parse_alert_cursor(cursor: str) -> int:
    value = decode(cursor).get("a")
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 2**63:
        raise invalid("cursor", "not a cursor issued by this API")
    return value
