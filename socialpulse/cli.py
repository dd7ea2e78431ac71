"""The core's command groups: the warehouse (``db``) and token encryption keys (``keys``)."""

from __future__ import annotations

import sys

import click

from socialpulse.errors import ConfigError


class ConfigErrorGroup(click.Group):
    """A click group that turns configuration errors into one clear line and exit code 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)


@click.group("db")
def db_cli() -> None:
    """The warehouse (DATABASE_URL, or the embedded Postgres)."""


@db_cli.command("url")
def db_url() -> None:
    """Print the database URL in use (starts the embedded server if needed)."""
    from socialpulse.warehouse import database_url

    click.echo(database_url())


@db_cli.command("up")
def db_up() -> None:
    """Start the embedded Postgres and apply migrations."""
    from socialpulse import migrate
    from socialpulse.settings import get_settings
    from socialpulse.warehouse import database_url

    settings = get_settings()
    url = database_url()
    applied = migrate.migrate(url)
    where = ("DATABASE_URL" if settings.database_url
             else f"embedded, data in {settings.embedded_pg_dir}")
    click.echo(f"database ready at {url} ({where}); migrations applied: {applied or 'none'}")
    if not settings.database_url:
        log_file = settings.embedded_pg_dir / "server.log"
        click.echo(f"stop it with `socialpulse db down`; server log: {log_file}")


@db_cli.command("down")
def db_down() -> None:
    """Stop the embedded Postgres."""
    from socialpulse import embedded_pg
    from socialpulse.settings import get_settings

    stopped = embedded_pg.stop(get_settings().embedded_pg_dir)
    click.echo("embedded Postgres stopped" if stopped else "embedded Postgres was not running")


@db_cli.command("resume-at")
def db_resume_at() -> None:
    """Print the time an hour after the warehouse's newest observation (nothing before the
    first sync or when no warehouse is reachable): `make sandbox` starts the sandbox's clock
    there, so syncs after `make demo` continue its timeline instead of going back in time."""
    from datetime import UTC, timedelta

    from socialpulse.observations import warehouse_latest_observation

    latest = warehouse_latest_observation()
    if latest is None:
        click.echo("no observation in a reachable warehouse: the sandbox's clock starts at the "
                   "world's start", err=True)
        return
    start = (latest + timedelta(hours=1)).astimezone(UTC)
    click.echo(f"the warehouse's newest observation is {latest.astimezone(UTC):%Y-%m-%d %H:%M} "
               f"UTC: the sandbox's clock starts at {start:%Y-%m-%d %H:%M} UTC", err=True)
    click.echo(start.isoformat())


@db_cli.command("migrate")
def db_migrate() -> None:
    """Apply pending migrations of the app schema."""
    from socialpulse import migrate
    from socialpulse.warehouse import database_url

    applied = migrate.migrate(database_url())
    click.echo(f"migrations applied: {applied or 'none (up to date)'}")


@click.group("keys")
def keys_cli() -> None:
    """Token encryption keys."""


@keys_cli.command("generate")
def keys_generate() -> None:
    """Print a new key for SOCIALPULSE_ENCRYPTION_KEYS."""
    from socialpulse.crypto import generate_key

    click.echo(generate_key())


@keys_cli.command("rotate")
def keys_rotate() -> None:
    """Re-encrypt every stored token with the first key of SOCIALPULSE_ENCRYPTION_KEYS."""
    from socialpulse.crypto import TokenCipher
    from socialpulse.warehouse import connect

    cipher = TokenCipher.from_settings()
    with connect() as conn:
        rows = conn.execute("select account_id, access_token_ciphertext, refresh_token_ciphertext "
                            "from app.connected_accounts for update").fetchall()
        for r in rows:
            conn.execute(
                "update app.connected_accounts set access_token_ciphertext = %s, "
                "refresh_token_ciphertext = %s, updated_at = now() where account_id = %s",
                (cipher.rotate(r["access_token_ciphertext"]) if r["access_token_ciphertext"]
                 else None, cipher.rotate(r["refresh_token_ciphertext"])
                 if r["refresh_token_ciphertext"] else None, r["account_id"]))
    click.echo(f"re-encrypted the tokens of {len(rows)} accounts with the primary key")
