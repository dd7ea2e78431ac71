"""The code location loads, its lineage is connected end to end, and its schedules exist."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from dagster_project.constants import CYCLE_CRON, CYCLE_JOB, NIGHTLY_JOB
from dagster_project.defs.quality.checks import INTEGRITY
from dagster_project.defs.transformation.project import load_manifest, source_tables

# every model of the marts folder, so a new mart is checked without editing a list
MARTS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "marts"
MARTS = tuple(sorted(p.stem for p in MARTS_DIR.glob("*.sql")))
SENTIMENT = (dg.AssetKey(["enrichment", "post_sentiment"]),
             dg.AssetKey(["enrichment", "comment_sentiment"]))


def _defs() -> dg.Definitions:
    from dagster_project.definitions import defs

    return defs


def test_every_raw_table_dbt_reads_is_an_ingestion_asset():
    graph = _defs().resolve_asset_graph()
    raw = source_tables(load_manifest(), "raw_")
    assert {schema for schema, _ in raw} == {"raw_twitter", "raw_meta", "raw_linkedin"}
    for schema, table in raw:
        node = graph.get(dg.AssetKey([schema, table]))
        assert node.is_materializable, f"{schema}.{table} is read by dbt but loaded by nobody"
        assert node.group_name == "ingestion"


def test_marts_sit_downstream_of_ingestion_and_sentiment():
    graph = _defs().resolve_asset_graph()
    keys = graph.get_all_asset_keys()
    for mart in MARTS:
        assert dg.AssetKey([mart]) in keys
    for key in SENTIMENT:
        assert graph.get(key).is_materializable
        assert all(p.path[0].startswith("raw_") for p in graph.get(key).parent_keys)
    posts_upstream = graph.upstream_key_iterator(dg.AssetKey(["posts"]))
    upstream = set(posts_upstream)
    assert SENTIMENT[0] in upstream
    assert dg.AssetKey(["raw_twitter", "tweet_metric_snapshots"]) in upstream
    assert SENTIMENT[1] in set(graph.upstream_key_iterator(dg.AssetKey(["comments"])))


def test_checks_schedules_and_jobs():
    defs = _defs()
    specs = [s for c in defs.asset_checks or [] for s in c.check_specs]
    blocking = {s.asset_key.to_user_string() for s in specs if s.name == INTEGRITY and s.blocking}
    assert {"raw_twitter/tweet_metric_snapshots", "raw_meta/instagram_media_metric_snapshots",
            "raw_meta/facebook_post_metric_snapshots", "raw_linkedin/post_metric_snapshots",
            "raw_twitter/tweets", "raw_linkedin/posts"} <= blocking
    graph = defs.resolve_asset_graph()
    check_keys = {(k.asset_key.to_user_string(), k.name) for k in graph.asset_check_keys}
    assert ("posts", INTEGRITY) in check_keys  # great-expectations on marts.posts
    assert ("raw_twitter/tweets", "accounts_synced") in check_keys
    # dbt tests surface as checks too
    assert any(a == "posts" and n != INTEGRITY for a, n in check_keys)
    schedules = {s.name: s for s in defs.schedules or []}
    cycle = [s for s in schedules.values() if s.job_name == CYCLE_JOB]
    assert cycle and cycle[0].cron_schedule == CYCLE_CRON == "*/15 * * * *"
    assert any(s.job_name == NIGHTLY_JOB for s in schedules.values())
    assert defs.resolve_job_def(NIGHTLY_JOB)
    assert defs.resolve_job_def(CYCLE_JOB)


# the committed list of every asset key and asset check; a rename shows up in review
ASSET_KEYS_FILE = Path(__file__).with_name("asset_keys.txt")


def _asset_key_lines() -> list[str]:
    graph = _defs().resolve_asset_graph()
    assets = [f"asset {key.to_user_string()}" for key in graph.get_all_asset_keys()]
    checks = [f"check {key.asset_key.to_user_string()}:{key.name}"
              for key in graph.asset_check_keys]
    return sorted(assets) + sorted(checks)


def test_asset_keys_match_the_committed_snapshot():
    """Regenerate after an intended change: python -m tests.dagster_project.asset_keys"""
    expected = ASSET_KEYS_FILE.read_text().splitlines()
    actual = _asset_key_lines()
    added, removed = sorted(set(actual) - set(expected)), sorted(set(expected) - set(actual))
    assert not added and not removed, (
        f"asset graph changed: added {added}, removed {removed}; if intended, run "
        "`.venv/bin/python -m tests.dagster_project.asset_keys`")
