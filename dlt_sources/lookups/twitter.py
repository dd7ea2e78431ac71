"""X competitor lookup: ``GET /2/users/by/username/:username`` with the app's bearer token.

X answers an unknown or suspended username with HTTP 200 and only ``errors``."""

from __future__ import annotations

from typing import Any

import dlt

from dlt_sources.lookups.results import Found, Unresolved, Waiting
from dlt_sources.twitter.helpers import XApi, build_client
from dlt_sources.twitter.limits import AppLimits
from socialpulse.competitors import Pending

USERNAME_PATH = "/2/users/by/username/{username}"
LOOKUP_MAX_WAIT_S = 5.0


def lookup(url: str, conn: Any, competitor: Pending) -> Found | Unresolved | Waiting:
    """The X user named ``competitor.handle``."""
    base_url = str(dlt.config["sources.twitter.base_url"])
    token = str(dlt.secrets["sources.twitter.app_bearer_token"])
    # a lookup never waits out a rate-limit window: throttled, it stays pending for next cycle
    limits = AppLimits(max_wait_s=LOOKUP_MAX_WAIT_S, max_attempts=3,
                       backoff_factor=float(dlt.config.get("runtime.request_backoff_factor")
                                            or 0.5),
                       max_retry_delay=float(dlt.config.get("runtime.request_max_retry_delay")
                                             or 30.0))
    api = XApi(build_client(base_url, limits), app_token=token, app_limits=limits)
    body = api.get(USERNAME_PATH.format(username=competitor.handle),
                   {"user.fields": "name,username,protected"}, "users").json()
    user = body.get("data")
    if isinstance(user, dict) and user.get("id"):
        if user.get("protected"):
            return Unresolved("not_available", "this X account is protected: only its "
                              "approved followers see its posts")
        return Found(str(user["id"]), str(user.get("username") or competitor.handle).lower(),
                     user.get("name"))
    errors = [e for e in body.get("errors") or [] if isinstance(e, dict)]
    detail = "; ".join(str(e.get("detail") or e.get("title")) for e in errors) or "no data"
    if any("suspended" in str(e.get("detail", "")).lower() for e in errors):
        return Unresolved("not_available", f"X suspended this account ({detail})")
    return Unresolved("not_found", f"X has no user @{competitor.handle} ({detail})")
