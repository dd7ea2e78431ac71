"""Instagram Graph emulation: business account, media, media insights, comments and
business_discovery for competitors."""

from __future__ import annotations

from typing import Any

from platform_sandbox import ids, rand
from platform_sandbox.meta.context import Ctx, cursor, graph_time, limit_of, uncursor
from platform_sandbox.meta.errors import GraphError, invalid_metric, media_insights_refusal
from platform_sandbox.meta.fields import Field, spell
from platform_sandbox.meta.metrics import (
    ig_allowed,
    ig_valid,
    ig_value,
    insight_item,
    metric_list,
)
from platform_sandbox.world_objects import Account, Comment, Post

USER_FIELDS = ("id", "ig_id", "username", "name", "biography", "followers_count",
               "follows_count", "media_count", "profile_picture_url", "website")
DISCOVERY_MEDIA_FIELDS = {"id", "caption", "timestamp", "like_count", "comments_count",
                          "media_type", "media_product_type", "permalink", "media_url"}


def user_fields(ctx: Ctx, account: Account, fields: list[Field]) -> dict:
    """``GET /{ig-user-id}?fields=...`` (business_discovery included)."""
    world = ctx.world
    values = {
        "id": account.platform_account_id, "ig_id": str(account.index + 1_000_000),
        "username": account.handle, "name": account.name,
        "biography": f"Official account of {account.name}",
        "followers_count": world.followers(account, ctx.now),
        "follows_count": 100 + account.index * 7 % 500,
        "media_count": world.post_count(account, ctx.now),
        "profile_picture_url": f"https://scontent.example/{account.handle}.jpg",
    }
    out: dict = {}
    for f in fields or [Field("id")]:
        if f.name == "business_discovery":
            out["business_discovery"] = business_discovery(ctx, f)
        elif f.name == "media":
            out["media"] = media_page(ctx, account, f.children, f.mods)
        elif f.name in values:
            out[f.name] = values[f.name]
        elif f.name not in USER_FIELDS:
            raise GraphError(100, f"(#100) Tried accessing nonexisting field ({f.name}) on node "
                             "type (IGUser)")
    out.setdefault("id", account.platform_account_id)
    return out


def business_discovery(ctx: Ctx, f: Field) -> dict:
    """Public facts of another professional account, paged with ``media.after(cursor)``."""
    handle = f.mods.get("username", "")
    target = ctx.world.account_by_handle("instagram", handle)
    if target is None:
        raise GraphError(110, "Invalid user id", subcode=2207013, is_transient=False,
                         error_user_title="Cannot find User",
                         error_user_msg=f"The user with username: {handle} cannot be found.")
    out: dict[str, Any] = {}
    for child in f.children or []:
        if child.name == "media":
            bad = {c.name for c in child.children or []} - DISCOVERY_MEDIA_FIELDS
            if bad:
                raise GraphError(100, f"(#100) Tried accessing nonexisting field ({sorted(bad)[0]})"
                                 " on node type (ShadowIGMediaBusinessDiscovery)")
            page = media_page(ctx, target, child.children, child.mods, discovery=True)
            out["media"] = page
        else:
            out.update(user_fields(ctx, target, [child]))
    out["id"] = target.platform_account_id
    return out


def _visible_before(ctx: Ctx, account: Account, k: int) -> int | None:
    """The highest k' <= k of a visible post, or None."""
    while k >= 0:
        if ctx.world.post(account, k).visible_at(ctx.now):
            return k
        k -= 1
    return None


def media_page(ctx: Ctx, account: Account, fields: list[Field] | None, params: dict,
               discovery: bool = False) -> dict:
    """One page of media, newest first. The last page keeps its cursors and a ``previous``
    link but has no ``next`` (business_discovery: cursors only, no ``after`` on the last page)."""
    limit = limit_of(params.get("limit"))
    after = uncursor(params.get("after"), "ig")
    k = ctx.world.post_count(account, ctx.now) - 1 if after is None else after - 1
    data: list[dict] = []
    ks: list[int] = []
    while len(data) < limit:
        found = _visible_before(ctx, account, k)
        if found is None:
            break
        k = found
        post = ctx.world.post(account, k)
        data.append(render_media(ctx, post, fields or [Field("id")]))
        ks.append(k)
        k -= 1
    more = bool(ks) and _visible_before(ctx, account, ks[-1] - 1) is not None
    out: dict = {"data": data}
    if discovery:
        return _discovery_page(ctx, out, ks, more, params.get("after"))
    if not ks:
        return out
    cursors = {"before": cursor("ig", ks[0]), "after": cursor("ig", ks[-1])}
    path = f"{account.platform_account_id}/media"
    names = spell(fields)
    out["paging"] = {"cursors": cursors}
    if more:
        out["paging"]["next"] = ctx.link(path, fields=names, limit=limit, after=cursors["after"])
    if after is not None:
        out["paging"]["previous"] = ctx.link(path, fields=names, limit=limit,
                                             before=cursors["before"])
    return out


