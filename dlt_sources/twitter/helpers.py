"""The X API client of one token: retries (dlt), OAuth 2.0 refresh, rate-limit windows, paging."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import JSONResponseCursorPaginator
from requests import Request, Response
from requests.auth import AuthBase

from dlt_sources._shared.context import Credentials
from dlt_sources._shared.errors import NeedsReauth, PlatformError, RateLimited
from dlt_sources._shared.http import make_client, redact, server_time
from dlt_sources.twitter import settings

log = logging.getLogger(__name__)


class _Bearer(AuthBase):
    """Bearer auth applied at send time, so the token never shows in dlt's request logs."""

    def __init__(self, token: str):
        self._token = token

    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "_Bearer(***)"


@dataclass(frozen=True)
class OAuthApp:
    """The OAuth 2.0 client that refreshes user tokens (confidential client: basic auth)."""

    client_id: str
    client_secret: str


@dataclass
class _Window:
    reset_at: datetime
    server_now: datetime
    seen_monotonic: float


def _error_text(response: Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    if isinstance(body, dict):
        parts = [body.get("title"), body.get("detail")]
        parts += [e.get("message") or e.get("detail") for e in body.get("errors") or []
                  if isinstance(e, dict)]
        text = "; ".join(str(p) for p in parts if p)
        return redact(f"HTTP {response.status_code}: {text}"[:500])
    return f"HTTP {response.status_code}"


class XApi:
    """Requests made with one token: the user token of an owned account (refreshed in place on
    a 401) or the app-only bearer token (competitors' public data)."""

    def __init__(self, client: RESTClient, credentials: Credentials | None = None,
                 app_token: str | None = None, oauth: OAuthApp | None = None,
                 max_wait_s: float = settings.DEFAULT_MAX_RATE_LIMIT_WAIT_S):
        self.client, self.credentials, self.app_token = client, credentials, app_token
        self.oauth, self.max_wait_s = oauth, max_wait_s
        self._windows: dict[str, _Window] = {}

    @property
    def is_user_context(self) -> bool:
        return self.credentials is not None

    def _token(self) -> str:
        return self.credentials.access_token if self.credentials else (self.app_token or "")

    # ----- rate-limit windows --------------------------------------------------------------
    def _note_limits(self, endpoint: str, response: Response) -> None:
        """Remember an exhausted 15-minute window (x-rate-limit-remaining: 0)."""
        remaining = response.headers.get("x-rate-limit-remaining")
        reset = response.headers.get("x-rate-limit-reset")
        if remaining == "0" and reset and reset.isdigit():
            self._windows[endpoint] = _Window(datetime.fromtimestamp(int(reset), UTC),
                                              server_time(response), time.monotonic())

    def _wait_for_window(self, endpoint: str) -> None:
        """Sleep until the window resets when that is soon, else give up on this account."""
        window = self._windows.pop(endpoint, None)
        if window is None:
            return
        now = window.server_now + timedelta(seconds=time.monotonic() - window.seen_monotonic)
        wait = (window.reset_at - now).total_seconds()
        if wait > self.max_wait_s:
            raise RateLimited(f"{endpoint}: rate limit window exhausted until "
                              f"{window.reset_at.isoformat()}", retry_at=window.reset_at)
        if wait > 0:
            log.info("x %s: rate limit window exhausted, waiting %.0fs", endpoint, wait)
            time.sleep(wait)

    # ----- requests ------------------------------------------------------------------------
    def get(self, path: str, params: dict, endpoint: str) -> Response:
        """GET with retries (dlt), one refresh on 401, and X's errors mapped to sync errors."""
        self._wait_for_window(endpoint)
        for attempt in (1, 2):
            token = self._token()
            response = self.client.get(path, params=params, auth=_Bearer(token))
            self._note_limits(endpoint, response)
            if response.status_code != 401:
                break
            if attempt == 2 or not self._refresh(token):
                if self.is_user_context:
                    raise NeedsReauth(f"{endpoint}: the user token was refused (401) and could "
                                      "not be refreshed: reconnect the account")
                raise PlatformError(f"{endpoint}: the app bearer token was refused (401)")
        if response.status_code == 429:
            reset = response.headers.get("x-rate-limit-reset")
            retry_at = datetime.fromtimestamp(int(reset), UTC) if reset and reset.isdigit() \
                else None
            raise RateLimited(f"{endpoint}: {_error_text(response)}", retry_at=retry_at)
        if response.status_code >= 400:
            raise PlatformError(f"{endpoint}: {_error_text(response)}")
        return response

    def _refresh(self, used_token: str) -> bool:
        """Swap the refresh token for new tokens; X rotates the refresh token, so the new one is
        persisted at once (Credentials.update). False when that is impossible or refused."""
        creds = self.credentials
        if creds is None or self.oauth is None:
            return False
        with creds.lock:
            if creds.access_token != used_token:
                return True  # another client already refreshed this account
            if not creds.refresh_token:
                return False
            response = self.client.session.post(
                self.client.base_url.rstrip("/") + settings.TOKEN_PATH,
                data={"grant_type": "refresh_token", "refresh_token": creds.refresh_token,
                      "client_id": self.oauth.client_id},
                auth=(self.oauth.client_id, self.oauth.client_secret))
            if response.status_code != 200:
                log.warning("x token refresh refused: %s", _error_text(response))
                return False
            body = response.json()
            expires = server_time(response) + timedelta(seconds=int(body.get("expires_in", 0)))
            creds.update(body["access_token"], body.get("refresh_token"), expires)
            return True

    def pages(self, path: str, params: dict, endpoint: str,
              cursor_param: str = "pagination_token") -> Iterator[tuple[dict, datetime]]:
        """Every page of a list endpoint with its server time. Stops only when ``next_token`` is
        missing: X sends short pages that still have more behind them."""
        paginator = JSONResponseCursorPaginator(cursor_path="meta.next_token",
                                                cursor_param=cursor_param)
        request = Request(params=dict(params))
        while True:
            response = self.get(path, cast(dict, request.params), endpoint)
            body = response.json()
            yield body, server_time(response)
            paginator.update_state(response, body.get("data"))
            if not paginator.has_next_page:
                return
            paginator.update_request(request)


def build_client(base_url: str, retry_attempts: int, backoff_factor: float,
                 max_retry_delay: float) -> RESTClient:
    """dlt's retrying REST client pointed at the X API (429 and 5xx are retried)."""
    return make_client(base_url, max_attempts=retry_attempts, backoff_factor=backoff_factor,
                       max_retry_delay=max_retry_delay)
