"""How X API v2 spells users, tweets and replies (the JSON shapes, quirks included)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from platform_sandbox import ids, rand
from platform_sandbox.world import World
from platform_sandbox.world_objects import Account, Comment, Post

TWEET_FIELDS = {
    "attachments", "author_id", "context_annotations", "conversation_id", "created_at",
    "edit_controls", "edit_history_tweet_ids", "entities", "geo", "id", "in_reply_to_user_id",
    "lang", "non_public_metrics", "organic_metrics", "possibly_sensitive", "promoted_metrics",
    "public_metrics", "referenced_tweets", "reply_settings", "source", "text", "withheld",
}
USER_FIELDS = {
    "created_at", "description", "entities", "id", "location", "name", "pinned_tweet_id",
    "profile_image_url", "protected", "public_metrics", "url", "username", "verified", "withheld",
}
# pre-2023 responses had no bookmark/impression counts: tweets older than this keep that shape
LEGACY_METRICS_BEFORE = datetime(2026, 10, 15, tzinfo=UTC)
PRIVATE_METRICS_MAX_AGE = timedelta(days=30)
FAN_ID_BASE = 1_500_000_000_000_000_000


def iso(t: datetime) -> str:
    """X's timestamp format: millisecond precision with a Z suffix."""
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


# ----- users -------------------------------------------------------------------------------
def user_json(world: World, account: Account, now: datetime, fields: set[str]) -> dict:
    """A user object with the requested ``user.fields``."""
    s, i = world.seed, account.index
    out: dict = {"id": account.platform_account_id, "name": account.name,
                 "username": account.handle}
    extra = {
        "created_at": iso(world.epoch - timedelta(days=rand.integer(s, 200, 3000, "xuc", i))),
        "description": f"Official {account.name} account. {account.vertical.title()} lovers.",
        "protected": False, "verified": False,
        "profile_image_url": f"https://pbs.twimg.com/profile_images/{i}/avatar_normal.jpg",
        "public_metrics": {
            "followers_count": world.followers(account, now),
            "following_count": rand.integer(s, 50, 2_000, "xfollowing", i),
            "tweet_count": world.post_count(account, now),
            "listed_count": rand.integer(s, 0, 400, "xlisted", i),
        },
    }
    out.update({k: v for k, v in extra.items() if k in fields})
    return out


# ----- tweets ------------------------------------------------------------------------------
def public_metrics(world: World, post: Post, now: datetime) -> dict:
    """public_metrics from the canonical truth; legacy tweets come in the old 4-key shape."""
    m = world.metrics(post, now)
    out = {"retweet_count": m["shares"], "reply_count": m["comments"],
           "like_count": m["likes"], "quote_count": m["quotes"]}
    if post.created_at >= LEGACY_METRICS_BEFORE:
        out.update(bookmark_count=m["bookmarks"], impression_count=m["impressions"])
    return out


def _entities(world: World, text: str) -> dict:
    out: dict = {}
    tags = [{"start": m.start(), "end": m.end(), "tag": m.group(1)}
            for m in re.finditer(r"#(\w+)", text)]
    mentions = []
    for m in re.finditer(r"@(\w+)", text):
        item = {"start": m.start(), "end": m.end(), "username": m.group(1)}
        if (acct := world.account_by_handle("twitter", m.group(1))) is not None:
            item["id"] = acct.platform_account_id
        mentions.append(item)
    urls = [{"start": m.start(), "end": m.end(),
             "url": f"https://t.co/{rand.integer(0, 10**9, 10**10, m.group(0)):x}",
             "expanded_url": m.group(0), "display_url": m.group(0).split("//", 1)[1]}
            for m in re.finditer(r"https?://\S+", text)]
    for key, value in (("hashtags", tags), ("mentions", mentions), ("urls", urls)):
        if value:
            out[key] = value
    return out


def tweet_json(world: World, post: Post, now: datetime, fields: set[str],
               private_ok: bool) -> dict:
    """A tweet with the requested ``tweet.fields``; malformed posts come out broken.

    ``private_ok``: the caller holds the author's user token, so non_public / organic metrics
    are served (and only for tweets younger than 30 days, as on X).
    """
    tid = ids.post_id(post)
    out: dict = {"id": tid, "text": post.text, "edit_history_tweet_ids": [tid]}
    m = world.metrics(post, now)
    extra: dict = {
        "created_at": iso(post.created_at), "author_id": post.account.platform_account_id,
        "conversation_id": tid, "lang": post.language, "possibly_sensitive": False,
        "reply_settings": "everyone", "public_metrics": public_metrics(world, post, now),
    }
    if post.referenced_id is not None:
        ref_type = "retweeted" if post.is_retweet else "quoted"
        extra["referenced_tweets"] = [{"type": ref_type, "id": str(post.referenced_id)}]
        if post.is_retweet:
            extra["conversation_id"] = str(post.referenced_id)
    elif post.k % 6 == 5:
        # a quote of a tweet that no longer exists: expansions then report it under "includes"
        extra["referenced_tweets"] = [{"type": "quoted", "id": str(post.raw_id - (1 << 22))}]
    if entities := _entities(world, post.text):
        extra["entities"] = entities
    if private_ok and not post.is_retweet and now - post.created_at < PRIVATE_METRICS_MAX_AGE:
        clicks, profile = m["clicks"], m["clicks"] // 3
        extra["non_public_metrics"] = {"impression_count": m["impressions"],
                                       "url_link_clicks": clicks, "user_profile_clicks": profile}
        extra["organic_metrics"] = {
            "impression_count": m["impressions"], "like_count": m["likes"],
            "reply_count": m["comments"], "retweet_count": m["shares"],
            "url_link_clicks": clicks, "user_profile_clicks": profile}
    out.update({k: v for k, v in extra.items() if k in fields})
    if post.is_malformed:
        _break(out, post.k)
    return out


def _break(tweet: dict, k: int) -> None:
    """Damage a record the way broken upstream records look."""
    kind = k % 3
    if kind == 0:
        tweet.pop("id", None)
    elif kind == 1:
        tweet["created_at"] = "not-a-date"
    else:
        metrics = tweet.setdefault("public_metrics", {"like_count": 0})
        metrics["like_count"] = f"{metrics.get('like_count', 0) / 1000:.1f}K"


def reply_json(world: World, comment: Comment, fields: set[str]) -> dict:
    """A reply found by conversation_id search."""
    rid, post = ids.comment_id(comment), comment.post
    author = FAN_ID_BASE + int(comment.author_handle.removeprefix("fan") or 0)
    out: dict = {"id": rid, "text": comment.text, "edit_history_tweet_ids": [rid]}
    extra: dict = {
        "created_at": iso(comment.created_at), "author_id": str(author),
        "conversation_id": ids.post_id(post), "lang": comment.language,
        "in_reply_to_user_id": post.account.platform_account_id,
        "referenced_tweets": [{"type": "replied_to", "id": ids.post_id(post)}],
    }
    if entities := _entities(world, comment.text):
        extra["entities"] = entities
    out.update({k: v for k, v in extra.items() if k in fields})
    return out

