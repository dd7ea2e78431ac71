"""Graph paging links and request signing: ``paging.next`` links are followed through the
configured base URL, and every call carries ``appsecret_proof`` when the app secret is known."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any
from urllib.parse import urlsplit

from dlt.sources.helpers.rest_client.paginators import JSONLinkPaginator
from requests import Response


def appsecret_proof(access_token: str, app_secret: str) -> str:
    """Hex HMAC-SHA256 of the access token keyed with the app secret (Graph's proof that the
    caller holds the app secret, required by apps that enforce it)."""
    return hmac.new(app_secret.encode(), access_token.encode(), hashlib.sha256).hexdigest()


def local_link(url: str, base_url: str) -> str:
    """An absolute Graph link (``https://graph.facebook.com/v24.0/...``) rewritten onto the
    configured base URL, so paging never bypasses a proxy or the sandbox. Relative links and
    links already on the base URL are returned as they are."""
    base = base_url.rstrip("/")
    parts = urlsplit(url)
    if not parts.scheme or url.startswith(f"{base}/"):
        return url
    query = f"?{parts.query}" if parts.query else ""
    return f"{base}{parts.path}{query}"


class GraphLinkPaginator(JSONLinkPaginator):
    """``paging.next`` paging that keeps to the configured host and re-sends the request
    parameters Graph's links leave out (``appsecret_proof``)."""

    def __init__(self, base_url: str, extra_params: dict[str, str]):
        super().__init__(next_url_path="paging.next")
        self._base, self._extra = base_url, extra_params

    def update_state(self, response: Response, data: list[Any] | None = None) -> None:
        super().update_state(response, data)
        if self._next_reference:
            self._next_reference = local_link(self._next_reference, self._base)

    def update_request(self, request: Any) -> None:
        super().update_request(request)
        # the parent clears the params (the link carries them); the proof is not in the link
        request.params = dict(self._extra) or None
