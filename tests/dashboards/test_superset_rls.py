"""Row-level security in a running Superset: a client viewer sees only the workspaces
app.dashboard_access gives its login, in every dataset, including a workspace and a viewer
created after the deploy with no Superset role or filter added for them.

Needs `make superset` (.venv-superset, a server on SUPERSET_URL) and the warehouse it reads
(`make demo`); skips with the reason otherwise. The check adds a workspace (the code path of
POST /api/workspaces) tracking one competitor of workspace A, rebuilds the marts downstream of
the accounts so it has rows, and removes both again afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from psycopg.rows import dict_row

ROOT = Path(__file__).resolve().parents[2]
VENV_PY = ROOT / ".venv-superset" / "bin" / "python"
URL = os.environ.get("SUPERSET_URL", "http://127.0.0.1:8088")
ADMIN = (os.environ.get("SUPERSET_ADMIN_USER", "admin"),
         os.environ.get("SUPERSET_ADMIN_PASSWORD", "admin-demo-password"))
CLIENT_PASSWORD = os.environ.get("SUPERSET_CLIENT_PASSWORD", "client-demo-password")
# the marts that hold a new workspace's rows once its accounts are built
REBUILD = ["run", "--select", "stg_app__connected_accounts+"]
POST_SCOPED = {"post_metrics_daily"}  # no workspace_id: filtered through marts.posts
# captured at import, before the session fixtures point the environment at throw-away data
_ENV = dict(os.environ)

pytestmark = pytest.mark.slow

sys.path.insert(0, str(ROOT / "dashboards"))
try:
    from deploy import Superset
finally:
    sys.path.remove(str(ROOT / "dashboards"))


def _skip_reason() -> str | None:
    if not VENV_PY.exists():
        return ".venv-superset is absent (run `make superset`)"
    try:
        ok = httpx.get(f"{URL}/health", timeout=5).status_code == 200
    except httpx.HTTPError:
        ok = False
    return None if ok else f"no Superset answering on {URL} (run `make superset`)"


def _warehouse_url() -> str:
    if "DATABASE_URL" in _ENV:
        return _ENV["DATABASE_URL"]
    cli = Path(sys.executable).parent / "socialpulse"  # the developer's warehouse (make demo)
    out = subprocess.run([str(cli), "db", "url"], cwd=ROOT, env=_ENV, capture_output=True,
                         text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def _rebuild(url: str) -> None:
    from socialpulse.transform import run_dbt

    run_dbt(REBUILD, database_url=url)


@pytest.fixture(scope="module")
def world() -> Iterator[dict[str, Any]]:
    """Deployed bundle; workspaces A and B known at deploy; workspace W created after it with a
    client viewer (a report API user, and the Superset login of the same name)."""
    from report_api.manage import create_workspace_for
    from report_api.schemas.workspaces import WorkspaceCreate
    from report_api.scope import Scope
    from report_api.users import create_user

    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    url = _warehouse_url()
    subprocess.run([str(VENV_PY), "dashboards/deploy.py"], cwd=ROOT,
                   env={**_ENV, "DATABASE_URL": url, "SUPERSET_URL": URL}, check=True,
                   timeout=300)
    admin = Superset(URL, *ADMIN)
    email = f"rls-{uuid.uuid4().hex[:8]}@example.invalid"
    with psycopg.connect(url, row_factory=dict_row, autocommit=True) as conn:
        a, b = conn.execute(
            "select w.workspace_id, w.slug, w.agency_id from app.workspaces w where exists "
            "(select from marts.posts p where p.workspace_id = w.workspace_id) "
            "order by w.workspace_id limit 2").fetchall()
        competitor = conn.execute(
            "select platform, platform_account_id, handle from app.connected_accounts "
            "where workspace_id = %s and is_competitor and platform = 'twitter' limit 1",
            (a["workspace_id"],)).fetchone()
        assert competitor, "workspace A tracks no X competitor"
        scope = Scope(0, "admin@example.invalid", "agency_admin", a["agency_id"], ())
        new = create_workspace_for(conn, scope, WorkspaceCreate(name=f"RLS check {email}"))
        conn.execute(
            "insert into app.connected_accounts (workspace_id, platform, platform_account_id, "
            "handle, is_competitor) values (%s, %s, %s, %s, true)",
            (new.workspace_id, *competitor.values()))
        viewer = create_user(conn, email, CLIENT_PASSWORD, "client_viewer", a["agency_id"],
                             [new.workspace_id])
    roles = {r["name"]: r["id"] for r in admin.all("/api/v1/security/roles/")}
    # what a Superset admin does for any new person: a login with the two shared roles
    login = admin.call("POST", "/api/v1/security/users/", json={
        "first_name": "RLS", "last_name": "viewer", "username": email, "email": email,
        "active": True, "password": CLIENT_PASSWORD,
        "roles": [roles["Gamma"], roles["client_viewer"]]})
    try:
        _rebuild(url)
        yield {"url": url, "admin": admin, "a": a["workspace_id"], "b": b["workspace_id"],
               "w": new.workspace_id, "logins": {
                   "a": f"client_{a['slug']}".replace("-", "_"),
                   "b": f"client_{b['slug']}".replace("-", "_"), "w": email}}
    finally:
        admin.call("DELETE", f"/api/v1/security/users/{login['id']}")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("delete from app.users where user_id = %s", (viewer.user_id,))
            conn.execute("delete from app.workspaces where workspace_id = %s",
                         (new.workspace_id,))
        _rebuild(url)


def _served(sp: Superset, datasets: list[dict]) -> dict[str, set]:
    """Per dataset, the workspace ids the login is served (post ids on post_metrics_daily)."""
    seen: dict[str, set] = {}
    for ds in datasets:
        column = "post_id" if ds["table_name"] in POST_SCOPED else "workspace_id"
        body = {"datasource": {"id": ds["id"], "type": "table"}, "force": False,
                "queries": [{"columns": [column], "metrics": ["count"], "row_limit": 100000}],
                "result_format": "json", "result_type": "full"}
        rows = sp.call("POST", "/api/v1/chart/data", json=body)["result"][0]["data"]
        seen[ds["table_name"]] = {r[column] for r in rows}
    return seen


def test_viewers_see_only_their_workspace_also_one_created_after_deploy(world) -> None:
    datasets = world["admin"].all("/api/v1/dataset/")
    everything = _served(world["admin"], datasets)
    assert {world["w"], world["a"], world["b"]} <= everything["posts"]
    with psycopg.connect(world["url"]) as conn:
        posts_of = {ws: {r[0] for r in conn.execute(
            "select post_id from marts.posts where workspace_id = %s", (ws,)).fetchall()}
            for ws in (world["a"], world["b"], world["w"])}
    # A first, then W and B: the same queries, so a result cached for one login would show
    for key in ("a", "w", "b"):
        ws = world[key]
        seen = _served(Superset(URL, world["logins"][key], CLIENT_PASSWORD), datasets)
        for table, values in seen.items():
            if table in POST_SCOPED:  # a post several workspaces track is theirs each
                assert values and values <= posts_of[ws], (key, table, values - posts_of[ws])
                continue
            assert values <= {ws}, (key, table, values)
            # every dataset that holds rows of the workspace serves them to its viewer
            assert (ws in values) == (ws in everything[table]), (key, table)
        assert ws in seen["posts"] and ws in seen["competitor_benchmark"], key


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-v"]))
