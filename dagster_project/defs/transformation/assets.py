"""dbt models as assets; dbt tests surface as asset checks (dagster-dbt)."""


import logging
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource
from dagster_dbt import dbt_assets as dbt_assets_decorator

from dagster_project.defs.transformation.project import keep_partial_parse, load_manifest
from socialpulse.transform import temporary_environment

log = logging.getLogger(__name__)

DBT_ASSETS_NAME = "dbt_models"


class DbtBuildConfig(dg.Config):
    """Run config of the dbt step."""

    full_refresh: bool = False
    # the 15-minute cycle tests the rows of the last lookback_days of each model that grows
    # with history and leaves unit tests (fixed inputs: they prove the SQL, not the data) to CI
    # and the nightly build, which test everything (macros/test_window.sql)
    full_tests: bool = False


class SocialpulseDbtTranslator(DagsterDbtTranslator):
    """Models keep their plain names; sources are keyed by the relation they read, so a raw
    table's key is exactly the key of the dlt asset that loads it; groups follow folders."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["schema"],
                                dbt_resource_props.get("identifier")
                                or dbt_resource_props["name"]])
        return dg.AssetKey([dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn") or []
        # fqn = [project, folder, ..., name]: staging / intermediate / marts
        return fqn[1] if len(fqn) > 2 else "transformation"


TESTS_ON_WINDOW = "SOCIALPULSE_DBT_TESTS_ON_WINDOW"


def dbt_build_args(config: DbtBuildConfig) -> tuple[list[str], dict[str, str]]:
    """The ``dbt build`` arguments of a run with ``config`` and the environment they need."""
    args = ["build"]
    if config.full_refresh:
        args.append("--full-refresh")
    if config.full_tests:
        return args, {TESTS_ON_WINDOW: "false"}
    return [*args, "--exclude-resource-type", "unit_test"], {TESTS_ON_WINDOW: "true"}


def build_dbt_assets() -> dg.AssetsDefinition | None:
    """The @dbt_assets over the manifest; None while there is no dbt project."""
    manifest = load_manifest()
    if manifest is None:
        log.warning("no dbt project found: transformation assets are not defined")
        return None

    @dbt_assets_decorator(
        manifest=manifest,
        name=DBT_ASSETS_NAME,
        dagster_dbt_translator=SocialpulseDbtTranslator(
            settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
    )
    def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource,
                   config: DbtBuildConfig):
        """``dbt build`` of the selected models: incremental models process new rows only,
        unless ``full_refresh``; tests read the recent window only, unless ``full_tests``."""
        args, env = dbt_build_args(config)
        # dbt runs as a subprocess started inside cli(): the environment is read there
        with temporary_environment(env):
            invocation = dbt.cli(args, context=context)
        yield from invocation.stream()
        keep_partial_parse(invocation.target_path)
        # cached API responses were computed from the previous marts
        from socialpulse.cache_version import bump_marts_version

        bump_marts_version()

    return dbt_models
