"""What a running sandbox knows: the world, clock, tokens, faults, quotas and a request log."""

from __future__ import annotations

import random
import threading
from collections import defaultdict, deque
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from platform_sandbox.auth import GROUPS, TokenClaims, TokenError, TokenStore
from platform_sandbox.clock import SimClock
from platform_sandbox.oauth import OAuthState
from platform_sandbox.people import People
from platform_sandbox.world import World
from platform_sandbox.world_config import WorldConfig


@dataclass
class Faults:
    """Knobs for misbehaviour. Rates are fractions of API requests (the /_sandbox API is exempt)."""

    rate_429: float = 0.0
    rate_5xx: float = 0.0
    # seconds sent in Retry-After on injected 429/503s (None: no header, as X and LinkedIn do)
    retry_after_s: int | None = None
    slow_ms: int = 0
    # simulated network + platform latency of every API request: latency_ms * (1 +- jitter),
    # drawn from the seed and the request (the real APIs answer in 100-500 ms)
    latency_ms: int = 0
    latency_jitter: float = 0.5
    # quotas: X per token and endpoint per 15 minutes, Meta calls per token per hour,
    # LinkedIn calls per app per day (all on the simulated clock)
    x_window_limit: int = 900
    meta_hourly_limit: int = 4_800
    # Meta: calls per hour by all tokens of the app (X-App-Usage is this share; at 100 % the
    # app-level (#4) limit answers every call until the hour is over)
    meta_app_hourly_limit: int = 200_000
    linkedin_daily_limit: int = 100_000
    # Graph API versions that still accept deprecated metrics (e.g. IG impressions)
    meta_version: str = "v24.0"
    # X: the app's monthly usage cap is spent: every X call is a 429 UsageCapExceeded
    x_usage_capped: bool = False
    # X: every call is a 429 whose x-rate-limit-reset lies this many (simulated) seconds after
    # the moment the knob is set; 0 lifts it
    x_throttle_for_s: int = 0
    # X user ids that are suspended / gone: lookups and timelines answer 200 with only errors
    x_suspended_ids: list[str] = field(default_factory=list)
    x_deleted_ids: list[str] = field(default_factory=list)
    # Instagram media whose insights Graph refuses one by one: posted before the account became
    # a business account (#100, subcode 2108006) / no permission (#10); an expanded listing or
    # multi-id read that includes one fails as a whole
    meta_preconversion_media: list[str] = field(default_factory=list)
    meta_insights_denied_media: list[str] = field(default_factory=list)
    # Meta: the app's own limit is spent: every Graph call is a 403 (#4) Application request
    # limit reached with X-App-Usage at 100 % for this many (simulated) seconds; 0 lifts it
    meta_app_throttle_for_s: int = 0
    # Meta: paging links are absolute https://graph.facebook.com/vNN.0/... links (as Graph
    # renders them) instead of links on the sandbox's own host
    meta_links_to_graph_host: bool = False
    # Meta: the app enforces "Require App Secret": every Graph read needs appsecret_proof (hex
    # HMAC-SHA256 of the access token keyed with the app secret), checked for its value
    meta_require_appsecret_proof: bool = False
    # Meta: business_discovery's last media page still has `after`: "repeat_cursor" (the cursor
    # asked for again, so the same page comes back) or "empty_page" (later pages are empty
    # and keep `after`); "" ends paging as documented (no `after` on the last page)
    meta_discovery_paging: str = ""
    # Meta: Facebook comment objects come without `id` (although requested) but with a
    # `permalink_url` holding `comment_id=<comment part of the id>`, as recorded pages do
    meta_comments_without_id: bool = False
    # the Date header that carries simulated time: "simulated", "missing" (dropped, as some
    # proxies do) or "unparsable" (a value no HTTP date parser accepts)
    date_header: str = "simulated"

    def update(self, values: dict) -> None:
        for key, value in values.items():
            if not hasattr(self, key):
                raise ValueError(f"unknown fault knob: {key}")
            if key in ("latency_ms", "latency_jitter") and not (
                    value >= 0 and (key == "latency_ms" or value <= 1)):
                raise ValueError("latency_ms must be >= 0 and latency_jitter within [0, 1]")
            setattr(self, key, value)


@dataclass
class Decision:
    """Outcome of the shared request gate; each platform renders it in its own error shape."""

    # ok | fault_429 | fault_5xx | auth_invalid | auth_expired | auth_revoked | quota
    # | usage_capped | throttled (X only) | app_throttled (Meta only)
    kind: str
    claims: TokenClaims | None = None
    usage_pct: int = 0
    reset_at: datetime | None = None


