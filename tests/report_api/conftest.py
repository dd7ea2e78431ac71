"""One built warehouse for the whole package (built once, ~40 s): a two-agency sandbox
world, two syncs, dbt build, three API users and a few alerts; plus app/client fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from api_helpers import JWT_SECRET, PASSWORDS, WORLD, World, settings, token  # noqa: F401
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from tests.conftest import Sandbox
from tests.warehouse import Warehouse, warehouse


def _load(wh: Warehouse) -> None:
    """Two syncs six simulated hours apart, then the marts."""
    wh.connect_world(WORLD)
    wh.sync()
    wh.sandbox.advance(6 * 3600)
    wh.sync()
    wh.build()


def _people(world: World) -> None:
    from report_api.users import create_user

    agencies = world.query("select agency_id from app.agencies order by agency_id")
    world.agency_a, world.agency_b = agencies[0]["agency_id"], agencies[1]["agency_id"]
    for agency, target in ((world.agency_a, world.workspaces_a),
                           (world.agency_b, world.workspaces_b)):
        target.extend(r["workspace_id"] for r in world.query(
            "select workspace_id from app.workspaces where agency_id = %s "
            "order by workspace_id", (agency,)))
    specs = {"admin_a": ("agency_admin", world.agency_a, []),
             "viewer_a": ("client_viewer", world.agency_a, [world.workspaces_a[0]]),
             "admin_b": ("agency_admin", world.agency_b, [])}
    with psycopg.connect(world.url, row_factory=dict_row) as conn:
        for key, (role, agency, ws) in specs.items():
            email = f"{key}@example.test"
            user = create_user(conn, email, PASSWORDS[key], role, agency, ws)
            world.users[key] = user.user_id
            world.emails[key] = email


def _alerts(world: World) -> None:
    """Two alerts per agency (one per workspace) written as the alerting sensor would."""
    with psycopg.connect(world.url, row_factory=dict_row) as conn:
        for name, ws, kind in (("a1", world.workspaces_a[0], "viral_post"),
                               ("a2", world.workspaces_a[1], "negative_sentiment_spike"),
                               ("b1", world.workspaces_b[0], "viral_post")):
            account = world.accounts(ws)[0]
            post_id, payload = None, {"handle": "x"}
            if kind == "viral_post":
                post = conn.execute(
                    "select post_id, post_url from marts.posts where account_id = %s limit 1",
                    (account,)).fetchone()
                post_id, payload["post_url"] = post["post_id"], post["post_url"]
            world.alerts[name] = conn.execute(
                "insert into app.alerts (kind, dedupe_key, workspace_id, account_id, post_id, "
                "rule, score, payload, status, detected_at) values (%s, %s, %s, %s, %s, %s, "
                "4.2, %s, %s, now()) returning alert_id",
                (kind, f"test:{name}", ws, account, post_id,
                 "engagement_24h_zscore" if post_id else "negative_share_spike",
                 Jsonb(payload), "sent" if name != "a2" else "failed")).fetchone()["alert_id"]


@pytest.fixture(scope="package")
def world(sandbox_server: str) -> Iterator[World]:
    with warehouse(Sandbox(sandbox_server), "sp_test_api") as wh:
        _load(wh)
        w = World(wh.url)
        _people(w)
        _alerts(w)
        yield w


@pytest.fixture(scope="package")
def client(world: World):
    """A TestClient on an app without Redis and with a limit no functional test reaches."""
    from fastapi.testclient import TestClient

    from report_api.main import create_app

    with TestClient(create_app(settings(), database_url=world.url)) as c:
        yield c


@pytest.fixture(scope="package")
def auth(world: World) -> dict[str, dict[str, str]]:
    """Authorization headers per test user."""
    return {key: {"Authorization": f"Bearer {token(uid)}"} for key, uid in world.users.items()}


