"""Graph API client for one run: retries, throttling, error mapping and token exchange."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import dlt
from dlt.sources.helpers.rest_client.paginators import BasePaginator
from requests import HTTPError, Response

from dlt_sources._shared.context import Credentials
from dlt_sources._shared.errors import NeedsReauth, PlatformError, RateLimited, TokenExpired
from dlt_sources._shared.http import make_client, redact, server_time
from dlt_sources.meta import settings
from dlt_sources.meta.paging import GraphLinkPaginator, appsecret_proof, local_link
from dlt_sources.meta.usage import APP, UsageGovernor

log = logging.getLogger(__name__)


class GraphError(PlatformError):
    """A Graph error body: ``code``/``subcode`` decide what the source does."""

    def __init__(self, message: str, code: int | None, subcode: int | None = None,
                 observed_at: datetime | None = None, status: int | None = None):
        super().__init__(redact(message))
        self.code, self.subcode, self.observed_at = code, subcode, observed_at
        self.status = status


def _error(response: Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body.get("error") or {} if isinstance(body, dict) else {}


def regain_minutes(response: Response) -> int | None:
    """The longest ``estimated_time_to_regain_access`` in X-Business-Use-Case-Usage, if any."""
    try:
        usage = json.loads(response.headers.get("X-Business-Use-Case-Usage") or "{}")
        values = [int(e.get("estimated_time_to_regain_access") or 0)
                  for entries in usage.values() for e in entries]
    except (ValueError, AttributeError, TypeError):
        return None
    return max(values) if values else None


def app_usage_full(response: Response) -> bool:
    """X-App-Usage at 100 % on any measure (call_count, total_cputime, total_time)."""
    try:
        usage = json.loads(response.headers.get("X-App-Usage") or "{}")
        return max((int(v) for v in usage.values()), default=0) >= 100
    except (ValueError, AttributeError, TypeError):
        return False


def retry_throttled(response: Response | None, exc: BaseException | None) -> bool:
    """Retry Meta's throttling (HTTP 400/403 with codes 4/17/32/613/800xx) when it is short:
    the usage header is missing on most rejections, or promises access back within a minute.
    An app-level limit whose X-App-Usage reads 100 % is spent: retrying only re-hits it."""
    if response is None or response.status_code not in (400, 403):
        return False
    code = _error(response).get("code")
    if code not in settings.THROTTLE_CODES:
        return False
    if code == settings.APP_LIMIT_CODE and app_usage_full(response):
        return False
    minutes = regain_minutes(response)
    return minutes is None or minutes <= settings.SHORT_THROTTLE_MINUTES

class GraphClient:
    """A retrying Graph client for one run; maps errors to account failures and keeps the
    long-lived user tokens fresh with ``fb_exchange_token``."""

    def __init__(self, base_url: str, api_version: str, client_id: str, client_secret: str,
                 usage: UsageGovernor | None = None):
        try:
            backoff = float(dlt.config.get("runtime.request_backoff_factor", float) or 0.5)
            max_delay = float(dlt.config.get("runtime.request_max_retry_delay", float) or 30)
        except (TypeError, ValueError):
            backoff, max_delay = 0.5, 30.0
        self.version, self.base_url = api_version, base_url.rstrip("/")
        self.http = make_client(f"{base_url.rstrip('/')}/{api_version}/",
                                retry_condition=retry_throttled,
                                max_attempts=settings.MAX_ATTEMPTS, backoff_factor=backoff,
                                max_retry_delay=max_delay)
        self._app = {"client_id": client_id, "client_secret": client_secret}
        self._secret = client_secret
        self._checked: set[int] = set()
        # the usage headers of every answer: pacing near a budget's end, no call once spent
        # (the app's budget, or #4, holds for every account: no call is made this run)
        self.usage = usage or UsageGovernor()

    @property
    def app_limited(self) -> RateLimited | None:
        """The app-level limit met in this run (#4, or X-App-Usage at 100 %), if any."""
        return self.usage.stopped.get(APP)

    def _before_call(self, creds: Credentials) -> None:
        self.usage.before_call(str(creds.account_id))

    def _observe(self, response: Response, creds: Credentials) -> None:
        self.usage.observe(response, str(creds.account_id), server_time(response))

    def _raise_for(self, response: Response, creds: Credentials) -> None:
        if response.status_code < 400:
            return
        err = _error(response)
        code, sub = err.get("code"), err.get("error_subcode")
        tag = f"#{code}" + (f"/{sub}" if sub else "")
        text = str(err.get("message") or response.text)
        # Graph's own messages often start with the code already: "(#4) Application ..."
        message = (f"HTTP {response.status_code} {text}" if text.startswith(f"({tag})")
                   else f"HTTP {response.status_code} ({tag}) {text}")
        if code in settings.THROTTLE_CODES:
            minutes = regain_minutes(response) or 60
            # the app's limit stops every account; a Page's or account's (#32, #80001, ...) only
            # the accounts read with this token
            app_wide = code == settings.APP_LIMIT_CODE
            limited = RateLimited(redact(message),
                                  server_time(response) + timedelta(minutes=minutes), app_wide)
            self.usage.stopped[APP if app_wide else str(creds.account_id)] = limited
            raise limited
        if code == 190:
            expired = sub == settings.TOKEN_EXPIRED_SUBCODE
            if expired and self.exchange(creds, server_time(response)):
                raise TokenExpired(redact(message))
            raise NeedsReauth(redact(message))
        raise GraphError(message, code, sub, server_time(response), response.status_code)

    def get(self, path: str, creds: Credentials, params: dict) -> tuple[dict, datetime]:
        """One GET; returns (body, server time). An expired token is exchanged and the call
        repeated once."""
        for attempt in (0, 1):
            self._before_call(creds)
            response = self.http.get(path, params={**params, **self._proof(creds)},
                                     headers=self._auth(creds))
            self._observe(response, creds)
            try:
                self._raise_for(response, creds)
            except TokenExpired:
                if attempt:
                    raise
                continue
            observed = server_time(response)
            self.maybe_exchange(creds, observed)
            return response.json(), observed
        raise AssertionError("unreachable")

    def pages(self, path: str, creds: Credentials, params: dict, selector: str = "data",
              paginator: BasePaginator | None = None) -> Iterator[tuple[list, Response]]:
        """Pages of a list; stops when ``paging.next`` is absent (Graph's only reliable end)."""
        def check(response: Response, *args: Any, **kwargs: Any) -> None:
            self._observe(response, creds)
            # raised inside the retrying send: an HTTPError carries the response, so 5xx and
            # short throttling are retried before it reaches us
            if response.status_code >= 400:
                raise HTTPError(response=response)

        proof = self._proof(creds)
        pager = paginator or GraphLinkPaginator(self.base_url, proof)
        pages = self.http.paginate(
            local_link(path, self.base_url), params={**params, **proof},
            headers=self._auth(creds), data_selector=selector,
            paginator=pager, hooks={"response": [check]})
        first = True
        while True:
            # each page is one call: paced near a budget's end, never made once it is spent
            if first or pager.has_next_page:
                self._before_call(creds)
            first = False
            try:
                page = next(pages)
            except StopIteration:
                return
            except HTTPError as exc:
                if exc.response is not None:  # ``check`` always attaches the response
                    self._raise_for(exc.response, creds)
                raise
            self.maybe_exchange(creds, server_time(page.response))
            yield list(page), page.response

    def _proof(self, creds: Credentials) -> dict[str, str]:
        """``appsecret_proof`` for this token when the app secret is configured."""
        if not self._secret:
            return {}
        return {"appsecret_proof": appsecret_proof(creds.access_token, self._secret)}

    @staticmethod
    def _auth(creds: Credentials) -> dict[str, str]:
        return {"Authorization": f"Bearer {creds.access_token}"}

    def maybe_exchange(self, creds: Credentials, now: datetime) -> None:
        """Exchange a token that expires within a week (once per run and account)."""
        if creds.account_id in self._checked:
            return
        self._checked.add(creds.account_id)
        expires = creds.expires_at
        if expires is not None and expires.astimezone(UTC) - now < settings.EXCHANGE_BEFORE:
            self.exchange(creds, now)

    def exchange(self, creds: Credentials, now: datetime) -> bool:
        """``oauth/access_token?grant_type=fb_exchange_token``; saves the new token (encrypted)
        at once. False when Meta refuses (an expired or revoked token cannot be exchanged)."""
        with creds.lock:
            response = self.http.get("oauth/access_token", params={
                "grant_type": "fb_exchange_token", **self._app,
                "fb_exchange_token": creds.access_token})
            if response.status_code != 200:
                log.warning("token exchange refused: %s", redact(response.text[:300]))
                return False
            body = response.json()
            expires_in = body.get("expires_in")
            creds.update(body["access_token"], None, server_time(response)
                         + timedelta(seconds=int(expires_in)) if expires_in else None)
            log.info("exchanged the long-lived token of account %s", creds.account_id)
            return True
