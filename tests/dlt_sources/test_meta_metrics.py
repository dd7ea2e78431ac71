"""Refused insights metrics: Graph lists the allowed values; what is learned stays with the
account it was learned on, and a retry never replaces a snapshot with a poorer one."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from dlt_sources._shared.contract import route
from dlt_sources.meta.helpers import GraphError
from dlt_sources.meta.metrics import MetricRegistry
from dlt_sources.meta.polling import Run, learning_metrics
from dlt_sources.meta.tables import IG_MEDIA_SNAPSHOTS
from tests.dlt_sources.shared import q
from tests.dlt_sources.test_meta import meta_sync, owned, world  # noqa: F401

REFUSAL = ("(#100) metric[2] must be one of the following values: comments, follows, likes, "
           "profile_visits, reach, saved, shares, total_interactions, views")


def test_only_metrics_outside_the_allowed_list_are_dropped():
    registry = MetricRegistry("instagram", ["reach", "saved", "ig_reels_avg_watch_time"], "v24.0")
    assert registry.drop_after_error(REFUSAL)
    assert registry.metrics == ["reach", "saved"]


def test_a_refusal_on_one_account_leaves_the_others_alone():
    base = MetricRegistry("instagram", ["reach", "ig_reels_avg_watch_time"], "v24.0")
    run = Run(None, None, None, 50, {"instagram": base})  # type: ignore[arg-type]
    assert run.registry("instagram", "a").drop_after_error(REFUSAL)
    assert run.metrics("instagram", "a") == ["reach"]
    assert run.metrics("instagram", "b") == ["reach", "ig_reels_avg_watch_time"]


def test_a_retry_never_replaces_a_snapshot_with_a_poorer_one():
    base = MetricRegistry("instagram", ["reach", "ig_reels_avg_watch_time"], "v24.0")
    run = Run(None, None, None, 50, {"instagram": base})  # type: ignore[arg-type]
    at = datetime(2026, 1, 1, tzinfo=UTC)

    def listing():
        metrics = run.metrics("instagram", "a")
        yield route(IG_MEDIA_SNAPSHOTS, {"media_id": "1", "observed_at": at,
                                         **{m: 5 for m in metrics}})
        if len(metrics) == 2:
            raise GraphError(REFUSAL, 100)

    rows = [r.data for r in learning_metrics(run, "instagram", "a", listing)]
    assert rows == [{"media_id": "1", "observed_at": at, "reach": 5,
                     "ig_reels_avg_watch_time": 5}]


def test_valid_metrics_survive_the_refusal_of_a_reels_only_one(db_url, sandbox, world,  # noqa: F811
                                                               monkeypatch, caplog):
    world()
    monkeypatch.setenv("SOURCES__META__INSTAGRAM_MEDIA_METRICS",
                       '["reach", "saved", "ig_reels_avg_watch_time"]')
    with caplog.at_level(logging.WARNING):
        result = meta_sync(db_url)[0]
    assert not result.failures
    assert "ig_reels_avg_watch_time refused by the API" in caplog.text
    assert "reach refused" not in caplog.text
    ids = [a["platform_account_id"] for a in owned(sandbox.world(), "instagram")]
    snaps = q(db_url, "select * from raw_meta.instagram_media_metric_snapshots "
                      "where owner_id = any(%s)", ids)
    assert snaps and all(s["reach"] is not None and s["saved"] is not None for s in snaps)
