"""Generation of a world's client workspaces and accounts, and their follower counts."""

from __future__ import annotations

import math
from datetime import datetime

from platform_sandbox import rand, text
from platform_sandbox.world_benchmarks import (
    ACCOUNT_RATE_SIGMA,
    NETWORKS,
    POSTS_PER_WEEK_SIGMA,
    daily_growth,
)
from platform_sandbox.world_config import COMPETITOR_PLATFORMS, PLATFORMS, WorldConfig
from platform_sandbox.world_objects import Account, Workspace

MAX_ACCOUNTS = 4096  # ids keep 12 bits for the account
BRAND_A = ["Bright", "Urban", "North", "Blue", "Golden", "Wild", "Silver", "Happy", "Green", "Nova"]
BRAND_B = ["Bean", "Peak", "Thread", "Byte", "Trail", "Table", "Leaf", "Harbor", "Forge", "Loop"]


def _brand(seed: int, *key: object) -> str:
    return rand.choice(seed, BRAND_A, "ba", *key) + rand.choice(seed, BRAND_B, "bb", *key)


def build_workspaces(config: WorldConfig) -> list[Workspace]:
    """Every agency's client workspaces, each with its brand name and vertical."""
    out = []
    for a in range(config.agencies):
        for w in range(config.workspaces_per_agency):
            key = f"ag{a}-ws{w}"
            vertical = rand.choice(config.seed, list(text.VERTICALS), "vertical", key)
            out.append(Workspace(key, f"ag{a}", _brand(config.seed, "client", key), vertical))
    for p in range(config.prospect_workspaces):
        key = f"prospect{p}"
        vertical = rand.choice(config.seed, list(text.VERTICALS), "vertical", key)
        out.append(Workspace(key, "", _brand(config.seed, "client", key), vertical, True))
    return out


def build_accounts(config: WorldConfig, workspaces: list[Workspace]) -> list[Account]:
    """Owned accounts on every platform and competitors on the platforms that expose them."""
    specs: list[tuple[Workspace, str, bool, str]] = []
    for ws in workspaces:
        for n in range(config.owned_accounts_per_platform):
            for platform in PLATFORMS:
                specs.append((ws, platform, False, f"{ws.workspace_key}-own{n}"))
        for c in range(0 if ws.is_prospect else config.competitors_per_workspace):
            for platform in COMPETITOR_PLATFORMS:
                specs.append((ws, platform, True, f"{ws.workspace_key}-comp{c}"))
    if len(specs) > MAX_ACCOUNTS:
        raise ValueError(f"at most {MAX_ACCOUNTS} accounts per world (12-bit account ids)")
    return [_account(config, i, *spec) for i, spec in enumerate(specs)]


def _account(config: WorldConfig, i: int, ws: Workspace, platform: str, is_comp: bool,
             brand: str) -> Account:
    s = config.seed
    name = _brand(s, brand) + ("" if not is_comp else " Co")
    handle = f"{name.lower().replace(' ', '')}{i}"
    net = NETWORKS[platform]
    if config.posts_per_account is None:
        # the network's published posting frequency, each brand around it
        per_day = net.posts_per_week / 7 * rand.lognormal(s, 0.0, POSTS_PER_WEEK_SIGMA,
                                                          "interval", i)
    else:
        per_day = (config.posts_per_account / config.history_days
                   * rand.between(s, 0.85, 1.2, "interval", i))
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
        base_followers=max(500, int(rand.lognormal(s, math.log(net.followers_median),
                                                   net.followers_sigma, "followers", i))),
        growth_per_day=daily_growth(platform, rand.lognormal(s, 0.0, 0.5, "growth", i)),
        # seconds of the activity clock (world_benchmarks.activity) between two posts
        post_interval_s=86_400 / per_day,
        engagement_rate=net.engagement_rate * rand.lognormal(s, 0.0, ACCOUNT_RATE_SIGMA,
                                                             "er", i),
    )


def followers(seed: int, epoch: datetime, account: Account, t: datetime) -> int:
    """Follower count at ``t``; it changes once per simulated UTC day."""
    day = math.floor(t.timestamp() / 86_400) - math.floor(epoch.timestamp() / 86_400)
    # unfollows and bursts: a day's count sits a little off the trend (less than a day's growth
    # on most accounts, so the curve mostly rises)
    wobble = rand.between(seed, -0.0003, 0.0003, "wobble", account.index, day)
    return int(account.base_followers * math.exp(account.growth_per_day * day) * (1 + wobble))
