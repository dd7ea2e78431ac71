"""What a competitor lookup can answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from socialpulse.competitors import Pending


@dataclass(frozen=True)
class Found:
    """The platform has the account, and gives competitor data of it."""

    platform_account_id: str
    handle: str
    display_name: str | None


@dataclass(frozen=True)
class Unresolved:
    """``not_found`` (no such account) or ``not_available`` (no competitor data), and why."""

    status: str
    reason: str


@dataclass(frozen=True)
class Waiting:
    """Not decided this cycle (e.g. no owned account to look it up with yet)."""

    reason: str


# (warehouse url, open connection, the competitor) -> the answer
Lookup = Callable[[str, Any, Pending], Found | Unresolved | Waiting]