def _discovery_page(ctx: Ctx, out: dict, ks: list[int], more: bool, asked: str | None) -> dict:
    """business_discovery paging: cursors only. Its last page has no ``after``, unless the
    ``meta_discovery_paging`` knob makes it repeat the cursor asked for or page on emptily."""
    mode = ctx.state.faults.meta_discovery_paging
    if not ks:
        if mode == "empty_page" and asked:
            out["paging"] = {"cursors": {"after": asked}}
        return out
    cursors = {"before": cursor("ig", ks[0]), "after": cursor("ig", ks[-1])}
    if not more and mode == "repeat_cursor" and asked:
        cursors["after"] = asked
    elif not more and mode != "empty_page":
        del cursors["after"]
    out["paging"] = {"cursors": cursors}
    return out


def render_media(ctx: Ctx, post: Post, fields: list[Field]) -> dict:
    """A media object with the requested fields; malformed posts come out broken."""
    m = ctx.world.metrics(post, ctx.now)
    reels = post.media_type == "REELS"
    code = ids.post_id(post)
    values = {
        "id": code, "caption": post.text, "timestamp": graph_time(post.created_at),
        "like_count": m["likes"], "comments_count": m["comments"],
        "media_type": "VIDEO" if reels else post.media_type,
        "media_product_type": "REELS" if reels else "FEED",
        "permalink": f"https://www.instagram.com/p/{code[-11:]}/",
        "shortcode": code[-11:], "username": post.account.handle,
        "media_url": f"https://scontent.example/{code}.jpg", "is_comment_enabled": True,
        "owner": {"id": post.account.platform_account_id},
    }
    known = set(values) | {"shares"}
    if post.is_malformed:
        flaw = post.k % 3
        if flaw == 0:
            values["timestamp"] = "not-a-date"
        elif flaw == 1:
            values["like_count"] = "n/a"
        else:
            del values["id"]
    out: dict = {}
    for f in fields:
        if f.name == "insights":
            data = media_insights(ctx, post, metric_list(f.mods.get("metric")))
            if data:  # an expansion with nothing to report is left out entirely
                out["insights"] = {"data": data}
        elif f.name == "comments":
            page = comments_page(ctx, post, f.children, f.mods)
            if page["data"]:
                out["comments"] = page
        elif f.name in values:
            out[f.name] = values[f.name]
        elif f.name not in known:
            raise GraphError(100, f"(#100) Tried accessing nonexisting field ({f.name}) on node "
                             "type (IGMedia)")
    if "id" in values:
        out.setdefault("id", values["id"])
    return out


def media_insights(ctx: Ctx, post: Post, metrics: list[str]) -> list[dict]:
    """Insights of one media; one invalid metric fails the whole call, nothing is reported
    during the first hour (an empty list, never zeros), and ``shares`` is left out of media
    Graph has no shares insight for (``ig_shares_unavailable_fraction``)."""
    refusal = media_insights_refusal(ctx.state, ids.post_id(post))
    if refusal is not None:
        raise refusal
    for index, metric in enumerate(metrics):
        if not ig_valid(metric, post.media_type, ctx.version):
            raise invalid_metric(index, ig_allowed(post.media_type, ctx.version))
    reported = ctx.world.reported_insights(post, ctx.now)
    if reported is None:
        return []
    code = ids.post_id(post)
    values = {m: ig_value(m, post, reported) for m in metrics}
    # a metric Graph has no value of is left out (an empty value, not 0)
    return [insight_item(code, m, v) for m, v in values.items() if v is not None]


def render_comment(ctx: Ctx, c: Comment, fields: list[Field] | None) -> dict:
    values = {"id": ids.comment_id(c), "text": c.text, "timestamp": graph_time(c.created_at),
              "username": c.author_handle,
              "like_count": rand.integer(ctx.world.seed, 0, 12, "clike", c.raw_id)}
    names = [f.name for f in fields] if fields else ["id", "text", "timestamp"]
    return {n: values[n] for n in ["id", *names] if n in values}


def comments_page(ctx: Ctx, post: Post, fields: list[Field] | None, params: dict) -> dict:
    """Comments, oldest first; the last page has no ``paging`` key at all."""
    comments = ctx.world.comments(post, ctx.now)
    limit = limit_of(params.get("limit"), default=25, maximum=100)
    start = uncursor(params.get("after"), "igc") or 0
    chunk = comments[start:start + limit]
    out: dict = {"data": [render_comment(ctx, c, fields) for c in chunk]}
    if start + limit < len(comments):
        after = cursor("igc", start + limit)
        names = spell(fields)
        out["paging"] = {"cursors": {"before": cursor("igc", start), "after": after},
                         "next": ctx.link(f"{ids.post_id(post)}/comments", fields=names or None,
                                          limit=limit, after=after)}
    return out
