"""The ``socialpulse`` command line: warehouse, keys, sandbox, sync and demo."""

from __future__ import annotations

import logging
import sys
from datetime import datetime

import click

from socialpulse.errors import ConfigError


class _Group(click.Group):
    """Turns configuration errors into one clear line and exit code 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)


@click.group(cls=_Group)
@click.option("-v", "--verbose", is_flag=True, help="Log at INFO level.")
def cli(verbose: bool) -> None:
    """socialpulse: social media analytics for agencies."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@cli.group()
def db() -> None:
    """The warehouse (DATABASE_URL, or the embedded Postgres)."""


@db.command("url")
def db_url() -> None:
    """Print the database URL in use (starts the embedded server if needed)."""
    from socialpulse.warehouse import database_url

    click.echo(database_url())


@db.command("up")
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


@db.command("down")
def db_down() -> None:
    """Stop the embedded Postgres."""
    from socialpulse import embedded_pg
    from socialpulse.settings import get_settings

    stopped = embedded_pg.stop(get_settings().embedded_pg_dir)
    click.echo("embedded Postgres stopped" if stopped else "embedded Postgres was not running")


@db.command("migrate")
def db_migrate() -> None:
    """Apply pending migrations of the app schema."""
    from socialpulse import migrate
    from socialpulse.warehouse import database_url

    applied = migrate.migrate(database_url())
    click.echo(f"migrations applied: {applied or 'none (up to date)'}")


@cli.group()
def keys() -> None:
    """Token encryption keys."""


@keys.command("generate")
def keys_generate() -> None:
    """Print a new key for SOCIALPULSE_ENCRYPTION_KEYS."""
    from socialpulse.crypto import generate_key

    click.echo(generate_key())


@keys.command("rotate")
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


@cli.group()
def sandbox() -> None:
    """The local emulator of the X, Meta and LinkedIn APIs."""


@sandbox.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8765, show_default=True, type=int)
@click.option("--seed", default=7, show_default=True, type=int)
@click.option("--speed", default=1.0, show_default=True, type=float,
              help="Simulated seconds per real second (0 freezes the clock).")
@click.option("--now", "now_", default=None, help="Simulated start time (ISO 8601, UTC).")
@click.option("--agencies", default=1, show_default=True, type=int)
@click.option("--workspaces", default=2, show_default=True, type=int,
              help="Client workspaces per agency.")
@click.option("--owned", default=1, show_default=True, type=int,
              help="Owned accounts per platform per workspace.")
@click.option("--competitors", default=3, show_default=True, type=int,
              help="Competitor brands per workspace.")
@click.option("--posts", default=40, show_default=True, type=int,
              help="Posts per account in the history window.")
@click.option("--history-days", default=20.0, show_default=True, type=float)
@click.option("--comments", default=3.0, show_default=True, type=float,
              help="Mean comments per post.")
@click.option("--viral-fraction", default=0.03, show_default=True, type=float)
@click.option("--malformed-fraction", default=0.0, show_default=True, type=float)
def sandbox_serve(host, port, seed, speed, now_, agencies, workspaces, owned, competitors, posts,
                  history_days, comments, viral_fraction, malformed_fraction) -> None:
    """Serve a deterministic synthetic world over the platforms' HTTP APIs."""
    from platform_sandbox.server import serve
    from platform_sandbox.world import WorldConfig

    try:
        config = WorldConfig(
            seed=seed, agencies=agencies, workspaces_per_agency=workspaces,
            owned_accounts_per_platform=owned, competitors_per_workspace=competitors,
            posts_per_account=posts, history_days=history_days, comments_per_post=comments,
            viral_fraction=viral_fraction, malformed_fraction=malformed_fraction)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    start = datetime.fromisoformat(now_) if now_ else None
    click.echo(f"sandbox serving on http://{host}:{port} (seed {seed}, speed {speed}x); "
               f"ground truth at http://{host}:{port}/_sandbox/world", err=True)
    serve(host, port, config, speed=speed, now=start)


@cli.command("sync")
@click.option("--platform", "platforms", multiple=True,
              help="twitter, instagram, facebook or linkedin (repeatable; default all).")
def sync_cmd(platforms: tuple[str, ...]) -> None:
    """Load every connected account into the raw_* datasets."""
    from dlt_sources.runner import sync

    results = sync(list(platforms) or None, progress=click.echo)
    failed = sum(len(r.failures) for r in results)
    click.echo(f"done: {len(results)} source(s), {failed} account(s) failed; "
               "details in app.sync_state")


@cli.command("demo")
@click.option("--port", default=lambda: int(__import__("os").environ.get("SANDBOX_PORT", 8765)),
              type=int, help="Sandbox port (env SANDBOX_PORT, default 8765).")
@click.option("--speed", default=60.0, show_default=True, type=float,
              help="Sandbox clock: simulated seconds per real second.")
@click.option("--cycles", default=5, show_default=True, type=int,
              help="Dagster cycles (sync, checks, sentiment, dbt, alert sensors).")
@click.option("--gap-hours", default=6.0, show_default=True, type=float,
              help="Simulated hours between sync cycles.")
def demo_cmd(port: int, speed: float, cycles: int, gap_hours: float) -> None:
    """Run the whole stack against the sandbox and print what was loaded."""
    from socialpulse.demo import run_demo

    run_demo(click.echo, port, speed, cycles, gap_hours)


def _register_subcommands() -> None:
    from report_api.cli import users_cli
    from socialpulse.sentiment.cli import sentiment_cli

    cli.add_command(sentiment_cli)
    cli.add_command(users_cli)


_register_subcommands()


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv, prog_name="socialpulse")


if __name__ == "__main__":
    main()
