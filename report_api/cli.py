"""``socialpulse users ...``: a click group the main CLI registers (``users_cli``)."""

from __future__ import annotations

import click


@click.group("users")
def users_cli() -> None:
    """Users of the report API (argon2-hashed passwords in app.users)."""


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(["agency_admin", "client_viewer"]), required=True)
@click.option("--agency-id", type=int, required=True)
@click.option("--workspace-id", "workspace_ids", type=int, multiple=True,
              help="Client viewers: a workspace they see (repeatable).")
@click.password_option(help="Prompted (twice) when not given; env USER_PASSWORD.",
                       envvar="USER_PASSWORD")
def users_create(email: str, role: str, agency_id: int, workspace_ids: tuple[int, ...],
                 password: str) -> None:
    """Create or update a user."""
    from report_api.users import create_user
    from socialpulse.warehouse import connect

    try:
        with connect() as conn:
            user = create_user(conn, email, password, role, agency_id, workspace_ids)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"user #{user.user_id} {user.email} ({user.role}) saved")


@users_cli.command("demo")
def users_demo() -> None:
    """Create the demo agency admin and client viewer; prints their credentials."""
    from report_api.users import create_demo_users
    from socialpulse.warehouse import connect

    with connect() as conn:
        for user in create_demo_users(conn):
            click.echo(f"{user.role:<14} {user.email}  password: {user.password}")


@users_cli.command("list")
def users_list() -> None:
    """Users with their role and workspaces."""
    from socialpulse.warehouse import connect

    with connect() as conn:
        rows = conn.execute(
            "select u.user_id, u.email, u.role, u.agency_id, array_remove(array_agg("
            "uw.workspace_id order by uw.workspace_id), null) as ws from app.users u "
            "left join app.user_workspaces uw using (user_id) group by u.user_id "
            "order by u.user_id").fetchall()
    for r in rows:
        scope = "all workspaces of the agency" if r["role"] == "agency_admin" else r["ws"]
        click.echo(f"#{r['user_id']} {r['email']} {r['role']} agency {r['agency_id']}: {scope}")
