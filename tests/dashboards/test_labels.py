"""What the charts show: names instead of ids and booleans, rates as percentages, share of voice
per competitive set. The label columns' SQL runs on a real Postgres against marts built from the
dbt contract, and its output is compared with names computed here."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml

from socialpulse.platforms import PLATFORMS, display_name

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dashboards"
CONTRACT = ROOT / "dbt_project" / "models" / "marts" / "_marts__models.yml"
RATE = re.compile(r"(^|_)(rate|share)(_|$)")
# where each kind of chart keeps the format of its values
VALUE_FORMAT = {"pie": "number_format", "big_number_total": "y_axis_format"}


def _docs(kind: str) -> list[tuple[Path, dict[str, Any]]]:
    return [(p, yaml.safe_load(p.read_text())) for p in sorted((BUNDLE / kind).rglob("*.yaml"))]


DATASETS = {d["uuid"]: d for _, d in _docs("datasets")}
CHARTS = _docs("charts")


def _shown_columns(params: dict[str, Any]) -> list[str]:
    groupby = params.get("groupby") or []
    groupby = [groupby] if isinstance(groupby, str) else groupby
    return [c for c in (params.get("x_axis"), *groupby, *params.get("all_columns", [])) if c]


def _metrics(params: dict[str, Any]) -> list[str]:
    return [*params.get("metrics", []), *([params["metric"]] if params.get("metric") else [])]


@pytest.mark.parametrize(("path", "chart"), CHARTS, ids=[p.stem for p, _ in CHARTS])
def test_no_chart_shows_a_boolean_an_id_or_a_raw_key(path, chart) -> None:
    """Own / Competitor instead of true / false, names instead of ids, X instead of twitter."""
    columns = {c["column_name"]: c for c in DATASETS[chart["dataset_uuid"]]["columns"]}
    for name in _shown_columns(chart["params"]):
        assert columns[name]["type"] != "BOOLEAN", f"{path.name} shows the boolean {name}"
        assert not name.endswith("_id"), f"{path.name} shows the id {name}"
        assert f"{name}_label" not in columns, f"{path.name} shows {name}, not {name}_label"


def test_every_rate_metric_and_column_is_a_percentage() -> None:
    for ds in DATASETS.values():
        for m in ds["metrics"]:
            if RATE.search(m["metric_name"]):
                assert (m["d3format"] or "").endswith("%"), (ds["table_name"], m["metric_name"])
    for path, chart in CHARTS:
        p = chart["params"]
        if p["viz_type"] == "table":  # aggregates take the metric's format; raw columns their own
            for name in p.get("all_columns", []):
                if RATE.search(name):
                    fmt = p.get("column_config", {}).get(name, {}).get("d3NumberFormat", "")
                    assert fmt.endswith("%"), (path.name, name)
        elif any(RATE.search(m) for m in _metrics(p)):
            fmt = p.get(VALUE_FORMAT.get(p["viz_type"], "y_axis_format"), "")
            assert fmt.endswith("%"), f"{path.name}: rates shown as {fmt!r}"


def _chart(slice_prefix: str) -> dict[str, Any]:
    found = [c for _, c in CHARTS if c["slice_name"].startswith(slice_prefix)]
    assert len(found) == 1, slice_prefix
    return found[0]


def test_share_of_voice_is_a_100_percent_bar_per_competitive_set() -> None:
    p = _chart("Share of voice")["params"]
    assert (p["x_axis"], p["groupby"], p["metrics"], p["stack"]) == (
        "competitive_set_label", ["account_label"], ["share_of_voice"], "Stack")
    filters = {(f["subject"], f["operator"], f["comparator"]) for f in p["adhoc_filters"]}
    # unreadable competitors and sets of one have no share: they are left out, not shown as 0
    assert {("benchmark_status", "==", "comparable"), ("comparable_members", ">=", 2)} <= filters


def test_follower_history_and_best_time_heatmap() -> None:
    followers = _chart("Followers over time")
    assert DATASETS[followers["dataset_uuid"]]["table_name"] == "account_metrics_daily"
    assert followers["params"]["x_axis"] == "metric_date"
    best = _chart("Best time to post")["params"]
    assert (best["viz_type"], best["x_axis"], best["groupby"]) == (
        "heatmap_v2", "hour_utc", "weekday_label")


# --- the label columns' SQL on a real Postgres ------------------------------------------------

ACCOUNTS = [  # account_id, platform, handle, is_competitor
    (1, "twitter", "acme", False), (2, "linkedin", "acme_corp", False),
    (3, "instagram", "rival", True), (4, "facebook", "rival_page", True),
]
WORKSPACE = (7, "Acme Foods")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@functools.cache
def _contract() -> dict[str, list[tuple[str, str]]]:
    models = yaml.safe_load(CONTRACT.read_text())["models"]
    return {m["name"]: [(c["name"], c["data_type"]) for c in m["columns"]] for m in models}


def _row(table: str, account: tuple[int, str, str, bool], weekday: int) -> dict[str, Any]:
    account_id, platform, handle, is_competitor = account
    values = {"account_id": account_id, "workspace_id": WORKSPACE[0],
              "workspace_name": WORKSPACE[1], "platform": platform, "handle": handle,
              "is_competitor": is_competitor, "post_id": f"{platform}:{account_id}",
              "text": "Launch day \U0001f680  so\nmuch news", "weekday": weekday,
              "created_at": "2026-11-03T10:00:00Z", "content_type": "post",
              "sample_level": "weekday", "benchmark_status": "comparable",
              "comparable_members": 2, "kind": "viral_post", "rule": "found_at_connection",
              "status": "sent"}
    return {name: values.get(name) for name, _ in _contract()[table]}


@pytest.fixture
def marts(db_url: str) -> Any:
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("create schema marts")
        for table, columns in _contract().items():
            conn.execute(f"create table marts.{table} ("
                         + ", ".join(f"{n} {t}" for n, t in columns) + ")")
            for i, account in enumerate(ACCOUNTS):
                row = _row(table, account, weekday=7 - i)
                conn.execute(f"insert into marts.{table} ({', '.join(row)}) values "
                             f"({', '.join(['%s'] * len(row))})", list(row.values()))
        yield conn


def _expected(column: str, row: dict[str, Any]) -> Any:
    platform = display_name(row["platform"])
    return {
        "platform_label": platform, "workspace_label": WORKSPACE[1],
        "account_label": f"@{row['handle']} · {platform}",
        "competitor_label": "Competitor" if row["is_competitor"] else "Own",
        "competitive_set_label": f"{WORKSPACE[1]} · {platform}",
        "post_label": f"@{row['handle']} · {platform} · Nov 03: Launch day \U0001f680 so much news",
        "content_type_label": "Posts", "benchmark_status_label": "Comparable",
        "sample_level_label": "Same weekday, any hour", "kind_label": "Viral post",
        "rule_label": "Found at connection", "status_label": "Sent",
        "weekday_label": f"{row['weekday']} {WEEKDAYS[row['weekday'] - 1]}",
    }[column]


def test_label_columns_name_what_they_label(marts) -> None:
    assert set(PLATFORMS) >= {a[1] for a in ACCOUNTS}
    for ds in DATASETS.values():
        table = ds["table_name"]
        labels = [c for c in ds["columns"] if c["expression"]]
        if "platform" in dict(_contract()[table]):
            assert "platform_label" in {c["column_name"] for c in labels}, table
        for c in labels:
            got = marts.execute(f"select {c['expression']} from marts.{table} order by ctid")
            for i, ((value,), (_, platform, handle, is_competitor)) in enumerate(
                    zip(got.fetchall(), ACCOUNTS, strict=True)):
                row = {"platform": platform, "handle": handle, "is_competitor": is_competitor,
                       "weekday": 7 - i}
                assert value == _expected(c["column_name"], row), (table, c["column_name"])
