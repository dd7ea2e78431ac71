"""Generation of posts: when each is published, what it says, and its metric curves."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from platform_sandbox import rand, text, world_reshares
from platform_sandbox.world_benchmarks import NETWORKS, activity, from_activity, timing_effect
from platform_sandbox.world_config import WorldConfig
from platform_sandbox.world_objects import Account, Post, encode_id, ms

# hours until a post reaches ~63% of its final metrics
GROWTH_TAU_HOURS = {"twitter": 3.0, "instagram": 8.0, "facebook": 10.0, "linkedin": 14.0}
LANGUAGES = ("es", "de", "fr")


def post_time(seed: int, epoch: datetime, account: Account, k: int) -> datetime:
    """When post ``k`` of ``account`` is published: a jittered, regular schedule on the
    activity clock, so posts fall in office hours and on weekdays as brands' do."""
    offset = (k + 0.1 + 0.8 * rand.unit(seed, "jitter", account.index, k))
    at = from_activity(activity(epoch) + offset * account.post_interval_s)
    # ids carry milliseconds, so times do too (lets an id be decoded back to its post)
    return datetime.fromtimestamp(math.floor(at * 1000) / 1000, UTC)


def post_count(seed: int, epoch: datetime, account: Account, t: datetime) -> int:
    """Posts published by ``t`` (deleted ones included)."""
    j = math.floor((activity(t) - activity(epoch)) / account.post_interval_s)
    if j < 0:
        return 0
    return j + (1 if post_time(seed, epoch, account, j) <= t else 0)


def build_post(config: WorldConfig, account: Account, k: int, created: datetime,
               followers: int, partner: str) -> Post:
    """Post ``k`` of ``account``, published at ``created`` to ``followers`` followers;
    ``partner`` is the handle its text may mention."""
    s, i, c = config.seed, account.index, config
    roll = rand.unit(s, "kind", i, k)
    deleted = roll < c.deleted_fraction
    viral = not deleted and c.deleted_fraction <= roll < c.deleted_fraction + c.viral_fraction
    language = (rand.choice(s, LANGUAGES, "lang", i, k)
                if rand.unit(s, "en", i, k) < c.non_english_fraction else "en")
    sentiment = rand.choice(s, ["positive"] * 5 + ["neutral"] * 4 + ["negative"], "ps", i, k)
    tags = tuple(text.hashtags_for(s, account.vertical, created, "tags", i, k))
    media_type = rand.choice(s, ["IMAGE", "IMAGE", "VIDEO", "CAROUSEL_ALBUM"], "media", i, k)
    if account.platform == "instagram" and media_type == "VIDEO":
        media_type = "REELS"
    final, extra = _final_metrics(c, account, k, created, followers, viral)
    if (account.platform == "facebook" and not viral
            and rand.unit(s, "unshared", i, k) < c.unshared_fraction):
        final = {**final, "shares": 0}
    viral_at = created + timedelta(hours=rand.between(
        s, c.viral_delay_min_hours, c.viral_delay_max_hours, "vat", i, k))
    post = Post(
        account=account, k=k, created_at=created, raw_id=encode_id(ms(created), i, 0),
        text=text.post_text(s, sentiment, language, list(tags), partner, "post", i, k),
        hashtags=tags, language=language, sentiment=sentiment, media_type=media_type,
        is_viral=viral, viral_at=viral_at if viral else None,
        deleted_at=created + timedelta(hours=rand.between(s, 2, 72, "del", i, k))
        if deleted else None,
        is_crisis=rand.unit(s, "crisis", i, k) < c.crisis_fraction,
        is_malformed=rand.unit(s, "malformed", i, k) < c.malformed_fraction,
        final=final, viral_extra=extra,
        shares_unavailable=account.platform == "instagram" and rand.unit(
            s, "noshares", i, k) < c.ig_shares_unavailable_fraction,
    )
    kind = world_reshares.kind_of(c, account, k)
    if kind == "retweet":
        # the original comes from an account with many more followers than this one
        big = followers * rand.between(s, 5.0, 30.0, "rtreach", i, k)
        return world_reshares.as_retweet(
            s, post, _final_metrics(c, account, k, created, int(big), False)[0])
    return world_reshares.as_quote(post) if kind == "quote" else post


def _final_metrics(c: WorldConfig, account: Account, k: int, created: datetime, followers: int,
                   viral: bool) -> tuple[dict[str, int], dict[str, int]]:
    """(final values, what a viral post adds on top) of every canonical metric.

    A post's engagement is its account's level (rate x followers x the hour/weekday effect)
    times a log-normal draw, now and then a strong post (2-3.5x); a viral post adds 15-40x the
    account's level on top, whatever its own draw was."""
    s, i, net = c.seed, account.index, NETWORKS[account.platform]
    level = followers * account.engagement_rate * timing_effect(account.platform, created)
    draw = rand.lognormal(s, 0.0, c.engagement_sigma, "eng", i, k)
    if rand.unit(s, "strong", i, k) < c.strong_fraction:
        draw *= rand.between(s, 2.0, c.strong_max_multiplier, "strength", i, k)
    per_like = 1 + net.comments_per_like + net.shares_per_like + net.saves_per_like
    reach_scale = rand.lognormal(s, 0.0, 0.25, "reach", i, k)

    def values(likes: float, reach: float) -> dict[str, float]:
        impressions = reach * 1.35
        return {
            "impressions": impressions, "reach": reach, "views": impressions * 1.1,
            "likes": likes, "comments": likes * net.comments_per_like,
            "shares": likes * net.shares_per_like, "saves": likes * net.saves_per_like,
            "clicks": impressions * 0.012, "quotes": likes * 0.02, "bookmarks": likes * 0.04,
        }

    # reach follows engagement part of the way: a strong post is also seen more
    reach = followers * net.reach_per_follower * reach_scale * draw ** 0.5
    final = values(level * draw / per_like, reach)
    multiplier = rand.between(s, 15.0, 40.0, "vmult", i, k) if viral else 0.0
    base = values(level / per_like, followers * net.reach_per_follower)
    extra = {m: round(v * multiplier) for m, v in base.items()}
    return {m: round(v) for m, v in final.items()}, extra


def metrics(post: Post, t: datetime) -> dict[str, int]:
    """True canonical metric values of ``post`` at ``t`` (non-decreasing in ``t``)."""
    # a retweet shows its original's counts, which grow from when the original was posted
    age_h = (t - (post.original_at or post.created_at)).total_seconds() / 3600
    if age_h <= 0 or t < post.created_at:
        return {m: 0 for m in post.final}
    grown = 1 - math.exp(-age_h / GROWTH_TAU_HOURS[post.account.platform])
    boost = 0.0
    if post.viral_at is not None and t > post.viral_at:
        boost = 1 - math.exp(-(t - post.viral_at).total_seconds() / 3600 / 1.5)
    return {m: int(v * grown + post.viral_extra[m] * boost) for m, v in post.final.items()}


def reported_insights(post: Post, t: datetime) -> dict[str, int | None] | None:
    """Meta insights as the API reports them: empty in the first hour, then lagging by up to
    three hours and 5% low until 48 h after posting, exact afterwards (late corrections);
    ``shares`` None where Graph has no shares insight for the media."""
    age = t - post.created_at
    if age < timedelta(hours=1):
        return None
    if age >= timedelta(hours=48):
        reported: dict[str, int | None] = dict(metrics(post, t))
    else:
        lagged = metrics(post, t - min(age, timedelta(hours=3)))
        reported = {m: int(v * 0.95) for m, v in lagged.items()}
    if post.shares_unavailable:
        reported["shares"] = None
    return reported
