"""The X API client of one token: retries (dlt), OAuth 2.0 refresh, rate-limit windows, paging."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import JSONResponseCursorPaginator
from requests import Request, Response
from requests.auth import AuthBase

from dlt_sources._shared.context import Credentials
from dlt_sources._shared.errors import AccountSyncError, NeedsReauth, PlatformError, RateLimited
from dlt_sources._shared.http import DEFAULT_RETRY_STATUS, jsonpath, make_client, server_time
from dlt_sources.twitter import settings
from dlt_sources.twitter.limits import (
    AppLimits,
    TokenLimits,
    error_text,
    is_usage_capped,
    reset_at,
)

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


class XApi:
    """Requests made with one token: the user token of an owned account (refreshed in place on
    a 401) or the app-only bearer token (competitors' public data)."""

    def __init__(self, client: RESTClient, credentials: Credentials | None = None,
                 app_token: str | None = None, oauth: OAuthApp | None = None,
                 app_limits: AppLimits | None = None):
        self.client, self.credentials, self.app_token = client, credentials, app_token
        self.oauth = oauth
        self.limits = TokenLimits(app_limits or AppLimits())

    @property
    def is_user_context(self) -> bool:
        return self.credentials is not None

    def _token(self) -> str:
        return self.credentials.access_token if self.credentials else (self.app_token or "")

    def get(self, path: str, params: dict, endpoint: str) -> Response:
        """GET with one refresh on 401, 429s waited for or given up per X's reset headers, and
        X's errors mapped to sync errors (5xx are retried by dlt's session)."""
        self.limits.before_call(endpoint)
        refreshed = False
        attempts = self.limits.app.max_attempts
        for attempt in range(attempts):
            token = self._token()
            response = self.client.get(path, params=params, auth=_Bearer(token))
            self.limits.note(endpoint, response)
            if response.status_code == 401 and not refreshed and self._refresh(token):
                refreshed = True
                continue
            if response.status_code == 401:
                raise self._refused(endpoint)
            if response.status_code != 429:
                break
            if is_usage_capped(response):
                raise self.limits.app.cap(endpoint, response)  # monthly: never retried
            if attempt < attempts - 1:
                self.limits.after_429(endpoint, response, attempt)
        if response.status_code == 429:
            raise RateLimited(f"{endpoint}: {error_text(response)} (after {attempts} attempts)",
                              retry_at=reset_at(response))
        if response.status_code >= 400:
            raise PlatformError(f"{endpoint}: {error_text(response)}")
        return response

    def _refused(self, endpoint: str) -> AccountSyncError:
        if self.is_user_context:
            return NeedsReauth(f"{endpoint}: the user token was refused (401) and could not be "
                               "refreshed: reconnect the account")
        return PlatformError(f"{endpoint}: the app bearer token was refused (401)")

    def _refresh(self, used_token: str) -> bool:
        """Swap the refresh token for new tokens; X rotates the refresh token, so the new one is
        persisted at once (Credentials.update). False when there is nothing to refresh with;
        NeedsReauth, with the token endpoint's reason, when the refresh is refused."""
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
                # the OAuth error body ({error, error_description}) says why: keep it
                reason = error_text(response)
                log.warning("x token refresh refused: %s", reason)
                raise NeedsReauth(f"the user token was refused (401) and its refresh was "
                                  f"refused ({reason}): reconnect the account")
            body = response.json()
            expires = server_time(response) + timedelta(seconds=int(body.get("expires_in", 0)))
            creds.update(body["access_token"], body.get("refresh_token"), expires)
            return True

    def pages(self, path: str, params: dict, endpoint: str,
              cursor_param: str = "pagination_token") -> Iterator[tuple[dict, datetime]]:
        """Every page of a list endpoint with its server time. Stops only when ``next_token`` is
        missing: X sends short pages that still have more behind them."""
        paginator = JSONResponseCursorPaginator(cursor_path=jsonpath("meta.next_token"),
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


def build_client(base_url: str, limits: AppLimits) -> RESTClient:
    """dlt's retrying REST client pointed at the X API. It retries 5xx and dropped connections;
    429s come back to XApi, which reads X's reset headers and the usage cap that dlt's back-off
    would ignore."""
    return make_client(base_url, max_attempts=limits.max_attempts,
                       backoff_factor=limits.backoff_factor,
                       max_retry_delay=limits.max_retry_delay,
                       status_codes=[s for s in DEFAULT_RETRY_STATUS if s != 429])
