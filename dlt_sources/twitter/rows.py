"""X API objects -> raw table rows (with their table hints), and the checks that quarantine a
malformed record instead of loading it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import dlt
import psycopg
from psycopg import sql

from dlt_sources.twitter import settings


class Malformed(ValueError):
    """A record that cannot be loaded as it is; the message is the reject reason."""


def _hints(table: str, primary_key: str | list[str], columns: dict[str, Any]) -> Any:
    schema: Any = {name: {"data_type": kind, "nullable": True} for name, kind in columns.items()}
    return dlt.mark.make_hints(table_name=table, write_disposition="merge",
                               primary_key=primary_key, columns=schema)


_TS, _TXT, _INT, _JSON, _BOOL = "timestamp", "text", "bigint", "json", "bool"
TWEETS = _hints("tweets", "id", {
    "id": _TXT, "author_id": _TXT, "text": _TXT, "created_at": _TS, "conversation_id": _TXT,
    "lang": _TXT, "in_reply_to_user_id": _TXT, "hashtags": _JSON, "mentions": _JSON,
    "urls": _JSON, "is_deleted": _BOOL, "last_observed_at": _TS})
TWEET_SNAPSHOTS = _hints("tweet_metric_snapshots", ["tweet_id", "observed_at"], {
    "tweet_id": _TXT, "author_id": _TXT, "observed_at": _TS,
    **{m: _INT for m in settings.PUBLIC_TWEET_METRICS + settings.NON_PUBLIC_TWEET_METRICS}})
REPLIES = _hints("replies", "id", {
    "id": _TXT, "conversation_id": _TXT, "account_id": _TXT, "author_id": _TXT, "text": _TXT,
    "created_at": _TS, "lang": _TXT, "in_reply_to_user_id": _TXT, "last_observed_at": _TS})
USERS = _hints("users", "id", {
    "id": _TXT, "username": _TXT, "name": _TXT, "description": _TXT, "created_at": _TS,
    "protected": _BOOL, "verified": _BOOL, "is_competitor": _BOOL, "last_observed_at": _TS})
USER_SNAPSHOTS = _hints("user_metric_snapshots", ["user_id", "observed_at"], {
    "user_id": _TXT, "observed_at": _TS, **{m: _INT for m in settings.USER_METRICS}})


def _id(value: Any, what: str) -> str:
    # ids are strings on X, but normalise numbers too (other platforms send JSON numbers)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.isdigit():
        raise Malformed(f"{what} is missing or not a numeric id: {value!r}")
    return value


def _time(value: Any, what: str) -> datetime:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC)
    except ValueError as exc:
        raise Malformed(f"{what} is not a timestamp: {value!r}") from exc


def _metrics(obj: Any, keys: tuple[str, ...], what: str) -> dict[str, int | None]:
    if obj is None:
        return {}
    if not isinstance(obj, dict):
        raise Malformed(f"{what} is not an object")
    out: dict[str, int | None] = {}
    for key in keys:
        value = obj.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise Malformed(f"{what}.{key} is not an integer: {value!r}")
        out[key] = value
    return out


def tweet_rows(tweet: dict, observed_at: datetime) -> tuple[dict, dict]:
    """The tweets row and the metric snapshot of one tweet (plain dicts, to be marked with
    TWEETS / TWEET_SNAPSHOTS); raises Malformed."""
    tid = _id(tweet.get("id"), "id")
    author = _id(tweet.get("author_id"), "author_id")
    entities = tweet.get("entities") or {}
    row = {
        "id": tid, "author_id": author, "text": tweet.get("text"),
        "created_at": _time(tweet.get("created_at"), "created_at"),
        "conversation_id": tweet.get("conversation_id"), "lang": tweet.get("lang"),
        "in_reply_to_user_id": tweet.get("in_reply_to_user_id"),
        # from the entities, not the text: X's own parse (lower-case, no '#')
        "hashtags": [h["tag"].lower() for h in entities.get("hashtags", []) if h.get("tag")],
        "mentions": [m["username"].lower() for m in entities.get("mentions", [])
                     if m.get("username")],
        "urls": [u.get("expanded_url") or u.get("url") for u in entities.get("urls", [])],
        "is_deleted": False, "last_observed_at": observed_at,
    }
    snapshot: dict[str, Any] = {"tweet_id": tid, "author_id": author, "observed_at": observed_at,
                **{m: None for m in settings.PUBLIC_TWEET_METRICS}}
    snapshot.update(_metrics(tweet.get("public_metrics"), settings.PUBLIC_TWEET_METRICS,
                             "public_metrics"))
    snapshot.update(_metrics(tweet.get("non_public_metrics"),
                             settings.NON_PUBLIC_TWEET_METRICS, "non_public_metrics"))
    return row, snapshot


def reply_row(reply: dict, account_id: str, observed_at: datetime) -> Any:
    """A replies row (account_id: the owned account whose conversation it is)."""
    row = {
        "id": _id(reply.get("id"), "id"),
        "conversation_id": _id(reply.get("conversation_id"), "conversation_id"),
        "account_id": account_id, "author_id": _id(reply.get("author_id"), "author_id"),
        "text": reply.get("text"), "created_at": _time(reply.get("created_at"), "created_at"),
        "lang": reply.get("lang"), "in_reply_to_user_id": reply.get("in_reply_to_user_id"),
        "last_observed_at": observed_at,
    }
    return dlt.mark.with_hints(row, REPLIES)


def user_rows(user: dict, is_competitor: bool, observed_at: datetime) -> tuple[Any, Any]:
    """The users row and the follower snapshot of one user; raises Malformed."""
    uid = _id(user.get("id"), "id")
    row = {
        "id": uid, "username": user.get("username"), "name": user.get("name"),
        "description": user.get("description"),
        "created_at": _time(user["created_at"], "created_at") if user.get("created_at") else None,
        "protected": user.get("protected"), "verified": user.get("verified"),
        "is_competitor": is_competitor, "last_observed_at": observed_at,
    }
    snapshot = {"user_id": uid, "observed_at": observed_at,
                **_metrics(user.get("public_metrics"), settings.USER_METRICS, "public_metrics")}
    return dlt.mark.with_hints(row, USERS), dlt.mark.with_hints(snapshot, USER_SNAPSHOTS)


def deleted_rows(url: str, dataset: str, tweet_ids: list[str], observed_at: datetime) -> list:
    """Loaded tweets re-emitted with is_deleted = true (a merge replaces whole rows, so the
    other columns are carried over from the warehouse)."""
    query = sql.SQL("select to_jsonb(t) from {} t where id = any(%s)").format(
        sql.Identifier(dataset, "tweets"))
    with psycopg.connect(url) as conn:
        found = [r[0] for r in conn.execute(query, (tweet_ids,)).fetchall()]
    out = []
    for row in found:
        row = {k: v for k, v in row.items() if not k.startswith("_dlt")}
        row.update(is_deleted=True, last_observed_at=observed_at)
        out.append(dlt.mark.with_hints(row, TWEETS))
    return out
