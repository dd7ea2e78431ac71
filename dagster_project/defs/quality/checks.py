"""Data-quality asset checks: great-expectations suites on raw posts and metric snapshots
(blocking: a failure keeps the marts from refreshing on bad data) and on marts.posts."""


from collections.abc import Iterable, Iterator

import dagster as dg

from dagster_project.constants import raw_key
from dagster_project.defs.quality.suites import TableSuite, validate
from dagster_project.resources import WarehouseResource
from dlt_sources.contracts import Kind, SourceContract, contracts

INTEGRITY = "ge_integrity"
TIMELINESS = "ge_observed_at_not_in_future"

# which contract tables get a suite, and of which kind
SUITE_KINDS: dict[Kind, str] = {"post": "raw_posts", "post_snapshot": "raw_snapshots"}


def raw_suites(contract: SourceContract) -> tuple[TableSuite, ...]:
    """The suites of one source's posts and post snapshots: keys and metrics from its
    contract."""
    return tuple(TableSuite(contract.dataset, t.name, t.primary_key, SUITE_KINDS[t.kind],
                            t.metric_columns)
                 for t in contract.of_kind(*SUITE_KINDS))


RAW_SUITES = {source: raw_suites(c) for source, c in contracts().items()}
MART_POSTS = TableSuite("marts", "posts", ("account_id", "post_id"), "mart_posts")


def _key(suite: TableSuite) -> dg.AssetKey:
    if suite.schema.startswith("raw_"):
        return raw_key(suite.schema.removeprefix("raw_"), suite.table)
    return dg.AssetKey([suite.table])


def _result(url: str, suite: TableSuite, which: str, name: str,
            severity: dg.AssetCheckSeverity) -> dg.AssetCheckResult:
    v = validate(url, suite, which)
    if not v.exists:
        description = f"{suite.schema}.{suite.table} does not exist yet (no connected account)"
    elif v.passed:
        description = f"{v.evaluated} expectations met"
    else:
        description = "; ".join(f"{f['expectation']}({f['kwargs'].get('column', '')}"
                                f"{f['kwargs'].get('column_list', '')}): "
                                f"{f['unexpected_count']} unexpected" for f in v.failures)
    return dg.AssetCheckResult(
        asset_key=_key(suite), check_name=name, passed=v.passed, severity=severity,
        description=description,
        metadata={"table": f"{suite.schema}.{suite.table}", "expectations": v.evaluated,
                  "failures": dg.MetadataValue.json(v.failures)})


def raw_checks(group: str, suites: Iterable[TableSuite]) -> dg.AssetChecksDefinition:
    """One check op per source group (one GE import per op in multiprocess runs)."""
    suites = tuple(suites)
    specs = []
    for s in suites:
        specs.append(dg.AssetCheckSpec(
            INTEGRITY, asset=_key(s), blocking=True,
            description="great-expectations: keys present and unique, metrics non-negative, "
                        "created no later than observed. Blocks downstream on failure."))
        if s.kind == "raw_snapshots":
            specs.append(dg.AssetCheckSpec(
                TIMELINESS, asset=_key(s),
                description="great-expectations: observed_at not in the future (beyond "
                            "SOCIALPULSE_DQ_FUTURE_TOLERANCE_HOURS, default 24)."))

    @dg.multi_asset_check(name=f"{group}_raw_quality", specs=specs, can_subset=True)
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
               ) -> Iterator[dg.AssetCheckResult]:
        url = warehouse.url()
        selected = context.selected_asset_check_keys
        for s in suites:
            if dg.AssetCheckKey(_key(s), INTEGRITY) in selected:
                yield _result(url, s, "integrity", INTEGRITY, dg.AssetCheckSeverity.ERROR)
            if dg.AssetCheckKey(_key(s), TIMELINESS) in selected:
                yield _result(url, s, "timeliness", TIMELINESS, dg.AssetCheckSeverity.WARN)

    return _check


@dg.asset_check(asset=_key(MART_POSTS), name=INTEGRITY,
                description="great-expectations on marts.posts: one row per account and post, "
                            "metrics and rates non-negative, sentiment labels known.")
def mart_posts_check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Validate marts.posts after the dbt build."""
    return _result(warehouse.url(), MART_POSTS, "integrity", INTEGRITY,
                   dg.AssetCheckSeverity.ERROR)


def build_checks(existing: set[dg.AssetKey]) -> list[dg.AssetChecksDefinition]:
    """Checks whose assets exist in this code location."""
    checks = []
    for group, suites in RAW_SUITES.items():
        present = [s for s in suites if _key(s) in existing]
        if present:
            checks.append(raw_checks(group, present))
    if _key(MART_POSTS) in existing:
        checks.append(mart_posts_check)
    return checks
