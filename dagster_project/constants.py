"""Names shared by the domain folders: raw tables per source group (from the sources'
contracts), job names, asset keys."""

from __future__ import annotations

import dagster as dg

from dlt_sources.contracts import contracts
from socialpulse.platforms import raw_dataset
from socialpulse.settings import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
CYCLE_JOB = "socialpulse_cycle"
NIGHTLY_JOB = "dbt_nightly_build"
CYCLE_CRON = "*/15 * * * *"
NIGHTLY_CRON = "0 2 * * *"
# run tag the instance's run queue limits to one at a time (see instance.py)
CYCLE_TAG = "socialpulse/cycle"

# raw tables each source writes, from the sources' contracts (dlt_sources/<source>/tables.py);
# the dbt manifest's sources are added to these, so a table dbt reads always has an ingestion asset
RAW_TABLES: dict[str, tuple[str, ...]] = {s: c.table_names for s, c in contracts().items()}

POST_SENTIMENT = dg.AssetKey(["enrichment", "post_sentiment"])
COMMENT_SENTIMENT = dg.AssetKey(["enrichment", "comment_sentiment"])


def raw_key(group: str, table: str) -> dg.AssetKey:
    """Asset key of a raw table: [dataset, table], the key of the dbt source that reads it."""
    return dg.AssetKey([raw_dataset(group), table])


# the table of each group that carries the group's per-account `accounts_synced` check: its first
# posts table
ACCOUNTS_CHECK_TABLE = {s: c.of_kind("post")[0].name for s, c in contracts().items()}
