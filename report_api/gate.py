"""Unauthenticated ``/api`` requests are answered before routing (pure ASGI).

Why here and not in a dependency: a request that reaches FastAPI costs routing, dependency
resolution, an exception and the error handlers on the one event loop, about a millisecond
each. A flood of them queued a logged-in user's request behind thousands of rejections (p99
3.7 s beside 100 anonymous clients). The gate checks the bearer token's signature with PyJWT
(no database, no worker thread) and answers 401, or 429 once the address is over
``ANON_RATE_LIMIT`` (the shared limiter: one window per address across processes with Redis).
An address found over its limit is refused from memory until its window frees a hit, so a
flood costs no Redis round trip either, and its 429s are held back for a second (see
HOLD_SECONDS).

Which paths it guards is read from the app's routes, not listed by hand: every ``/api`` route
that depends on the bearer token (``deps.token_claims``). Other paths (login, the OAuth
callback with its session cookie, a trailing-slash redirect, a 404) go to the app as before.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Sequence
from typing import Any

from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from report_api.config import ApiSettings
from report_api.middleware import reject
from report_api.ratelimit import RateLimiter
from report_api.security import InvalidToken, decode_token

PREFIX = "/api/"
BLOCKED_ENTRIES = 10_000  # addresses remembered as over the limit (expired ones are dropped)
# A 429 is answered after HOLD_SECONDS (at most its Retry-After): a flooder that sends its next
# request as soon as it has an answer then costs one rejection per connection and second
# instead of thousands, while the held request costs no CPU. Beyond HOLD_MAX held at once the
# 429 goes out at once with `Connection: close`, so many connections cannot pile up memory.
HOLD_SECONDS = 1.0
HOLD_MAX = 1_000


def _depends_on(dependant: Any, call: Callable) -> bool:
    return dependant.call is call or any(_depends_on(d, call) for d in dependant.dependencies)


def guarded_patterns(routes: Sequence[BaseRoute], token_dependency: Callable) -> list[re.Pattern]:
    """Path patterns of the ``/api`` routes that depend on the bearer token (one per path)."""
    patterns = {context.path_regex.pattern: context.path_regex
                for context in iter_route_contexts(routes)
                if (context.path or "").startswith(PREFIX)
                and getattr(context, "dependant", None) is not None
                and _depends_on(context.dependant, token_dependency)}
    return list(patterns.values())


def bearer(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The token of an ``Authorization: Bearer`` header, if any."""
    for name, value in headers:
        if name == b"authorization":
            scheme, _, credentials = value.decode("latin-1").partition(" ")
            return credentials.strip() if scheme.lower() == "bearer" else None
    return None


class AnonymousGate:
    """401 / 429 for token-guarded ``/api`` paths without a valid token, before the app."""

    def __init__(self, app: ASGIApp, settings: ApiSettings, routes: Sequence[BaseRoute],
                 limiter: RateLimiter):
        self.app, self.settings, self.routes, self.limiter = app, settings, routes, limiter
        self._guarded: list[re.Pattern] | None = None
        self._blocked: dict[str, float] = {}  # address -> monotonic time its window frees
        self.hold_seconds, self.hold_max = HOLD_SECONDS, HOLD_MAX
        self.held = 0  # 429s being held back right now

    def _is_guarded(self, path: str) -> bool:
        if self._guarded is None:  # routes are complete once the app serves
            from report_api.deps import token_claims

            self._guarded = guarded_patterns(self.routes, token_claims)
        return any(p.match(path) for p in self._guarded)

    def _invalid(self, token: str | None) -> str | None:
        """Why ``token`` does not authenticate (the dependency's wording), None if it does."""
        if not token:
            return "missing bearer token"
        try:
            decode_token(self.settings, token)
        except InvalidToken as exc:
            return str(exc)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        reason = None
        if scope["type"] == "http" and scope["path"].startswith(PREFIX):
            reason = self._invalid(bearer(scope["headers"]))
        if reason is None or not self._is_guarded(scope["path"]):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        await self._refuse(send, client[0] if client else "unknown", reason)

    async def _refuse(self, send: Send, address: str, reason: str) -> None:
        now = time.monotonic()
        limiter = self.limiter
        freed = self._blocked.get(address, 0.0)
        if freed <= now:
            decision = await limiter.acheck(limiter.anon_limit, f"anon:{address}")
            if decision.allowed:
                await reject(send, 401, "unauthorized", reason,
                             headers={"www-authenticate": "Bearer"})
                return
            self._remember(address, now + decision.retry_after)
            freed = now + decision.retry_after
        retry = max(1, round(freed - now))
        limit = limiter.anon_limit.amount
        headers = {"retry-after": str(retry), "x-ratelimit-limit": str(limit),
                   "x-ratelimit-remaining": "0"}
        if self.held < self.hold_max:
            self.held += 1
            try:
                await asyncio.sleep(min(self.hold_seconds, freed - now))
            finally:
                self.held -= 1
        else:
            headers["connection"] = "close"
        await reject(send, 429, "rate_limited", "too many unauthenticated requests",
                     {"limit": limit, "retry_after_seconds": retry}, headers=headers)

    def _remember(self, address: str, freed: float) -> None:
        if len(self._blocked) >= BLOCKED_ENTRIES:
            now = time.monotonic()
            self._blocked = {a: t for a, t in self._blocked.items() if t > now}
            if len(self._blocked) >= BLOCKED_ENTRIES:
                self._blocked.clear()
        self._blocked[address] = freed
