"""The synthetic world: deterministic, lazy, and shaped like real posting behaviour."""

from __future__ import annotations

from datetime import timedelta

import pytest

from platform_sandbox import ids
from platform_sandbox.auth import TokenError, TokenStore
from platform_sandbox.clock import SimClock
from platform_sandbox.world import World
from platform_sandbox.world_config import WorldConfig


@pytest.fixture(scope="module")
def world() -> World:
    return World(WorldConfig(seed=11, posts_per_account=60, viral_fraction=0.05))


def test_same_seed_same_world_other_seed_other_world():
    a, b, c = World(WorldConfig(seed=3)), World(WorldConfig(seed=3)), World(WorldConfig(seed=4))
    post_a = a.post(a.accounts[5], 17)
    assert post_a == b.post(b.accounts[5], 17)
    assert post_a.text != c.post(c.accounts[5], 17).text or post_a.created_at != c.post(
        c.accounts[5], 17).created_at


def test_account_layout_follows_the_knobs():
    config = WorldConfig(agencies=2, workspaces_per_agency=3, owned_accounts_per_platform=2,
                         competitors_per_workspace=4)
    w = World(config)
    assert len(w.workspaces) == 6
    owned = [a for a in w.accounts if not a.is_competitor]
    competitors = [a for a in w.accounts if a.is_competitor]
    assert len(owned) == 6 * 2 * 4
    assert len(competitors) == 6 * 4 * 3  # no LinkedIn competitors
    assert len({(a.platform, a.platform_account_id) for a in w.accounts}) == len(w.accounts)


def test_post_count_matches_post_times(world):
    account = world.accounts[0]
    end = world.config.start
    n = world.post_count(account, end)
    assert n == pytest.approx(world.config.posts_per_account, rel=0.3)
    assert world.post_time(account, n - 1) <= end < world.post_time(account, n)
    times = [world.post_time(account, k) for k in range(n)]
    assert times == sorted(times)


def test_metrics_grow_and_viral_posts_explode(world):
    posts = [world.post(a, k) for a in world.accounts for k in range(60)]
    viral = [p for p in posts if p.is_viral]
    calm = [p for p in posts if not p.is_viral and p.deleted_at is None]
    assert viral and calm
    for p in calm[:50] + viral[:10]:
        values = [world.metrics(p, p.created_at + timedelta(hours=h))["likes"]
                  for h in (0, 1, 3, 12, 48, 200)]
        assert values == sorted(values)
    for p in viral[:10]:
        before = world.metrics(p, p.viral_at)["likes"]
        after = world.metrics(p, p.viral_at + timedelta(hours=6))["likes"]
        assert after > 5 * max(before, 1)


def test_deleted_posts_disappear(world):
    deleted = [world.post(a, k) for a in world.accounts for k in range(60)
               if world.post(a, k).deleted_at is not None]
    assert deleted
    p = deleted[0]
    assert p.visible_at(p.deleted_at - timedelta(seconds=1))
    assert not p.visible_at(p.deleted_at)
    assert world.comments(p, p.deleted_at) == []


def test_meta_insights_arrive_late_and_are_corrected(world):
    p = world.post(next(a for a in world.accounts if a.platform == "instagram"), 3)
    assert world.reported_insights(p, p.created_at + timedelta(minutes=30)) is None
    early = world.reported_insights(p, p.created_at + timedelta(hours=5))
    assert early is not None
    assert early["reach"] < world.metrics(p, p.created_at + timedelta(hours=5))["reach"]
    later = p.created_at + timedelta(hours=60)
    assert world.reported_insights(p, later) == world.metrics(p, later)


def test_ids_round_trip_for_every_platform(world):
    for account in world.accounts:
        post = world.post(account, 7)
        assert ids.find_post(world, account.platform, ids.post_id(post)) == post
        for comment in world.comments(post, post.created_at + timedelta(days=3)):
            assert ids.find_comment(world, account.platform, ids.comment_id(comment)) == comment
    assert ids.find_post(world, "twitter", "12345") is None


def test_follower_counts_drift_daily(world):
    account = world.accounts[0]
    start = world.config.start
    same_day = {world.followers(account, start.replace(hour=h)) for h in range(24)}
    assert len(same_day) == 1
    week = [world.followers(account, start + timedelta(days=d)) for d in range(7)]
    assert len(set(week)) > 1


def test_a_million_posts_cost_no_memory():
    config = WorldConfig(workspaces_per_agency=40, competitors_per_workspace=3,
                         posts_per_account=2000)
    w = World(config)
    total = sum(w.post_count(a, config.start) for a in w.accounts)
    assert len(w.accounts) >= 500 and total >= 1_000_000
    last = w.accounts[-1]
    post = w.post(last, w.post_count(last, config.start) - 1)
    assert ids.find_post(w, last.platform, ids.post_id(post)) == post


def test_tokens_expire_refresh_rotate_and_revoke():
    clock = SimClock(WorldConfig().start, speed=0)
    store = TokenStore(seed=1, ttl_s={"twitter": 60})
    issued = store.issue("twitter", "42", clock.now())
    assert store.verify(issued["access_token"], "twitter", clock.now()).subject == "42"
    clock.advance(61)
    with pytest.raises(TokenError, match="expired"):
        store.verify(issued["access_token"], "twitter", clock.now())
    fresh = store.refresh(issued["refresh_token"], "twitter", clock.now())
    assert store.verify(fresh["access_token"], "twitter", clock.now())
    with pytest.raises(TokenError, match="invalid"):  # X rotates refresh tokens
        store.refresh(issued["refresh_token"], "twitter", clock.now())
    store.revoke("twitter", "42")
    with pytest.raises(TokenError, match="revoked"):
        store.verify(fresh["access_token"], "twitter", clock.now())
    with pytest.raises(TokenError, match="invalid"):
        store.verify(fresh["access_token"][:-2] + "00", "twitter", clock.now())


def test_clock_runs_at_speed_and_can_be_set():
    start = WorldConfig().start
    clock = SimClock(start, speed=3600)
    import time

    time.sleep(0.05)
    assert clock.now() - start >= timedelta(seconds=100)
    clock.set(start, speed=0)
    assert clock.now() == start
    assert clock.advance(90) == start + timedelta(seconds=90)
