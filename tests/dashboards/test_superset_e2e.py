"""End to end: deploy the bundle to a running Superset and drive it in headless Chromium.

Needs `make superset` (the .venv-superset, a server on SUPERSET_URL, the warehouse filled by
`make demo`), Debian's chromium and `npm ci` in dashboards/e2e; skips with the reason otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_PY = ROOT / ".venv-superset" / "bin" / "python"
E2E = ROOT / "dashboards" / "e2e"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
URL = os.environ.get("SUPERSET_URL", "http://127.0.0.1:8088")
# captured at import, before the session fixtures point the environment at throw-away data
_ENV = dict(os.environ)

pytestmark = pytest.mark.slow


def _requirements() -> str | None:
    if not VENV_PY.exists():
        return ".venv-superset is absent (run `make superset`)"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    if not (E2E / "node_modules" / "playwright-core").exists() or not shutil.which("node"):
        return "node or dashboards/e2e/node_modules is absent (cd dashboards/e2e && npm ci)"
    try:
        ok = httpx.get(f"{URL}/health", timeout=5).status_code == 200
    except httpx.HTTPError:
        ok = False
    if not ok:
        return f"no Superset answering on {URL} (run `make superset`)"
    return None


def _counts() -> dict[str, int]:
    code = (
        "import json, sys; sys.path.insert(0, 'dashboards'); from deploy import Superset; "
        "import os; sp = Superset(os.environ.get('SUPERSET_URL', 'http://127.0.0.1:8088'), "
        "os.environ.get('SUPERSET_ADMIN_USER', 'admin'), "
        "os.environ.get('SUPERSET_ADMIN_PASSWORD', 'admin-demo-password')); "
        "print(json.dumps({p: len(sp.all(p)) for p in ('/api/v1/chart/', '/api/v1/dataset/', "
        "'/api/v1/dashboard/', '/api/v1/database/', '/api/v1/rowlevelsecurity/', "
        "'/api/v1/security/roles/', '/api/v1/security/users/')}))"
    )
    out = subprocess.run([str(VENV_PY), "-c", code], cwd=ROOT, env=_ENV, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def deployed() -> None:
    reason = _requirements()
    if reason:
        pytest.skip(reason)
    if "DATABASE_URL" not in _ENV:  # the developer's warehouse, as `make demo` left it
        cli = Path(sys.executable).parent / "socialpulse"
        url = subprocess.run([str(cli), "db", "url"], cwd=ROOT, env=_ENV, capture_output=True,
                             text=True, check=True).stdout.strip().splitlines()[-1]
        _ENV["DATABASE_URL"] = url
    before = _counts()
    subprocess.run([str(VENV_PY), "dashboards/deploy.py"], cwd=ROOT, env=_ENV, check=True,
                   timeout=300)
    # deploying again changes nothing: no object is added
    assert _counts() == before or before["/api/v1/dashboard/"] == 0


def test_dashboards_render_with_data_and_client_sees_only_its_workspace(deployed) -> None:
    env = {**_ENV, "SUPERSET_URL": URL, "E2E_CLIENT_USER": "client_ag0_ws0",
           "SCREENSHOT_DIR": str(ROOT / "docs" / "screenshots")}
    out = subprocess.run(["node", str(E2E / "dashboards.mjs")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout)
    titles = {d["title"] for d in report["dashboards"]}
    assert titles == {"Overview", "Post performance", "Competitors", "Hashtags", "Sentiment",
                      "Alerts"}
    for dash in report["dashboards"]:
        assert dash["charts"] > 0, dash["title"]
        assert dash["errorBoxes"] == 0 and not dash["errorTexts"], dash["title"]
        assert len(dash["responses"]) >= dash["charts"], dash["title"]
        assert all(r["status"] == 200 and r["rows"] > 0 for r in dash["responses"]), dash
        for chart in dash["chartData"]:
            assert chart["status"] == 200 and chart["rows"] > 0, (dash["title"], chart)
        assert Path(dash["screenshot"]).stat().st_size > 10_000, dash["screenshot"]
    admin_ws = {w for d in report["dashboards"] for c in d["chartData"] for w in c["workspaces"]}
    assert len(admin_ws) >= 2, "the admin should see several workspaces"
    # post texts carry emoji; a colour emoji font draws them in colour, not as empty boxes
    assert report["emojiColourPixels"] > 200, (
        f"emoji drawn without colour ({report['emojiColourPixels']} coloured pixels): "
        "install a colour emoji font (apt-get install -y fonts-noto-color-emoji)")

    client = report["client"]
    assert client["dashboards"] == 6
    assert client["overview"]["errorBoxes"] == 0
    # charts name workspaces (workspace_label); a few rows carry the id
    seen = {w for c in client["charts"] for w in c["workspaces"]}
    own = {"1", _workspace_name(1)}
    assert seen and seen <= own, f"client_ag0_ws0 saw workspaces {seen - own or seen}"
    assert _workspace_name(1) in seen, "no chart named the client's workspace"
    assert all(c["status"] == 200 for c in client["charts"]), client["charts"]


def _workspace_name(workspace_id: int) -> str:
    """The workspace's name in the warehouse the dashboards read."""
    import psycopg

    with psycopg.connect(_ENV["DATABASE_URL"]) as conn:
        row = conn.execute("select name from app.workspaces where workspace_id = %s",
                           (workspace_id,)).fetchone()
    assert row, f"no workspace {workspace_id} in the warehouse"
    return str(row[0])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-v"]))
