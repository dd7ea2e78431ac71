"""X API v2 recent search (``GET /2/tweets/search/recent``): the 7-day window, the end_time
margin, ``OR`` of AND-clauses over ``conversation_id:``, ``from:`` and ``#hashtag``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from platform_sandbox import ids
from platform_sandbox.twitter import errors, render
from platform_sandbox.twitter.gate import gate
from platform_sandbox.twitter.params import (
    decode_token,
    encode_token,
    field_set,
    int_param,
    time_bounds,
)
from platform_sandbox.world import World
from platform_sandbox.world_objects import Account, Post

router = APIRouter(tags=["x"])
SEARCH_WINDOW = timedelta(days=7)
SEARCH_END_MARGIN = timedelta(seconds=10)
MAX_QUERY_CHARS = 512


def _posts(world: World, accounts: list[Account], since: datetime, now: datetime) -> list[Post]:
    """Visible posts of ``accounts`` published in (since, now]."""
    found = (world.post(a, k) for a in accounts for k in world.posts_between(a, since, now))
    return [p for p in found if p.visible_at(now)]


def _term_items(world: World, term: str, now: datetime, since: datetime) -> dict | None:
    """{id: (created_at, is_reply, object)} matching one term; None for an unknown operator."""
    items: dict = {}
    if term.startswith("conversation_id:"):
        post = ids.find_post(world, "twitter", term.split(":", 1)[1])
        if post is not None and post.visible_at(now):
            items[ids.post_id(post)] = (post.created_at, False, post)
            for c in world.comments(post, now):
                items[ids.comment_id(c)] = (c.created_at, True, c)
    elif term.startswith("from:"):
        author = world.account_by_handle("twitter", term[5:])
        for p in _posts(world, [author] if author else [], since, now):
            items[ids.post_id(p)] = (p.created_at, False, p)
    elif term.startswith("#"):
        accounts = [a for a in world.accounts if a.platform == "twitter"]
        for p in _posts(world, accounts, since, now):
            if term[1:].lower() in p.hashtags:
                items[ids.post_id(p)] = (p.created_at, False, p)
    else:
        return None
    return items


def _clause_items(world: World, clause: str, now: datetime, since: datetime) -> dict | str:
    """{id: (created_at, is_reply, object)} matching one AND-clause of the query, or an error
    text."""
    found: dict | None = None
    replies_only = None
    for term in clause.strip("() ").split():
        term = term.strip("()")
        if term in ("-is:retweet", "-is:quote"):
            continue
        if term in ("is:reply", "-is:reply"):
            replies_only = term == "is:reply"
            continue
        items = _term_items(world, term, now, since)
        if items is None:
            return f"Unsupported operator or term: {term}"
        found = items if found is None else {k: v for k, v in found.items() if k in items}
    if found is None:
        return "A query needs at least one of conversation_id:, from: or #hashtag"
    if replies_only is not None:
        found = {k: v for k, v in found.items() if v[1] == replies_only}
    return found


def _window_refusal(q: Mapping[str, str], times: dict[str, datetime],
                    now: datetime) -> JSONResponse | None:
    """The 400 for a start_time before the 7-day window or an end_time too close to now."""
    if times.get("start_time", now - SEARCH_WINDOW) < now - SEARCH_WINDOW:
        return errors.invalid_request(
            f"Invalid 'start_time':'{q['start_time']}'. 'start_time' must be on or after "
            f"{render.iso(now - SEARCH_WINDOW)}", "start_time", q["start_time"])
    if "end_time" in times and times["end_time"] > now - SEARCH_END_MARGIN:
        return errors.invalid_request(
            f"Invalid 'end_time':'{q['end_time']}'. 'end_time' must be a minimum of 10 seconds "
            "prior to the request time.", "end_time", q["end_time"])
    return None


@router.get("/2/tweets/search/recent")
def search_recent(request: Request):
    """GET /2/tweets/search/recent: the last 7 days only; end_time >= 10 s in the past."""
    q = request.query_params
    query = q.get("query") or ""
    size = int_param(q.get("max_results"), "max_results", 10, 10, 100)
    if isinstance(size, JSONResponse):
        return size
    times = time_bounds(request)
    if isinstance(times, JSONResponse):
        return times
    if not query or len(query) > MAX_QUERY_CHARS:
        return errors.invalid_request(
            f"There were errors processing your request: Rule length exceeds the max allowed "
            f"{MAX_QUERY_CHARS} characters" if query else "The `query` parameter is required",
            "query", query[:40])
    g = gate(request, "search_recent")
    if (refused := g.refusal()) is not None:
        return refused
    fields = field_set(request, "tweet.fields", render.TWEET_FIELDS - {"non_public_metrics",
                                                                      "organic_metrics"})
    if isinstance(fields, JSONResponse):
        return fields
    world, now = g.state.world, g.state.now()
    if (refused := _window_refusal(q, times, now)) is not None:
        return refused
    start, end = times.get("start_time", now - SEARCH_WINDOW), times.get("end_time", now)
    items: dict = {}
    for clause in query.split(" OR "):
        found = _clause_items(world, clause, now, start)
        if isinstance(found, str):
            return errors.invalid_request(found, "query", query[:40])
        items.update(found)
    since, until = int(q.get("since_id") or 0), int(q.get("until_id") or 0)
    hits = sorted(((t, tid, obj, is_reply) for tid, (t, is_reply, obj) in items.items()
                   if start <= t < end and int(tid) > since and (not until or int(tid) < until)),
                  key=lambda h: (h[0], h[1]), reverse=True)
    offset = 0
    if token := q.get("next_token") or q.get("pagination_token"):
        try:
            offset = int(decode_token(token)[1])
        except (ValueError, IndexError):
            return errors.invalid_request("The `next_token` query parameter value is not valid",
                                          "next_token", token)
    return g.respond(_page(world, now, hits[offset:offset + size], fields,
                           offset + size < len(hits), offset + size))


def _page(world: World, now: datetime, page: list, fields: set[str], more: bool,
          next_offset: int) -> dict:
    """One page of hits, newest first, with ``next_token`` when more remain."""
    if not page:
        return {"meta": {"result_count": 0}}
    data = [render.reply_json(world, obj, fields) if is_reply
            else render.tweet_json(world, obj, now, fields, False) for _, _, obj, is_reply in page]
    meta = {"newest_id": page[0][1], "oldest_id": page[-1][1], "result_count": len(page)}
    if more:
        meta["next_token"] = encode_token("s", next_offset)
    return {"data": data, "meta": meta}
