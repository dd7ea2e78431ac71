"""`socialpulse accounts connect` from a terminal: the printed URL, the consent on the
sandbox's page, the loopback callback, and the accounts stored with their own tokens."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import psycopg
from psycopg.rows import dict_row

from platform_sandbox.process import free_port
from socialpulse.oauth.settings import sandbox_environment
from socialpulse_cli.consent import give_consent

CLI = Path(sys.executable).parent / "socialpulse"


def _agency(db_url: str) -> int:
    from report_api.users import create_user

    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        agency = conn.execute("insert into app.agencies (name) values ('A') "
                              "returning agency_id").fetchone()["agency_id"]
        ws = conn.execute("insert into app.workspaces (agency_id, name, slug) values "
                          "(%s, 'Client', 'client') returning workspace_id",
                          (agency,)).fetchone()["workspace_id"]
        create_user(conn, "admin@example.test", "admin-password-1", "agency_admin", agency)
    return ws


def _run(db_url: str, sandbox, platform: str, ws: int, allow: bool = True
         ) -> subprocess.CompletedProcess:
    port = free_port()
    group = {"twitter": "twitter", "facebook": "meta", "linkedin": "linkedin"}[platform]
    sandbox.http.post(f"/_sandbox/apps/{group}/redirect_uris", json={
        "redirect_uri": f"http://127.0.0.1:{port}/callback"}).raise_for_status()
    apps = sandbox.http.get("/_sandbox/apps").json()
    env = {**os.environ, **sandbox_environment(sandbox.url, apps), "DATABASE_URL": db_url}
    proc = subprocess.Popen([str(CLI), "accounts", "connect", platform, "--workspace", str(ws),
                             "--port", str(port), "--timeout", "60"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    url = ""
    for line in proc.stdout:
        if line.startswith("http"):
            url = line.strip()
            break
    person = sandbox.http.get("/_sandbox/people").json()[0]
    back = give_consent(url, person["login"], person["password"], allow=allow)
    assert back.startswith(f"http://127.0.0.1:{port}/callback?")
    assert httpx.get(back).status_code == 200
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_connect_from_the_terminal(db_url, sandbox) -> None:
    ws = _agency(db_url)
    done = _run(db_url, sandbox, "facebook", ws)
    assert done.returncode == 0, done.stderr
    assert "connected Facebook @" in done.stdout and "connected Instagram @" in done.stdout
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        rows = conn.execute("select platform, access_token_ciphertext from "
                            "app.connected_accounts where workspace_id = %s", (ws,)).fetchall()
    assert sorted(r["platform"] for r in rows) == ["facebook", "instagram"]
    assert all(r["access_token_ciphertext"] for r in rows)
    for marker in ("EAAsbx", "sandbox-meta-secret"):
        assert marker not in done.stdout + done.stderr

    denied = _run(db_url, sandbox, "twitter", ws, allow=False)
    assert denied.returncode == 1 and "nothing was connected" in denied.stderr
