"""Password hashing (argon2id via argon2-cffi) and the API's JWTs (PyJWT, HMAC)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from report_api.config import ApiSettings


@lru_cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) defaults


def hash_password(password: str) -> str:
    """An argon2id hash (salt and parameters inside the string)."""
    return _hasher().hash(password)


@lru_cache
def _dummy_hash() -> str:
    return _hasher().hash("not a password anyone has")


def verify_password(password: str, password_hash: str | None) -> bool:
    """True when ``password`` matches; unknown users cost the same time (dummy hash)."""
    try:
        return _hasher().verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class TokenClaims:
    """What a valid token says: who, and until when."""

    user_id: int
    expires_at: int
    # the user's token_version at issue; tokens of 2.x before it existed carry none (0)
    version: int = 0


class InvalidToken(Exception):
    """Missing, malformed, tampered or expired token (the reason is in the message)."""


def issue_token(settings: ApiSettings, user_id: int, role: str, now: float | None = None,
                version: int = 0) -> tuple[str, int]:
    """A signed access token for ``user_id`` and its lifetime in seconds."""
    issued = int(now if now is not None else time.time())
    ttl = settings.access_token_ttl_minutes * 60
    claims = {"sub": str(user_id), "role": role, "iat": issued, "exp": issued + ttl,
              "iss": settings.jwt_issuer, "ver": version}
    return jwt.encode(claims, settings.signing_key(), algorithm=settings.jwt_algorithm), ttl


def decode_token(settings: ApiSettings, token: str) -> TokenClaims:
    """Verify signature, issuer and expiry; raise :class:`InvalidToken` otherwise."""
    try:
        claims = jwt.decode(token, settings.signing_key(), algorithms=[settings.jwt_algorithm],
                            issuer=settings.jwt_issuer,
                            options={"require": ["exp", "iat", "sub", "iss"]})
        version = claims.get("ver", 0)
        if not isinstance(version, int) or isinstance(version, bool):
            raise ValueError("ver")
        return TokenClaims(int(claims["sub"]), int(claims["exp"]), version)
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("token expired") from exc
    except (jwt.InvalidTokenError, ValueError) as exc:
        raise InvalidToken("invalid token") from exc
