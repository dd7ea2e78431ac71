"""How each platform spells the ids of posts and comments, and the way back to the world."""

from __future__ import annotations

from platform_sandbox.world import World
from platform_sandbox.world_objects import Comment, Post, decode_id


def post_id(post: Post) -> str:
    """The platform's id for a post (X / IG: digits, FB: page_post, LinkedIn: a URN)."""
    platform = post.account.platform
    if platform == "facebook":
        return f"{post.account.platform_account_id}_{post.raw_id}"
    if platform == "linkedin":
        kind = "ugcPost" if post.k % 3 == 0 else "share"
        return f"urn:li:{kind}:{post.raw_id}"
    return str(post.raw_id)


def comment_id(comment: Comment) -> str:
    """The platform's id for a comment."""
    platform = comment.post.account.platform
    if platform == "facebook":
        return f"{comment.post.raw_id}_{comment.raw_id}"
    if platform == "linkedin":
        return f"urn:li:comment:(urn:li:activity:{comment.post.raw_id},{comment.raw_id})"
    return str(comment.raw_id)


def _raw(platform: str, platform_post_id: str) -> int | None:
    value = str(platform_post_id)
    if platform == "facebook":
        value = value.rsplit("_", 1)[-1]
    elif platform == "linkedin":
        value = value.rsplit(":", 1)[-1]
    return int(value) if value.isdigit() else None


def find_post(world: World, platform: str, platform_post_id: str) -> Post | None:
    """The post behind a platform id, or None (unknown ids, other platforms, comments)."""
    raw = _raw(platform, platform_post_id)
    if raw is None:
        return None
    post = world.post_by_raw_id(raw)
    if post is None or post.account.platform != platform or post_id(post) != platform_post_id:
        return None
    return post


def find_comment(world: World, platform: str, platform_comment_id: str) -> Comment | None:
    """The comment behind a platform id, or None."""
    value = str(platform_comment_id)
    if platform == "linkedin":
        value = value.rstrip(")").rsplit(",", 1)[-1]
    elif platform == "facebook":
        value = value.rsplit("_", 1)[-1]
    if not value.isdigit():
        return None
    ms, index, sub = decode_id(int(value))
    if sub == 0:
        return None
    post = world.post_by_raw_id(int(value) - sub)
    if post is None or post.account.platform != platform or sub - 1 >= world.comment_count(post):
        return None
    return world.comment(post, sub - 1)
