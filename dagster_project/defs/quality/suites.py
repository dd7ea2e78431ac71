"""great-expectations suites over warehouse tables, built from each table's columns.

great_expectations takes 4-5 s to import: it is imported only when a check runs.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from socialpulse.sentiment.labels import ALL_LABELS
from socialpulse.warehouse import connect

NUMERIC = {"smallint", "integer", "bigint", "numeric", "real", "double precision"}
# the sandbox's clock may run ahead of the wall clock (accelerated demos); beyond this the
# timeliness check warns
FUTURE_TOLERANCE_ENV = "SOCIALPULSE_DQ_FUTURE_TOLERANCE_HOURS"


@dataclass(frozen=True)
class TableSuite:
    """What to expect of one table: its key, which kind of rows it holds and, where a contract
    says so, its metric columns (otherwise the table's numeric columns are)."""

    schema: str
    table: str
    key: tuple[str, ...]
    kind: str  # raw_posts | raw_snapshots | mart_posts
    metrics: tuple[str, ...] | None = None


@dataclass
class Validation:
    """Outcome of one suite on one table."""

    passed: bool
    exists: bool
    failures: list[dict[str, Any]]
    evaluated: int


def columns(url: str, schema: str, table: str) -> dict[str, str]:
    """column -> data type of a table ({} when it does not exist)."""
    with connect(url) as conn:
        rows = conn.execute("select column_name, data_type from information_schema.columns "
                            "where table_schema = %s and table_name = %s "
                            "order by ordinal_position", (schema, table)).fetchall()
    return {r["column_name"]: r["data_type"] for r in rows}


# signed by nature: sentiment compound in [-1, 1], deltas and follower gains
SIGNED = ("compound", "delta", "growth", "gain", "score")


def _metric_columns(suite: TableSuite, cols: dict[str, str]) -> list[str]:
    named = [c for c in suite.metrics if c in cols] if suite.metrics is not None else [
        c for c, t in cols.items() if t in NUMERIC and not c.startswith("_dlt")
        and not c.endswith("_id")]
    return [c for c in named if not any(part in c for part in SIGNED)]


def integrity_expectations(suite: TableSuite, cols: dict[str, str]) -> list[Any]:
    """Keys present and unique, metrics non-negative, nothing created after it was seen."""
    import great_expectations.expectations as gxe

    key = [c for c in suite.key if c in cols]
    out: list[Any] = [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in key]
    if len(key) == 1:
        out.append(gxe.ExpectColumnValuesToBeUnique(column=key[0]))
    elif key:
        out.append(gxe.ExpectCompoundColumnsToBeUnique(column_list=key))
    if suite.kind in ("raw_snapshots", "mart_posts"):
        out += [gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0)
                for c in _metric_columns(suite, cols)]
    if suite.kind == "raw_posts" and {"created_at", "last_observed_at"} <= set(cols):
        out.append(gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="last_observed_at", column_B="created_at", or_equal=True,
            ignore_row_if="either_value_is_missing"))
    if suite.kind == "mart_posts":
        if "created_at" in cols:
            out.append(gxe.ExpectColumnValuesToNotBeNull(column="created_at"))
        if "sentiment_label" in cols:
            out.append(gxe.ExpectColumnValuesToBeInSet(column="sentiment_label",
                                                       value_set=list(ALL_LABELS)))
    return out


def timeliness_expectations(cols: dict[str, str]) -> list[Any]:
    """observed_at not in the future (beyond the tolerated clock skew)."""
    import great_expectations.expectations as gxe

    if "observed_at" not in cols:
        return []
    hours = float(os.environ.get(FUTURE_TOLERANCE_ENV, "24"))
    latest = datetime.now(UTC) + timedelta(hours=hours)
    return [gxe.ExpectColumnValuesToBeBetween(column="observed_at", max_value=latest)]


def sqlalchemy_url(url: str) -> str:
    """The psycopg2 SQLAlchemy URL GE needs (it insists on a user name, libpq's default)."""
    parts = urlsplit(url)
    netloc = parts.netloc if "@" in parts.netloc else f"{getpass.getuser()}@{parts.netloc}"
    return urlunsplit(("postgresql+psycopg2", netloc, parts.path, parts.query, ""))


_contexts: dict[str, Any] = {}


def _batch(url: str, schema: str, table: str) -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    if url not in _contexts:
        ctx = gx.get_context(mode="ephemeral")
        ctx.variables.progress_bars = ProgressBarsConfig(globally=False,
                                                         metric_calculations=False)
        ctx.data_sources.add_postgres("warehouse", connection_string=sqlalchemy_url(url))
        _contexts[url] = ctx
    source = _contexts[url].data_sources.get("warehouse")
    name = f"{schema}.{table}"
    try:
        asset = source.get_asset(name)
    except LookupError:
        asset = source.add_table_asset(name, table_name=table, schema_name=schema)
        asset.add_batch_definition_whole_table("all")
    return asset.get_batch_definition("all").get_batch()


def validate(url: str, suite: TableSuite, which: str = "integrity") -> Validation:
    """Run the ``integrity`` or ``timeliness`` expectations on a table."""
    import great_expectations as gx

    cols = columns(url, suite.schema, suite.table)
    if not cols:
        return Validation(True, False, [], 0)
    expectations = (integrity_expectations(suite, cols) if which == "integrity"
                    else timeliness_expectations(cols))
    if not expectations:
        return Validation(True, True, [], 0)
    batch = _batch(url, suite.schema, suite.table)  # creates the context suites need
    gx_suite = gx.ExpectationSuite(name=f"{suite.schema}.{suite.table}.{which}")
    for e in expectations:
        gx_suite.add_expectation(e)
    result = batch.validate(gx_suite)
    failures = [{
        "expectation": r.expectation_config.type,
        "kwargs": {k: str(v) for k, v in r.expectation_config.kwargs.items()
                   if k not in ("batch_id",)},
        "unexpected_count": r.result.get("unexpected_count"),
        "examples": [str(v) for v in (r.result.get("partial_unexpected_list") or [])[:5]],
    } for r in result.results if not r.success]
    return Validation(result.success, True, failures, len(result.results))
