"""Meta sandbox knobs for recorded Graph behaviour: absolute paging links, "Require App
Secret", business_discovery cursors that do not end, comments without ``id``."""

from __future__ import annotations

import hashlib
import hmac

from platform_sandbox.auth import APP_CREDENTIALS
from tests.platform_sandbox.meta.test_meta_api import get, meta  # noqa: F401


def _proof(token: str) -> str:
    secret = APP_CREDENTIALS["meta"]["client_secret"].encode()
    return hmac.new(secret, token.encode(), hashlib.sha256).hexdigest()


def test_paging_links_name_graph_host(meta):  # noqa: F811
    sandbox, pick, auth = meta
    sandbox.faults(meta_links_to_graph_host=True)
    ig = pick[("instagram", False)]["platform_account_id"]
    body = get(sandbox, f"/v24.0/{ig}/media", auth("instagram"), fields="id", limit=5).json()
    assert body["paging"]["next"].startswith(f"https://graph.facebook.com/v24.0/{ig}/media?")


def test_require_app_secret_checks_the_proof(meta):  # noqa: F811
    sandbox, pick, auth = meta
    sandbox.faults(meta_require_appsecret_proof=True)
    page = pick[("facebook", False)]
    headers, token = auth("facebook"), page["tokens"]["access_token"]
    path = f"/v24.0/{page['platform_account_id']}"
    missing = get(sandbox, path, headers, fields="id")
    assert missing.status_code == 400
    assert missing.json()["error"]["message"] == (
        "(#100) Pages Public Content Access requires either app secret proof or an app token")
    wrong = get(sandbox, path, headers, fields="id", appsecret_proof=_proof(token + "x"))
    assert wrong.status_code == 400 and "appsecret_proof" in wrong.json()["error"]["message"]
    ok = get(sandbox, path, headers, fields="id", appsecret_proof=_proof(token))
    assert ok.status_code == 200
