"""The three ways the source reads tweets: the timeline (new tweets since the last sync), batch
lookups (metrics of recent tweets, deletions) and recent search (replies by conversation)."""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterable, Iterator
from datetime import datetime
from typing import Any

from dlt_sources._shared.context import SyncContext
from dlt_sources._shared.contract import per_table, route
from dlt_sources._shared.errors import AccountUnavailable
from dlt_sources._shared.http import server_time
from dlt_sources._shared.quarantine import reject
from dlt_sources._shared.warehouse import stored_rows
from dlt_sources.twitter import records, settings
from dlt_sources.twitter.helpers import XApi
from dlt_sources.twitter.tables import REPLIES, TWEET_SNAPSHOTS, TWEETS

log = logging.getLogger(__name__)


def _tweet_fields(api: XApi) -> str:
    # private metrics need the author's user token; asking with the app token is a 403
    if api.is_user_context:
        return f"{settings.TWEET_FIELDS},{settings.PRIVATE_TWEET_FIELDS}"
    return settings.TWEET_FIELDS


def _emit(tweet: dict, observed_at: datetime, account_id: str, seen: dict[str, datetime],
          resource: str) -> Iterator[Any]:
    """The tweet's rows; ``seen`` collects the account's own tweets (whose replies are
    searched). A retweet is only its tweets row: its counts are the original's, not the
    account's engagement, and replies to it go to the original."""
    try:
        row, snapshot = records.tweet_rows(tweet, observed_at)
    except records.Malformed as exc:
        yield reject(resource, tweet, str(exc), observed_at, account_id)
        return
    yield route(TWEETS, row)
    if not row["is_retweet"]:
        seen[row["id"]] = row["created_at"]
        yield route(TWEET_SNAPSHOTS, snapshot)


def user_missing(body: dict) -> AccountUnavailable:
    """X answers an unknown or suspended user with HTTP 200 and only ``errors``: permanent
    until someone acts, so the account is not retried every cycle."""
    errors = [e for e in body.get("errors") or [] if isinstance(e, dict)]
    details = "; ".join(str(e.get("detail") or e.get("title")) for e in errors) or "no data"
    if any("suspended" in str(e.get("detail", "")).lower() for e in errors):
        fix = "X suspended this user: reconnect the account once X reinstates it, or remove it"
    else:
        fix = ("X knows no user with this id (deleted or wrong id): reconnect the account "
               "with its current id, or remove it")
    return AccountUnavailable(f"user not available ({details}): {fix}")


def timeline(api: XApi, account_id: str, since_id: str | None, page_size: int,
             seen: dict[str, datetime]) -> Generator[Any, None, tuple[str | None, datetime]]:
    """Yield the rows of tweets newer than ``since_id`` (all, up to X's 3,200, on the first
    sync); returns (the newest id seen, the server time)."""
    params = {"max_results": page_size, "tweet.fields": _tweet_fields(api),
              "expansions": "referenced_tweets.id"}
    if since_id:
        params["since_id"] = since_id
    newest: str | None = since_id
    now: datetime | None = None
    path = settings.TIMELINE_PATH.format(id=account_id)
    for body, observed_at in api.pages(path, params, "users_tweets"):
        now = observed_at
        if "meta" not in body and body.get("errors"):
            raise user_missing(body)
        page_newest = (body.get("meta") or {}).get("newest_id")
        if page_newest and (newest is None or int(page_newest) > int(newest)):
            newest = page_newest
        for error in body.get("errors") or []:
            # a successful page may report expanded objects it could not include
            log.debug("x timeline %s: partial error %s", account_id, error.get("detail"))
        # one list per table and page (per_table), not one item per row
        yield from per_table(item for tweet in body.get("data") or []
                             for item in _emit(tweet, observed_at, account_id, seen, "tweets"))
    assert now is not None
    return newest, now


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _not_found(error: dict) -> str | None:
    if error.get("resource_type") == "tweet" and (
            str(error.get("type", "")).endswith("resource-not-found")
            or error.get("title") == "Not Found Error"):
        return str(error.get("resource_id") or error.get("value"))
    return None


def lookup(api: XApi, tweet_ids: list[str], context: SyncContext, account_id: str
           ) -> Generator[Any, None, dict[str, datetime]]:
    """Re-poll tweets 100 ids per call: fresh rows and one snapshot each; ids reported missing
    are marked deleted. Returns {id: created_at} of the tweets still there."""
    alive: dict[str, datetime] = {}
    for batch in _chunks(tweet_ids, settings.MAX_LOOKUP_IDS):
        response = api.get(settings.LOOKUP_PATH, {"ids": ",".join(batch),
                                                  "tweet.fields": _tweet_fields(api)},
                           "tweets_lookup")
        observed_at, body = server_time(response), response.json()
        # when every id is gone the body has no "data" key at all
        yield from per_table(item for tweet in body.get("data") or []
                             for item in _emit(tweet, observed_at, account_id, alive, "tweets"))
        gone = [tid for e in body.get("errors") or [] if (tid := _not_found(e)) in batch]
        if gone:
            log.info("x %s: %d tweets no longer exist", account_id, len(gone))
            # no snapshot for them; the row keeps its facts (a merge replaces whole rows)
            yield from per_table(
                route(TWEETS, {**stored, "is_deleted": True, "last_observed_at": observed_at})
                for stored in stored_rows(context.warehouse_url, context.dataset, TWEETS, gone))
    return alive


def conversation_queries(tweet_ids: Iterable[str]) -> Iterator[str]:
    """``conversation_id:A OR conversation_id:B ...`` queries within the 512-character limit."""
    query = ""
    for tid in tweet_ids:
        clause = f"conversation_id:{tid}"
        candidate = f"{query} OR {clause}" if query else clause
        if len(candidate) > settings.MAX_QUERY_CHARS:
            yield query
            candidate = clause
        query = candidate
    if query:
        yield query


def replies(api: XApi, query: str, account_id: str) -> Iterator[Any]:
    """Rows of the replies matching one conversation query (the last 7 days only)."""
    params = {"query": query, "max_results": settings.SEARCH_PAGE_SIZE,
              "tweet.fields": settings.REPLY_FIELDS}
    for body, observed_at in api.pages(settings.SEARCH_PATH, params, "search_recent",
                                       cursor_param="next_token"):
        yield from per_table(_reply_items(body.get("data") or [], account_id, observed_at))


def _reply_items(page: list, account_id: str, observed_at: datetime) -> Iterator[Any]:
    for reply in page:
        if reply.get("id") == reply.get("conversation_id"):
            continue  # the conversation's root tweet matches its own conversation_id
        try:
            yield route(REPLIES, records.reply_row(reply, account_id, observed_at))
        except records.Malformed as exc:
            yield reject("replies", reply, str(exc), observed_at, account_id)
