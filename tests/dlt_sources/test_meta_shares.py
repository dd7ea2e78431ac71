"""A Facebook post nobody shared comes without a ``shares`` object (the sandbox's default, as
Graph does): raw keeps null, staging keeps null as ``share_count`` and applies the named rule
``shares_omitted_means_zero`` in ``share_count_omitted_as_zero``, which the conformed
snapshots use. Every figure is recomputed here from the sandbox's ground truth."""

from __future__ import annotations

from socialpulse.transform import run_dbt
from tests.dlt_sources.shared import connect_world, q
from tests.dlt_sources.test_meta import meta_sync

SMALL = {"workspaces_per_agency": 1, "posts_per_account": 25, "competitors_per_workspace": 1}
MODELS = ["stg_meta__facebook_post_metric_snapshots",
          "int_facebook__post_metric_snapshots_conformed"]


def test_an_omitted_facebook_share_count_is_null_in_raw_and_zero_by_rule(sandbox, db_url):
    world = connect_world(sandbox, db_url, SMALL)
    owned = {a["platform_account_id"] for a in world["accounts"]
             if a["platform"] == "facebook" and not a["is_competitor"]}
    meta_sync(db_url)
    truth = {p["post_id"]: p["metrics"]["shares"] for p in sandbox.truth("posts")
             if p["platform"] == "facebook" and p["account_id"] in owned}
    raw = q(db_url, "select post_id, shares from raw_meta.facebook_post_metric_snapshots")
    assert raw and any(r["shares"] is None for r in raw) and any(r["shares"] for r in raw)
    for r in raw:
        assert r["shares"] == (truth[r["post_id"]] or None)

    run_dbt(["run", "--select", *MODELS], db_url)
    staged = q(db_url, "select facebook_post_id, share_count, share_count_omitted_as_zero "
               "from staging.stg_meta__facebook_post_metric_snapshots")
    assert len(staged) == len(raw)
    for r in staged:
        shares = truth[r["facebook_post_id"]]
        assert (r["share_count"], r["share_count_omitted_as_zero"]) == (shares or None, shares)
    conformed = q(db_url, "select platform_post_id, shares, engagement, likes, comments "
                  "from intermediate.int_facebook__post_metric_snapshots_conformed")
    for r in conformed:
        assert r["shares"] == truth[r["platform_post_id"]]
        assert r["engagement"] == r["likes"] + r["comments"] + r["shares"]
