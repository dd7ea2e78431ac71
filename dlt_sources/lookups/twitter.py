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


def lookup(url: str, conn: Any, competitor: Pending) -> Found | Unresolved | Waiting:
    """The X user named ``competitor.handle``."""
    base_url = str(dlt.config["sources.twitter.base_url"])
    token = str(dlt.secrets["sources.twitter.app_bearer_token"])
    limits = AppLimits()
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
