"""Facebook Pages Graph emulation: page fields, published_posts, post/page insights, comments."""

from __future__ import annotations

from datetime import timedelta

from platform_sandbox import ids, rand
from platform_sandbox.meta.account_insights import (
    daily_followers,
    day_end_time,
    days_between,
    parse_unix,
)
from platform_sandbox.meta.context import Ctx, cursor, graph_time, limit_of, uncursor
from platform_sandbox.meta.errors import GraphError, invalid_metric
from platform_sandbox.meta.fields import Field, spell
from platform_sandbox.meta.metrics import (
    FB_PAGE_METRICS,
    FB_POST_METRICS,
    fb_post_value,
    insight_item,
    metric_list,
)
from platform_sandbox.world_objects import Account, Comment, Post

PAGE_FIELDS = ("id", "name", "username", "fan_count", "followers_count", "talking_about_count",
               "link", "category")
NO_PERMISSION = GraphError(10, "(#10) This endpoint requires the 'pages_read_engagement' "
                           "permission or the 'Page Public Content Access' feature.", status=403)


def page_fields(ctx: Ctx, page: Account, fields: list[Field]) -> dict:
    """``GET /{page-id}?fields=...``: public fields, readable with any page token."""
    followers = ctx.world.followers(page, ctx.now)
    values = {"id": page.platform_account_id, "name": page.name, "username": page.handle,
              "fan_count": int(followers * 0.92), "followers_count": followers,
              "talking_about_count": followers // 40, "category": "Brand",
              "link": f"https://www.facebook.com/{page.handle}"}
    out = {}
    for f in fields or [Field("name"), Field("id")]:
        if f.name not in values:
            raise GraphError(100, f"(#100) Tried accessing nonexisting field ({f.name}) on node "
                             "type (Page)")
        out[f.name] = values[f.name]
    out.setdefault("id", page.platform_account_id)
    return out


def published_posts(ctx: Ctx, page: Account, fields: list[Field], params: dict,
                    edge: str = "published_posts") -> dict:
    """Posts newest first, filtered by ``since``/``until``; pages by time (``until`` and a
    ``__paging_token`` in the links, no cursors), and the last page has no ``next``."""
    limit = limit_of(params.get("limit"))
    since, until = parse_unix(params.get("since")), parse_unix(params.get("until"))
    token = uncursor(params.get("__paging_token"), "fb")
    end = min(ctx.now, until) if until else ctx.now
    k = ctx.world.post_count(page, end) - 1 if token is None else token - 1
    data: list[dict] = []
    last: Post | None = None
    ids_first: Post | None = None
    more = False
    while k >= 0:
        post = ctx.world.post(page, k)
        if since and post.created_at < since:
            break
        if post.visible_at(ctx.now):
            if len(data) == limit:
                more = True
                break
            data.append(render_post(ctx, post, fields))
            ids_first = ids_first or post
            last = post
        k -= 1
    out: dict = {"data": data}
    if last is not None:
        assert ids_first is not None  # set together with ``last``
        names = spell(fields)
        path = f"{page.platform_account_id}/{edge}"
        first_ts = int(ids_first.created_at.timestamp())
        out["paging"] = {"previous": ctx.link(path, fields=names, limit=limit, since=first_ts,
                                              __previous=1)}
        if more:
            out["paging"]["next"] = ctx.link(path, fields=names, limit=limit,
                                             since=params.get("since") or None,
                                             until=int(last.created_at.timestamp()),
                                             __paging_token=cursor("fb", last.k))
    return out


def render_post(ctx: Ctx, post: Post, fields: list[Field]) -> dict:
    """A page post with the requested fields; zero shares are omitted, malformed posts break."""
    m = ctx.world.metrics(post, ctx.now)
    code = ids.post_id(post)
    values: dict = {"id": code, "message": post.text, "created_time": graph_time(post.created_at),
                    "permalink_url": f"https://www.facebook.com/{code.replace('_', '/posts/')}"}
    if m["shares"]:
        values["shares"] = {"count": m["shares"]}
    known = set(values) | {"shares"}
    reactions: object = m["likes"]
    if post.is_malformed:
        flaw = post.k % 3
        if flaw == 0:
            values["created_time"] = "not-a-date"
        elif flaw == 1:
            reactions = "n/a"
        else:
            del values["id"]
    out: dict = {}
    for f in fields or [Field("id"), Field("message"), Field("created_time")]:
        if f.name in ("reactions", "likes"):
            out[f.name] = {"data": [], "summary": {"total_count": reactions,
                                                   "viewer_reaction": "NONE"}}
        elif f.name == "comments":
            out["comments"] = comments_page(ctx, post, f.children, f.mods)
            if "summary" in f.mods:
                out["comments"]["summary"] = {"order": "ranked", "total_count": m["comments"],
                                              "can_comment": True}
        elif f.name == "insights":
            data = post_insights(ctx, post, metric_list(f.mods.get("metric")))
            if data:
                out["insights"] = {"data": data}
        elif f.name in values:
            out[f.name] = values[f.name]
        elif f.name not in known:
            raise GraphError(100, f"(#100) Tried accessing nonexisting field ({f.name}) on node "
                             "type (PagePost)")
    if "id" in values:
        out.setdefault("id", values["id"])
    return out


