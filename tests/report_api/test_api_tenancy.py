"""Tenant isolation: another tenant's ids answer 404 on every endpoint, never data; and
SQL-injection strings in every parameter are refused or treated as plain values."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import psycopg
import pytest
from psycopg.rows import dict_row

RANGE = {"start": "2026-10-01", "end": "2026-11-30"}


def _foreign(world) -> dict:
    """Ids of agency B (and of workspace A2, which the client viewer of A1 may not see)."""
    b_ws = world.workspaces_b[0]
    with psycopg.connect(world.url, row_factory=dict_row) as conn:
        report = conn.execute(
            "insert into app.report_requests (workspace_id, report_type, start_date, end_date, "
            "account_ids) values (%s, 'full', '2026-10-01', '2026-11-01', %s) "
            "returning report_id", (b_ws, world.accounts(b_ws))).fetchone()["report_id"]
    return {"workspace": b_ws, "account": world.accounts(b_ws)[0],
            "competitor": world.accounts(b_ws, competitor=True)[0], "report": str(report),
            "alert": world.alerts["b1"]}


def _calls(ids: dict, own_account: int) -> list[tuple[str, str, dict]]:
    """(method, path, kwargs) that each name one foreign id."""
    return [
        ("get", f"/api/accounts/{ids['account']}/posts", {}),
        ("get", f"/api/accounts/{ids['competitor']}/posts", {}),
        ("get", f"/api/posts/{ids['account']}", {}),  # the deprecated path
        ("get", "/api/dashboard/overview", {"params": {"workspace_id": ids["workspace"]}}),
        ("get", "/api/analytics/trending-hashtags",
         {"params": {"workspace_id": ids["workspace"]}}),
        ("post", "/api/analytics/competitor-analysis",
         {"json": {"owned_account_ids": [ids["account"]], "date_range": RANGE}}),
        ("post", "/api/analytics/competitor-analysis",
         {"json": {"owned_account_ids": [own_account, ids["account"]], "date_range": RANGE}}),
        ("post", "/api/analytics/competitor-analysis",  # the deprecated field name
         {"json": {"user_accounts": [ids["account"]], "date_range": RANGE}}),
        ("post", "/api/reports", {"json": {"account_ids": [ids["account"]],
                                           "date_range": RANGE}}),
        ("post", "/api/reports", {"json": {"workspace_id": ids["workspace"],
                                           "date_range": RANGE}}),
        ("get", f"/api/reports/{ids['report']}", {}),
        ("get", f"/api/reports/{ids['report']}/download", {"params": {"format": "json"}}),
        ("get", "/api/alerts", {"params": {"account_id": ids["account"]}}),
        ("post", f"/api/alerts/{ids['alert']}/ack", {}),
    ]


def _assert_404_without_data(r, ids: dict) -> None:
    assert r.status_code == 404, r.text
    assert r.json()["error"]["code"] == "not_found"
    for value in ids.values():
        assert f'"{value}"' not in r.text.replace(" ", "") or "not found" in r.text


@pytest.mark.parametrize("who", ["admin_a", "viewer_a"])
def test_foreign_ids_are_404_on_every_endpoint(client, world, auth, who):
    ids = _foreign(world)
    own = world.accounts(world.workspaces_a[0])[0]
    for method, path, kwargs in _calls(ids, own):
        r = getattr(client, method)(path, headers=auth[who], **kwargs)
        _assert_404_without_data(r, ids)
    b_alert = world.query("select acknowledged_at from app.alerts where alert_id = %s",
                          (ids["alert"],))[0]
    assert b_alert["acknowledged_at"] is None
    # the other agency's admin does see them
    assert client.get(f"/api/accounts/{ids['account']}/posts",
                      headers=auth["admin_b"]).status_code == 200
    assert client.get(f"/api/reports/{ids['report']}",
                      headers=auth["admin_b"]).status_code == 200


def test_client_viewer_sees_one_workspace_only(client, world, auth):
    a2 = world.workspaces_a[1]
    ids = {"workspace": a2, "account": world.accounts(a2)[0],
           "competitor": world.accounts(a2, competitor=True)[0],
           "report": str(uuid.uuid4()), "alert": world.alerts["a2"]}
    own = world.accounts(world.workspaces_a[0])[0]
    for method, path, kwargs in _calls(ids, own):
        r = getattr(client, method)(path, headers=auth["viewer_a"], **kwargs)
        assert r.status_code == 404, (path, r.text)
    overview = client.get("/api/dashboard/overview", headers=auth["viewer_a"]).json()
    assert {a["workspace_id"] for a in overview["accounts"]} == {world.workspaces_a[0]}
    assert client.get(f"/api/accounts/{ids['account']}/posts",
                      headers=auth["admin_a"]).status_code == 200


INJECTIONS = ["1 OR 1=1", "1; DROP TABLE app.users; --", "' OR '1'='1", "1) or (1=1",
              "'; select pg_sleep(5); --", "\" or \"\"=\"", "%27%20OR%201%3D1", "\x00",
              "../../etc/passwd", "twitter' --"]


def _snapshot(world) -> dict:
    return {t: world.query(f"select count(*) as n from {t}")[0]["n"]
            for t in ("app.users", "app.workspaces", "app.connected_accounts", "app.alerts",
                      "marts.posts", "marts.accounts")}


def test_sql_injection_strings_are_harmless(client, world, auth):
    before = _snapshot(world)
    h = auth["admin_a"]
    own = world.accounts(world.workspaces_a[0])[0]
    query_params = {
        "/api/dashboard/overview": ["start_date", "end_date", "platform", "workspace_id",
                                    "include_competitors"],
        f"/api/accounts/{own}/posts": ["limit", "cursor", "offset", "sort", "order",
                                       "include_deleted"],
        "/api/analytics/trending-hashtags": ["window", "platform", "limit", "workspace_id",
                                             "as_of"],
        "/api/alerts": ["status", "kind", "account_id", "acknowledged", "limit", "cursor"],
    }
    for s in INJECTIONS:
        for path, names in query_params.items():
            for name in names:
                r = client.get(path, headers=h, params={name: s})
                assert r.status_code == 422, (path, name, s, r.text)
                assert r.json()["error"]["code"] == "invalid_request"
        q = quote(s, safe="")
        for path in (f"/api/accounts/{q}/posts", f"/api/posts/{q}", f"/api/reports/{q}",
                     f"/api/reports/{q}/download", f"/api/alerts/{q}/ack"):
            method = client.post if path.endswith("/ack") else client.get
            r = method(path, headers=h)
            assert r.status_code in (404, 405, 422), (path, r.text)
        bodies = [
            ("/api/analytics/competitor-analysis",
             {"owned_account_ids": [own], "competitor_handles": [s], "date_range": RANGE}),
            ("/api/analytics/competitor-analysis",
             {"owned_account_ids": [s], "date_range": RANGE}),
            ("/api/analytics/competitor-analysis",
             {"user_accounts": [own], "competitor_accounts": [s], "date_range": RANGE}),
            ("/api/analytics/competitor-analysis",
             {"owned_account_ids": [own], "metrics": [s], "date_range": RANGE}),
            ("/api/analytics/competitor-analysis",
             {"owned_account_ids": [own], "date_range": {"start": s, "end": "2026-11-01"}}),
            ("/api/reports", {"report_type": s, "date_range": RANGE}),
            ("/api/reports", {"account_ids": [s], "date_range": RANGE}),
            ("/api/reports", {"workspace_id": s, "date_range": RANGE}),
        ]
        for path, body in bodies:
            r = client.post(path, headers=h, json=body)
            assert r.status_code == 422, (path, body, r.text)
        r = client.post("/api/auth/token", json={"email": s, "password": s})
        assert r.status_code in (401, 422), r.text
        r = client.post("/api/auth/token", json={"email": f"x{s.replace(' ', '')}@x.y",
                                                 "password": s})
        assert r.status_code in (401, 422), r.text
        r = client.get("/api/dashboard/overview", headers={"Authorization": f"Bearer {s}"})
        assert r.status_code == 401
    assert _snapshot(world) == before


def test_competitor_handle_text_is_a_value_not_sql(client, world, auth):
    """A handle that passes validation but looks like SQL is looked up literally."""
    own = world.accounts(world.workspaces_a[0])[0]
    r = client.post("/api/analytics/competitor-analysis", headers=auth["admin_a"], json={
        "owned_account_ids": [own], "competitor_handles": ["x--", "a.b-c_d"],
        "date_range": RANGE})
    assert r.status_code == 422
    assert r.json()["error"]["details"]["unknown_handles"] == ["a.b-c_d", "x--"]
