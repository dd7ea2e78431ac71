"""Graph nodes and edges: which Instagram or Facebook object an id names, and how a read of a
node, an edge or a multi-id batch is answered (who may read what included)."""

from __future__ import annotations

from platform_sandbox import ids
from platform_sandbox.meta import account_insights, grants
from platform_sandbox.meta import facebook as fb
from platform_sandbox.meta import instagram as ig
from platform_sandbox.meta.context import Ctx
from platform_sandbox.meta.errors import GraphError, not_found
from platform_sandbox.meta.fields import Field, parse_fields
from platform_sandbox.meta.metrics import metric_list
from platform_sandbox.state import SandboxState
from platform_sandbox.world_objects import Account, Post

MAX_IDS = 50


def resolve(state: SandboxState, object_id: str) -> tuple[str, Account | Post | None]:
    """(platform, object) for an id; the object is None when nothing visible has it."""
    world, now = state.world, state.now()
    for platform in ("instagram", "facebook"):
        account = world.account(platform, object_id)
        if account is not None:
            return platform, account
        post = ids.find_post(world, platform, object_id)
        if post is not None:
            return platform, post if post.visible_at(now) else None
    if _is_alias(object_id):
        # a Page's vanity name (its username) stands for its id, as on graph.facebook.com
        return "facebook", world.account_by_handle("facebook", object_id)
    return ("facebook" if "_" in object_id else "instagram"), None


def _is_alias(object_id: str) -> bool:
    """A vanity name rather than a numeric id, a post id (page_post) or ``me``."""
    return not object_id.isdigit() and "_" not in object_id and object_id != "me"


def unknown_alias(alias: str) -> GraphError:
    """Graph's answer to a vanity name no Page has."""
    return GraphError(803, f"(#803) Some of the aliases you requested do not exist: {alias}")


def _owned(ctx: Ctx, obj: Account | Post) -> bool:
    account = obj if isinstance(obj, Account) else obj.account
    return grants.reads(ctx, account)


def read_node(ctx: Ctx, object_id: str, obj: Account | Post | None,
              fields: list[Field]) -> dict:
    """``GET /{id}?fields=...``: pages are public, IG users and posts only to their owner."""
    if obj is None:
        raise unknown_alias(object_id) if _is_alias(object_id) else not_found(object_id)
    if isinstance(obj, Account):
        if obj.platform == "facebook":
            return grants.page_node(ctx, obj, fields, fb.page_fields)
        if not _owned(ctx, obj):
            raise not_found(object_id)
        return ig.user_fields(ctx, obj, fields)
    if not _owned(ctx, obj):
        if grants.reads_public_content(ctx, obj.account):
            return fb.render_post(ctx, obj, grants.public_fields(fields, fb.NO_PERMISSION))
        raise fb.NO_PERMISSION if obj.account.platform == "facebook" else not_found(object_id)
    if obj.account.platform == "facebook":
        return fb.render_post(ctx, obj, fields)
    return ig.render_media(ctx, obj, fields)


def read_edge(ctx: Ctx, object_id: str, obj: Account | Post | None, edge: str) -> dict:
    """``GET /{id}/{edge}``: media, posts, insights and comments of the caller's own objects."""
    params, fields = ctx.query, parse_fields(ctx.query.get("fields"))
    if obj is None:
        raise not_found(object_id)
    if not _owned(ctx, obj):
        if (isinstance(obj, Account) and edge in grants.PUBLIC_POST_EDGES
                and grants.reads_public_content(ctx, obj)):
            # Page Public Content Access: the public posts of any Page, without insights
            return fb.published_posts(ctx, obj, grants.public_fields(fields, fb.NO_PERMISSION),
                                      params, edge)
        raise fb.NO_PERMISSION if isinstance(obj, Account) and obj.platform == "facebook" \
            else not_found(object_id)
    if isinstance(obj, Account) and obj.platform == "instagram" and edge == "media":
        return ig.media_page(ctx, obj, fields, params)
    if isinstance(obj, Account) and obj.platform == "instagram" and edge == "insights":
        return account_insights.user_insights(ctx, obj, params)
    if isinstance(obj, Account) and obj.platform == "facebook":
        if edge in ("published_posts", "posts", "feed"):
            return fb.published_posts(ctx, obj, fields, params, edge)
        if edge == "insights":
            return fb.page_insights(ctx, obj, params)
    if isinstance(obj, Post) and obj.account.platform == "instagram":
        if edge == "insights":
            return {"data": ig.media_insights(ctx, obj, _metrics(params))}
        if edge == "comments":
            return ig.comments_page(ctx, obj, fields, params)
    if isinstance(obj, Post) and obj.account.platform == "facebook":
        if edge == "insights":
            return {"data": fb.post_insights(ctx, obj, _metrics(params))}
        if edge == "comments":
            return fb.comments_page(ctx, obj, fields, params)
    raise GraphError(100, f"(#100) Unknown path components: /{edge}", subcode=2500)


def _metrics(params: dict) -> list[str]:
    return metric_list(params.get("metric"))


def read_batch(ctx: Ctx, state: SandboxState) -> dict:
    """``GET /vNN.0/?ids=a,b&fields=...``: one object per id; a missing id fails the call."""
    wanted = [i for i in ctx.query.get("ids", "").split(",") if i]
    if not wanted:
        raise GraphError(100, "(#100) Missing or invalid ids parameter")
    if len(wanted) > MAX_IDS:
        raise GraphError(100, f"(#100) Too many IDs. Maximum: {MAX_IDS}. Actual: {len(wanted)}")
    resolved = {i: resolve(state, i)[1] for i in wanted}
    missing = [i for i, obj in resolved.items() if obj is None]
    if missing:
        raise GraphError(803, f"(#803) Some of the aliases you requested do not exist: "
                         f"{','.join(missing)}")
    fields = parse_fields(ctx.query.get("fields"))
    return {i: read_node(ctx, i, obj, fields) for i, obj in resolved.items()}
