"""Errors a source raises for one account; the runner turns them into sync_state rows."""

from __future__ import annotations

from datetime import datetime


class AccountSyncError(Exception):
    """Syncing one account failed; other accounts go on."""

    needs_reauth = False
    is_retryable = True


class TokenExpired(AccountSyncError):
    """The access token expired: refresh it and try again."""


class NeedsReauth(AccountSyncError):
    """The token was revoked or cannot be refreshed: a person must reconnect the account."""

    needs_reauth = True
    is_retryable = False


class RateLimited(AccountSyncError):
    """The platform's quota is used up until ``retry_at``; the account is retried next cycle.
    With ``app_wide`` the quota is the app's (Meta's #4, X's usage cap): every account the app
    reads waits until then, not only the one that met it."""

    def __init__(self, message: str, retry_at: datetime | None = None,
                 app_wide: bool = False):
        super().__init__(message)
        self.retry_at = retry_at
        self.app_wide = app_wide


class PlatformError(AccountSyncError):
    """Any other refusal by the platform (message says which)."""


class AccountUnavailable(PlatformError):
    """The platform refuses the account itself for good (suspended, deleted, unknown id, no
    permission): retrying every cycle cannot help, a person has to act (the message says how)."""

    is_retryable = False


class CompetitorRefused(PlatformError):
    """The platform refuses a competitor for a reason a person has to fix elsewhere (the app's
    features, the owned account whose token it borrows): a competitor cannot be reconnected, so
    it is held until ``retry_at`` and then tried again, the fix being in the message."""

    def __init__(self, message: str, retry_at: datetime):
        super().__init__(message)
        self.retry_at = retry_at


class Held(AccountSyncError):
    """Not attempted in this sync: an earlier one was told when to come back (``retry_at``) or
    was refused for good (until the account is reconnected). Nothing is recorded for it, so the
    stored hold stays as it was."""

    def __init__(self, message: str, retry_at: datetime | None = None, permanent: bool = False):
        super().__init__(message)
        self.retry_at = retry_at
        self.is_retryable = not permanent
