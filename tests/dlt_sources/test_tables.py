"""The raw-table contracts (dlt_sources/<source>/tables.py) are the one place a raw table is
declared: the dbt source YAMLs, the staging models, the dlt hints and Dagster's raw assets,
quality suites and sentiment sources must all agree with them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml
from dlt.extract.hints import TableNameMeta

from dlt_sources._shared.context import SyncContext
from dlt_sources.contracts import Table, all_tables, contracts
from socialpulse.platforms import PLATFORMS, SOURCE_PLATFORMS, SOURCES

ROOT = Path(__file__).resolve().parents[2]
STAGING = ROOT / "dbt_project" / "models" / "staging"
# dlt data type -> how the warehouse (and dbt) may spell it
WAREHOUSE_TYPES = {
    "text": {"text", "varchar", "character varying"},
    "bigint": {"bigint", "int8"},
    "double": {"double precision", "float8"},
    "bool": {"boolean", "bool"},
    "timestamp": {"timestamptz", "timestamp with time zone"},
    "date": {"date"},
    "json": {"jsonb"},
}
# columns dlt itself adds to every table it loads (not part of a source's contract)
DLT_COLUMNS = {"_dlt_load_id": "text", "_dlt_id": "text"}
_SELECT_SOURCE = re.compile(r"select_source\(\s*'(\w+)'\s*,\s*'(\w+)'\s*,\s*(\{.*?\})\s*\)", re.S)
# placeholders for the sources' config and secrets: building a source fetches nothing
_SOURCE_ARGS = {
    "twitter": {"client_id": "x", "client_secret": "x", "app_bearer_token": "x"},
    "meta": {"client_id": "x", "client_secret": "x"},
    "linkedin": {"api_version": "202610", "client_id": "x", "client_secret": "x"},
}


def _yaml_tables(source: str) -> tuple[str, dict[str, dict[str, str]]]:
    """(schema, {table: {column: data_type}}) of a source's dbt source YAML."""
    doc = yaml.safe_load((STAGING / source / f"_{source}__sources.yml").read_text())
    (declared,) = doc["sources"]
    return declared["schema"], {
        t["name"]: {c["name"]: c.get("data_type", "") for c in t.get("columns") or []}
        for t in declared["tables"]}


def test_the_contracts_cover_every_source_and_platform():
    found = contracts()
    assert tuple(found) == SOURCES
    for source, contract in found.items():
        assert contract.platforms == SOURCE_PLATFORMS[source]
        assert {p for t in contract.tables for p in t.platforms} == set(contract.platforms)
        for platform in contract.platforms:
            kinds = {t.kind for t in contract.tables if platform in t.platforms}
            assert {"account", "post", "post_snapshot", "reject"} <= kinds, platform
    assert {p for c in found.values() for p in c.platforms} == set(PLATFORMS)


@pytest.mark.parametrize("source", SOURCES)
def test_dbt_source_yaml_declares_exactly_the_contract(source):
    contract = contracts()[source]
    schema, tables = _yaml_tables(source)
    assert schema == contract.dataset
    assert set(tables) == set(contract.table_names)
    for table in contract.tables:
        declared = tables[table.name]
        missing = [c for c in table.column_names if c not in declared]
        extra = [c for c in declared if c not in table.column_names]
        assert not missing and not extra, (
            f"{contract.dataset}.{table.name}: the YAML lacks {missing}, has extra {extra}")
        for column, data_type in table.column_types().items():
            assert declared[column] in WAREHOUSE_TYPES[data_type], (table.name, column)


def test_staging_models_read_only_contract_columns():
    found = contracts()
    read = 0
    for path in sorted(STAGING.rglob("*.sql")):
        for source, name, body in _SELECT_SOURCE.findall(path.read_text()):
            if source not in found:
                continue  # app / enrichment: not a dlt source
            types = {**found[source].table(name).column_types(), **DLT_COLUMNS}
            for column, cast in ast.literal_eval(body).items():
                assert column in types, f"{path.name} reads {name}.{column}: not in the contract"
                assert cast in WAREHOUSE_TYPES[types[column]], (path.name, column)
            read += 1
    assert read >= len([t for _, t in all_tables() if t.kind != "reject"])


def _declared(resource, table: Table) -> dict | None:
    """The hints a resource gives rows sent to ``table`` (None when it declares no such
    table: a resource of another table, or a multi-table resource without that variant)."""
    schema = resource.compute_table_schema(meta=TableNameMeta(table.name))
    return schema if schema.get("columns") and schema["name"] == table.name else None


@pytest.mark.parametrize("source", SOURCES)
def test_dlt_hints_come_from_the_contract(source):
    import importlib

    module = importlib.import_module(f"dlt_sources.{source}")
    built = getattr(module, f"{source}_source")(
        targets=[], context=SyncContext("", f"raw_{source}"), base_url="http://127.0.0.1:9",
        **_SOURCE_ARGS[source])
    for table in contracts()[source].tables:
        schemas = [s for r in built.resources.values() if (s := _declared(r, table))]
        assert schemas, f"no resource declares {table.name}"
        for schema in schemas:
            columns = schema["columns"]
            assert list(columns) == list(table.column_names)
            assert {c: col["data_type"] for c, col in columns.items()} == table.column_types()
            assert [c for c, col in columns.items() if col.get("primary_key")] == list(
                table.primary_key)
            assert schema["write_disposition"] == table.write_disposition


def test_dagster_raw_tables_checks_and_sentiment_sources_follow_the_contracts():
    from dagster_project.constants import ACCOUNTS_CHECK_TABLE, RAW_TABLES
    from dagster_project.defs.enrichment.assets import COMMENT_TEXTS, POST_TEXTS
    from dagster_project.defs.quality.checks import RAW_SUITES

    found = contracts()
    assert {s: c.table_names for s, c in found.items()} == RAW_TABLES
    assert {s: {(x.schema, x.table, x.key, x.kind) for x in suites}
            for s, suites in RAW_SUITES.items()} == {
        s: {(c.dataset, t.name, t.primary_key, "raw_posts" if t.kind == "post"
             else "raw_snapshots") for t in c.of_kind("post", "post_snapshot")}
        for s, c in found.items()}
    for source, contract in found.items():
        assert contract.table(ACCOUNTS_CHECK_TABLE[source]).kind == "post"
    for texts, kind in ((POST_TEXTS, "post"), (COMMENT_TEXTS, "comment")):
        expected = {(t.platform, c.source, t.name, t.primary_key[0], t.text_column)
                    for c, t in all_tables() if t.kind == kind}
        assert {(x.platform, x.group, x.table, x.id_column, x.text_column)
                for x in texts} == expected
        assert {x.platform for x in texts} == set(PLATFORMS)


def test_dagster_raw_asset_keys_are_the_contract_tables():
    import dagster as dg

    from dagster_project.defs.ingestion import defs

    keys = {k for a in defs.assets or [] if isinstance(a, dg.AssetsDefinition) for k in a.keys}
    assert keys == {dg.AssetKey([c.dataset, t.name]) for c, t in all_tables()}
