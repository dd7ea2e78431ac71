"""`make demo` connects the demo agency's owned accounts through the OAuth flow, as an agency
admin would: the report API runs on a local port, and for each client workspace and network
the admin starts the connection, the client's person logs in on the sandbox's consent page and
allows it, and the callback stores each account with its own tokens."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from platform_sandbox.process import free_port
from socialpulse.oauth.settings import oauth_settings, sandbox_environment
from socialpulse_cli.consent import give_consent

Echo = Callable[[str], None]
# one consent per API family: Facebook Login grants the Pages and their Instagram accounts
CONSENT_PLATFORMS = {"twitter": ("twitter",), "meta": ("facebook", "instagram"),
                     "linkedin": ("linkedin",)}


@contextmanager
def running_api(url: str, port: int, app: Any = None) -> Iterator[str]:
    """The report API (or ``app``) on 127.0.0.1:``port`` (uvicorn in a thread) for the length
    of the block."""
    import uvicorn

    from report_api.main import create_app

    server = uvicorn.Server(uvicorn.Config(app or create_app(database_url=url),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="demo-report-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"the report API did not start on port {port}")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def oauth_environment(sandbox_url: str, world: dict, api_url: str) -> dict[str, str]:
    """The OAuth settings that point the API at the sandbox's apps and this API's callbacks;
    the callbacks are registered with the sandbox's apps as one registers them with a real
    platform."""
    for group, platforms in CONSENT_PLATFORMS.items():
        for platform in platforms:
            httpx.post(f"{sandbox_url}/_sandbox/apps/{group}/redirect_uris", json={
                "redirect_uri": f"{api_url}/api/connections/{platform}/callback"},
                timeout=30).raise_for_status()
    return {**sandbox_environment(sandbox_url, world["app_credentials"]),
            "OAUTH_REDIRECT_BASE_URL": api_url}


def remember_sandbox_oauth(sandbox_url: str, world: dict, echo: Echo) -> None:
    """Write the sandbox's OAuth apps to `.env` (once; settings already in the environment or
    `.env` are kept) so that `make api` + `make sandbox` serve the console's Connect buttons
    against the sandbox after the demo."""
    import os

    from socialpulse.settings import PROJECT_ROOT, remember_in_env_file

    env_file = PROJECT_ROOT / ".env"
    present = env_file.read_text() if env_file.exists() else ""
    added = [key for key, value in sandbox_environment(sandbox_url, world["app_credentials"])
             .items() if key not in os.environ and f"\n{key}=" not in f"\n{present}"
             and remember_in_env_file(key, value)]
    if added:
        echo(f"pointed the report API's OAuth apps at the sandbox in {env_file} "
             f"({len(added)} settings; remove the OAUTH_* lines to use the real platforms)")


def connect_workspace(api: httpx.Client, bearer: str, workspace_id: int,
                      person: dict) -> list[dict]:
    """Connect one workspace on every network, consenting as ``person``; the accounts."""
    headers = {"Authorization": f"Bearer {bearer}"}
    connected: list[dict] = []
    for platform in ("twitter", "facebook", "linkedin"):
        r = api.get(f"/api/connections/{platform}/authorize",
                    params={"workspace_id": workspace_id}, headers=headers)
        if r.status_code != 307:
            raise RuntimeError(f"starting the {platform} connection failed: {r.text[:300]}")
        back = give_consent(r.headers["location"], person["login"], person["password"])
        done = api.get(back, headers=headers)
        if done.status_code != 200:
            raise RuntimeError(f"the {platform} connection failed: {done.text[:300]}")
        connected.extend(done.json()["accounts"])
    return connected


def connect_through_oauth(url: str, sandbox_url: str, world: dict, admin_token: Any,
                          echo: Echo) -> int:
    """Connect every demo workspace's owned accounts through the flow; returns how many.
    ``admin_token(agency_id)`` gives a bearer token of an admin of that agency (or None)."""
    import os

    from socialpulse.warehouse import connect

    people = httpx.get(f"{sandbox_url}/_sandbox/people", timeout=30).json()
    with connect(url) as conn:
        rows = conn.execute("select workspace_id, agency_id, slug from app.workspaces"
                            ).fetchall()
    workspaces = {r["slug"]: r for r in rows}
    port = free_port()
    total = 0
    with running_api(url, port) as api_url, httpx.Client(base_url=api_url, timeout=60) as api:
        os.environ.update(oauth_environment(sandbox_url, world, api_url))
        oauth_settings.cache_clear()
        for person in people:
            ws = workspaces.get(person["workspace_key"])
            if person.get("is_prospect") or ws is None:
                continue  # a prospect is a client the agency has not connected yet
            bearer = admin_token(ws["agency_id"])
            if bearer is None:
                echo(f"  {person['workspace_key']}: its agency has no admin to connect it")
                continue
            accounts = connect_workspace(api, bearer, ws["workspace_id"], person)
            total += len(accounts)
            echo(f"  connected {person['workspace_key']} through OAuth as {person['login']}: "
                 + ", ".join(f"{a['platform']} @{a['handle']}" for a in accounts))
    return total


def remember_sandbox_secrets(world: dict, echo: Echo, environment: Collection[str]) -> None:
    """Write the sandbox apps' credentials to `.dlt/secrets.toml` (git-ignored) where neither
    the file nor ``environment`` (the variables set before the demo) has them, so that
    `socialpulse sync`, `socialpulse cycle` and `make dagster` in a new shell read the same
    apps as the demo did. Values already there (a real app's) are never replaced."""
    import tomlkit

    from socialpulse.settings import PROJECT_ROOT

    path = PROJECT_ROOT / ".dlt" / "secrets.toml"
    doc = tomlkit.parse(path.read_text()) if path.exists() else tomlkit.document()
    sources = doc.setdefault("sources", tomlkit.table())
    added = 0
    for group, creds in world["app_credentials"].items():
        table = sources.setdefault(group, tomlkit.table())
        for key, value in creds.items():
            if f"SOURCES__{group.upper()}__{key.upper()}" in environment or table.get(key):
                continue
            table[key] = value
            added += 1
    if added:
        path.parent.mkdir(exist_ok=True)
        path.write_text(tomlkit.dumps(doc))
        echo(f"wrote the sandbox apps' credentials to {path} ({added} secrets; replace them "
             "with your apps' to sync the real platforms)")
