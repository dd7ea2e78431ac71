"""dbt on a calm world (no viral posts) and on a warehouse where nothing was loaded yet."""

from __future__ import annotations

import pytest

from socialpulse.transform import run_dbt
from tests.dbt_project.conftest import (
    VIRAL_WORLD,
    Warehouse,
    _create_database,
    _drop_database,
    _seed,
    _sync,
)

pytestmark = pytest.mark.slow
CALM_WORLD = {**VIRAL_WORLD, "seed": 12, "viral_fraction": 0.0}


def test_calm_world_has_no_viral_candidates(sandbox_server):
    from tests.conftest import Sandbox

    wh = Warehouse(_create_database(), Sandbox(sandbox_server))
    try:
        wh.sandbox.reset(config=CALM_WORLD)
        _seed(wh)
        _sync(wh)
        wh.sandbox.advance(8 * 3600)
        _sync(wh)
        run_dbt(["build"], wh.url)
        assert wh.query("select count(*) as n from marts.posts")[0]["n"] > 100
        assert wh.query("select * from marts.viral_candidates") == []
    finally:
        _drop_database(wh.url)


def test_build_works_before_any_platform_is_loaded():
    """No raw_* schema exists yet (no connected accounts synced): staging selects typed empty
    relations and every model and test still builds."""
    url = _create_database()
    try:
        result = run_dbt(["build"], url)
        assert result.success
        wh = Warehouse(url, None)  # type: ignore[arg-type]
        assert wh.query("select count(*) as n from marts.posts")[0]["n"] == 0
        assert wh.query("select count(*) as n from marts.post_metrics_daily")[0]["n"] == 0
    finally:
        _drop_database(url)
