"""The sources' command: ``socialpulse sync`` loads every connected account once."""

from __future__ import annotations

import click

from socialpulse.platforms import PLATFORMS


@click.command("sync")
@click.option("--platform", "platforms", multiple=True,
              help=f"One of {', '.join(PLATFORMS)} (repeatable; default all).")
def sync_cli(platforms: tuple[str, ...]) -> None:
    """Load every connected account into the raw_* datasets."""
    from dlt_sources.runner import sync

    results = sync(list(platforms) or None, progress=click.echo)
    failed = sum(len(r.failures) for r in results)
    click.echo(f"done: {len(results)} source(s), {failed} account(s) failed; "
               "details in app.sync_state")