@dataclass
class SandboxState:
    world: World
    clock: SimClock
    tokens: TokenStore
    faults: Faults = field(default_factory=Faults)
    requests: deque = field(default_factory=lambda: deque(maxlen=500_000))
    _counters: dict = field(default_factory=lambda: defaultdict(int))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _rng: random.Random = field(default_factory=lambda: random.Random(0))
    x_throttled_until: datetime | None = None
    meta_app_throttled_until: datetime | None = None
    # where the clock started (the world's start unless a run resumes a later timeline): the
    # world's timed faults are relative to it
    started_at: datetime | None = None
    # the authorization flows' apps, codes and consents
    oauth: OAuthState = field(default_factory=OAuthState)

    @classmethod
    def create(cls, config: WorldConfig, speed: float = 0.0, now: datetime | None = None,
               token_ttl_s: dict[str, int] | None = None) -> SandboxState:
        """A fresh sandbox whose clock starts at ``now`` (default: the world's start)."""
        state = cls(World(config), SimClock(now or config.start, speed),
                    TokenStore(config.seed, token_ttl_s), started_at=now or config.start)
        state._rng = random.Random(config.seed * 7_919 + 1)
        return state

    def now(self) -> datetime:
        return self.clock.now()

    @cached_property
    def people(self) -> People:
        """The world's people (who can log in to the consent pages)."""
        return People(self.world)

    def log(self, platform: str, method: str, path: str, query: dict,
            token: str | None = None) -> None:
        """Keep one API request; ``token_subject`` names whose token it carried (the account
        id of a user/page token, ``app`` for an app token, None without a valid one), so a
        test can tell which token read which account."""
        subject = kind = None
        if token:
            try:
                claims = self.tokens.decode(token, platform)
                subject, kind = claims.subject, claims.kind
            except TokenError:
                pass
        self.requests.append({"at": self.now().isoformat(), "platform": platform,
                              "method": method, "path": path, "query": query,
                              "token_subject": subject, "token_kind": kind})

    def _quota(self, platform: str, claims: TokenClaims, endpoint: str) -> Decision:
        now = self.now()
        key: tuple
        if platform == "twitter":
            window = int(now.timestamp()) // 900
            key, limit = ("x", claims.subject, endpoint, window), self.faults.x_window_limit
            reset = datetime.fromtimestamp((window + 1) * 900, now.tzinfo)
        elif GROUPS[platform] == "meta":
            window = int(now.timestamp()) // 3600
            key, limit = ("meta", claims.subject, window), self.faults.meta_hourly_limit
            reset = datetime.fromtimestamp((window + 1) * 3600, now.tzinfo)
        else:
            window = int(now.timestamp()) // 86_400
            key, limit = ("li", window), self.faults.linkedin_daily_limit
            reset = datetime.fromtimestamp((window + 1) * 86_400, now.tzinfo)
        with self._lock:
            self._counters[key] += 1
            used = self._counters[key]
        pct = min(100, int(100 * used / max(limit, 1)))
        if used > limit:
            return Decision("quota", claims, pct, reset)
        return Decision("ok", claims, pct, reset)

    def set_faults(self, values: dict) -> None:
        """Turn knobs; ``x_throttle_for_s`` starts its throttle at the current simulated time."""
        self.faults.update(values)
        if "x_throttle_for_s" in values:
            seconds = self.faults.x_throttle_for_s
            self.x_throttled_until = self.now() + timedelta(seconds=seconds) if seconds else None
        if "meta_app_throttle_for_s" in values:
            seconds = self.faults.meta_app_throttle_for_s
            self.meta_app_throttled_until = (self.now() + timedelta(seconds=seconds)
                                             if seconds else None)

    def _x_refusal(self) -> Decision | None:
        """The app-wide X refusals: the monthly usage cap, then a throttle with a known reset."""
        if self.faults.x_usage_capped:
            return Decision("usage_capped")
        until = self.x_throttled_until
        if until is not None and self.now() < until:
            return Decision("throttled", usage_pct=100, reset_at=until)
        return None

    def gate(self, platform: str, token: str | None, endpoint: str) -> Decision:
        """Injected faults first, then authentication, then quotas."""
        if platform == "twitter" and (refusal := self._x_refusal()) is not None:
            return refusal
        until = self.meta_app_throttled_until
        if GROUPS[platform] == "meta" and until is not None and self.now() < until:
            return Decision("app_throttled", usage_pct=100, reset_at=until)
        with self._lock:
            roll = self._rng.random()
        if roll < self.faults.rate_429:
            return Decision("fault_429", reset_at=self.now())
        if roll < self.faults.rate_429 + self.faults.rate_5xx:
            return Decision("fault_5xx")
        if not token:
            return Decision("auth_invalid")
        try:
            claims = self.tokens.verify(token, GROUPS[platform], self.now())
        except TokenError as exc:
            return Decision(f"auth_{exc.reason}")
        return self._quota(platform, claims, endpoint)

    def describe_faults(self) -> dict:
        return asdict(self.faults)
