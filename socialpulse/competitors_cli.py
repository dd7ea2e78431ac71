"""``socialpulse competitors add|list|remove --workspace N``: the competitors a workspace tracks,
from a terminal (the same rules as POST /api/workspaces/{id}/competitors)."""

from __future__ import annotations

import click

from socialpulse.platforms import PLATFORMS

_WORKSPACE = click.option("--workspace", "workspace_id", type=int, required=True,
                          help="Workspace id (see GET /api/workspaces).")


def _check_workspace(conn, workspace_id: int) -> None:
    if conn.execute("select 1 from app.workspaces where workspace_id = %s",
                    (workspace_id,)).fetchone() is None:
        raise click.UsageError(f"no workspace {workspace_id}")


@click.group("competitors")
def competitors_cli() -> None:
    """Competitors a workspace tracks (looked up on the platform by the next cycle)."""


@competitors_cli.command("add")
@_WORKSPACE
@click.argument("platform", type=click.Choice(PLATFORMS))
@click.argument("handle_or_url")
def competitors_add(workspace_id: int, platform: str, handle_or_url: str) -> None:
    """Track HANDLE_OR_URL (@name, name or the profile URL) on PLATFORM."""
    from socialpulse import competitors
    from socialpulse.handles import HandleError
    from socialpulse.warehouse import connect

    try:
        with connect() as conn:
            _check_workspace(conn, workspace_id)
            row = competitors.add(conn, workspace_id, platform, handle_or_url)
    except (HandleError, competitors.CompetitorLimit) as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"#{row['competitor_id']} {platform}:{row['handle']} {row['status']}"
               + (" (looked up by the next cycle)" if row["status"] == "pending" else ""))


@competitors_cli.command("list")
@_WORKSPACE
def competitors_list(workspace_id: int) -> None:
    """Each competitor with its status and the reason."""
    from socialpulse import competitors
    from socialpulse.warehouse import connect

    with connect() as conn:
        _check_workspace(conn, workspace_id)
        rows = competitors.list_competitors(conn, workspace_id)
    if not rows:
        click.echo("no competitors")
    for r in rows:
        account = f" account {r['account_id']}" if r["account_id"] else ""
        reason = f": {r['reason']}" if r["reason"] else ""
        click.echo(f"#{r['competitor_id']} {r['platform']}:{r['handle']} "
                   f"{r['status']}{account}{reason}")


@competitors_cli.command("remove")
@_WORKSPACE
@click.argument("competitor_id", type=int)
def competitors_remove(workspace_id: int, competitor_id: int) -> None:
    """Stop tracking COMPETITOR_ID (what was synced so far is kept)."""
    from socialpulse import competitors
    from socialpulse.warehouse import connect

    with connect() as conn:
        if not competitors.remove(conn, workspace_id, competitor_id):
            raise click.UsageError(f"workspace {workspace_id} has no competitor "
                                   f"{competitor_id}")
    click.echo(f"#{competitor_id} no longer tracked")
