"""One token per account: two owned accounts on one network are each read and refreshed with
their own token (the sandbox's request log says whose token every call carried), and
competitors say in app.sync_state which token they borrowed."""

from __future__ import annotations

import base64
import json
import re

from dlt_sources.runner import sync
from socialpulse.crypto import TokenCipher
from tests.dlt_sources.shared import connect_world, q

TWO_OWNED = {"workspaces_per_agency": 1, "owned_accounts_per_platform": 2,
             "competitors_per_workspace": 1, "posts_per_account": 4, "history_days": 3.0,
             "comments_per_post": 1.0}
_META_NODE = re.compile(r"^/v\d+\.0/(\d+)(/|$)")


def _subject(token: str) -> str:
    """The account a sandbox token was issued to (tokens are signed, self-describing)."""
    body = ""
    for prefix in ("sbxX", "EAAsbx", "AQsbx"):
        if token.startswith(prefix):
            body = token[len(prefix):].rsplit(".", 1)[0]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))[1]


def _about(request: dict) -> str | None:
    """The owned account a platform request reads, from its path or its query."""
    path = request["path"]
    if request["platform"] == "twitter":
        m = re.match(r"^/2/users/(\d+)(/tweets)?$", path)
        return m.group(1) if m else None
    if request["platform"] == "meta":
        m = _META_NODE.match(path)
        return m.group(1) if m else None
    found = re.search(r"urn:li:organization:(\d+)", json.dumps(request["query"]) + path)
    return found.group(1) if found else None


def test_two_owned_accounts_on_a_network_are_read_with_their_own_tokens(sandbox, db_url):
    world = connect_world(sandbox, db_url, TWO_OWNED)
    owned = [a for a in world["accounts"] if not a["is_competitor"]]
    assert {p: sum(a["platform"] == p for a in owned) for p in
            ("twitter", "instagram", "facebook", "linkedin")} == dict.fromkeys(
        ("twitter", "instagram", "facebook", "linkedin"), 2)
    sandbox.clear_requests()
    sync(url=db_url)
    log = sandbox.requests()
    for account in owned:
        reads = [r for r in log if _about(r) == account["platform_account_id"]]
        assert reads, account
        assert {r["token_subject"] for r in reads} == {account["platform_account_id"]}, account

    state = {r["platform_account_id"]: r for r in q(
        db_url, "select ca.platform, ca.platform_account_id, ca.is_competitor, ss.*, "
        "lender.platform_account_id as lender_id from app.sync_state ss "
        "join app.connected_accounts ca using (account_id) "
        "left join app.connected_accounts lender "
        "on lender.account_id = ss.credential_account_id")}
    for account in owned:
        s = state[account["platform_account_id"]]
        assert (s["credential_kind"], s["lender_id"]) == ("own", account["platform_account_id"])
    first_owned = {p: min((a for a in owned if a["platform"] == p),
                          key=lambda a: int(a["platform_account_id"]))["platform_account_id"]
                   for p in ("instagram", "facebook")}
    for account in (a for a in world["accounts"] if a["is_competitor"]):
        s = state[account["platform_account_id"]]
        if account["platform"] == "twitter":
            assert (s["credential_kind"], s["lender_id"]) == ("app", None)
        else:
            assert (s["credential_kind"], s["lender_id"]) == (
                "borrowed", first_owned[account["platform"]])


def test_a_refresh_is_stored_on_its_own_account_only(sandbox, db_url):
    world = connect_world(sandbox, db_url, TWO_OWNED, token_ttl_s={"twitter": 600})
    sandbox.advance(700)  # both X user tokens have expired
    sandbox.clear_requests()
    sync(["twitter"], url=db_url)
    refreshes = [r for r in sandbox.requests("twitter") if r["path"] == "/2/oauth2/token"]
    assert len(refreshes) == 2
    cipher = TokenCipher.from_settings()
    rows = q(db_url, "select platform_account_id, access_token_ciphertext from "
             "app.connected_accounts where platform = 'twitter' and not is_competitor")
    issued = {a["platform_account_id"]: a["tokens"]["access_token"]
              for a in world["accounts"] if a["platform"] == "twitter" and "tokens" in a}
    for r in rows:
        stored = cipher.decrypt(r["access_token_ciphertext"])
        assert stored != issued[r["platform_account_id"]]  # refreshed
        assert _subject(stored) == r["platform_account_id"]  # and with its own grant
