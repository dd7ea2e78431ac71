"""One Graph request's context (simulated time, API version, caller, links) and the paging
helpers every node uses: cursors, limits and Graph's timestamp format."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from platform_sandbox.meta.errors import GraphError
from platform_sandbox.state import SandboxState
from platform_sandbox.world import World


def version_number(version: str) -> int:
    """``24.0`` -> 24."""
    return int(version.split(".")[0])


@dataclass
class Ctx:
    """One Graph request: simulated time, API version, the caller, and how to build links."""

    state: SandboxState
    now: datetime
    version: int
    subject: str
    base: str  # scheme://host/vNN.0
    query: dict
    token: str = field(repr=False, default="")

    @property
    def world(self) -> World:
        return self.state.world

    def link(self, path: str, **params) -> str:
        """An absolute paging link; like Graph's, it carries the access token."""
        query = {k: v for k, v in {**params, "access_token": self.token}.items() if v is not None}
        return f"{self.base}/{path}?{urlencode(query)}"


def cursor(kind: str, n: int) -> str:
    """An opaque, base64-looking paging cursor."""
    return base64.urlsafe_b64encode(f"{kind}:{n}".encode()).decode().rstrip("=")


def uncursor(value: str | None, kind: str) -> int | None:
    """The position inside a cursor; GraphError on a foreign or broken one."""
    if not value:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        got, n = raw.split(":")
        if got == kind:
            return int(n)
    except ValueError:
        pass
    raise GraphError(100, "(#100) The after/before cursor is invalid")


def graph_time(t) -> str:
    """Graph's timestamp format: seconds and a colon-less offset (``+0000``)."""
    return t.strftime("%Y-%m-%dT%H:%M:%S+0000")


def limit_of(value, default: int = 25, maximum: int = 100) -> int:
    """A ``limit`` parameter, clamped like Graph does."""
    try:
        return max(1, min(int(value), maximum)) if value not in (None, "") else default
    except ValueError as exc:
        raise GraphError(100, "(#100) Param limit must be a number") from exc
