"""`make demo` connects its agency through the OAuth flow, not by copying tokens."""

from __future__ import annotations

import os

import httpx
import psycopg
from psycopg.rows import dict_row

from socialpulse.crypto import TokenCipher
from socialpulse.oauth.settings import oauth_settings, sandbox_environment


def test_demo_agency_is_connected_through_the_consent_pages(db_url, sandbox, monkeypatch
                                                            ) -> None:
    from socialpulse_cli.demo import connect_demo_agency

    monkeypatch.setenv("JWT_SECRET", "a-test-secret-long-enough-for-the-api-0123456789")
    # set as a developer's environment would be: the demo writes nothing to the project's .env
    apps = sandbox.http.get("/_sandbox/apps").json()
    for key, value in sandbox_environment(sandbox.url, apps).items():
        monkeypatch.setenv(key, value)
    saved = dict(os.environ)
    lines: list[str] = []
    try:
        world = connect_demo_agency(db_url, sandbox.url, lines.append)
        # a re-run (README: it continues the same warehouse) re-creates the demo users, which
        # revokes their earlier tokens; it must still connect, and nothing is duplicated
        connect_demo_agency(db_url, sandbox.url, lines.append)
    finally:
        os.environ.clear()
        os.environ.update(saved)
        oauth_settings.cache_clear()
    owned = {(a["platform"], str(a["platform_account_id"])) for a in world["accounts"]
             if not a["is_competitor"]}
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        rows = conn.execute(
            "select ca.platform, ca.platform_account_id, ca.access_token_ciphertext, "
            "u.email from app.connected_accounts ca "
            "join app.users u on u.user_id = ca.connected_by_user_id "
            "where not ca.is_competitor").fetchall()
        flows = conn.execute("select platform, outcome from app.oauth_flows").fetchall()
        competitors = conn.execute("select count(*) as n from app.connected_accounts "
                                   "where is_competitor").fetchone()["n"]
    assert {(r["platform"], r["platform_account_id"]) for r in rows} == owned
    assert {r["email"] for r in rows} == {"admin@demo.socialpulse.local"}
    # one consent per workspace and API family, each ended by connecting accounts
    workspaces = len(world["workspaces"])
    assert len(flows) == 2 * 3 * workspaces
    assert all(f["outcome"].startswith("connected") for f in flows)
    assert competitors == sum(a["is_competitor"] for a in world["accounts"])
    cipher = TokenCipher.from_settings()
    for r in rows:  # every stored token works at the platform for its own account
        token = cipher.decrypt(r["access_token_ciphertext"])
        auth = {"Authorization": f"Bearer {token}"}
        if r["platform"] == "twitter":
            me = httpx.get(f"{sandbox.url}/2/users/me", headers=auth).json()["data"]["id"]
            assert me == r["platform_account_id"]
        elif r["platform"] == "linkedin":
            assert httpx.get(f"{sandbox.url}/rest/organizations/{r['platform_account_id']}",
                             headers={**auth, "LinkedIn-Version": "202610",
                                      "X-Restli-Protocol-Version": "2.0.0"}).status_code == 200
        else:
            node = httpx.get(f"{sandbox.url}/v24.0/{r['platform_account_id']}",
                             params={"fields": "id"}, headers=auth)
            assert node.status_code == 200, node.text
    assert any("through OAuth" in line for line in lines)
