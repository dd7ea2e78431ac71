"""The top of the command line: each tool owns its group; this module only adds them up."""

from __future__ import annotations

import logging
import os

import click

from dagster_project.cli import cycle_cli
from dlt_sources.cli import sync_cli
from platform_sandbox.cli import sandbox_cli
from report_api.cli import users_cli
from socialpulse.cli import ConfigErrorGroup, db_cli, keys_cli
from socialpulse.competitors_cli import competitors_cli
from socialpulse.oauth.cli import accounts_cli
from socialpulse.sentiment.cli import sentiment_cli
from socialpulse_cli.alerts_calibrate import alerts_cli


@click.group(cls=ConfigErrorGroup)
@click.option("-v", "--verbose", is_flag=True, help="Log at INFO level.")
def cli(verbose: bool) -> None:
    """socialpulse: social media analytics for agencies."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@cli.command("demo")
@click.option("--port", default=lambda: int(os.environ.get("SANDBOX_PORT", 8765)),
              type=int, help="Sandbox port (env SANDBOX_PORT, default 8765).")
@click.option("--speed", default=60.0, show_default=True, type=float,
              help="Sandbox clock: simulated seconds per real second.")
@click.option("--cycles", default=15, show_default=True, type=int,
              help="Dagster cycles (sync, checks, sentiment, dbt, alert sensors).")
@click.option("--gap-hours", default=24.0, show_default=True, type=float,
              help="Simulated hours between sync cycles (the defaults cover 14 days).")
def demo_cmd(port: int, speed: float, cycles: int, gap_hours: float) -> None:
    """Run the whole stack against the sandbox and print what was loaded."""
    from socialpulse_cli.demo import run_demo

    run_demo(click.echo, port, speed, cycles, gap_hours)


for group in (db_cli, keys_cli, sandbox_cli, sync_cli, users_cli, sentiment_cli,
              competitors_cli, alerts_cli, accounts_cli, cycle_cli):
    cli.add_command(group)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv, prog_name="socialpulse")
