"""X API v2 user timeline (``GET /2/users/:id/tweets``) and its paging quirks: short pages that
still carry ``next_token``, no ``next_token`` on the last page, the 3,200 cap, and ``includes``
errors on successful pages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from platform_sandbox import ids, rand
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
from platform_sandbox.world_objects import Account, decode_id, encode_id

router = APIRouter(tags=["x"])
TIMELINE_CAP = 3_200
EXPANSIONS = {"author_id", "referenced_tweets.id", "in_reply_to_user_id",
              "entities.mentions.username", "referenced_tweets.id.author_id"}
MS = timedelta(milliseconds=1)


def _id_created(tweet_id: int) -> datetime:
    """The creation time carried by a snowflake-style id."""
    ms, _, _ = decode_id(tweet_id)
    return datetime.fromtimestamp(ms / 1000, UTC)


def _first_k_above(world: World, account: Account, tweet_id: int, inclusive: bool) -> int:
    """Smallest k whose id is > ``tweet_id`` (>= when ``inclusive``); ids grow with k."""
    k = world.post_count(account, _id_created(tweet_id))
    while k > 0:
        prev_id = encode_id(int(world.post_time(account, k - 1).timestamp() * 1000),
                            account.index, 0)
        if prev_id > tweet_id or (inclusive and prev_id == tweet_id):
            k -= 1
        else:
            break
    return k


def _bounds(world: World, account: Account, q: Mapping[str, str], times: dict[str, datetime],
            now: datetime) -> tuple[int, int]:
    """(lo, hi): the range of post indexes the id and time bounds leave, capped at 3,200."""
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
    return lo, hi


def _bad_exclude(q: Mapping[str, str]) -> JSONResponse | None:
    """The 400 for an ``exclude`` value other than replies / retweets, if any."""
    if bad := next((e for e in (q.get("exclude") or "").split(",")
                    if e and e not in ("replies", "retweets")), None):
        return errors.invalid_request(f"The `exclude` query parameter value [{bad}] is not one "
                                      "of [replies,retweets]", "exclude", bad)
    return None


@router.get("/2/users/{user_id}/tweets")
def user_tweets(user_id: str, request: Request):
    """GET /2/users/:id/tweets: newest first, the 3,200 most recent at most."""
    q = request.query_params
    size = int_param(q.get("max_results"), "max_results", 10, 5, 100)
    if isinstance(size, JSONResponse):
        return size
    times = time_bounds(request)
    if isinstance(times, JSONResponse):
        return times
    if (refused := _bad_exclude(q)) is not None:
        return refused
    g = gate(request, "users_tweets")
    if (refused := g.refusal()) is not None:
        return refused
    fields = field_set(request, "tweet.fields", render.TWEET_FIELDS)
    if isinstance(fields, JSONResponse):
        return fields
    expansions = {e for e in (q.get("expansions") or "").split(",") if e}
    if bad := next(iter(sorted(expansions - EXPANSIONS)), None):
        return errors.invalid_request(f"The `expansions` query parameter value [{bad}] is not "
                                      "valid", "expansions", bad)
    if fields & {"non_public_metrics", "organic_metrics"} and not g.is_user_token:
        return errors.forbidden_app_only()
    world, now = g.state.world, g.state.now()
    account = world.account("twitter", user_id)
    if (gone := g.user_errors(user_id, account)) is not None or account is None:
        return g.respond(gone or {})
    lo, hi = _bounds(world, account, q, times, now)
    if token := q.get("pagination_token"):
        try:
            owner, start = decode_token(token)
            hi = min(hi, int(start))
            assert owner == user_id
        except (ValueError, AssertionError):
            return errors.invalid_request("The `pagination_token` query parameter value is not "
                                          "valid", "pagination_token", token)
    body, meta = _page(world, account, now, (lo, hi), size, fields, g.owns(user_id),
                       bool(token))
    _expand(body, world, account, now, body.get("data", []), expansions)
    body["meta"] = meta
    return g.respond(body)


def _page(world: World, account: Account, now: datetime, bounds: tuple[int, int], size: int,
          fields: set[str], private_ok: bool, paged: bool) -> tuple[dict, dict]:
    """(body, meta) of the page of posts below index ``hi`` (down to ``lo``), newest first."""
    lo, hi = bounds
    user_id = account.platform_account_id
    # the server sometimes answers a short page (tweets filtered after paging) yet goes on
    width = size
    if rand.unit(world.seed, "xshort", account.index, hi) < 0.3:
        width = max(1, size - rand.integer(world.seed, 1, size // 2, "xshortn", account.index, hi))
    start = max(lo, hi - width)
    posts = [world.post(account, k) for k in range(hi - 1, start - 1, -1)]
    posts = [p for p in posts if p.visible_at(now)]
    data = [render.tweet_json(world, p, now, fields, private_ok) for p in posts]
    meta: dict = {"result_count": len(data)}
    if posts:
        meta["newest_id"], meta["oldest_id"] = ids.post_id(posts[0]), ids.post_id(posts[-1])
    if start > lo:
        meta["next_token"] = encode_token(user_id, start)
    if paged:
        meta["previous_token"] = encode_token(user_id, hi + size)
    return ({"data": data} if data else {}), meta


def _expand(body: dict, world: World, account: Account, now: datetime, data: list[dict],
            expansions: set[str]) -> None:
    """``includes`` for the expansions; referenced tweets that are gone become top-level
    errors with ``section: includes`` on an otherwise successful page."""
    if "author_id" in expansions and data:
        body.setdefault("includes", {})["users"] = [
            render.user_json(world, account, now, {"id", "name", "username"})]
    if "referenced_tweets.id" in expansions:
        gone = [ref["id"] for t in data for ref in t.get("referenced_tweets", [])]
        if gone:
            body["errors"] = [{**errors.not_found("tweet", "referenced_tweets.id", tid),
                               "section": "includes"} for tid in gone]
