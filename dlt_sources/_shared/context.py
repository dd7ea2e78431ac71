"""Per-run context handed to a source: credentials that refresh in place, per-account outcomes."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from dlt_sources._shared.errors import AccountSyncError
from dlt_sources._shared.http import redact
from socialpulse.accounts import SyncTarget

log = logging.getLogger(__name__)

TokenSaver = Callable[[int, str, str | None, datetime | None], None]


@dataclass
class Credentials:
    """The live tokens of one owned account; shared by its competitor targets.

    A refresh updates this object and is saved (encrypted) at once, because X rotates refresh
    tokens: losing the new one would lock the account out.
    """

    account_id: int
    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: datetime | None
    _saver: TokenSaver | None = field(default=None, repr=False)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def update(self, access_token: str, refresh_token: str | None,
               expires_at: datetime | None) -> None:
        self.access_token = access_token
        self.refresh_token = refresh_token or self.refresh_token
        self.expires_at = expires_at
        if self._saver:
            self._saver(self.account_id, access_token, refresh_token, expires_at)


@dataclass
class SyncContext:
    """What a source needs beyond its config: where raw data lives and how to report."""

    warehouse_url: str
    dataset: str
    save_tokens: TokenSaver | None = None
    # the platform account ids a run of a few accounts syncs (None: any of the dataset's):
    # what is already loaded is then read for these only
    accounts: frozenset[str] | None = None
    outcomes: dict[tuple[str, str], AccountSyncError | None] = field(default_factory=dict)
    _credentials: dict[int, Credentials] = field(default_factory=dict)

    def credentials(self, target: SyncTarget) -> Credentials:
        """The shared, refreshable credentials a target is read with."""
        key = target.credential_account_id or target.account_ids[0]
        if key not in self._credentials:
            self._credentials[key] = Credentials(
                key, target.access_token or "", target.refresh_token, target.token_expires_at,
                self.save_tokens)
        return self._credentials[key]

    @contextmanager
    def account(self, target: SyncTarget, what: str = "sync") -> Iterator[None]:
        """Run one account's work; an AccountSyncError is recorded and swallowed so the other
        accounts go on. A success never hides an earlier failure of the same account."""
        key = (target.platform, target.platform_account_id)
        try:
            yield
        except AccountSyncError as exc:
            exc.args = (redact(f"{what}: {exc}"),)
            log.warning("%s %s (%s): %s", target.platform, target.handle, what, exc.args[0])
            self.outcomes[key] = exc
        else:
            self.outcomes.setdefault(key, None)

    def failed(self, target: SyncTarget) -> bool:
        """True when an earlier resource already failed for this account."""
        return self.outcomes.get((target.platform, target.platform_account_id)) is not None
