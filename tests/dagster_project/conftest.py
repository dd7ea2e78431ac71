"""Module-scoped world for the Dagster tests: one database, one small sandbox world, seeded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import Sandbox
from tests.warehouse import Warehouse, warehouse

# small but complete: two workspaces (so one can lose an account while the other loads),
# every platform, a few competitors
SMALL_WORLD = {"workspaces_per_agency": 2, "competitors_per_workspace": 1,
               "posts_per_account": 8, "history_days": 5.0, "comments_per_post": 2.0}


@pytest.fixture(scope="module")
def dagster_world(sandbox_server: str) -> Iterator[Warehouse]:
    """A fresh migrated database with app.* seeded from a small sandbox world."""
    with warehouse(Sandbox(sandbox_server), "sp_dagster") as wh:
        wh.connect_world(SMALL_WORLD)
        yield wh
