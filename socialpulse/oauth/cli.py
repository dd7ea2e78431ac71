"""``socialpulse accounts connect PLATFORM --workspace N``: the connection flow from a terminal,
for data engineers who never open the console. It prints the consent URL, listens on a local
loopback callback (register ``http://127.0.0.1:<port>/callback`` with the platform's app) and
stores what was granted, like the report API's callback."""

from __future__ import annotations

import secrets
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import click

from socialpulse.oauth import service
from socialpulse.oauth.client import ConnectionFailed
from socialpulse.oauth.flows import FlowRefused
from socialpulse.platforms import PLATFORMS, display_name
from socialpulse.warehouse import connect

LOOPBACK_PORT = 8976


class _Callback(BaseHTTPRequestHandler):
    """Answers the browser's redirect once and hands its query to the waiting command."""

    query: dict[str, str] | None = None
    done = threading.Event()

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        parts = urlsplit(self.path)
        if parts.path != "/callback":
            self.send_error(404)
            return
        type(self).query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        body = b"socialpulse: the connection is being finished in your terminal; close this tab."
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        type(self).done.set()

    def log_message(self, format: str, *args: object) -> None:  # the query holds the code
        return


def _admin_of(conn, workspace_id: int, email: str | None) -> int:
    row = conn.execute(
        "select u.user_id from app.users u join app.workspaces w using (agency_id) "
        "where w.workspace_id = %s and u.role = 'agency_admin' "
        "and (%s::text is null or lower(u.email) = lower(%s)) order by u.user_id limit 1",
        (workspace_id, email, email)).fetchone()
    if row is None:
        raise click.ClickException(
            f"workspace {workspace_id} has no agency admin"
            + (f" with the email {email}" if email else "")
            + ": create one with `socialpulse users create`")
    return row["user_id"]


@click.group("accounts")
def accounts_cli() -> None:
    """Connected platform accounts."""


@accounts_cli.command("connect")
@click.argument("platform", type=click.Choice(PLATFORMS))
@click.option("--workspace", "workspace_id", required=True, type=int, help="Workspace id.")
@click.option("--user", "email", default=None,
              help="The agency admin connecting (default: the agency's first admin).")
@click.option("--port", default=LOOPBACK_PORT, show_default=True, type=int,
              help="Local callback port (its /callback must be registered with the app).")
@click.option("--timeout", default=600, show_default=True, type=int,
              help="Seconds to wait for the consent.")
def connect_cmd(platform: str, workspace_id: int, email: str | None, port: int,
                timeout: int) -> None:
    """Connect PLATFORM accounts to a workspace: open the printed URL, consent, and the
    accounts are stored with their own tokens (Facebook and Instagram start Facebook Login)."""
    key = secrets.token_urlsafe(32)  # the state is checked by this process only
    redirect_uri = f"http://127.0.0.1:{port}/callback"
    _Callback.query, _Callback.done = None, threading.Event()
    server = HTTPServer(("127.0.0.1", port), _Callback)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with connect() as conn:
            user_id = _admin_of(conn, workspace_id, email)
            url = service.begin(conn, key, user_id, workspace_id, platform, redirect_uri)
            conn.commit()
            click.echo(f"Open this URL in a browser and consent on {display_name(platform)}:")
            click.echo(url)
            click.echo(f"waiting for the callback on {redirect_uri} ...")
            if not _Callback.done.wait(timeout):
                raise click.ClickException("no callback came in time: run the command again")
            q: dict[str, str] = _Callback.query or {}
            try:
                accounts = service.complete(conn, key, user_id, platform, q.get("state"),
                                            q.get("code"), q.get("error"),
                                            q.get("error_description")).accounts
            except (FlowRefused, ConnectionFailed) as exc:
                raise click.ClickException(f"nothing was connected: {exc}") from None
    finally:
        server.shutdown()
        server.server_close()
    for a in accounts:
        state = "connected" if a.is_new else "reconnected"
        click.echo(f"{state} {display_name(a.platform)} @{a.handle} "
                   f"(account {a.account_id})")
