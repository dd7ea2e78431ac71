"""HTTP side of the LinkedIn source: versioned Rest.li client, token refresh, error mapping and
the two paging styles (``paging.links`` and ``metadata.nextPageToken``)."""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urljoin

import dlt
from dlt.sources.helpers.rest_client.client import PageData
from dlt.sources.helpers.rest_client.paginators import BasePaginator, JSONResponseCursorPaginator
from dlt.sources.helpers.rest_client.typing import Hooks
from requests import Request, RequestException, Response
from requests.auth import AuthBase

from dlt_sources._shared.context import Credentials
from dlt_sources._shared.errors import (
    NeedsReauth,
    PlatformError,
    TokenExpired,
)
from dlt_sources._shared.http import jsonpath, make_client, redact, server_time
from dlt_sources.linkedin import settings
from dlt_sources.linkedin.errors import classify, message

log = logging.getLogger(__name__)
_NO_RAISE: Hooks = {"response": [lambda response, *args, **kwargs: None]}


class LinksPaginator(BasePaginator):
    """Follows ``paging.links[rel=next].href`` (a path carrying the whole query string)."""

    def __init__(self) -> None:
        super().__init__()
        self._next: str | None = None

    def update_state(self, response: Response, data: list[Any] | None = None) -> None:
        body = response.json() if response.ok else {}
        links = (body.get("paging") or {}).get("links") or []
        href = next((link.get("href") for link in links if link.get("rel") == "next"), None)
        self._next = urljoin(response.url, href) if href else None
        self._has_next_page = self._next is not None

    def update_request(self, request: Request) -> None:
        request.url, request.params = self._next, {}


def comments_paginator() -> BasePaginator:
    """Comment lists page by an opaque token and have no next link or total."""
    # one per post read: the cursor's path compiled once, not per paginator
    return JSONResponseCursorPaginator(cursor_path=jsonpath("metadata.nextPageToken"),
                                       cursor_param="pageToken")


class _BearerAuth(AuthBase):
    """Reads the token at send time, so a refresh applies to the following pages too."""

    def __init__(self, credentials: Credentials):
        self.credentials = credentials

    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {self.credentials.access_token}"
        return request


def urn_list(urns: list[str]) -> str:
    """Rest.li 2.0 ``List(...)`` with each URN URL-encoded (``:`` must become ``%3A``)."""
    return "List(" + ",".join(quote(u, safe="") for u in urns) + ")"


class LinkedInApi:
    """One organization's view of the API, authenticated with its refreshable credentials."""

    def __init__(self, base_url: str, api_version: str, credentials: Credentials,
                 client_id: str, client_secret: str, token_url: str | None = None):
        self.api_version = api_version
        self.credentials = credentials
        self.client_id, self.client_secret = client_id, client_secret
        self.token_url = token_url or base_url.rstrip("/") + settings.TOKEN_PATH
        self.client = make_client(
            base_url,
            headers={"Linkedin-Version": api_version,
                     "X-Restli-Protocol-Version": settings.RESTLI_PROTOCOL_VERSION},
            backoff_factor=_runtime("request_backoff_factor", 0.5),
            max_retry_delay=_runtime("request_max_retry_delay", 30.0),
            # LinkedIn's 429s carry no Retry-After: be patient before giving up for this cycle
            max_attempts=8,
        )
        self.client.auth = _BearerAuth(credentials)

    def get(self, path: str, params: dict | None = None) -> tuple[Any, datetime]:
        """GET a single (non-paged) resource: (body, server time)."""
        for attempt in range(2):
            try:
                response = self.client.get(path, params=params, hooks=_NO_RAISE)
            except RequestException as exc:
                raise PlatformError(f"LinkedIn unreachable: {redact(str(exc))}") from exc
            error = classify(response, self.api_version)
            if isinstance(error, TokenExpired) and attempt == 0:
                self.refresh()
                continue
            if error:
                raise error
            return response.json(), server_time(response)
        raise AssertionError("unreachable")

    def pages(self, path: str, params: dict | None,
              paginator: BasePaginator) -> Iterator[PageData[Any]]:
        """Pages of ``elements``; an expired token is refreshed once before the first page."""
        for attempt in range(2):
            try:
                for n, page in enumerate(self.client.paginate(
                        path, params=params, paginator=copy.deepcopy(paginator),
                        data_selector="elements", hooks=_NO_RAISE)):
                    error = classify(page.response, self.api_version)
                    if isinstance(error, TokenExpired) and attempt == 0 and n == 0:
                        break
                    if error:
                        raise error
                    yield page
                else:
                    return
            except (RequestException, ValueError) as exc:
                # a gateway's HTML error page or a dropped connection after all retries
                raise PlatformError(f"LinkedIn request failed: {redact(str(exc))}") from exc
            self.refresh()

    def refresh(self) -> None:
        """Trade the refresh token for a new access token and store both (encrypted) at once."""
        creds = self.credentials
        if not creds.refresh_token:
            raise NeedsReauth("LinkedIn access token expired and there is no refresh token: "
                              "reconnect the account")
        with creds.lock:
            response = self.client.session.post(self.token_url, data={
                "grant_type": "refresh_token", "refresh_token": creds.refresh_token,
                "client_id": self.client_id, "client_secret": self.client_secret})
            if not response.ok:
                raise NeedsReauth("LinkedIn token refresh failed, reconnect the account: "
                                  + redact(message(response)))
            body = response.json()
            expires_at = server_time(response) + timedelta(seconds=int(body["expires_in"]))
            creds.update(body["access_token"], body.get("refresh_token"), expires_at)
        log.info("refreshed the LinkedIn access token of account %s", creds.account_id)


def _runtime(key: str, default: float) -> float:
    """dlt's [runtime] retry settings (make_client's defaults otherwise)."""
    try:
        value: Any = dlt.config.get(f"runtime.{key}")
    except Exception:  # noqa: BLE001 - a missing/odd config value just keeps the default
        return default
    return float(value) if value is not None else default
