"""`make demo`: warehouse, sandbox and demo agency, then Dagster cycles over two simulated
weeks (the CLI's defaults: 15 cycles a simulated day apart)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx

from socialpulse import crypto, migrate
from socialpulse.platforms import SOURCE_PLATFORMS
from socialpulse.settings import get_settings, remember_in_env_file
from socialpulse.warehouse import connect, database_url

Echo = Callable[[str], None]


def ensure_encryption_key(echo: Echo) -> None:
    """Create a token encryption key in .env on first use (an existing key is kept)."""
    if get_settings().socialpulse_encryption_keys:
        return
    env_file = remember_in_env_file("SOCIALPULSE_ENCRYPTION_KEYS", crypto.generate_key())
    echo(f"created a token encryption key in {env_file} (keep it: tokens are encrypted with it)")


def connect_demo_agency(url: str, sandbox_url: str, echo: Echo) -> dict:
    """Create the sandbox's demo agency, its workspaces and the demo users, then connect the
    owned accounts THROUGH the OAuth flow (the report API on a local port, each client's person
    consenting on the sandbox's pages); competitor accounts are tracked from the world. Returns
    the world."""
    from report_api.config import ensure_jwt_secret, get_api_settings
    from report_api.security import issue_token
    from report_api.users import create_demo_users
    from socialpulse.seed import fetch_world, seed_from_world, source_secrets_env
    from socialpulse_cli.demo_connect import connect_through_oauth, remember_sandbox_oauth

    world = fetch_world(sandbox_url)
    with connect(url) as conn:
        seeded = seed_from_world(conn, world, owned=False)
        users = create_demo_users(conn)
        # a re-run re-creates the demo users, which bumps their token version: a token must
        # carry the current one or the API answers "token revoked"
        admins = {r["agency_id"]: (r["user_id"], r["token_version"]) for r in conn.execute(
            "select distinct on (agency_id) agency_id, user_id, token_version from app.users "
            "where role = 'agency_admin' order by agency_id, user_id").fetchall()}
    ensure_jwt_secret(echo)
    settings = get_api_settings()

    def admin_token(agency_id: int) -> str | None:
        if agency_id not in admins:
            return None
        user_id, version = admins[agency_id]
        return issue_token(settings, user_id, "agency_admin", version=version)[0]

    echo(f"connecting the demo agency's {seeded['workspaces']} client workspaces through "
         "OAuth (X, Facebook Login, LinkedIn) on the sandbox's consent pages")
    remember_sandbox_oauth(sandbox_url, world, echo)
    owned = connect_through_oauth(url, sandbox_url, world, admin_token, echo)
    echo(f"connected the demo agency: {owned} owned accounts (tokens encrypted), "
         f"{seeded['connected_accounts']} competitor accounts")
    for user in users:
        echo(f"  report API / console login: {user.email} / {user.password} ({user.role})")
    os.environ.update(source_secrets_env(world))
    for source in SOURCE_PLATFORMS:
        os.environ[f"SOURCES__{source.upper()}__BASE_URL"] = sandbox_url
    return world


def run_cycles(url: str, sandbox_url: str, instance: Any, cycles: int, gap_hours: float,
               echo: Echo) -> str:
    """``cycles`` Dagster cycles ``gap_hours`` of simulated time apart, one line each; returns
    the simulated time of the last one."""
    from dagster_project.cycle import run_cycle
    from dagster_project.terminal import AlertTicker, account_lines, cycle_line, output_to

    ticker = AlertTicker(instance, url)
    log_file = get_settings().socialpulse_data_dir / "demo-cycles.log"
    echo(f"running {cycles} Dagster cycles {gap_hours:g} simulated hours apart "
         f"(sync, checks, sentiment, dbt build, alert sensors; full log: {log_file})")
    now = ""
    for n in range(1, cycles + 1):
        now = httpx.get(f"{sandbox_url}/_sandbox/clock").json()["now"]
        t0 = time.monotonic()
        with output_to(log_file):
            summary = run_cycle(url, instance=instance, log_level="WARNING")
            ticker.tick()
        echo(f"cycle {n}/{cycles} at simulated {now[:16]}: "
             f"{cycle_line(summary, time.monotonic() - t0)}")
        for line in account_lines(summary):
            echo(line)
        for name, error in summary["errors"].items():
            echo(f"  ! {name}: {error.splitlines()[0][:300] if error else ''}")
        if n < cycles:
            httpx.post(f"{sandbox_url}/_sandbox/clock", json={"advance_seconds": gap_hours * 3600})
    return now


def run_demo(echo: Echo, port: int, speed: float, cycles: int, gap_hours: float) -> None:
    """Start everything, connect the sandbox's demo agency and run ``cycles`` Dagster cycles
    ``gap_hours`` of simulated time apart, then print what the marts say."""
    import dagster as dg

    from dagster_project.instance import ensure_dagster_home
    from platform_sandbox.process import running_sandbox
    from socialpulse.observations import latest_observation
    from socialpulse_cli.demo_connect import remember_sandbox_secrets
    from socialpulse_cli.demo_report import (
        print_marts,
        raw_table_counts,
        viral_truth_check,
    )

    ensure_encryption_key(echo)
    started = time.monotonic()
    url = database_url()
    migrate.migrate(url)
    echo(f"warehouse ready: {url.split('@')[-1]}")
    home = ensure_dagster_home()
    # a warehouse that already holds a demo continues its simulated timeline: metrics must not
    # be observed going back in time
    resume = latest_observation(url)
    extra = ["--now", (resume + timedelta(hours=1)).isoformat()] if resume else []
    with running_sandbox(port, speed=speed, extra_args=extra) as sandbox_url, \
            dg.DagsterInstance.get() as instance:
        echo(f"sandbox running at {sandbox_url} ({speed:g} simulated seconds per second)")
        environment = set(os.environ)
        world = connect_demo_agency(url, sandbox_url, echo)
        remember_sandbox_secrets(world, echo, environment)
        now = run_cycles(url, sandbox_url, instance, cycles, gap_hours, echo)
        print_marts(url, echo)
        viral_truth_check(sandbox_url, url, now, echo)
    counts = raw_table_counts(url)
    echo(f"\nraw data: {sum(n for *_, n in counts)} rows in {len(counts)} raw tables")
    echo(f"\ndemo finished in {time.monotonic() - started:.0f}s. Where to look next:\n"
         f"  make dagster     Dagster UI at http://127.0.0.1:3000 (these runs are in {home})\n"
         "  psql \"$(.venv/bin/socialpulse db url)\"   the marts schema: posts, accounts, "
         "competitor_benchmark, ...\n"
         "  make api         the report API on http://127.0.0.1:8000/docs (logins above)\n"
         "  make sandbox + make api   the console at http://127.0.0.1:8000/console: connect a "
         "new client (the sandbox's prospect0 person, see /_sandbox/people)\n"
         "  app.alerts       the alerts raised; app.sync_state per-account sync status")
