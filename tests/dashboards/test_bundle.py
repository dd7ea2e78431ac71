"""Offline check of the Superset bundle in dashboards/ (no Superset needed)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dashboards"
MANIFEST = ROOT / "dbt_project" / "target" / "manifest.json"
CONTRACT = ROOT / "dbt_project" / "models" / "marts" / "_marts__models.yml"
MIGRATIONS = ROOT / "socialpulse" / "migrations"
DASHBOARDS = {"Overview", "Post performance", "Competitors", "Hashtags", "Sentiment", "Alerts"}
# the native filters offer names (workspace, platform, @handle), never ids
FILTER_COLUMNS = {"workspace_label", "platform_label", "account_label"}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# Superset's type names of the contract's data types
TYPES = {"text": "TEXT", "bigint": "BIGINT", "double precision": "DOUBLE PRECISION",
         "timestamp with time zone": "TIMESTAMP WITH TIME ZONE", "date": "DATE",
         "boolean": "BOOLEAN", "integer": "INTEGER", "text[]": "TEXT[]"}
# params that name metrics, as a list or one at a time
METRIC_LISTS = ("metrics",)
METRIC_ONES = ("metric", "timeseries_limit_metric", "series_limit_metric", "x", "y", "size")


def _load(kind: str) -> dict[Path, dict[str, Any]]:
    files = sorted((BUNDLE / kind).rglob("*.yaml"))
    assert files, f"no {kind} in the bundle"
    return {p: yaml.safe_load(p.read_text()) for p in files}


@pytest.fixture(scope="module")
def bundle() -> dict[str, dict[Path, dict[str, Any]]]:
    return {k: _load(k) for k in ("databases", "datasets", "charts", "dashboards")}


@pytest.fixture(scope="module")
def manifest_tables() -> set[tuple[str, str]]:
    if not MANIFEST.exists():
        from socialpulse.transform import run_dbt
        from socialpulse.warehouse import database_url

        # parsing needs no database: don't start the embedded server for it
        run_dbt(["parse"], database_url=database_url(start_embedded=False))
    nodes = json.loads(MANIFEST.read_text())["nodes"].values()
    return {(n["schema"], n["alias"] or n["name"]) for n in nodes
            if n["resource_type"] in ("model", "seed", "snapshot")}


def test_metadata_is_an_assets_bundle() -> None:
    meta = yaml.safe_load((BUNDLE / "metadata.yaml").read_text())
    assert meta["type"] == "assets" and meta["version"] == "1.0.0"


def test_every_yaml_parses_and_uuids_are_unique(bundle) -> None:
    seen: dict[str, Path] = {}
    for files in bundle.values():
        for path, doc in files.items():
            assert isinstance(doc, dict), path
            assert UUID.match(doc["uuid"]), path
            assert doc["uuid"] not in seen, f"{path} reuses the uuid of {seen.get(doc['uuid'])}"
            seen[doc["uuid"]] = path
            assert not re.search(r"_\d+\.yaml$", path.name), f"instance id in name: {path}"


def test_uuid_references_resolve(bundle) -> None:
    databases = {d["uuid"] for d in bundle["databases"].values()}
    datasets = {d["uuid"]: d for d in bundle["datasets"].values()}
    charts = {c["uuid"]: c for c in bundle["charts"].values()}
    for path, ds in bundle["datasets"].items():
        assert ds["database_uuid"] in databases, path
    for path, chart in bundle["charts"].items():
        assert chart["dataset_uuid"] in datasets, path
        assert chart["params"]["viz_type"] == chart["viz_type"], path
    used: set[str] = set()
    for path, dash in bundle["dashboards"].items():
        for node in dash["position"].values():
            if isinstance(node, dict) and node.get("type") == "CHART":
                assert node["meta"]["uuid"] in charts, (path, node["id"])
                used.add(node["meta"]["uuid"])
            if isinstance(node, dict):
                for child in node.get("children", []):
                    assert child in dash["position"], (path, child)
        for flt in dash["metadata"]["native_filter_configuration"]:
            for target in flt["targets"]:
                if "datasetUuid" in target:
                    assert target["datasetUuid"] in datasets, (path, flt["id"])
                    cols = {c["column_name"] for c in
                            next(d for d in datasets.values()
                                 if d["uuid"] == target["datasetUuid"])["columns"]}
                    assert target["column"]["name"] in cols, (path, flt["id"])
    assert used == set(charts), f"charts on no dashboard: {set(charts) - used}"


def test_six_dashboards_with_workspace_network_account_and_date_filters(bundle) -> None:
    titles = {d["dashboard_title"] for d in bundle["dashboards"].values()}
    assert titles == DASHBOARDS
    for path, dash in bundle["dashboards"].items():
        flts = dash["metadata"]["native_filter_configuration"]
        cols = {t["column"]["name"] for f in flts for t in f["targets"] if "column" in t}
        assert cols >= FILTER_COLUMNS, path
        assert any(f["filterType"] == "filter_time" for f in flts), path


def test_datasets_are_physical_tables_known_to_dbt(bundle, manifest_tables) -> None:
    migrations = " ".join(p.read_text() for p in MIGRATIONS.glob("*.sql"))
    for path, ds in bundle["datasets"].items():
        assert not ds.get("sql"), f"virtual dataset {path}: keep the logic in dbt"
        schema, table = ds["schema"], ds["table_name"]
        if schema == "app":  # application tables come from socialpulse/migrations
            assert f"create table app.{table} " in migrations, path
        else:
            assert (schema, table) in manifest_tables, f"{path}: {schema}.{table} not in dbt"


def test_chart_columns_exist_in_their_dataset(bundle) -> None:
    datasets = {d["uuid"]: {c["column_name"] for c in d["columns"]}
                for d in bundle["datasets"].values()}
    for path, chart in bundle["charts"].items():
        cols = datasets[chart["dataset_uuid"]]
        for col in _chart_columns(chart["params"]):
            assert col in cols, f"{path}: {col}"


def _chart_columns(params: dict[str, Any]) -> list[str]:
    """The columns a chart shows as axis, series or table column (groupby may be one name)."""
    groupby = params.get("groupby") or []
    groupby = [groupby] if isinstance(groupby, str) else groupby
    return [c for c in (params.get("x_axis"), *groupby, *params.get("all_columns", [])) if c]


def _chart_metrics(params: dict[str, Any]) -> list[Any]:
    named = [m for key in METRIC_LISTS for m in params.get(key) or []]
    return named + [params[key] for key in METRIC_ONES if params.get(key) is not None]


def test_no_chart_carries_inline_sql(bundle) -> None:
    """Metrics are the datasets' saved metrics, referenced by name, so one figure has one
    formula; filters are simple column filters."""
    for path, chart in bundle["charts"].items():
        p = chart["params"]
        for m in _chart_metrics(p):
            assert isinstance(m, str), f"{path}: inline metric {m}"
        assert "sqlExpression" not in json.dumps(p), f"{path}: inline SQL"
        for f in p.get("adhoc_filters", []):
            assert f["expressionType"] == "SIMPLE", path


def test_every_metric_a_chart_names_exists_on_its_dataset(bundle) -> None:
    metrics = {d["uuid"]: {m["metric_name"] for m in d["metrics"]}
               for d in bundle["datasets"].values()}
    for path, chart in bundle["charts"].items():
        named = _chart_metrics(chart["params"])
        if chart["params"].get("query_mode") != "raw":
            assert named, f"{path}: no metric"
        for m in named:
            assert m in metrics[chart["dataset_uuid"]], f"{path}: no metric {m} on its dataset"


def test_dataset_columns_follow_the_dbt_contract(bundle) -> None:
    """Every mart dataset lists exactly the mart's contract columns, with their types, so a
    renamed mart column cannot leave a stale dataset column behind; after them come the
    calculated label columns (an expression, a name of their own)."""
    models = {m["name"]: m for m in yaml.safe_load(CONTRACT.read_text())["models"]}
    for path, ds in bundle["datasets"].items():
        assert ds["schema"] == "marts", f"{path}: datasets read the marts"
        contract = [(c["name"], TYPES[c["data_type"]]) for c in models[ds["table_name"]]["columns"]]
        physical = [(c["column_name"], c["type"]) for c in ds["columns"] if not c["expression"]]
        assert physical == contract, path
        calculated = [c for c in ds["columns"] if c["expression"]]
        assert ds["columns"][len(physical):] == calculated, f"{path}: calculated columns last"
        for c in calculated:
            assert c["column_name"].endswith("_label") and c["verbose_name"], (path, c)
        names = {c["column_name"] for c in ds["columns"]}
        assert ds["main_dttm_col"] in names | {None}, path


def test_ratio_metrics_are_ratios_of_sums(bundle) -> None:
    """A rate over several rows divides two sums; an average of a ratio column would weigh a
    thin day like a busy one (DECISIONS.md: ratios over periods are ratio-of-sums)."""
    ratios = {"engagement_rate_by_followers", "share_of_voice", "posting_frequency",
              "public_engagement_per_post", "negative_share", "engagement_rate"}
    for path, ds in bundle["datasets"].items():
        for m in ds["metrics"]:
            expression = m["expression"].upper()
            if m["metric_name"] in ratios:
                assert expression.startswith("SUM(") and "/ NULLIF(SUM(" in expression, (
                    path, m["metric_name"])
            # the one average: gaps to the competitor average, one row per account and period
            for column in re.findall(r"AVG\(\s*(\w+)\s*\)", expression):
                assert column.endswith("_VS_COMPETITOR_AVG"), (path, m["metric_name"])


def test_no_password_or_host_in_any_file() -> None:
    secret = re.compile(r"(password|passwd|secret)\s*[:=]\s*\S+", re.I)
    uri = re.compile(r"[a-z+]+://[^\s'\"]*@|[a-z+]+://(?!\$\{)[^\s'\"/]+", re.I)
    host = re.compile(r"\b(127\.0\.0\.1|localhost|\d{1,3}(\.\d{1,3}){3})\b")
    for path in sorted(BUNDLE.rglob("*.yaml")):
        text = path.read_text()
        assert not secret.search(text), path
        assert not uri.search(text), path
        assert not host.search(text), path
    db = yaml.safe_load((BUNDLE / "databases" / "socialpulse.yaml").read_text())
    assert db["sqlalchemy_uri"] == "${DATABASE_URL}"


def test_deploy_fills_the_uri_and_masks_the_password() -> None:
    import io
    import sys
    import zipfile

    sys.path.insert(0, str(BUNDLE))
    try:
        import deploy
    finally:
        sys.path.remove(str(BUNDLE))
    masked, pw = deploy.split_password("postgresql://u:s3cret@db.example:5432/sp")
    assert (masked, pw) == ("postgresql+psycopg2://u:XXXXXXXXXX@db.example:5432/sp", "s3cret")
    with zipfile.ZipFile(io.BytesIO(deploy.bundle_zip(masked))) as zf:
        names = zf.namelist()
        db = yaml.safe_load(zf.read(f"{deploy.ROOT}/databases/socialpulse.yaml"))
    assert db["sqlalchemy_uri"] == masked and "s3cret" not in str(db)
    assert f"{deploy.ROOT}/metadata.yaml" in names
    for path in (BUNDLE / "charts").rglob("*.yaml"):
        chart = yaml.safe_load(path.read_text())
        qc = deploy.query_context(chart["params"], 1)
        query = qc["queries"][0]
        assert query["metrics"] is not None, path
        # every simple filter of the chart reaches the query
        assert len(query["filters"]) == len(chart["params"]["adhoc_filters"]), path
    share = yaml.safe_load((BUNDLE / "charts" / "Competitors" / "Share_of_voice.yaml").read_text())
    query = deploy.query_context(share["params"], 1)["queries"][0]
    assert query["metrics"] == ["share_of_voice"]
    assert query["filters"][0] == {"col": "period_grain", "op": "==", "val": "day"}
    # a category axis (the competitive set) carries no time grain
    assert "timeGrain" not in query["columns"][0]
    best = yaml.safe_load(
        (BUNDLE / "charts" / "Post_performance" / "Best_time_to_post.yaml").read_text())
    query = deploy.query_context(best["params"], 1)["queries"][0]
    assert [query["columns"][0]["sqlExpression"], query["columns"][1]] == [
        "hour_utc", "weekday_label"]


def test_competitor_gap_charts_leave_out_rows_without_a_competitor_average(bundle) -> None:
    """A set whose competitors are all not_available (Facebook, LinkedIn) has no competitor
    average: its gap rows are null. Superset keeps an all-null series (show_empty_columns is on
    by default), so such accounts still got a series; the chart asks only for rows with a gap."""
    metrics = {d["uuid"]: {m["metric_name"]: m["expression"] for m in d["metrics"]}
               for d in bundle["datasets"].values()}
    seen = 0
    for path, chart in bundle["charts"].items():
        for metric in _chart_metrics(chart["params"]):
            gaps = re.findall(r"\w+_vs_competitor_avg", metrics[chart["dataset_uuid"]][metric])
            for column in gaps:
                seen += 1
                filters = {(f["subject"], f["operator"]) for f in chart["params"]["adhoc_filters"]}
                assert (column, "IS NOT NULL") in filters, (path, column)
    assert seen, "no chart shows a gap to the competitor average"
