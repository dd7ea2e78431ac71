"""X API v2 tweet lookup (``GET /2/tweets?ids=``): missing ids come back in a partial
``errors`` array, and private metrics need the author's user token."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from platform_sandbox import ids as platform_ids
from platform_sandbox.twitter import errors, render
from platform_sandbox.twitter.gate import Gate, gate
from platform_sandbox.twitter.params import field_set

router = APIRouter(tags=["x"])
MAX_LOOKUP_IDS = 100


@router.get("/2/tweets")
def tweets_lookup(request: Request, ids: str = ""):
    """GET /2/tweets?ids= (<=100). Missing ids come back in a partial ``errors`` array; when
    none is found the body has no ``data`` key at all."""
    wanted = [i for i in ids.split(",") if i]
    if not wanted or len(wanted) > MAX_LOOKUP_IDS:
        return errors.invalid_request(
            f"The number of values in the `ids` query parameter list [{len(wanted)}] is not "
            f"between 1 and {MAX_LOOKUP_IDS}", "ids", ids)
    if bad := next((i for i in wanted if not i.isdigit()), None):
        return errors.invalid_request(
            f"The `ids` query parameter value [{bad}] does not match ^[0-9]{{1,19}}$", "ids", bad)
    g = gate(request, "tweets_lookup")
    if (refused := g.refusal()) is not None:
        return refused
    fields = field_set(request, "tweet.fields", render.TWEET_FIELDS)
    if isinstance(fields, JSONResponse):
        return fields
    if fields & {"non_public_metrics", "organic_metrics"} and not g.is_user_token:
        return errors.forbidden_app_only()
    return g.respond(_lookup_body(g, wanted, fields))


def _lookup_body(g: Gate, wanted: list[str], fields: set[str]) -> dict:
    state, now = g.state, g.state.now()
    data, missing = [], []
    for tid in wanted:
        post = platform_ids.find_post(state.world, "twitter", tid)
        if post is None or not post.visible_at(now):
            missing.append(tid)
            continue
        private_ok = g.owns(post.account.platform_account_id)
        data.append(render.tweet_json(state.world, post, now, fields, private_ok))
    body: dict = {}
    if data:
        body["data"] = data
    if missing:
        body["errors"] = [errors.not_found("tweet", "ids", tid) for tid in missing]
    return body
