"""The web console: an agency admin logs in, clicks Connect for each network, consents on the
sandbox's page and lands back with the accounts listed (headless Chromium, as
tests/dashboards/test_superset_e2e.py drives it); login, CSRF and viewer refusals."""

# ruff: noqa: F811 - fixtures imported from oauth_helpers are parameters here
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from api_helpers import settings
from oauth_helpers import agency, api, oauth_sandbox, people  # noqa: F401

from platform_sandbox.process import free_port
from socialpulse.oauth.settings import oauth_settings

ROOT = Path(__file__).resolve().parents[2]
PLAYWRIGHT_FROM = ROOT / "dashboards" / "e2e"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCRIPT = Path(__file__).parent / "e2e" / "console.mjs"
CALLBACK_PLATFORMS = {"twitter": ("twitter",), "meta": ("facebook", "instagram"),
                      "linkedin": ("linkedin",)}


def _browser_missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    if not shutil.which("node") or not (PLAYWRIGHT_FROM / "node_modules"
                                        / "playwright-core").exists():
        return "node or dashboards/e2e/node_modules is absent (cd dashboards/e2e && npm ci)"
    return None


def _login(api, email: str, password: str):
    form = api.get("/console/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    return api.post("/console/login", data={"email": email, "password": password,
                                            "csrf": csrf}, follow_redirects=False)


def test_login_sessions_and_csrf(agency, api) -> None:
    r = api.get("/console", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console/login"
    assert _login(api, "admin@example.test", "wrong").status_code == 401
    viewer = _login(api, "viewer@example.test", "viewer-password-1")
    assert viewer.status_code == 403 and "agency admins" in viewer.text
    no_csrf = api.post("/console/login", data={"email": "admin@example.test",
                                               "password": "admin-password-1"})
    assert no_csrf.status_code == 403
    ok = _login(api, "admin@example.test", "admin-password-1")
    assert ok.status_code == 303 and "sp_session" in ok.cookies
    page = api.get("/console")
    assert page.status_code == 200 and "Client one" in page.text
    assert "form-action 'self'" in page.headers["content-security-policy"]
    assert "Other client" not in page.text  # another agency's workspace
    forged = api.post("/console/workspaces", data={"name": "Forged", "csrf": "nope"},
                      follow_redirects=False)
    assert forged.status_code == 403
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    made = api.post("/console/workspaces", data={"name": "New client", "csrf": csrf},
                    follow_redirects=False)
    assert made.status_code == 303
    assert agency.query("select count(*) as n from app.workspaces where name = 'New client'"
                        )[0]["n"] == 1
    assert api.get(f"/console/workspaces/{agency.foreign_workspace_id}").status_code == 404


@pytest.mark.slow
def test_admin_connects_every_network_from_the_console(oauth_sandbox, agency, monkeypatch,
                                                       tmp_path) -> None:
    reason = _browser_missing()
    if reason:
        pytest.skip(reason)
    from report_api.main import create_app
    from socialpulse_cli.demo_connect import running_api

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    for group, platforms in CALLBACK_PLATFORMS.items():
        for platform in platforms:
            oauth_sandbox.http.post(f"/_sandbox/apps/{group}/redirect_uris", json={
                "redirect_uri": f"{base}/api/connections/{platform}/callback"}
            ).raise_for_status()
    monkeypatch.setenv("OAUTH_REDIRECT_BASE_URL", base)
    oauth_settings.cache_clear()
    person = people(oauth_sandbox)[0]
    shot = tmp_path / "console.png"
    with running_api(agency.url, port, create_app(settings(), database_url=agency.url)):
        out = subprocess.run(["node", str(SCRIPT)], cwd=ROOT, capture_output=True, text=True,
                             timeout=300, env={
                                 **os.environ, "CONSOLE_URL": base,
                                 "ADMIN_EMAIL": "admin@example.test",
                                 "ADMIN_PASSWORD": "admin-password-1",
                                 "WORKSPACE_ID": str(agency.workspace_id),
                                 "PERSON_LOGIN": person["login"],
                                 "PERSON_PASSWORD": person["password"],
                                 "PLATFORMS": "twitter,facebook,linkedin",
                                 "PLAYWRIGHT_FROM": str(PLAYWRIGHT_FROM),
                                 "SCREENSHOT": str(shot), "CHROMIUM": CHROMIUM})
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert "error" not in report, report
    assert report["steps"][0] == "landed on /console/login"
    assert all(c["notice"].startswith("connected") for c in report["connected"]), report
    listed = sorted(a["platform"] for a in report["accounts"])
    expected = sorted(a["platform"] for a in person["accounts"])
    assert listed == expected, report
    assert all(a["status"] == "never_synced" for a in report["accounts"])
    handles = " ".join(a["text"] for a in report["accounts"])
    assert all(f"@{a['handle']}" in handles for a in person["accounts"])
    stored = agency.query("select platform, access_token_ciphertext from "
                          "app.connected_accounts where workspace_id = %s",
                          (agency.workspace_id,))
    assert sorted(r["platform"] for r in stored) == expected
    assert all(r["access_token_ciphertext"] for r in stored)
    assert shot.stat().st_size > 10_000


def test_a_browser_back_without_a_session_is_sent_to_the_login(agency, api) -> None:
    r = api.get("/api/connections/twitter/callback?code=a&state=b",
                headers={"Accept": "text/html,application/xhtml+xml"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console/login"
    # an API client without a token gets the API's 401
    assert api.get("/api/connections/twitter/callback?code=a&state=b").status_code == 401


def test_competitors_are_added_and_removed_from_the_console(agency, api) -> None:
    assert _login(api, "admin@example.test", "admin-password-1").status_code == 303
    page = api.get(f"/console/workspaces/{agency.workspace_id}")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = api.post(f"/console/workspaces/{agency.workspace_id}/competitors",
                 data={"csrf": csrf, "platform": "twitter",
                       "handle_or_url": "https://x.com/RivalBrand"})
    assert r.status_code == 200 and "tracking X @rivalbrand: pending" in r.text
    assert 'data-status="pending"' in r.text
    bad = api.post(f"/console/workspaces/{agency.workspace_id}/competitors",
                   data={"csrf": csrf, "platform": "twitter",
                         "handle_or_url": "https://www.facebook.com/rival"})
    assert bad.status_code == 200 and 'class="notice error"' in bad.text
    row = agency.query("select competitor_id from app.competitors")[0]
    gone = api.post(f"/console/workspaces/{agency.workspace_id}/competitors/"
                    f"{row['competitor_id']}/remove", data={"csrf": csrf})
    assert "stopped tracking" in gone.text
    assert not agency.query("select 1 from app.competitors")
