"""Incremental builds equal a full rebuild: after several 15-minute-style cycles (sync, then
``dbt build``, with the clock moved on between them, once past the lookback), a copy of the
warehouse rebuilt with ``--full-refresh`` from the same raw rows holds exactly the same rows in
every table dbt materialises (marts and intermediate tables), so keeping a model incremental or
scanning only the hot window never changes a figure. The last build follows an account moved
to another workspace and another purged, which rewrite older days of workspace-level marts.
"""

from __future__ import annotations

import json
from collections import Counter

import psycopg
import pytest
from psycopg.rows import dict_row

from dagster_project.defs.transformation.assets import TESTS_ON_WINDOW
from socialpulse.transform import DbtRunError, temporary_environment
from tests.conftest import Sandbox
from tests.dbt_project.conftest import VIRAL_WORLD
from tests.warehouse import ADMIN_URL, Warehouse, drop_database, warehouse

# hours the clock moves before each later cycle: same day, next day, then past lookback_days
CYCLE_HOURS = (0.25, 6, 30, 100)
WINDOWED = {TESTS_ON_WINDOW: "true"}
# posts older than 3 days are re-read weekly, so the last cycle leaves most of them unread and
# an incremental build has posts to keep as they were
POLLS = {f"SOURCES__{source}__POLL_SCHEDULE": "6h:0s,2d:1h,3d:7d"
         for source in ("TWITTER", "META", "LINKEDIN")}
# the test's builds are seconds apart: no margin, or every row would count as just written
NO_MARGIN = ("build", "--vars", "{recompute_margin_minutes: 0}")
# columns that say when or by which run a row was written, not what it holds
RUN_COLUMNS = {"dbt_invocation_id", "processed_at"}


def _tables(wh: Warehouse) -> list[str]:
    rows = wh.query("select schemaname || '.' || tablename as name from pg_tables"
                    " where schemaname in ('marts', 'intermediate') order by 1")
    return [r["name"] for r in rows]


