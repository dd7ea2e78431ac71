"""The raw-table contract: every table a source writes, declared once in ``<source>/tables.py``.

A table's name, key, write disposition, columns with their dlt data types, kind, platforms and
its account / text columns live here and nowhere else: the dlt hints, Dagster's raw assets,
quality suites and sentiment sources are derived from it, and a test holds the dbt source YAMLs
to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, cast

import dlt
from dlt.common.data_types import TDataType
from dlt.common.schema.typing import (
    TColumnSchema,
    TFileFormat,
    TTableSchemaColumns,
    TWriteDisposition,
)
from dlt.extract import DltSource
from dlt.extract.resource import DltResource

from socialpulse.platforms import raw_dataset

# entities hold one row per object (merged on its id); snapshots one row per object and sync
Kind = Literal["account", "post", "comment", "account_snapshot", "post_snapshot", "reject"]
NUMERIC_TYPES = ("bigint", "double", "decimal")


@dataclass(frozen=True)
class Column:
    """One column of a raw table and its dlt data type."""

    name: str
    data_type: TDataType


def columns(**types: TDataType) -> tuple[Column, ...]:
    """Columns in declaration order: ``columns(id="text", created_at="timestamp")``."""
    return tuple(Column(name, data_type) for name, data_type in types.items())


def typed(names: Iterable[str], data_type: TDataType) -> dict[str, TDataType]:
    """One data type for several columns (a metric list of the source's settings)."""
    return dict.fromkeys(names, data_type)


@dataclass(frozen=True)
class Table:
    """One raw table: what dlt writes and what everything downstream may rely on."""

    name: str
    kind: Kind
    platforms: tuple[str, ...]
    primary_key: tuple[str, ...]
    columns: tuple[Column, ...]
    account_column: str  # the platform account id the row belongs to
    text_column: str | None = None  # the text sentiment is scored on
    write_disposition: TWriteDisposition = "merge"

    def __post_init__(self) -> None:
        names = self.column_names
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: a column is declared twice")
        named = [*self.primary_key, self.account_column, *filter(None, [self.text_column])]
        missing = [c for c in named if c not in names]
        if missing or not self.primary_key:
            raise ValueError(f"{self.name}: key/account/text columns {missing} not declared")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def platform(self) -> str:
        """The one platform of a single-platform table (posts, comments, ...)."""
        if len(self.platforms) != 1:
            raise ValueError(f"{self.name} holds rows of {self.platforms}")
        return self.platforms[0]

    @property
    def metric_columns(self) -> tuple[str, ...]:
        """Numeric columns that are not part of the key."""
        return tuple(c.name for c in self.columns
                     if c.data_type in NUMERIC_TYPES and c.name not in self.primary_key)

    def column_types(self) -> dict[str, str]:
        """column -> dlt data type."""
        return {c.name: c.data_type for c in self.columns}

    def column_hints(self) -> TTableSchemaColumns:
        """dlt column schemas (fresh dicts: dlt writes into them). Key columns are not null."""
        return {c.name: cast(TColumnSchema, {"name": c.name, "data_type": c.data_type,
                                             "nullable": c.name not in self.primary_key})
                for c in self.columns}

    def hints(self) -> dict[str, Any]:
        """The table's hints as ``dlt.resource`` / ``apply_hints`` keyword arguments."""
        return {"table_name": self.name, "write_disposition": self.write_disposition,
                "primary_key": list(self.primary_key), "columns": self.column_hints()}


@dataclass(frozen=True)
class SourceContract:
    """Every raw table one source writes into ``raw_<source>``."""

    source: str
    platforms: tuple[str, ...]
    tables: tuple[Table, ...]

    @property
    def dataset(self) -> str:
        return raw_dataset(self.source)

    @property
    def table_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.tables)

    def table(self, name: str) -> Table:
        """The table called ``name``; KeyError when the source writes no such table."""
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(f"{self.dataset}.{name}")

    def of_kind(self, *kinds: Kind) -> tuple[Table, ...]:
        """The tables of these kinds, in declaration order."""
        return tuple(t for t in self.tables if t.kind in kinds)


def table_resource(data: Any, table: Table, **kwargs: Any) -> DltResource:
    """A resource writing one table, its hints set once on the resource."""
    return dlt.resource(data, name=table.name, **table.hints(), **kwargs)


def declare_tables(resource: DltResource, tables: Iterable[Table]) -> DltResource:
    """Declare the tables a resource routes rows to with :func:`route`: each table's hints are
    set once, as a table variant, instead of being re-checked on every row (which cost most of
    a sync's CPU). The resource itself must carry no columns: variants start from its hints."""
    if resource.columns:
        raise ValueError(f"resource {resource.name} has columns of its own")
    for table in tables:
        resource.apply_hints(create_table_variant=True, **table.hints())
    return resource


def apply_file_format(source: DltSource, file_format: TFileFormat) -> DltSource:
    """Give a run's loader file format to the table variants too: dlt hands a run's
    ``loader_file_format`` to the resources' own hints only, and a variant keeps its own."""
    for resource in source.resources.values():
        # dlt lists a resource's variants nowhere public
        for table_name in list(resource._hints_variants):
            resource.apply_hints(table_name=table_name, create_table_variant=True,
                                 file_format=file_format)
    return source


def route(table: Table, row: dict[str, Any]) -> Any:
    """Send ``row`` to ``table`` from a resource that declared it (a cheap per-row marker)."""
    return dlt.mark.with_table_name(row, table.name)


def per_table(items: Iterable[Any]) -> Iterator[Any]:
    """Rows marked with :func:`route` (or ``quarantine.reject``), regrouped into one list per
    table: dlt's extract pipe pays its per-item cost once per list instead of once per row.
    Yield a page's or a batch's rows through it."""
    groups: dict[str, list[Any]] = {}
    for item in items:
        groups.setdefault(item.meta.table_name, []).append(item.data)
    for name, rows in groups.items():
        yield dlt.mark.with_table_name(rows, name)
