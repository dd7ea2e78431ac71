"""Generation of comments: how many a post gets, when they arrive and what they say."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from platform_sandbox import rand, text
from platform_sandbox.world_config import WorldConfig
from platform_sandbox.world_objects import Comment, Post, encode_id, ms


def comment_count(config: WorldConfig, post: Post) -> int:
    """Comments a post ever receives (their arrival times spread after posting)."""
    if post.is_retweet:
        return 0  # replies to a retweet go to the original
    mean = config.comments_per_post * (4 if post.is_viral else 1)
    return int(rand.between(config.seed, 0, 2 * mean + 1, "nc", post.account.index, post.k))


def build_comment(seed: int, post: Post, j: int) -> Comment:
    """Comment ``j`` of ``post``; crisis posts draw mostly negative ones."""
    s, i, k = seed, post.account.index, post.k
    # odd comments follow the viral take-off, when there is one
    start = post.viral_at if post.viral_at is not None and j % 2 else post.created_at
    delay_h = -4.0 * math.log(1 - rand.unit(s, "cdelay", i, k, j) * 0.98)
    created = start + timedelta(hours=delay_h)
    created = created.replace(microsecond=(created.microsecond // 1000) * 1000)
    weights = (["negative"] * 8 + ["neutral", "positive"]) if post.is_crisis else (
        ["positive"] * 9 + ["neutral"] * 7 + ["negative"] * 4)
    sentiment = rand.choice(s, weights, "cs", i, k, j)
    language = post.language if rand.unit(s, "clang", i, k, j) < 0.7 else "en"
    author = f"fan{rand.integer(s, 1, 50_000, 'cauthor', i, k, j)}"
    return Comment(
        post=post, j=j, raw_id=encode_id(ms(post.created_at), i, j + 1), created_at=created,
        author_handle=author, sentiment=sentiment, language=language,
        text=text.reply_text(s, sentiment, language, post.account.handle, "c", i, k, j),
    )


def visible_comments(config: WorldConfig, post: Post, t: datetime) -> list[Comment]:
    """Comments visible at ``t``, oldest first (none once the post is deleted)."""
    if not post.visible_at(t):
        return []
    found = [build_comment(config.seed, post, j) for j in range(comment_count(config, post))]
    return sorted((c for c in found if c.created_at <= t), key=lambda c: c.created_at)
