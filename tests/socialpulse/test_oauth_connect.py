"""The purge of a disconnected account knows every raw table and its account column: the list
in socialpulse.oauth.connect follows the dlt sources' contracts."""

from __future__ import annotations

from dlt_sources.linkedin.tables import CONTRACT as LINKEDIN
from dlt_sources.meta.tables import CONTRACT as META
from dlt_sources.twitter.tables import CONTRACT as TWITTER
from socialpulse.oauth.connect import RAW_ACCOUNT_COLUMNS


def test_purge_covers_every_raw_table_of_every_source() -> None:
    for source, contract in (("twitter", TWITTER), ("meta", META), ("linkedin", LINKEDIN)):
        assert RAW_ACCOUNT_COLUMNS[source] == {t.name: t.account_column
                                               for t in contract.tables}, source
