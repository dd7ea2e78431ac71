"""Every resource, built in one place from the environment (``build_resources``).

The database URL is resolved lazily: loading the definitions never starts the embedded Postgres;
the first asset that needs the warehouse does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_dlt import DagsterDltResource
from pydantic import Field

from dagster_project.constants import DBT_PROJECT_DIR
from socialpulse.warehouse import DictConnection, connect

# a folder every machine running steps mounts (NFS, a ReadWriteMany volume): where the steps'
# outputs go; unset, the instance's own storage folder (DAGSTER_HOME/storage, one host)
IO_DIR_ENV = "DAGSTER_IO_DIR"


def _url(explicit: str | None) -> str:
    from socialpulse.warehouse import database_url

    return explicit or database_url()


class WarehouseResource(dg.ConfigurableResource):
    """The Postgres warehouse: ``DATABASE_URL``, else the embedded server."""

    database_url: str | None = Field(
        default=None, description="Postgres URL; unset means socialpulse.warehouse.database_url()")

    def url(self) -> str:
        """The URL in use (starts the embedded server when it is the default)."""
        return _url(self.database_url)

    @contextmanager
    def connect(self, autocommit: bool = False) -> Iterator[DictConnection]:
        """A psycopg connection with dict rows; commits on success."""
        with connect(self.url(), autocommit=autocommit) as conn:
            yield conn


class WarehouseDbtCliResource(DbtCliResource):
    """dagster-dbt's CLI resource, pointed at the same warehouse as everything else: each
    invocation gets the connection variables of ``socialpulse.transform.dbt_env``."""

    database_url: str | None = None

    def cli(self, args: Any, **kwargs: Any) -> Any:  # noqa: D102
        from socialpulse.transform import dbt_env, temporary_environment

        # dbt starts as a subprocess inside super().cli(): the environment is read right there
        with temporary_environment(dbt_env(_url(self.database_url))):
            return super().cli(args, **kwargs)


def _dbt_executable() -> str:
    local = Path(sys.executable).parent / "dbt"
    return str(local) if local.exists() else "dbt"


def build_resources(database_url: str | None = None) -> dict[str, Any]:
    """warehouse, dbt and dlt resources, and the step outputs' I/O manager;
    ``database_url`` overrides the environment's."""
    resources: dict[str, Any] = {
        "warehouse": WarehouseResource(database_url=database_url),
        "dlt": DagsterDltResource(),
    }
    io_dir = os.environ.get(IO_DIR_ENV)
    if io_dir:
        # the account steps pass values (due keys, each account's rows and outcome) to the
        # group's publish step, which may run on another machine: a shared folder holds them
        resources["io_manager"] = dg.FilesystemIOManager(base_dir=io_dir)
    if (DBT_PROJECT_DIR / "dbt_project.yml").exists():
        profiles = DBT_PROJECT_DIR if (DBT_PROJECT_DIR / "profiles.yml").exists() else None
        resources["dbt"] = WarehouseDbtCliResource(
            project_dir=str(DBT_PROJECT_DIR),
            profiles_dir=str(profiles) if profiles else None,
            dbt_executable=_dbt_executable(),
            database_url=database_url,
        )
    return resources
