"""Bearer tokens that expire on the simulated clock, with the platforms' refresh flows.

Tokens are signed, self-describing strings (the server keeps only generations, spent X refresh
tokens and revocations), so any number of accounts costs nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

GROUPS = {"twitter": "twitter", "instagram": "meta", "facebook": "meta", "linkedin": "linkedin"}
PREFIX = {"twitter": "sbxX", "meta": "EAAsbx", "linkedin": "AQsbx"}
# simulated seconds; the real platforms' lifetimes
DEFAULT_TTL_S = {"twitter": 7_200, "meta": 5_183_944, "linkedin": 5_184_000}
REFRESH_TTL_S = {"twitter": 15_552_000, "meta": 0, "linkedin": 31_536_000}
APP_CREDENTIALS = {
    "twitter": {"client_id": "sandbox-x-client", "client_secret": "sandbox-x-secret"},
    "meta": {"client_id": "sandbox-meta-app", "client_secret": "sandbox-meta-secret"},
    "linkedin": {"client_id": "sandbox-li-client", "client_secret": "sandbox-li-secret"},
}


class TokenError(Exception):
    """A token was refused; ``reason`` is invalid, expired or revoked."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class TokenClaims:
    group: str
    subject: str
    kind: str
    expires_ms: int
    generation: int


def _ms(t: datetime) -> int:
    return int(t.timestamp() * 1000)


class TokenStore:
    """Issues and verifies tokens for the three platform groups."""

    def __init__(self, seed: int, ttl_s: dict[str, int] | None = None):
        self._secret = hashlib.sha256(f"sandbox-secret-{seed}".encode()).digest()
        self.ttl_s = {**DEFAULT_TTL_S, **(ttl_s or {})}
        self._generation: dict[tuple[str, str], int] = {}
        self.revoked: set[tuple[str, str]] = set()
        # a withdrawn consent: tokens of these generations and older are dead, newer ones (a
        # new consent) live
        self._revoked_through: dict[tuple[str, str], int] = {}
        # why those tokens died: "revoked" (the person removed the app) or "deauthorized" (the
        # app revoked them itself, as Graph words it differently)
        self._withdrawn_why: dict[tuple[str, str], str] = {}
        self._spent: set[str] = set()  # X refresh tokens already exchanged
        self._lock = threading.Lock()

    def _sign(self, payload: bytes) -> str:
        return hmac.new(self._secret, payload, hashlib.sha256).hexdigest()[:32]

    def _make(self, group: str, subject: str, kind: str, expires_ms: int, gen: int) -> str:
        body = json.dumps([group, subject, kind, expires_ms, gen], separators=(",", ":")).encode()
        b64 = base64.urlsafe_b64encode(body).decode().rstrip("=")
        return f"{PREFIX[group]}{b64}.{self._sign(body)}"

    def decode(self, token: str, group: str) -> TokenClaims:
        """Parse and check the signature; raises TokenError('invalid')."""
        prefix = PREFIX[group]
        if not token.startswith(prefix) or "." not in token:
            raise TokenError("invalid")
        b64, sig = token[len(prefix):].rsplit(".", 1)
        try:
            body = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4))
            claims = TokenClaims(*json.loads(body))
        except (ValueError, TypeError) as exc:
            raise TokenError("invalid") from exc
        if not hmac.compare_digest(sig, self._sign(body)) or claims.group != group:
            raise TokenError("invalid")
        return claims

    def issue(self, group: str, subject: str, now: datetime, *, kind: str = "access",
              ttl_s: int | None = None, with_refresh: bool = True) -> dict:
        """A fresh access token (and refresh token where the platform has one).

        ``kind`` "user" is a Meta user token (it lists Pages, reads no Page data); ``ttl_s``
        0 is a token that never expires (a Page token from a long-lived user token)."""
        ttl = self.ttl_s[group] if ttl_s is None else ttl_s
        with self._lock:
            gen = self._generation.get((group, subject), 0) + 1
            self._generation[(group, subject)] = gen
        expires_ms = _ms(now) + ttl * 1000 if ttl else 0
        out = {
            "access_token": self._make(group, subject, kind, expires_ms, gen),
            "expires_in": ttl,
            "expires_at": datetime.fromtimestamp(expires_ms / 1000, UTC).isoformat()
            if ttl else None,
        }
        if REFRESH_TTL_S[group] and with_refresh:
            out["refresh_token"] = self._make(
                group, subject, "refresh", _ms(now) + REFRESH_TTL_S[group] * 1000, gen)
        return out

    def app_token(self, group: str) -> str:
        """A non-expiring app-only bearer token (X app auth)."""
        return self._make(group, "app", "app", 0, 0)

    def verify(self, token: str, group: str, now: datetime, kind: str = "access") -> TokenClaims:
        """Claims of a usable token; raises TokenError(invalid|expired|revoked|deauthorized)."""
        claims = self.decode(token, group)
        if kind == "access" and claims.kind not in ("access", "app", "user"):
            raise TokenError("invalid")
        if kind == "refresh" and claims.kind != "refresh":
            raise TokenError("invalid")
        key = (group, claims.subject)
        if key in self.revoked:
            raise TokenError("revoked")
        withdrawn = self._revoked_through.get(key)
        if withdrawn is not None and claims.generation <= withdrawn:
            raise TokenError(self._withdrawn_why.get(key, "revoked"))
        if claims.expires_ms and claims.expires_ms <= _ms(now):
            raise TokenError("expired")
        return claims

    def refresh(self, refresh_token: str, group: str, now: datetime) -> dict:
        """Exchange a refresh token. X rotates refresh tokens (an old one is refused)."""
        claims = self.verify(refresh_token, group, now, kind="refresh")
        if group == "twitter":
            # each refresh token works once; other tokens issued meanwhile for the same user
            # (another consent, /_sandbox/world) leave it alone
            with self._lock:
                if refresh_token in self._spent:
                    raise TokenError("invalid")
                self._spent.add(refresh_token)
        issued = self.issue(group, claims.subject, now)
        if group == "linkedin":
            # LinkedIn refresh tokens keep their original, fixed expiry
            issued["refresh_token"] = refresh_token
        return issued

    def exchange(self, access_token: str, group: str, now: datetime) -> dict:
        """Meta's fb_exchange_token: a still-valid token buys a new long-lived one."""
        claims = self.verify(access_token, group, now)
        return self.issue(group, claims.subject, now)

    def revoke(self, group: str, subject: str) -> None:
        """Every token of ``subject`` now fails (user removed the app / changed password)."""
        self.revoked.add((group, subject))

    def withdraw(self, group: str, subject: str, why: str = "revoked") -> None:
        """A person withdrew consent (or the app revoked it, ``why`` "deauthorized"): every
        token issued so far for ``subject`` fails, tokens of a later consent work."""
        with self._lock:
            self._revoked_through[(group, subject)] = self._generation.get((group, subject), 0)
            self._withdrawn_why[(group, subject)] = why

    def consented(self, group: str, subject: str) -> None:
        """A new consent lifts an earlier revocation of ``subject`` (the app is re-authorised)."""
        self.revoked.discard((group, subject))
