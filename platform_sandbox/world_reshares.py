"""X retweets and quote tweets in a world: which timeline items they are and what they carry.

A retweet is someone else's tweet re-shown on the account's timeline: X reports the original's
public_metrics on it, so its metric curve is the original's (large accounts, counted from when
the original was posted). A quote is the account's own post with its own metrics.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from platform_sandbox import rand, text
from platform_sandbox.world_config import WorldConfig
from platform_sandbox.world_objects import Account, Post, encode_id, ms

# authors of the retweeted originals: outside the world, so no lookup ever resolves them
ORIGINAL_HANDLES = ("newsdesk", "industrywire", "dailytrends", "techradarhq")
OUTSIDE_ACCOUNT = 0xFFF  # the account bits of an original's id: no account of the world


def kind_of(config: WorldConfig, account: Account, k: int) -> str:
    """"retweet", "quote" or "post" for item ``k`` of ``account`` (reshares only on X)."""
    if account.platform != "twitter":
        return "post"
    roll = rand.unit(config.seed, "reshare", account.index, k)
    if roll < config.retweet_fraction:
        return "retweet"
    if roll < config.retweet_fraction + config.quote_fraction:
        return "quote"
    return "post"


def original_id(account: Account, k: int, at: datetime) -> int:
    """Id of the tweet item ``k`` reshares (an outside account's, posted at ``at``)."""
    return encode_id(ms(at), OUTSIDE_ACCOUNT, 1 + (account.index * 31 + k) % 1000)


def as_retweet(seed: int, post: Post, original_final: dict[str, int]) -> Post:
    """``post`` turned into a retweet of an outside original with ``original_final`` values."""
    i, k = post.account.index, post.k
    original_at = post.created_at - timedelta(hours=rand.between(seed, 0.5, 12.0, "rtage", i, k))
    handle = rand.choice(seed, ORIGINAL_HANDLES, "rtauthor", i, k)
    original_text = text.post_text(seed, post.sentiment, "en", list(post.hashtags), handle,
                                   "rt", i, k)
    return replace(
        post, kind="retweet", referenced_id=original_id(post.account, k, original_at),
        original_at=original_at, text=f"RT @{handle}: {original_text}", language="en",
        is_viral=False, viral_at=None, deleted_at=None, is_crisis=False, is_malformed=False,
        final=original_final, viral_extra={m: 0 for m in original_final})


def as_quote(post: Post) -> Post:
    """``post`` as a quote tweet: the account's own words and metrics, quoting an original."""
    at = post.created_at - timedelta(hours=2)
    return replace(post, kind="quote", referenced_id=original_id(post.account, post.k, at))
