"""Query contexts for the bundle's charts: what Superset's frontend would send for a chart.

A chart imported without one answers 400 on /api/v1/chart/{id}/data, so deploy.py builds one
from each chart's params. Imported by deploy.py, which runs as a script in Superset's venv.
"""

from __future__ import annotations

import json
from typing import Any


def simple_filters(params: dict[str, Any]) -> list[dict[str, Any]]:
    """The chart's SIMPLE WHERE filters as query filters ({col, op, val})."""
    out = []
    for f in params.get("adhoc_filters", []):
        if f.get("expressionType") != "SIMPLE" or f.get("clause") != "WHERE":
            continue
        clause = {"col": f["subject"], "op": f["operator"]}
        if f.get("comparator") is not None:
            clause["val"] = f["comparator"]
        out.append(clause)
    return out


def _x_axis(params: dict[str, Any]) -> dict[str, Any]:
    """The x axis as the frontend sends it: a base-axis column, with the chart's time grain."""
    column = {"columnType": "BASE_AXIS", "sqlExpression": params["x_axis"],
              "label": params["x_axis"], "expressionType": "SQL"}
    if params.get("time_grain_sqla"):
        column["timeGrain"] = params["time_grain_sqla"]
    return column


def query_context(params: dict[str, Any], dataset_id: int) -> dict[str, Any]:
    """The query the frontend would send for these params (enough for /chart/{id}/data).
    Metrics are names of the dataset's saved metrics, which a query may give as strings."""
    viz = params["viz_type"]
    where = " AND ".join(
        f"({f['sqlExpression']})" for f in params.get("adhoc_filters", [])
        if f.get("expressionType") == "SQL" and f.get("clause") == "WHERE"
    )
    query: dict[str, Any] = {
        "filters": simple_filters(params), "extras": {"having": "", "where": where},
        "applied_time_extras": {},
        "time_range": params.get("time_range", "No filter"),
        "row_limit": params.get("row_limit", 10000), "annotation_layers": [],
        "url_params": {}, "custom_params": {}, "custom_form_data": {}, "order_desc": True,
    }
    if viz.startswith("echarts_timeseries"):
        groupby = params.get("groupby", [])
        # the x axis may be a category (a competitive set): a time grain only on a time axis
        query["columns"] = [_x_axis(params), *groupby]
        query["series_columns"] = groupby
        query["metrics"] = params["metrics"]
        query["orderby"] = [[params["metrics"][0], False]]
        if params.get("limit"):
            query["series_limit"] = params["limit"]
            query["series_limit_metric"] = params.get("timeseries_limit_metric")
    elif viz == "table" and params.get("query_mode") == "raw":
        query["columns"] = params["all_columns"]
        query["metrics"] = []
        query["orderby"] = [json.loads(o) for o in params.get("order_by_cols", [])]
    elif viz == "table":
        query["columns"] = params["groupby"]
        query["metrics"] = params["metrics"]
        query["orderby"] = [[params["metrics"][0], False]]
    elif viz == "pie":
        query["columns"] = params["groupby"]
        query["metrics"] = [params["metric"]]
        query["orderby"] = [[params["metric"], False]]
    elif viz == "heatmap_v2":
        # one column per axis; the frontend ranks the cells after the query (colour scale)
        query["columns"] = [_x_axis(params), params["groupby"]]
        query["metrics"] = [params["metric"]]
        query["orderby"] = []
    elif viz == "big_number_total":
        query["columns"] = []
        query["metrics"] = [params["metric"]]
    else:
        raise ValueError(f"no query_context builder for viz_type {viz}")
    return {
        "datasource": {"id": dataset_id, "type": "table"}, "force": False,
        "queries": [query], "form_data": params, "result_format": "json", "result_type": "full",
    }
