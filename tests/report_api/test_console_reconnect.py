"""The console's Reconnect button in headless Chromium: an account revoked at the platform is
marked needs_reauth by the next sync; Reconnect sends the admin through that account's consent
and back, and only that account is reconnected (same row, needs_reauth cleared)."""

# ruff: noqa: F811 - fixtures imported from oauth_helpers are parameters here
from __future__ import annotations

import json
import os
import subprocess

import pytest
from api_helpers import settings
from oauth_helpers import agency, api, consent, oauth_sandbox, people  # noqa: F401
from test_console import CHROMIUM, PLAYWRIGHT_FROM, ROOT, _browser_missing

from dlt_sources.runner import sync
from platform_sandbox.process import free_port
from socialpulse.oauth.settings import oauth_settings

SCRIPT = ROOT / "tests" / "report_api" / "e2e" / "console_reconnect.mjs"


@pytest.mark.slow
def test_reconnect_button_reauthorises_one_account(oauth_sandbox, agency, api,
                                                   monkeypatch) -> None:
    reason = _browser_missing()
    if reason:
        pytest.skip(reason)
    from report_api.main import create_app
    from socialpulse_cli.demo_connect import running_api

    person = people(oauth_sandbox)[0]
    x = consent(api, agency, "twitter", person).json()["accounts"][0]
    consent(api, agency, "linkedin", person)
    oauth_sandbox.http.post("/_sandbox/oauth/revoke", json={"group": "twitter",
                                                             "login": person["login"]})
    sync(["twitter"], url=agency.url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    oauth_sandbox.http.post("/_sandbox/apps/twitter/redirect_uris", json={
        "redirect_uri": f"{base}/api/connections/twitter/callback"}).raise_for_status()
    monkeypatch.setenv("OAUTH_REDIRECT_BASE_URL", base)
    oauth_settings.cache_clear()
    with running_api(agency.url, port, create_app(settings(), database_url=agency.url)):
        out = subprocess.run(["node", str(SCRIPT)], cwd=ROOT, capture_output=True, text=True,
                             timeout=300, env={
                                 **os.environ, "CONSOLE_URL": base,
                                 "ADMIN_EMAIL": "admin@example.test",
                                 "ADMIN_PASSWORD": "admin-password-1",
                                 "WORKSPACE_ID": str(agency.workspace_id),
                                 "ACCOUNT_ID": str(x["account_id"]),
                                 "PERSON_LOGIN": person["login"],
                                 "PERSON_PASSWORD": person["password"],
                                 "PLAYWRIGHT_FROM": str(PLAYWRIGHT_FROM), "CHROMIUM": CHROMIUM})
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert "error" not in report, report
    assert report["before"] == "needs_reauth"
    assert report["href"] == f"/api/accounts/{x['account_id']}/reconnect"
    assert report["consent_page"] == "/i/oauth2/authorize"
    assert report["notice"].startswith("connected X @") and "(reconnected)" in report["notice"]
    assert report["after"] != "needs_reauth" and report["rows"] == 2, report
    state = agency.query("select needs_reauth from app.sync_state where account_id = %s",
                         (x["account_id"],))
    assert not state or not state[0]["needs_reauth"]
    assert agency.query("select count(*) as n from app.connected_accounts")[0]["n"] == 2


def test_console_disconnect_says_when_the_platform_revoke_failed(oauth_sandbox, agency, api,
                                                                 monkeypatch) -> None:
    import re

    from test_console import _login

    x = consent(api, agency, "twitter", people(oauth_sandbox)[0]).json()["accounts"][0]
    monkeypatch.setenv("OAUTH_TWITTER_REVOKE_URL",
                       f"http://127.0.0.1:{free_port()}/2/oauth2/revoke")
    assert _login(api, "admin@example.test", "admin-password-1").status_code == 303
    page = api.get(f"/console/workspaces/{agency.workspace_id}")
    assert f'href="/api/accounts/{x["account_id"]}/reconnect"' not in page.text  # healthy
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    done = api.post(f"/console/accounts/{x['account_id']}/disconnect", data={"csrf": csrf})
    assert done.status_code == 200 and 'class="notice error"' in done.text
    assert "(tokens destroyed); platform revoke failed" in done.text
    assert f'href="/api/accounts/{x["account_id"]}/reconnect"' in done.text  # disconnected
    assert agency.query("select access_token_ciphertext from app.connected_accounts"
                        )[0]["access_token_ciphertext"] is None
