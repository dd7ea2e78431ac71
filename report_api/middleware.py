"""ASGI middleware: a request body limit checked before anything parses it, and the security
headers of every response (the token gate is in :mod:`report_api.gate`)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from report_api.errors import error_body

NOSNIFF = (b"x-content-type-options", b"nosniff")
# the API's own pages serve nothing but JSON; an HTML error page may load nothing at all
STRICT_CSP = b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
# Swagger UI and ReDoc load their bundle from jsdelivr and start it with an inline script
DOCS_CSP = (b"default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            b"style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net "
            b"https://fonts.googleapis.com; font-src https://fonts.gstatic.com; "
            b"img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
            b"connect-src 'self'; worker-src blob:; frame-ancestors 'none'; base-uri 'none'")
DOCS_PATHS = ("/docs", "/redoc")
NO_STORE_PATHS = ("/api/auth/token",)


async def reject(send: Send, status: int, code: str, message: str, details: Any = None,
                 headers: dict[str, str] | None = None) -> None:
    """Answer with the API's error shape straight from ASGI middleware (no app, no thread)."""
    body = json.dumps(error_body(status, code, message, details)).encode()
    extra = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()), NOSNIFF, *extra]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """413 for a body over ``max_bytes``: by Content-Length before reading, else while reading
    (the body is buffered up to the limit, then replayed to the app)."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = f"the request body is over {self.max_bytes} bytes"
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await reject(send, 413, "too_large", too_large)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await reject(send, 413, "too_large", too_large)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        await self.app(scope, _replay(b"".join(chunks), receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # http.disconnect

    return replay


def _relative(location: bytes, host: bytes | None) -> bytes:
    """A redirect to this server keeps its path and query only: the Host header is never
    echoed back. A redirect elsewhere (a platform's consent page) is kept whole."""
    parts = urlsplit(location.decode("latin-1"))
    if parts.netloc and host is not None and parts.netloc.encode("latin-1") != host:
        return location
    path = parts.path or "/"
    return (path + (f"?{parts.query}" if parts.query else "")).encode("latin-1")


class SecurityHeaders:
    """nosniff everywhere, a CSP on HTML, no-store on tokens, relative redirect locations."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        host = dict(scope["headers"]).get(b"host")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _headers(list(message.get("headers", [])), path, host)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _headers(headers: list[tuple[bytes, bytes]], path: str,
             host: bytes | None = None) -> list[tuple[bytes, bytes]]:
    names = {k.lower() for k, _ in headers}
    out = [(k, _relative(v, host) if k.lower() == b"location" else v) for k, v in headers]
    out.append(NOSNIFF)
    content_type = dict((k.lower(), v) for k, v in headers).get(b"content-type", b"")
    if content_type.startswith(b"text/html") and b"content-security-policy" not in names:
        csp = DOCS_CSP if path.startswith(DOCS_PATHS) else STRICT_CSP
        out.append((b"content-security-policy", csp))
    if path in NO_STORE_PATHS:
        out = [(k, v) for k, v in out if k.lower() != b"cache-control"]
        out.append((b"cache-control", b"no-store"))
    return out
