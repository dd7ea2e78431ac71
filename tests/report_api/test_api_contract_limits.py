"""Bounded inputs, strict types, body limits, cursors, security headers, committed writes,
revoked tokens and the report queue cap."""

from __future__ import annotations

import base64
import time

import httpx
import psycopg
from api_helpers import live_server, settings, token
from psycopg.rows import dict_row

RANGE = {"start": "2024-01-01", "end": "2024-01-31"}


def _app(world, **overrides):
    from report_api.main import create_app

    return create_app(settings(**overrides), database_url=world.url)


def test_8000_metrics_are_a_quick_422(client, auth, world):
    owned = world.accounts(world.workspaces_a[0])[:1]
    body = {"owned_account_ids": owned, "date_range": RANGE, "metrics": ["posts"] * 8000}
    started = time.monotonic()
    r = client.post("/api/analytics/competitor-analysis", json=body, headers=auth["admin_a"])
    assert r.status_code == 422 and time.monotonic() - started < 1.0
    legacy = {"user_accounts": owned * 51, "date_range": RANGE}
    assert client.post("/api/analytics/competitor-analysis", json=legacy,
                       headers=auth["admin_a"]).status_code == 422


def test_a_large_body_is_413_before_authentication(client):
    big = b"{" + b" " * 2_000_000 + b"}"
    r = client.post("/api/reports", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"

    def chunks():  # no Content-Length: counted while reading
        for _ in range(40):
            yield b" " * 50_000
    r = client.post("/api/reports", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_a_cursor_with_a_lone_surrogate_is_422(client, auth, world):
    account = world.accounts(world.workspaces_a[0])[0]
    raw = b'{"s":"created_at","o":"desc","v":"2024-01-01T00:00:00+00:00","k":"\\ud800"}'
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    r = client.get(f"/api/accounts/{account}/posts", params={"cursor": cursor},
                   headers=auth["admin_a"])
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "cursor"


def test_dates_are_iso_booleans_strict_bodies_utf8_and_ids_float_safe(client, auth, world):
    h = auth["admin_a"]
    assert client.get("/api/analytics/trending-hashtags", params={"as_of": "0"},
                      headers=h).status_code == 422
    assert client.get("/api/dashboard/overview", params={"start_date": "0"},
                      headers=h).status_code == 422
    owned = world.accounts(world.workspaces_a[0])[:1]
    body = {"owned_account_ids": owned, "date_range": RANGE, "track": 0}
    assert client.post("/api/analytics/competitor-analysis", json=body,
                       headers=h).status_code == 422
    r = client.post("/api/reports", content=b'{"date_range": "\xff\xfe"}',
                    headers={**h, "Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    assert client.get(f"/api/accounts/{2**53}/posts", headers=h).status_code == 422
    spec = client.get("/openapi.json").json()
    maximum = spec["components"]["schemas"]["ReportCreate"]["properties"]["workspace_id"]
    assert float(2**53 - 1) == 2**53 - 1
    assert "9007199254740991" in str(maximum)


def test_security_headers(client, world):
    r = client.post("/api/auth/token", json={"email": world.emails["admin_a"],
                                             "password": "admin-a-password"})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert client.get("/healthz").headers["x-content-type-options"] == "nosniff"
    docs = client.get("/docs")
    assert "script-src" in docs.headers["content-security-policy"]
    redirect = client.get("/api/alerts/", headers={"Host": "evil.example"},
                          follow_redirects=False)
    assert redirect.status_code == 307
    assert redirect.headers["location"] == "/api/alerts"


def test_every_write_is_readable_as_soon_as_it_is_answered(world):
    """Over real HTTP: the commit happens before the response, never after."""
    admin = {"Authorization": f"Bearer {token(world.users['admin_a'])}"}
    body = {"date_range": RANGE, "workspace_id": world.workspaces_a[0]}
    with live_server(_app(world)) as url, httpx.Client(base_url=url, timeout=10) as c:
        for _ in range(25):
            created = c.post("/api/reports", json=body, headers=admin)
            assert created.status_code == 202
            assert c.get(created.headers["location"], headers=admin).status_code == 200
        alert = world.alerts["a1"]
        assert c.post(f"/api/alerts/{alert}/ack", headers=admin).status_code == 200
        listed = c.get("/api/alerts", params={"acknowledged": True}, headers=admin).json()
    assert alert in [a["alert_id"] for a in listed["alerts"]]
    world.query("update app.alerts set acknowledged_at = null, acknowledged_by_user_id = null "
                "where alert_id = %s returning alert_id", (alert,))  # other tests expect it
    world.query("delete from app.report_requests where requested_by = %s and status = 'queued' "
                "returning report_id", (world.users["admin_a"],))


def test_a_password_change_revokes_earlier_tokens(client, world):
    from report_api.users import create_user

    with psycopg.connect(world.url, row_factory=dict_row) as conn:
        user = create_user(conn, "rotating@example.test", "first-password", "agency_admin",
                           world.agency_a)
    r = client.post("/api/auth/token", json={"email": user.email, "password": "first-password"})
    fresh = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert client.get("/api/auth/me", headers=fresh).status_code == 200
    with psycopg.connect(world.url, row_factory=dict_row) as conn:
        create_user(conn, user.email, "second-password", "agency_admin", world.agency_a)
    revoked = client.get("/api/auth/me", headers=fresh)
    assert revoked.status_code == 401 and revoked.json()["error"]["message"] == "token revoked"


def test_queued_reports_are_capped_per_user(world):
    from fastapi.testclient import TestClient

    admin = {"Authorization": f"Bearer {token(world.users['admin_b'])}"}
    body = {"date_range": RANGE, "workspace_id": world.workspaces_b[0]}
    mine = (world.users["admin_b"],)
    world.query("delete from app.report_requests where requested_by = %s "
                "and status in ('queued', 'running') returning report_id", mine)
    with TestClient(_app(world, max_queued_reports_per_user=2)) as c:
        statuses = [c.post("/api/reports", json=body, headers=admin).status_code
                    for _ in range(3)]
        third = c.post("/api/reports", json=body, headers=admin)
    assert statuses == [202, 202, 429]
    assert third.json()["error"]["code"] == "report_queue_full"
    world.query("delete from app.report_requests where requested_by = %s "
                "and status = 'queued' returning report_id", mine)
