"""HTTP plumbing shared by the sources: dlt's retrying REST client, server time, redaction."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

from dlt.common.jsonpath import TJsonPath, compile_path
from dlt.sources.helpers.requests import Client
from dlt.sources.helpers.requests.retry import DEFAULT_RETRY_STATUS
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.paginators import BasePaginator
from jsonpath_ng import JSONPath
from requests import Response

__all__ = ["DEFAULT_RETRY_STATUS", "jsonpath", "make_client", "redact", "server_time"]

log = logging.getLogger(__name__)
# (host, problem) pairs already logged: a sync makes thousands of calls, one line says enough
_CLOCK_WARNED: set[tuple[str, str]] = set()

RetryPredicate = Callable[[Response | None, BaseException | None], bool]

_SECRETS = re.compile(
    r"((?:access_token|refresh_token|client_secret|fb_exchange_token|code)=)[^&\s'\"]+"
    r"|(Bearer\s+)[A-Za-z0-9._~+/=-]+",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    """Remove tokens and secrets from a URL, header or error message before it is logged or
    stored (Graph API paging links carry the access token in the query string)."""
    return _SECRETS.sub(lambda m: (m.group(1) or m.group(2)) + "***", text)


@lru_cache(maxsize=64)
def jsonpath(path: str) -> JSONPath:
    """``path`` compiled once per process. dlt compiles a string path (a paginator's cursor,
    a data selector) on every paginator and every response, with a parser generator that cost
    about 1 ms each: a tenth of a sync's CPU where LinkedIn reads comments post by post."""
    return compile_path(path)


class _RESTClient(RESTClient):
    """dlt's RESTClient with data selectors compiled once (see :func:`jsonpath`)."""

    def extract_response(self, response: Response, data_selector: TJsonPath) -> list[Any]:
        selector = jsonpath(data_selector) if isinstance(data_selector, str) else data_selector
        return super().extract_response(response, selector)


def make_client(
    base_url: str,
    headers: dict[str, str] | None = None,
    paginator: BasePaginator | None = None,
    retry_condition: RetryPredicate | Sequence[RetryPredicate] | None = None,
    max_attempts: int = 6,
    backoff_factor: float = 0.5,
    max_retry_delay: float = 30.0,
    timeout: float = 30.0,
    status_codes: Sequence[int] = DEFAULT_RETRY_STATUS,
) -> RESTClient:
    """A dlt RESTClient whose session retries 429/5xx and connection errors with exponential
    backoff, honouring Retry-After, plus any platform-specific ``retry_condition`` (Meta signals
    throttling with HTTP 400/403 bodies rather than 429). ``status_codes`` narrows the statuses
    retried by status alone (X leaves 429 out: its reset headers decide)."""
    session = Client(
        request_timeout=timeout,
        raise_for_status=False,
        request_max_attempts=max_attempts,
        request_backoff_factor=backoff_factor,
        request_max_retry_delay=max_retry_delay,
        retry_condition=retry_condition,
        status_codes=status_codes,
    ).session
    return _RESTClient(base_url=base_url, headers=headers, paginator=paginator,
                       session=session)


def server_time(response: Response) -> datetime:
    """When the platform answered, from its Date header (the sandbox's simulated clock, or the
    real API's clock); falls back to this machine's UTC clock, logged once per host and
    problem so a run whose observed_at is not the platform's time says so."""
    value = response.headers.get("Date")
    problem = "no Date header"
    if value:
        try:
            return parsedate_to_datetime(value).astimezone(UTC)
        except (TypeError, ValueError):
            problem = f"an unparsable Date header ({value[:40]!r})"
    host = response.url.split("/")[2] if response.url and "://" in response.url else "?"
    if (host, problem) not in _CLOCK_WARNED:
        _CLOCK_WARNED.add((host, problem))
        log.warning("%s answered with %s: observed_at uses this machine's UTC clock instead of "
                    "the platform's (later responses like this are not logged again)",
                    host, problem)
    return datetime.now(UTC).replace(microsecond=0)
