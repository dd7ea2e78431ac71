"""API settings from the environment (and `.env`), refusing a missing or placeholder secret."""

from __future__ import annotations

import secrets
from functools import lru_cache

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from socialpulse.errors import ConfigError
from socialpulse.settings import PROJECT_ROOT, remember_in_env_file

# values people paste from examples; none of them may sign real tokens
PLACEHOLDER_SECRETS = {"", "changethis", "change-me", "changeme", "secret", "jwt-secret",
                       "your-secret", "your-secret-key", "replace-me", "xxx"}
MIN_SECRET_LENGTH = 32


class ApiSettings(BaseSettings):
    """Every field maps to the upper-case environment variable of the same name."""

    model_config = SettingsConfigDict(
        env_file=PROJECT_ROOT / ".env", env_ignore_empty=True, extra="ignore")

    jwt_secret: str | None = Field(default=None, description="HMAC key signing the API's JWTs.")
    jwt_algorithm: str = "HS256"
    jwt_issuer: str = "socialpulse-report-api"
    access_token_ttl_minutes: int = Field(default=60, ge=1, le=24 * 60)
    redis_url: str | None = Field(
        default=None, description="Shared rate limits and response cache; unset = in-process.")
    redis_key_prefix: str = Field(
        default="socialpulse", description="Prefix of every Redis key the API writes.")
    rate_limit: str = Field(default="100/minute", description="Per user, moving window.")
    login_rate_limit: str = Field(default="20/minute", description="Per client address.")
    cache_ttl_seconds: int = Field(default=900, ge=1,
                                   description="Upper bound; a marts refresh invalidates sooner.")
    api_port: int = 8000
    api_workers: int = Field(default=1, ge=1, le=64, description="uvicorn worker processes.")
    forwarded_allow_ips: str = Field(
        default="", description="Comma-separated proxy addresses whose X-Forwarded-For is "
        "trusted; empty = none (the peer address is the client).")
    db_pool_size: int = Field(default=10, ge=1, le=32,
                              description="Pooled Postgres connections per process.")
    statement_timeout_ms: int = Field(default=5000, ge=100, description="Per SQL statement.")
    request_deadline_seconds: float = Field(
        default=10.0, gt=0, description="Longest wait for a database connection (then 503).")
    redis_timeout_ms: int = Field(default=50, ge=1,
                                  description="Connect and socket timeout of Redis calls.")
    anon_rate_limit: str = Field(default="60/minute",
                                 description="Unauthenticated requests per client address.")
    login_account_rate_limit: str = Field(
        default="5/minute;20/hour", description="Failed logins per account (back-off tiers).")
    max_body_bytes: int = Field(default=1_000_000, ge=1024, description="Request body limit.")
    max_queued_reports_per_user: int = Field(default=10, ge=1)
    max_queued_reports_per_workspace: int = Field(default=50, ge=1)
    superset_url: str = Field(default="http://127.0.0.1:8088",
                              description="Where the console links the dashboards.")
    console_secure_cookies: bool = Field(
        default=False, description="Mark the console's session cookie Secure (behind HTTPS).")

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("REDIS_URL must start with redis://, rediss:// or unix://")
        return value

    def signing_key(self) -> str:
        """The JWT secret; a missing, placeholder or short one is a configuration error."""
        value = self.jwt_secret or ""
        if value.strip().lower() in PLACEHOLDER_SECRETS or len(value) < MIN_SECRET_LENGTH:
            raise ConfigError(
                "JWT_SECRET is missing or a placeholder: set it to a random string of at least "
                f"{MIN_SECRET_LENGTH} characters (e.g. `python -c \"import secrets; "
                "print(secrets.token_urlsafe(48))\"`); `make api` creates one in .env for the "
                "local demo")
        return value


@lru_cache
def get_api_settings() -> ApiSettings:
    """The cached API settings (clear with ``get_api_settings.cache_clear()``)."""
    return ApiSettings()


def ensure_jwt_secret(echo=print) -> None:
    """Write a generated ``JWT_SECRET`` to `.env` when none is configured (local demo only)."""
    if get_api_settings().jwt_secret:
        return
    env_file = remember_in_env_file("JWT_SECRET", secrets.token_urlsafe(48))
    get_api_settings.cache_clear()
    echo(f"created a JWT signing secret in {env_file}")
