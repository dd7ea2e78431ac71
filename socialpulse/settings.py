"""Process-wide settings read from the environment (and a local `.env` file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    """Settings shared by the CLI, the loaders, Dagster and the report API.

    Every field maps to an upper-case environment variable of the same name
    (``DATABASE_URL``, ``SOCIALPULSE_ENCRYPTION_KEYS`` ...).
    """

    model_config = SettingsConfigDict(
        env_file=PROJECT_ROOT / ".env", env_ignore_empty=True, extra="ignore"
    )

    database_url: str | None = Field(
        default=None, description="Postgres URL; unset means the embedded Postgres."
    )
    socialpulse_data_dir: Path = Field(
        default=PROJECT_ROOT / ".data", description="Local state: embedded Postgres, demo files."
    )
    socialpulse_encryption_keys: str | None = Field(
        default=None,
        description="Comma-separated Fernet keys; the first encrypts, all decrypt (rotation).",
    )
    sandbox_url: str = Field(
        default="http://127.0.0.1:8765", description="Where `socialpulse sandbox serve` listens."
    )
    sentiment_tier: Literal["auto", "fast", "accurate"] = Field(
        default="auto",
        description="Sentiment tier: auto (accurate within the budget, fast for the rest), "
        "fast, or accurate (every row; an error if its runtime is missing).",
    )
    sentiment_budget_seconds: float = Field(
        default=120.0, ge=0,
        description="Seconds per enrichment run the auto tier may spend on the accurate tier.",
    )
    snapshot_retention_days: int = Field(
        default=35, ge=1,
        description="Age after which metric snapshots are thinned to each object's last of each "
        "UTC day, its last with a value per column per day and its first per week; more than "
        "viral_window_days (dbt var, 30) and lookback_days, checked when a cycle starts. "
        "socialpulse.retention.",
    )
    competitors_per_workspace: int = Field(
        default=200, ge=1, description="Most competitors one workspace may track (each is "
        "looked up and synced every cycle)."
    )

    @property
    def embedded_pg_dir(self) -> Path:
        """Data directory of the embedded Postgres server."""
        return self.socialpulse_data_dir / "postgres"


@lru_cache
def get_settings() -> Settings:
    """Return the cached settings object (clear with ``get_settings.cache_clear()``)."""
    return Settings()


def remember_in_env_file(name: str, value: str) -> Path:
    """Append ``name=value`` to the project's `.env` (local demo secrets) and set it for this
    process; returns the file. Every settings reader sees it from now on."""
    import os

    env_file = PROJECT_ROOT / ".env"
    with env_file.open("a") as fh:
        fh.write(f"{name}={value}\n")
    os.environ[name] = value
    get_settings.cache_clear()
    return env_file
