"""`socialpulse cycle`: the 15-minute cycle once, now, from a terminal."""

from __future__ import annotations

import time

import click


@click.command("cycle")
@click.option("--executor", type=click.Choice(["in_process", "celery"]), default=None,
              help="Where the steps run (default DAGSTER_EXECUTOR, else in_process); celery "
                   "needs `make workers`.")
def cycle_cli(executor: str | None) -> None:
    """Run one cycle now, as the schedule does every 15 minutes: competitors looked up, every
    due account synced, checks, sentiment, dbt build, then the alert sensors."""
    import dagster as dg

    from dagster_project.cycle import run_cycle
    from dagster_project.instance import ensure_dagster_home
    from dagster_project.terminal import AlertTicker, account_lines, cycle_line, output_to
    from socialpulse import migrate
    from socialpulse.settings import get_settings
    from socialpulse.warehouse import database_url

    url = database_url()
    migrate.migrate(url)
    home = ensure_dagster_home()
    log_file = get_settings().socialpulse_data_dir / "cycles.log"
    click.echo(f"running one cycle on {url.split('@')[-1]} (sync, checks, sentiment, dbt build, "
               f"alert sensors; full log: {log_file})")
    started = time.monotonic()
    with dg.DagsterInstance.get() as instance, output_to(log_file):
        summary = run_cycle(url, instance=instance, log_level="WARNING", executor=executor)
        AlertTicker(instance, url).tick()
    click.echo(f"cycle done: {cycle_line(summary, time.monotonic() - started)}")
    for line in account_lines(summary):
        click.echo(line)
    for name, error in summary["errors"].items():
        click.echo(f"  ! {name}: {error.splitlines()[0][:300] if error else ''}")
    click.echo(f"the run is in the Dagster instance at {home} (make dagster); per-account "
               "outcomes in app.sync_state and the console; figures in the marts schema")
    if not summary["success"]:
        raise SystemExit(1)
