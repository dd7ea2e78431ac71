"""Warehouse, migrations, token encryption and the app schema."""

from __future__ import annotations

import psycopg
import pytest
from psycopg.rows import dict_row

from socialpulse import accounts
from socialpulse.crypto import TokenCipher, generate_key
from socialpulse.errors import ConfigError
from socialpulse.migrate import migrate
from socialpulse.seed import seed_from_world


def test_migrations_are_idempotent(db_url):
    assert migrate(db_url) == []
    with psycopg.connect(db_url) as conn:
        tables = {r[0] for r in conn.execute(
            "select table_name from information_schema.tables where table_schema = 'app'")}
    assert {"agencies", "workspaces", "users", "connected_accounts", "sync_state"} <= tables


def test_cipher_rotation_keeps_old_tokens_readable():
    old, new = generate_key(), generate_key()
    stored = TokenCipher([old]).encrypt("secret-token")
    rotated_cipher = TokenCipher([new, old])
    assert rotated_cipher.decrypt(stored) == "secret-token"
    rotated = rotated_cipher.rotate(stored)
    assert TokenCipher([new]).decrypt(rotated) == "secret-token"
    with pytest.raises(ConfigError, match="cannot be decrypted"):
        TokenCipher([generate_key()]).decrypt(stored)


def test_missing_or_bad_key_is_a_clear_error():
    with pytest.raises(ConfigError, match="SOCIALPULSE_ENCRYPTION_KEYS is not set"):
        TokenCipher([])
    with pytest.raises(ConfigError, match="invalid key"):
        TokenCipher(["not-a-key"])


def test_seeding_encrypts_tokens_and_is_idempotent(db_url, sandbox):
    world = sandbox.world()
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        seed_from_world(conn, world)
        seed_from_world(conn, world)
        count = conn.execute("select count(*) as n from app.connected_accounts").fetchone()["n"]
        assert count == len(world["accounts"])
        dump = "\n".join(str(r) for r in conn.execute("select * from app.connected_accounts"))
        for acct in world["accounts"]:
            for token in (acct.get("tokens") or {}).values():
                if isinstance(token, str) and len(token) > 20:
                    assert token not in dump
        targets = accounts.list_sync_targets(conn, ["twitter"])
    twitter = [a for a in world["accounts"] if a["platform"] == "twitter"]
    assert {t.platform_account_id for t in targets} == {a["platform_account_id"] for a in twitter}
    owned = {a["platform_account_id"]: a["tokens"]["access_token"] for a in twitter
             if not a["is_competitor"]}
    for t in targets:
        if not t.is_competitor:
            assert t.access_token == owned[t.platform_account_id]
            assert t.credential_kind == "own"
        else:  # X competitors are read with the app's bearer token, not a user's
            assert (t.access_token, t.credential_kind) == (None, "app")
