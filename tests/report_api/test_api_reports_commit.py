"""A report request whose commit fails is a 503 with the error shape, never a 202."""

from __future__ import annotations

import httpx
import psycopg
from api_helpers import live_server, settings, token

RANGE = {"start": "2024-01-01", "end": "2024-01-31"}

# Postgres checks a deferred constraint trigger at COMMIT: the insert succeeds, the commit
# fails, exactly as a serialization failure or a lost connection at commit would.
FAIL_AT_COMMIT = [
    "create function app.test_fail_report_commit() returns trigger language plpgsql as $$ "
    "begin raise exception 'commit refused for the test'; end $$",
    "create constraint trigger test_fail_report_commit after insert on app.report_requests "
    "deferrable initially deferred for each row when (new.requested_by = {user_id}) "
    "execute function app.test_fail_report_commit()"]
REMOVE = ["drop trigger if exists test_fail_report_commit on app.report_requests",
          "drop function if exists app.test_fail_report_commit()"]


def _execute(world, statements: list[str], user_id: int) -> None:
    with psycopg.connect(world.url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement.format(user_id=int(user_id)).encode())


def _reports_of(world, user_id: int) -> int:
    return world.query("select count(*) as n from app.report_requests where requested_by = %s",
                       (user_id,))[0]["n"]


def test_a_failed_commit_answers_503_and_leaves_no_report(world):
    from report_api.main import create_app

    user_id = world.users["admin_b"]
    admin = {"Authorization": f"Bearer {token(user_id)}"}
    body = {"date_range": RANGE, "workspace_id": world.workspaces_b[0]}
    before = _reports_of(world, user_id)
    app = create_app(settings(), database_url=world.url)
    with live_server(app) as url, httpx.Client(base_url=url, timeout=10) as c:
        _execute(world, FAIL_AT_COMMIT, user_id)
        try:
            refused = c.post("/api/reports", json=body, headers=admin)
        finally:
            _execute(world, REMOVE, user_id)
        accepted = c.post("/api/reports", json=body, headers=admin)
    assert refused.status_code == 503, refused.text
    assert refused.json()["error"]["code"] == "unavailable"
    assert refused.headers["retry-after"] == "1" and "location" not in refused.headers
    assert accepted.status_code == 202  # the same request once commits work again
    assert _reports_of(world, user_id) == before + 1
    world.query("delete from app.report_requests where report_id = %s returning report_id",
                (accepted.json()["report_id"],))
