"""`socialpulse alerts calibrate` end to end on short observation windows of its own seeds."""

from __future__ import annotations

from click.testing import CliRunner

from platform_sandbox.world import World
from platform_sandbox.world_config import WorldConfig
from socialpulse_cli.alerts_calibrate import CALM_SEED, FIT_SEEDS, HELD_APART_SEEDS, observe
from socialpulse_cli.main import cli


def test_observations_follow_the_syncs_and_hide_facebook_competitors():
    world = World(WorldConfig(seed=FIT_SEEDS[0]))
    posts, syncs = observe(world, days=2, gap_hours=12)
    assert len(syncs) == 5 and syncs[0] == world.config.start
    assert all(s[0] in syncs and s[0] >= p.created_at for p in posts for s in p.snapshots)
    hidden = {f"facebook:{a.platform_account_id}" for a in world.accounts
              if a.is_competitor and a.platform == "facebook"}
    assert hidden and not hidden & {p.account for p in posts}
    # engagement never falls between syncs (the mart's snapshots only grow)
    assert all(a[1] <= b[1] for p in posts
               for a, b in zip(p.snapshots, p.snapshots[1:], strict=False))


def test_calibrate_prints_the_fit_and_the_held_apart_table():
    result = CliRunner().invoke(cli, ["alerts", "calibrate", "--days", "3", "--gap-hours", "12"])
    assert result.exit_code == 0, result.output
    assert "chosen: viral_engagement_k=" in result.output
    rows = [line for line in result.output.splitlines() if line.startswith("| ")]
    assert len(rows) == 4  # header + fit, held-apart, calm
    assert str(HELD_APART_SEEDS[0]) in rows[2] and str(CALM_SEED) in rows[3]
    # the calm world has no viral post to find
    assert rows[3].split("|")[2].strip() == "0"
