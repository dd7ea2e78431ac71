"""Every raw table of every source: the registry the orchestration and the tests read."""

from __future__ import annotations

from dlt_sources._shared.contract import Column, Kind, SourceContract, Table
from dlt_sources.linkedin.tables import CONTRACT as LINKEDIN
from dlt_sources.meta.tables import CONTRACT as META
from dlt_sources.twitter.tables import CONTRACT as TWITTER

__all__ = ["Column", "Kind", "SourceContract", "Table", "all_tables", "contracts"]

_CONTRACTS = {c.source: c for c in (TWITTER, META, LINKEDIN)}


def contracts() -> dict[str, SourceContract]:
    """source -> its contract, for every source."""
    return dict(_CONTRACTS)


def all_tables() -> list[tuple[SourceContract, Table]]:
    """(source contract, table) of every raw table of every source."""
    return [(c, t) for c in _CONTRACTS.values() for t in c.tables]
