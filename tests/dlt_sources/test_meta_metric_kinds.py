"""Graph allows other insights metrics per media type (watch time on REELS only, profile metrics
on feed media only): a refusal is learned per account AND media type, so reels keep the
metrics an image refuses."""

from __future__ import annotations

import requests

from dlt_sources.runner import sync
from tests.dlt_sources.shared import connect_world, q

SMALL = {"workspaces_per_agency": 1, "posts_per_account": 16, "competitors_per_workspace": 1,
         "history_days": 10.0}
METRICS = '["reach", "saved", "ig_reels_avg_watch_time"]'


def owned_ig(w: dict) -> dict:
    return next(a for a in w["accounts"] if a["platform"] == "instagram"
                and not a["is_competitor"])


def insights(sandbox, account: dict, media_id: str, metric: str) -> dict:
    return requests.get(f"{sandbox.url}/v24.0/{media_id}/insights", params={"metric": metric},
                        headers={"Authorization": "Bearer " + account["tokens"]["access_token"]},
                        timeout=30).json()


def test_the_sandbox_refuses_by_media_type_with_the_allowed_list(sandbox):
    sandbox.reset(config=SMALL)
    account = owned_ig(sandbox.world())
    posts = sandbox.truth("posts", platform="instagram",
                          account_id=account["platform_account_id"])
    reel = next(p for p in posts if p["media_type"] == "REELS" and p["is_visible"])
    image = next(p for p in posts if p["media_type"] == "IMAGE" and p["is_visible"])
    refused = insights(sandbox, account, reel["post_id"], "reach,profile_visits")["error"]
    assert refused["message"].startswith("(#100) metric[1] must be one of the following values: ")
    allowed = refused["message"].split("values: ")[1].split(", ")
    assert "ig_reels_avg_watch_time" in allowed and "profile_visits" not in allowed
    refused = insights(sandbox, account, image["post_id"], "ig_reels_avg_watch_time")["error"]
    allowed = refused["message"].split("values: ")[1].split(", ")
    assert "profile_visits" in allowed and "ig_reels_avg_watch_time" not in allowed


def test_reels_keep_a_metric_the_other_media_types_refuse(db_url, sandbox, monkeypatch):
    w = connect_world(sandbox, db_url, SMALL)
    monkeypatch.setenv("SOURCES__META__INSTAGRAM_MEDIA_METRICS", METRICS)
    monkeypatch.setenv("SOURCES__META__POLL_SCHEDULE", "28d:0s")  # every window media, each run
    assert not sync(["instagram"], url=db_url)[0].failures
    sandbox.advance(6 * 3600)
    assert not sync(["instagram"], url=db_url)[0].failures
    owner = owned_ig(w)["platform_account_id"]
    rows = q(db_url, "select m.media_product_type, m.media_type, s.reach, "
                     "s.ig_reels_avg_watch_time from raw_meta.instagram_media_metric_snapshots s "
                     "join raw_meta.instagram_media m on m.id = s.media_id "
                     "where s.owner_id = %s and s.observed_at = (select max(observed_at) from "
                     "raw_meta.instagram_media_metric_snapshots where owner_id = %s)",
             owner, owner)
    reels = [r for r in rows if r["media_product_type"] == "REELS"]
    others = [r for r in rows if r["media_product_type"] != "REELS"]
    assert reels and others
    # re-read by type: the reels' read asks for watch time and gets it
    assert all(r["ig_reels_avg_watch_time"] is not None for r in reels if r["reach"] is not None)
    assert any(r["ig_reels_avg_watch_time"] is not None for r in reels)
    assert all(r["ig_reels_avg_watch_time"] is None for r in others)
    assert any(r["reach"] is not None for r in others)  # (none in a media's first hour)
