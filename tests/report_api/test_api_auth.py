"""Authentication: tokens for app.users (argon2 hashes), and 401 for every bad token."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from api_helpers import JWT_SECRET, PASSWORDS, settings, token

from socialpulse.errors import ConfigError

PROTECTED = [("get", "/api/dashboard/overview"), ("get", "/api/accounts/1/posts"),
             ("get", "/api/posts/1"),
             ("get", "/api/analytics/trending-hashtags"), ("get", "/api/alerts"),
             ("post", "/api/alerts/1/ack"), ("get", "/api/auth/me"),
             ("get", "/api/reports/00000000-0000-0000-0000-000000000000"),
             ("get", "/api/reports/00000000-0000-0000-0000-000000000000/download")]


def _assert_401(response) -> None:
    assert response.status_code == 401, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == "unauthorized"
    assert response.headers["www-authenticate"] == "Bearer"


def test_token_for_a_user_then_me(client, world):
    r = client.post("/api/auth/token", json={"email": world.emails["viewer_a"].upper(),
                                             "password": PASSWORDS["viewer_a"]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    claims = jwt.decode(body["access_token"], JWT_SECRET, algorithms=["HS256"],
                        issuer="socialpulse-report-api")
    assert claims["sub"] == str(world.users["viewer_a"])
    me = client.get("/api/auth/me",
                    headers={"Authorization": f"Bearer {body['access_token']}"}).json()
    assert me["role"] == "client_viewer" and me["workspace_ids"] == [world.workspaces_a[0]]


def test_passwords_are_stored_as_argon2_hashes(world):
    rows = world.query("select email, password_hash from app.users")
    assert rows and all(r["password_hash"].startswith("$argon2id$") for r in rows)
    assert not any(p in r["password_hash"] for r in rows for p in PASSWORDS.values())


@pytest.mark.parametrize("email,password", [
    ("admin_a@example.test", "wrong"), ("nobody@example.test", "admin-a-password")])
def test_bad_credentials_are_401_with_one_message(client, email, password):
    r = client.post("/api/auth/token", json={"email": email, "password": password})
    _assert_401(r)
    assert r.json()["error"]["message"] == "invalid email or password"


@pytest.mark.parametrize("method,path", PROTECTED)
def test_no_token_is_401(client, method, path):
    _assert_401(getattr(client, method)(path))


def _tampered(tok: str) -> str:
    header, payload, sig = tok.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "2"  # someone else
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{sig}"


def test_expired_tampered_foreign_and_unsigned_tokens_are_401(client, world):
    uid = world.users["admin_a"]
    now = int(time.time())
    bad = {
        "expired": token(uid, now=time.time() - 2 * 3600),
        "tampered": _tampered(token(uid)),
        "other secret": token(uid, jwt_secret="another-secret-that-is-long-enough-1234567"),
        "alg none": jwt.encode({"sub": str(uid), "iat": now, "exp": now + 600,
                                "iss": "socialpulse-report-api"}, None, algorithm="none"),
        "no exp": jwt.encode({"sub": str(uid), "iat": now, "iss": "socialpulse-report-api"},
                             JWT_SECRET, algorithm="HS256"),
        "garbage": "not.a.token",
        "unknown user": token(999_999),
    }
    for what, tok in bad.items():
        for method, path in PROTECTED[:3]:
            r = getattr(client, method)(path, headers={"Authorization": f"Bearer {tok}"})
            assert r.status_code == 401, (what, path, r.text)
    expired = client.get("/api/dashboard/overview",
                         headers={"Authorization": f"Bearer {bad['expired']}"})
    assert expired.json()["error"]["message"] == "token expired"
    basic = client.get("/api/auth/me", headers={"Authorization": "Basic YTpi"})
    _assert_401(basic)


@pytest.mark.parametrize("secret", [None, "changethis", "secret", "short-but-not-a-placeholder"])
def test_missing_or_placeholder_secret_refused_at_startup(secret):
    from report_api.main import create_app

    with pytest.raises(ConfigError, match="JWT_SECRET"):
        create_app(settings(jwt_secret=secret), database_url="postgresql://unused/x")
