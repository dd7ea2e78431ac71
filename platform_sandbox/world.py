"""The deterministic synthetic world behind the sandbox.

Accounts are few and built eagerly; posts, comments and metric values are computed lazily from the
seed, so a world of millions of posts costs no memory. Every value is a pure function of
(config, object, simulated time): the API routes and the ground-truth endpoint read the same
functions, so tests can compare what was loaded with what is true.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property

from platform_sandbox import rand, text

PLATFORMS = ("twitter", "instagram", "facebook", "linkedin")
# LinkedIn exposes no per-post data of organisations you do not administer
COMPETITOR_PLATFORMS = ("twitter", "instagram", "facebook")
ID_EPOCH_MS = 1_577_836_800_000  # 2020-01-01, the origin of our snowflake-style ids
# hours until a post reaches ~63% of its final metrics
GROWTH_TAU_HOURS = {"twitter": 3.0, "instagram": 8.0, "facebook": 10.0, "linkedin": 14.0}
REACH_PER_FOLLOWER = {"twitter": 0.25, "instagram": 0.35, "facebook": 0.15, "linkedin": 0.3}
LANGUAGES = ("es", "de", "fr")
BRAND_A = ["Bright", "Urban", "North", "Blue", "Golden", "Wild", "Silver", "Happy", "Green", "Nova"]
BRAND_B = ["Bean", "Peak", "Thread", "Byte", "Trail", "Table", "Leaf", "Harbor", "Forge", "Loop"]


@dataclass(frozen=True)
class WorldConfig:
    """Size and behaviour knobs of a world; equal configs give identical worlds."""

    seed: int = 7
    agencies: int = 1
    workspaces_per_agency: int = 2
    owned_accounts_per_platform: int = 1
    competitors_per_workspace: int = 3
    posts_per_account: int = 40
    history_days: float = 20.0
    comments_per_post: float = 3.0
    viral_fraction: float = 0.03
    deleted_fraction: float = 0.02
    non_english_fraction: float = 0.05
    crisis_fraction: float = 0.02
    malformed_fraction: float = 0.0
    start: datetime = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)

    def __post_init__(self) -> None:
        for name in ("agencies", "workspaces_per_agency", "posts_per_account"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1")
        for name in ("viral_fraction", "deleted_fraction", "non_english_fraction",
                     "crisis_fraction", "malformed_fraction"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")


@dataclass(frozen=True)
class Workspace:
    workspace_key: str
    agency_key: str
    name: str
    vertical: str


@dataclass(frozen=True)
class Account:
    index: int
    platform: str
    platform_account_id: str
    handle: str
    name: str
    workspace_key: str
    is_competitor: bool
    vertical: str
    base_followers: int
    growth_per_day: float
    post_interval_s: float
    engagement_rate: float


@dataclass(frozen=True)
class Post:
    account: Account
    k: int
    created_at: datetime
    raw_id: int
    text: str
    hashtags: tuple[str, ...]
    language: str
    sentiment: str
    media_type: str
    is_viral: bool
    viral_at: datetime | None
    deleted_at: datetime | None
    is_crisis: bool
    is_malformed: bool
    final: dict[str, int] = field(repr=False)
    viral_extra: dict[str, int] = field(repr=False)

    def visible_at(self, t: datetime) -> bool:
        """Published by ``t`` and not yet deleted."""
        return self.created_at <= t and (self.deleted_at is None or t < self.deleted_at)


@dataclass(frozen=True)
class Comment:
    post: Post
    j: int
    raw_id: int
    created_at: datetime
    author_handle: str
    text: str
    sentiment: str
    language: str


def encode_id(ms: int, account_index: int, sub: int) -> int:
    """Time-ordered 63-bit id: ms since 2020 | account (12 bits) | sub-object (10 bits)."""
    return ((ms - ID_EPOCH_MS) << 22) | ((account_index & 0xFFF) << 10) | (sub & 0x3FF)


def decode_id(raw_id: int) -> tuple[int, int, int]:
    """Inverse of :func:`encode_id`: (ms, account_index, sub)."""
    return (raw_id >> 22) + ID_EPOCH_MS, (raw_id >> 10) & 0xFFF, raw_id & 0x3FF


def _ms(t: datetime) -> int:
    return int(t.timestamp() * 1000)


class World:
    """Lazily generated accounts, posts, comments and metric curves for one config."""

    def __init__(self, config: WorldConfig):
        self.config = config
        self.seed = config.seed
        self.epoch = config.start - timedelta(days=config.history_days)

    # ----- accounts -------------------------------------------------------------------------
    @cached_property
    def workspaces(self) -> list[Workspace]:
        out = []
        for a in range(self.config.agencies):
            for w in range(self.config.workspaces_per_agency):
                key = f"ag{a}-ws{w}"
                vertical = rand.choice(self.seed, list(text.VERTICALS), "vertical", key)
                out.append(Workspace(key, f"ag{a}", self._brand("client", key), vertical))
        return out

    def _brand(self, *key: object) -> str:
        return rand.choice(self.seed, BRAND_A, "ba", *key) + rand.choice(
            self.seed, BRAND_B, "bb", *key)

    @cached_property
    def accounts(self) -> list[Account]:
        specs: list[tuple[Workspace, str, bool, str]] = []
        for ws in self.workspaces:
            for n in range(self.config.owned_accounts_per_platform):
                for platform in PLATFORMS:
                    specs.append((ws, platform, False, f"{ws.workspace_key}-own{n}"))
            for c in range(self.config.competitors_per_workspace):
                for platform in COMPETITOR_PLATFORMS:
                    specs.append((ws, platform, True, f"{ws.workspace_key}-comp{c}"))
        if len(specs) > 4096:
            raise ValueError("at most 4096 accounts per world (12-bit account ids)")
        return [self._account(i, *spec) for i, spec in enumerate(specs)]

    def _account(self, i: int, ws: Workspace, platform: str, is_comp: bool, brand: str) -> Account:
        s = self.seed
        name = self._brand(brand) + ("" if not is_comp else " Co")
        handle = f"{name.lower().replace(' ', '')}{i}"
        per_day = self.config.posts_per_account / self.config.history_days
        ids = {
            "twitter": str(1_300_000_000_000_000_000 + i * 7_919),
            "instagram": str(17_841_400_000_000_000 + i * 104_729),
            "facebook": str(100_000_000_000_000 + i * 15_485_863),
            "linkedin": str(10_000_000 + i * 37),
        }
        return Account(
            index=i, platform=platform, platform_account_id=ids[platform], handle=handle,
            name=name, workspace_key=ws.workspace_key, is_competitor=is_comp,
            vertical=ws.vertical,
            base_followers=int(rand.lognormal(s, math.log(20_000), 0.9, "followers", i)),
            growth_per_day=rand.between(s, 0.0005, 0.004, "growth", i),
            post_interval_s=86_400 / per_day * rand.between(s, 0.8, 1.25, "interval", i),
            engagement_rate=rand.between(s, 0.01, 0.05, "er", i),
        )

    @cached_property
    def _by_platform_id(self) -> dict[tuple[str, str], Account]:
        return {(a.platform, a.platform_account_id): a for a in self.accounts}

    def account(self, platform: str, platform_account_id: str) -> Account | None:
        """The account with this platform id, if any."""
        return self._by_platform_id.get((platform, str(platform_account_id)))

    def account_by_handle(self, platform: str, handle: str) -> Account | None:
        """The account with this handle (case-insensitive), if any."""
        handle = handle.lower().lstrip("@")
        return next((a for a in self.accounts
                     if a.platform == platform and a.handle == handle), None)

    def followers(self, account: Account, t: datetime) -> int:
        """Follower count at ``t``; it changes once per simulated UTC day."""
        day = math.floor(t.timestamp() / 86_400) - math.floor(self.epoch.timestamp() / 86_400)
        wobble = rand.between(self.seed, -0.002, 0.002, "wobble", account.index, day)
        return int(account.base_followers * math.exp(account.growth_per_day * day) * (1 + wobble))

    # ----- posts ----------------------------------------------------------------------------
    def post_time(self, account: Account, k: int) -> datetime:
        offset = (k + 0.1 + 0.8 * rand.unit(self.seed, "jitter", account.index, k))
        t = self.epoch + timedelta(seconds=offset * account.post_interval_s)
        # ids carry milliseconds, so times do too (lets an id be decoded back to its post)
        return t.replace(microsecond=(t.microsecond // 1000) * 1000)

    def post_count(self, account: Account, t: datetime) -> int:
        """Posts published by ``t`` (deleted ones included)."""
        j = math.floor((t - self.epoch).total_seconds() / account.post_interval_s)
        if j < 0:
            return 0
        return j + (1 if self.post_time(account, j) <= t else 0)

    def first_index_after(self, account: Account, t: datetime) -> int:
        """Smallest k with ``post_time(k) > t``."""
        return self.post_count(account, t)

    def post(self, account: Account, k: int) -> Post:
        """Post number ``k`` (0 = oldest) of ``account``."""
        s, i = self.seed, account.index
        created = self.post_time(account, k)
        c = self.config
        roll = rand.unit(s, "kind", i, k)
        deleted = roll < c.deleted_fraction
        viral = not deleted and c.deleted_fraction <= roll < c.deleted_fraction + c.viral_fraction
        language = (rand.choice(s, LANGUAGES, "lang", i, k)
                    if rand.unit(s, "en", i, k) < c.non_english_fraction else "en")
        sentiment = rand.choice(s, ["positive"] * 5 + ["neutral"] * 4 + ["negative"], "ps", i, k)
        tags = tuple(text.hashtags_for(s, account.vertical, "tags", i, k))
        partner = self.accounts[(i + 1) % len(self.accounts)].handle
        media_type = rand.choice(s, ["IMAGE", "IMAGE", "VIDEO", "CAROUSEL_ALBUM"], "media", i, k)
        if account.platform == "instagram" and media_type == "VIDEO":
            media_type = "REELS"
        final, extra = self._final_metrics(account, k, created, viral)
        viral_at = created + timedelta(hours=rand.between(s, 1.0, 4.0, "vat", i, k))
        return Post(
            account=account, k=k, created_at=created, raw_id=encode_id(_ms(created), i, 0),
            text=text.post_text(s, sentiment, language, list(tags), partner, "post", i, k),
            hashtags=tags, language=language, sentiment=sentiment, media_type=media_type,
            is_viral=viral, viral_at=viral_at if viral else None,
            deleted_at=created + timedelta(hours=rand.between(s, 2, 72, "del", i, k))
            if deleted else None,
            is_crisis=rand.unit(s, "crisis", i, k) < c.crisis_fraction,
            is_malformed=rand.unit(s, "malformed", i, k) < c.malformed_fraction,
            final=final, viral_extra=extra,
        )

    def _final_metrics(self, account: Account, k: int, created: datetime, viral: bool):
        s, i = self.seed, account.index
        reach = self.followers(account, created) * REACH_PER_FOLLOWER[account.platform]
        reach *= rand.lognormal(s, 0.0, 0.25, "reach", i, k)
        impressions = reach * 1.35
        likes = reach * account.engagement_rate * rand.lognormal(s, 0.0, 0.2, "likes", i, k)
        final = {
            "impressions": impressions, "reach": reach, "views": impressions * 1.1,
            "likes": likes, "comments": likes * 0.06, "shares": likes * 0.12,
            "saves": likes * 0.08, "clicks": impressions * 0.012, "quotes": likes * 0.02,
            "bookmarks": likes * 0.04,
        }
        multiplier = rand.between(s, 15.0, 40.0, "vmult", i, k) if viral else 0.0
        extra = {m: int(v * multiplier) for m, v in final.items()}
        return {m: int(v) for m, v in final.items()}, extra

    def metrics(self, post: Post, t: datetime) -> dict[str, int]:
        """True canonical metric values of ``post`` at ``t`` (non-decreasing in ``t``)."""
        age_h = (t - post.created_at).total_seconds() / 3600
        if age_h <= 0:
            return {m: 0 for m in post.final}
        grown = 1 - math.exp(-age_h / GROWTH_TAU_HOURS[post.account.platform])
        boost = 0.0
        if post.viral_at is not None and t > post.viral_at:
            boost = 1 - math.exp(-(t - post.viral_at).total_seconds() / 3600 / 1.5)
        return {m: int(v * grown + post.viral_extra[m] * boost) for m, v in post.final.items()}

    def reported_insights(self, post: Post, t: datetime) -> dict[str, int] | None:
        """Meta insights as the API reports them: empty in the first hour, then lagging by up to
        three hours and 5% low until 48 h after posting, exact afterwards (late corrections)."""
        age = t - post.created_at
        if age < timedelta(hours=1):
            return None
        if age >= timedelta(hours=48):
            return self.metrics(post, t)
        lagged = self.metrics(post, t - min(age, timedelta(hours=3)))
        return {m: int(v * 0.95) for m, v in lagged.items()}

    def posts_between(self, account: Account, start: datetime, end: datetime) -> range:
        """Indexes k of posts with ``start < created_at <= end``."""
        return range(self.post_count(account, start), self.post_count(account, end))

    def post_by_raw_id(self, raw_id: int) -> Post | None:
        """Decode an id back to its post; None when it names no post of this world."""
        ms, index, sub = decode_id(raw_id)
        if sub != 0 or index >= len(self.accounts):
            return None
        account = self.accounts[index]
        t = datetime.fromtimestamp(ms / 1000, UTC)
        k = self.post_count(account, t) - 1
        if k < 0:
            return None
        post = self.post(account, k)
        return post if post.raw_id == raw_id else None

    # ----- comments -------------------------------------------------------------------------
    def comment_count(self, post: Post) -> int:
        """Comments a post ever receives (their arrival times spread after posting)."""
        mean = self.config.comments_per_post * (4 if post.is_viral else 1)
        return int(rand.between(self.seed, 0, 2 * mean + 1, "nc", post.account.index, post.k))

    def comment(self, post: Post, j: int) -> Comment:
        s, i, k = self.seed, post.account.index, post.k
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
            post=post, j=j, raw_id=encode_id(_ms(post.created_at), i, j + 1), created_at=created,
            author_handle=author, sentiment=sentiment, language=language,
            text=text.reply_text(s, sentiment, language, post.account.handle, "c", i, k, j),
        )

    def comments(self, post: Post, t: datetime) -> list[Comment]:
        """Comments visible at ``t``, oldest first (none once the post is deleted)."""
        if not post.visible_at(t):
            return []
        found = [self.comment(post, j) for j in range(self.comment_count(post))]
        return sorted((c for c in found if c.created_at <= t), key=lambda c: c.created_at)