def post_insights(ctx: Ctx, post: Post, metrics: list[str]) -> list[dict]:
    """Lifetime post insights; deprecated names (post_impressions*) fail the whole call."""
    if any(m not in FB_POST_METRICS for m in metrics):
        raise invalid_metric()
    reported = ctx.world.reported_insights(post, ctx.now)
    if reported is None:
        return []
    return [insight_item(ids.post_id(post), m, fb_post_value(m, reported)) for m in metrics]


def render_comment(ctx: Ctx, c: Comment, fields: list[Field] | None) -> dict:
    """A comment; with ``meta_comments_without_id`` it has no ``id`` but a permalink_url."""
    page, post = c.post.account.platform_account_id, c.post.raw_id
    values = {"id": ids.comment_id(c), "message": c.text,
              "created_time": graph_time(c.created_at),
              "from": {"name": c.author_handle,
                       "id": str(rand.integer(ctx.world.seed, 10**14, 10**15, "from", c.raw_id))},
              "permalink_url": f"https://www.facebook.com/{page}/posts/{post}/"
                               f"?comment_id={c.raw_id}"}
    names = [f.name for f in fields] if fields else ["message", "created_time"]
    if ctx.state.faults.meta_comments_without_id:
        return {n: values[n] for n in [*names, "permalink_url"] if n in values and n != "id"}
    return {n: values[n] for n in ["id", *names] if n in values}


def comments_page(ctx: Ctx, post: Post, fields: list[Field] | None, params: dict) -> dict:
    """Comments oldest first; cursors on every page, ``next`` only when more exist."""
    comments = ctx.world.comments(post, ctx.now)
    limit = 0 if params.get("limit") == "0" else limit_of(params.get("limit"))
    start = uncursor(params.get("after"), "fbc") or 0
    chunk = comments[start:start + limit]
    out: dict = {"data": [render_comment(ctx, c, fields) for c in chunk]}
    if chunk:
        after = cursor("fbc", start + len(chunk))
        out["paging"] = {"cursors": {"before": cursor("fbc", start), "after": after}}
        if start + limit < len(comments):
            names = spell(fields)
            out["paging"]["next"] = ctx.link(f"{ids.post_id(post)}/comments",
                                             fields=names or None, limit=limit, after=after)
    return out


def page_insights(ctx: Ctx, page: Account, params: dict) -> dict:
    """Daily page metrics, one value per UTC day from ``since`` to ``until`` (the current day
    with its value so far), labelled by the ``end_time`` that closes the day; a range over 90
    days is refused. ``page_follows`` is the day's follower total, ``page_daily_follows_unique``
    the day's gain (the sandbox has no separate unfollows)."""
    metrics = metric_list(params.get("metric"))
    if any(m not in FB_PAGE_METRICS for m in metrics):
        raise invalid_metric()
    if params.get("period", "day") != "day":
        raise GraphError(100, "(#100) Invalid period for these metrics: only day is supported")
    until = min(parse_unix(params.get("until")) or ctx.now, ctx.now)
    since = parse_unix(params.get("since")) or until - timedelta(days=2)
    if until - since > timedelta(days=90):
        raise GraphError(100, "(#100) There cannot be more than 90 days (7776000 s) between "
                         "since and until")
    data = []
    for m in metrics:
        values = []
        for day in days_between(since, until):
            followers = daily_followers(ctx.world, page, day)
            if m == "page_follows":
                value = followers
            elif m in ("page_daily_follows", "page_daily_follows_unique"):
                value = max(0, followers - daily_followers(ctx.world, page,
                                                           day - timedelta(days=1)))
            else:
                value = int(followers * rand.between(ctx.world.seed, 0.05, 0.3, m, page.index,
                                                     day))
            values.append({"value": value, "end_time": day_end_time(day)})
        item = insight_item(page.platform_account_id, m, 0, period="day")
        item["values"] = values
        data.append(item)
    return {"data": data}
