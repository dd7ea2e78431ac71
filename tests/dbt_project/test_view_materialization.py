"""Views are left in place while their definition is unchanged (macros/view_materialization.sql):
a build that would write the same definitions again keeps every view's relation, and a view
that is missing, stale or full-refreshed is created again."""

from __future__ import annotations

import psycopg
import pytest

from tests.conftest import Sandbox
from tests.warehouse import Warehouse, warehouse

SMALL_WORLD = {"workspaces_per_agency": 1, "posts_per_account": 4}
STAGING = ("run", "--select", "staging")


def _views(wh: Warehouse) -> dict[str, tuple[int, str | None]]:
    """Staging views: name -> (relation oid, comment)."""
    rows = wh.query("select c.relname, c.oid::bigint as oid, "
                    "obj_description(c.oid, 'pg_class') as comment "
                    "from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                    "where n.nspname = 'staging' and c.relkind = 'v'")
    return {r["relname"]: (r["oid"], r["comment"]) for r in rows}


@pytest.fixture
def staged(sandbox_server: str):
    with warehouse(Sandbox(sandbox_server), "sp_test_views") as wh:
        wh.connect_world(SMALL_WORLD)
        wh.sync()
        wh.build(*STAGING)
        yield wh


def test_an_unchanged_view_is_left_in_place(staged: Warehouse):
    first = _views(staged)
    assert len(first) >= 25
    assert all(comment and comment.startswith("socialpulse view ")
               for _, comment in first.values())
    staged.build(*STAGING)
    assert _views(staged) == first
    # the views still read the raw rows of the sync
    assert staged.scalar("select count(*) from staging.stg_twitter__tweets") == staged.scalar(
        "select count(*) from raw_twitter.tweets")


def test_a_missing_or_stale_view_is_created_again(staged: Warehouse):
    first = _views(staged)
    with psycopg.connect(staged.url) as conn:
        conn.execute("drop view staging.stg_twitter__tweets")
        conn.execute("comment on view staging.stg_linkedin__posts is 'an older definition'")
    staged.build(*STAGING)
    after = _views(staged)
    assert after["stg_twitter__tweets"][1] == first["stg_twitter__tweets"][1]
    assert after["stg_linkedin__posts"][0] != first["stg_linkedin__posts"][0]
    assert after["stg_linkedin__posts"][1] == first["stg_linkedin__posts"][1]
    unchanged = set(first) - {"stg_twitter__tweets", "stg_linkedin__posts"}
    assert {v: after[v] for v in unchanged} == {v: first[v] for v in unchanged}


def test_a_full_refresh_creates_every_view_again(staged: Warehouse):
    first = _views(staged)
    staged.build(*STAGING, "--full-refresh")
    after = _views(staged)
    assert set(after) == set(first)
    assert all(after[v][0] != first[v][0] for v in first)
    assert all(after[v][1] == first[v][1] for v in first)
