"""X API v2 user timeline and recent search: the paged list endpoints and their paging quirks
(short pages that still carry ``next_token``, no ``next_token`` on the last page, the 3,200 cap,
the 7-day search window, ``includes`` errors on successful pages)."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import Request
from fastapi.responses import JSONResponse

from platform_sandbox import ids, rand
from platform_sandbox import x_render as xr
from platform_sandbox.world import Account, Post, World, encode_id
from platform_sandbox.x_api import field_set, gate, router

TIMELINE_CAP = 3_200
SEARCH_WINDOW = timedelta(days=7)
SEARCH_END_MARGIN = timedelta(seconds=10)
MAX_QUERY_CHARS = 512
EXPANSIONS = {"author_id", "referenced_tweets.id", "in_reply_to_user_id",
              "entities.mentions.username", "referenced_tweets.id.author_id"}
MS = timedelta(milliseconds=1)


def _int_param(value: str | None, name: str, default: int, lo: int, hi: int):
    if value is None:
        return default
    if not value.isdigit() or not lo <= int(value) <= hi:
        return xr.invalid_request(
            f"The `{name}` query parameter value [{value}] is not between {lo} and {hi}",
            name, value)
    return int(value)


def _times(request: Request) -> dict[str, datetime] | JSONResponse:
    out = {}
    for name in ("start_time", "end_time"):
        if (value := request.query_params.get(name)) is not None:
            try:
                out[name] = xr.parse_time(value)
            except ValueError:
                return xr.invalid_request(
                    f"Invalid '{name}':'{value}'. '{name}' must be a valid RFC 3339 date.",
                    name, value)
    for name in ("since_id", "until_id"):
        value = request.query_params.get(name)
        if value is not None and not value.isdigit():
            return xr.invalid_request(f"The `{name}` query parameter value [{value}] does not "
                                      "match ^[0-9]{1,19}$", name, value)
    return out


def _first_k_above(world: World, account: Account, tweet_id: int, inclusive: bool) -> int:
    """Smallest k whose id is > ``tweet_id`` (>= when ``inclusive``); ids grow with k."""
    k = world.post_count(account, xr.id_created(str(tweet_id)))
    while k > 0:
        prev_id = encode_id(int(world.post_time(account, k - 1).timestamp() * 1000),
                            account.index, 0)
        if prev_id > tweet_id or (inclusive and prev_id == tweet_id):
            k -= 1
        else:
            break
    return k


@router.get("/2/users/{user_id}/tweets")
def user_tweets(user_id: str, request: Request):
    """GET /2/users/:id/tweets: newest first, the 3,200 most recent at most."""
    q = request.query_params
    size = _int_param(q.get("max_results"), "max_results", 10, 5, 100)
    if isinstance(size, JSONResponse):
        return size
    times = _times(request)
    if isinstance(times, JSONResponse):
        return times
    if bad := next((e for e in (q.get("exclude") or "").split(",")
                    if e and e not in ("replies", "retweets")), None):
        return xr.invalid_request(f"The `exclude` query parameter value [{bad}] is not one of "
                                  "[replies,retweets]", "exclude", bad)
    g = gate(request, "users_tweets")
    if (refused := g.refusal()) is not None:
        return refused
    fields = field_set(request, "tweet.fields", xr.TWEET_FIELDS)
    if isinstance(fields, JSONResponse):
        return fields
    expansions = {e for e in (q.get("expansions") or "").split(",") if e}
    if bad := next(iter(sorted(expansions - EXPANSIONS)), None):
        return xr.invalid_request(f"The `expansions` query parameter value [{bad}] is not "
                                  "valid", "expansions", bad)
    if fields & {"non_public_metrics", "organic_metrics"} and not g.is_user_token:
        return xr.forbidden_app_only()
    world, now = g.state.world, g.state.now()
    account = world.account("twitter", user_id)
    if account is None:
        return g.respond({"errors": [xr.not_found("user", "id", user_id)]})
    count = world.post_count(account, now)
    hi, lo = count, max(0, count - TIMELINE_CAP)
    if q.get("until_id"):
        hi = min(hi, _first_k_above(world, account, int(q["until_id"]), inclusive=True))
    if "end_time" in times:
        hi = min(hi, world.post_count(account, times["end_time"] - MS))
    if q.get("since_id"):
        lo = max(lo, _first_k_above(world, account, int(q["since_id"]), inclusive=False))
    if "start_time" in times:
        lo = max(lo, world.post_count(account, times["start_time"] - MS))
    if token := q.get("pagination_token"):
        try:
            owner, start = xr.decode_token(token)
            hi = min(hi, int(start))
            assert owner == user_id
        except (ValueError, AssertionError):
            return xr.invalid_request("The `pagination_token` query parameter value is not valid",
                                      "pagination_token", token)
    # the server sometimes answers a short page (tweets filtered after paging) yet goes on
    width = size
    if rand.unit(world.seed, "xshort", account.index, hi) < 0.3:
        width = max(1, size - rand.integer(world.seed, 1, size // 2, "xshortn", account.index, hi))
    start = max(lo, hi - width)
    posts = [world.post(account, k) for k in range(hi - 1, start - 1, -1)]
    posts = [p for p in posts if p.visible_at(now)]
    private_ok = g.owns(user_id)
    data = [xr.tweet_json(world, p, now, fields, private_ok) for p in posts]
    meta: dict = {"result_count": len(data)}
    if posts:
        meta["newest_id"], meta["oldest_id"] = ids.post_id(posts[0]), ids.post_id(posts[-1])
    if start > lo:
        meta["next_token"] = xr.encode_token(user_id, start)
    if token:
        meta["previous_token"] = xr.encode_token(user_id, hi + size)
    body: dict = {"data": data} if data else {}
    _expand(body, world, account, now, data, expansions)
    body["meta"] = meta
    return g.respond(body)


def _expand(body: dict, world: World, account: Account, now: datetime, data: list[dict],
            expansions: set[str]) -> None:
    """``includes`` for the expansions; referenced tweets that are gone become top-level
    errors with ``section: includes`` on an otherwise successful page."""
    if "author_id" in expansions and data:
        body.setdefault("includes", {})["users"] = [
            xr.user_json(world, account, now, {"id", "name", "username"})]
    if "referenced_tweets.id" in expansions:
        gone = [ref["id"] for t in data for ref in t.get("referenced_tweets", [])]
        if gone:
            body["errors"] = [{**xr.not_found("tweet", "referenced_tweets.id", tid),
                               "section": "includes"} for tid in gone]


# ----- recent search -----------------------------------------------------------------------
def _posts(world: World, accounts: list[Account], since: datetime, now: datetime) -> list[Post]:
    """Visible posts of ``accounts`` published in (since, now]."""
    found = (world.post(a, k) for a in accounts for k in world.posts_between(a, since, now))
    return [p for p in found if p.visible_at(now)]


def _clause_items(world: World, clause: str, now: datetime, since: datetime):
    """{id: (created_at, render)} matching one AND-clause of the query, or an error text."""
    found: dict | None = None
    replies_only = None
    for term in clause.strip("() ").split():
        term = term.strip("()")
        if term in ("-is:retweet", "-is:quote"):
            continue
        if term in ("is:reply", "-is:reply"):
            replies_only = term == "is:reply"
            continue
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
            return f"Unsupported operator or term: {term}"
        found = items if found is None else {k: v for k, v in found.items() if k in items}
    if found is None:
        return "A query needs at least one of conversation_id:, from: or #hashtag"
    if replies_only is not None:
        found = {k: v for k, v in found.items() if v[1] == replies_only}
    return found


@router.get("/2/tweets/search/recent")
def search_recent(request: Request):
    """GET /2/tweets/search/recent: the last 7 days only; end_time >= 10 s in the past."""
    q = request.query_params
    query = q.get("query") or ""
    size = _int_param(q.get("max_results"), "max_results", 10, 10, 100)
    if isinstance(size, JSONResponse):
        return size
    times = _times(request)
    if isinstance(times, JSONResponse):
        return times
    if not query or len(query) > MAX_QUERY_CHARS:
        return xr.invalid_request(
            f"There were errors processing your request: Rule length exceeds the max allowed "
            f"{MAX_QUERY_CHARS} characters" if query else "The `query` parameter is required",
            "query", query[:40])
    g = gate(request, "search_recent")
    if (refused := g.refusal()) is not None:
        return refused
    fields = field_set(request, "tweet.fields", xr.TWEET_FIELDS - {"non_public_metrics",
                                                                  "organic_metrics"})
    if isinstance(fields, JSONResponse):
        return fields
    world, now = g.state.world, g.state.now()
    start, end = times.get("start_time", now - SEARCH_WINDOW), times.get("end_time", now)
    if start < now - SEARCH_WINDOW:
        return xr.invalid_request(
            f"Invalid 'start_time':'{q['start_time']}'. 'start_time' must be on or after "
            f"{xr.iso(now - SEARCH_WINDOW)}", "start_time", q["start_time"])
    if "end_time" in times and end > now - SEARCH_END_MARGIN:
        return xr.invalid_request(
            f"Invalid 'end_time':'{q['end_time']}'. 'end_time' must be a minimum of 10 seconds "
            "prior to the request time.", "end_time", q["end_time"])
    items: dict = {}
    for clause in query.split(" OR "):
        found = _clause_items(world, clause, now, start)
        if isinstance(found, str):
            return xr.invalid_request(found, "query", query[:40])
        items.update(found)
    since, until = int(q.get("since_id") or 0), int(q.get("until_id") or 0)
    hits = sorted(((t, tid, obj, is_reply) for tid, (t, is_reply, obj) in items.items()
                   if start <= t < end and int(tid) > since and (not until or int(tid) < until)),
                  key=lambda h: (h[0], h[1]), reverse=True)
    offset = 0
    if token := q.get("next_token") or q.get("pagination_token"):
        try:
            offset = int(xr.decode_token(token)[1])
        except (ValueError, IndexError):
            return xr.invalid_request("The `next_token` query parameter value is not valid",
                                      "next_token", token)
    page = hits[offset:offset + size]
    if not page:
        return g.respond({"meta": {"result_count": 0}})
    data = [xr.reply_json(world, obj, fields) if is_reply
            else xr.tweet_json(world, obj, now, fields, False) for _, _, obj, is_reply in page]
    meta = {"newest_id": page[0][1], "oldest_id": page[-1][1], "result_count": len(page)}
    if offset + size < len(hits):
        meta["next_token"] = xr.encode_token("s", offset + size)
    return g.respond({"data": data, "meta": meta})