def _normalised(value: object) -> object:
    # a float summed in another order may differ in its last bits; arrays (hashtags) and JSON
    # become hashable
    if isinstance(value, float):
        return float(f"{value:.9g}")
    if isinstance(value, list):
        return tuple(_normalised(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def _rows(url: str, table: str) -> Counter:
    with psycopg.connect(url) as conn:
        cursor = conn.execute(f"select * from {table}")
        names = [c.name for c in cursor.description or []]
        keep = [i for i, name in enumerate(names) if name not in RUN_COLUMNS]
        return Counter(tuple(_normalised(row[i]) for i in keep) for row in cursor.fetchall())


def _copy(url: str, suffix: str = "full") -> str:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute("select pg_terminate_backend(pid) from pg_stat_activity"
                     " where datname = %s and pid <> pg_backend_pid()", (name,))
        conn.execute(f'create database "{name}_{suffix}" template "{name}"')
    return f"{url}_{suffix}"


def _best_time_state(wh: Warehouse) -> dict:
    # the day best_time_to_post was computed for, the data's day, and its slots' post count
    return wh.query(
        "select max(as_of_date) as as_of_date, sum(posts) as posts,"
        " (select (max(metrics_observed_at) at time zone 'UTC')::date from marts.posts)"
        " as data_date, (select sum(engagement) from marts.posts) as engagement"
        " from marts.best_time_to_post")[0]


def _posts_recomputed(wh: Warehouse) -> dict:
    # marts.posts rows the last build wrote, of all its rows
    return wh.query("select count(*) filter (where processed_at = (select max(processed_at)"
                    " from marts.posts)) as recomputed, count(*) as posts from marts.posts")[0]


def _score_posts(wh: Warehouse) -> None:
    from dagster_project.defs.enrichment.assets import score_new
    from socialpulse.sentiment.tiers import TieredScorer

    with temporary_environment({"SENTIMENT_TIER": "fast"}), \
            psycopg.connect(wh.url, row_factory=dict_row) as conn:
        assert score_new(conn, "post", TieredScorer.from_settings())["rows_scored"] > 0


def _move_an_account(wh: Warehouse) -> tuple[int, int]:
    account = wh.query(
        "select a.account_id, a.workspace_id from app.connected_accounts as a"
        " where not a.is_competitor and exists (select 1 from marts.posts as p"
        " where p.account_id = a.account_id and cardinality(p.hashtags) > 0)"
        " order by a.account_id limit 1")[0]
    target = wh.scalar("select min(workspace_id) from app.workspaces where workspace_id <> %s",
                       account["workspace_id"])
    wh.query("update app.connected_accounts set workspace_id = %s where account_id = %s"
             " returning 1", (target, account["account_id"]))
    return int(account["account_id"]), int(target)  # type: ignore[call-overload]


def _purge_an_account(wh: Warehouse, spare: int) -> str:
    from socialpulse.oauth.connect import disconnect_account

    account = wh.query(
        "select account_id, platform_account_id from app.connected_accounts"
        " where not is_competitor and account_id <> %s and exists (select 1 from marts.posts"
        " as p where p.account_id = connected_accounts.account_id) and not exists (select 1"
        " from app.connected_accounts as o where o.platform = connected_accounts.platform and"
        " o.platform_account_id = connected_accounts.platform_account_id"
        " and o.account_id <> connected_accounts.account_id) order by account_id limit 1",
        (spare,))[0]
    with psycopg.connect(wh.url, row_factory=dict_row) as conn:
        disconnect_account(conn, account["account_id"], purge=True)
    return str(account["platform_account_id"])


@pytest.fixture(scope="module")
def cycled(sandbox_server: str):
    """The viral world after a first build and incremental cycles, beside a full rebuild;
    ``wh.best_time`` holds best_time_to_post's state after each build, ``wh.recomputed`` how
    many marts.posts rows each build wrote."""
    with warehouse(Sandbox(sandbox_server), "sp_test_incr") as wh, temporary_environment(POLLS):
        wh.connect_world(VIRAL_WORLD)
        wh.sync()
        wh.build(*NO_MARGIN)
        best_time, recomputed = [_best_time_state(wh)], [_posts_recomputed(wh)]
        for cycle, hours in enumerate(CYCLE_HOURS):
            wh.sandbox.advance(hours * 3600)
            wh.sync()
            if cycle == 1:
                # posts scored after their first build: their rows must take the scores
                _score_posts(wh)
            wh.build(*NO_MARGIN)
            best_time.append(_best_time_state(wh))
            recomputed.append(_posts_recomputed(wh))
        wh.best_time = best_time  # type: ignore[attr-defined]
        wh.recomputed = recomputed  # type: ignore[attr-defined]
        # an account with tagged posts moves to another workspace, on the same data day: both
        # workspaces' older hashtag days and the day's best times must follow it
        wh.moved = _move_an_account(wh)  # type: ignore[attr-defined]
        # and another is disconnected with its data purged: no table may keep its rows
        wh.purged = _purge_an_account(wh, wh.moved[0])  # type: ignore[attr-defined]
        wh.build(*NO_MARGIN)
        full = _copy(wh.url)
        try:
            Warehouse(full, wh.sandbox).build("build", "--full-refresh")
            yield wh, full
        finally:
            drop_database(full)


def test_every_table_equals_a_full_rebuild(cycled) -> None:
    wh, full = cycled
    tables = _tables(wh)
    assert "marts.viral_candidates" in tables and "marts.post_metrics_daily" in tables
    differences = {}
    for table in tables:
        incremental, rebuilt = _rows(wh.url, table), _rows(full, table)
        extra, missing = incremental - rebuilt, rebuilt - incremental
        if extra or missing:
            differences[table] = (sum(extra.values()), sum(missing.values()),
                                  list(extra)[:2], list(missing)[:2])
    assert not differences, differences
    # the comparison saw real data: posts and their daily rows, viral candidates among them
    assert sum(_rows(wh.url, "marts.posts").values()) > 100
    assert sum(_rows(wh.url, "marts.viral_candidates").values()) > 0


def test_cycle_tests_read_the_recent_window_and_full_tests_every_row(cycled) -> None:
    """The cycle's dbt tests (SOCIALPULSE_DBT_TESTS_ON_WINDOW=true) miss a bad row older than
    the window and catch one inside it; the nightly build's tests (unset) catch both."""
    wh, _ = cycled
    copy = Warehouse(_copy(wh.url, "window"), wh.sandbox)
    test = ("test", "-s", "post_metrics_daily")
    try:
        latest = copy.scalar("select max(metric_date) from marts.post_metrics_daily")
        old = copy.scalar("select max(metric_date) from marts.post_metrics_daily"
                          " where metric_date < %s::date - 3", latest)
        assert old is not None, "the cycles span more than the lookback window"
        # a null observed_at (a not_null test) on one row of a day before the window
        copy.query("update marts.post_metrics_daily set observed_at = null where ctid ="
                   " (select ctid from marts.post_metrics_daily where metric_date = %s limit 1)"
                   " returning 1", (old,))
        with temporary_environment(WINDOWED):
            copy.build(*test)
        with pytest.raises(DbtRunError, match="not_null_post_metrics_daily_observed_at"):
            copy.build(*test)
        # and one on the newest day
        copy.query("update marts.post_metrics_daily set observed_at = null where ctid ="
                   " (select ctid from marts.post_metrics_daily where metric_date = %s limit 1)"
                   " returning 1", (latest,))
        with pytest.raises(DbtRunError, match="not_null_post_metrics_daily_observed_at"), \
                temporary_environment(WINDOWED):
            copy.build(*test)
    finally:
        drop_database(copy.url)


def test_best_time_is_computed_once_per_data_day(cycled) -> None:
    """A cycle on the same data day leaves best_time_to_post as it was (though the posts'
    figures moved); the first build of a later day computes it again, for that day."""
    wh, _ = cycled
    same_day = later_day = 0
    for before, after in zip(wh.best_time, wh.best_time[1:], strict=False):
        assert after["engagement"] != before["engagement"], "the posts' figures moved"
        if after["data_date"] == before["data_date"]:
            same_day += 1
            assert (after["as_of_date"], after["posts"]) == (before["as_of_date"], before["posts"])
        else:
            later_day += 1
            assert after["as_of_date"] == after["data_date"] > before["as_of_date"]
    assert same_day and later_day, (same_day, later_day)


def test_a_moved_account_takes_its_best_times_along_at_once(cycled) -> None:
    wh, _ = cycled
    account_id, workspace_id = wh.moved
    rows = wh.query("select distinct workspace_id from marts.best_time_to_post"
                    " where account_id = %s", (account_id,))
    assert [r["workspace_id"] for r in rows] == [workspace_id]


def test_a_purged_account_leaves_no_row_in_any_table(cycled) -> None:
    wh, _ = cycled
    left = {}
    for table in _tables(wh):
        schema, name = table.split(".")
        columns = {r["column_name"] for r in wh.query(
            "select column_name from information_schema.columns"
            " where table_schema = %s and table_name = %s", (schema, name))}
        if "platform_account_id" in columns:
            n = wh.scalar(f"select count(*) from {table} where platform_account_id = %s",
                          wh.purged)
            if n:
                left[table] = n
    assert not left, left


def test_a_cycle_recomputes_only_the_posts_whose_inputs_changed(cycled) -> None:
    """A first build writes every marts.posts row; a later one only those whose raw row,
    metrics, sentiment or account changed (the whole-table equality above shows that the
    others were right to be kept), and the posts scored after their first build took their
    scores."""
    wh, _ = cycled
    first, *cycles = wh.recomputed
    assert first["recomputed"] == first["posts"] > 100
    assert cycles[-1]["recomputed"] < cycles[-1]["posts"] / 2, wh.recomputed
    assert wh.scalar("select count(*) from marts.posts where sentiment_label is not null") > 100
