"""X API objects -> raw table rows (plain dicts; their tables are declared in ``tables.py``),
and the checks that quarantine a malformed record instead of loading it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from dlt_sources.twitter import settings


class Malformed(ValueError):
    """A record that cannot be loaded as it is; the message is the reject reason."""


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


def _references(refs: Any) -> dict[str, Any]:
    """``referenced_tweets`` as [{type, id}] and whether the tweet is a retweet: a retweet
    carries the original's public_metrics, so it is never the account's engagement."""
    kept = [{"type": r.get("type"), "id": str(r.get("id"))} for r in refs or []
            if isinstance(r, dict) and r.get("id") is not None]
    return {"referenced_tweets": kept,
            "is_retweet": any(r["type"] == "retweeted" for r in kept)}


def tweet_rows(tweet: dict, observed_at: datetime) -> tuple[dict, dict]:
    """The tweets row and the metric snapshot of one tweet; raises Malformed."""
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
        **_references(tweet.get("referenced_tweets")),
        "is_deleted": False, "last_observed_at": observed_at,
    }
    snapshot: dict[str, Any] = {"tweet_id": tid, "author_id": author, "observed_at": observed_at,
                **{m: None for m in settings.PUBLIC_TWEET_METRICS}}
    snapshot.update(_metrics(tweet.get("public_metrics"), settings.PUBLIC_TWEET_METRICS,
                             "public_metrics"))
    snapshot.update(_metrics(tweet.get("non_public_metrics"),
                             settings.NON_PUBLIC_TWEET_METRICS, "non_public_metrics"))
    return row, snapshot


def reply_row(reply: dict, account_id: str, observed_at: datetime) -> dict:
    """A replies row (account_id: the owned account whose conversation it is)."""
    return {
        "id": _id(reply.get("id"), "id"),
        "conversation_id": _id(reply.get("conversation_id"), "conversation_id"),
        "account_id": account_id, "author_id": _id(reply.get("author_id"), "author_id"),
        "text": reply.get("text"), "created_at": _time(reply.get("created_at"), "created_at"),
        "lang": reply.get("lang"), "in_reply_to_user_id": reply.get("in_reply_to_user_id"),
        "last_observed_at": observed_at,
    }


def user_rows(user: dict, is_competitor: bool, observed_at: datetime) -> tuple[dict, dict]:
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
    return row, snapshot
