"""Deploy the dashboards/ bundle to a Superset 6.1 instance over its REST API.

    python dashboards/deploy.py            # SUPERSET_URL, SUPERSET_ADMIN_USER/PASSWORD,
                                           # DATABASE_URL (else `socialpulse db url`)

Steps (each idempotent, so deploying twice changes nothing):
1. log in for a JWT, fetch a CSRF token, keep the session cookie;
2. zip the YAML tree with the warehouse URI filled in (password masked) and POST it to
   /api/v1/assets/import/ with the password as the `passwords` form field: charts, datasets and
   dashboards are created or updated in place, keyed by uuid;
3. give every chart a query_context built from its params, so /api/v1/chart/{id}/data answers;
4. one role `client_viewer` with access to the warehouse and one row-level-security filter on
   every dataset: the workspaces app.dashboard_access gives the login's username (a Jinja
   `current_username()`), so workspaces and viewers added later need no Superset change; and
   per workspace known now a shared client login `client_<slug>` (password
   SUPERSET_CLIENT_PASSWORD, demo default client-demo-password).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import yaml
from query_contexts import query_context

BUNDLE = Path(__file__).resolve().parent
ROOT = "socialpulse_bundle"
DB_FILE = "databases/socialpulse.yaml"
PLACEHOLDER = "${DATABASE_URL}"
# datasets without a workspace_id column (row-level security goes through marts.posts)
POST_SCOPED = {"post_metrics_daily"}
CLIENT_ROLE = "client_viewer"
# The workspaces of the logged-in user (migration 011's view). Superset renders the clause with
# Jinja per query; quotes are doubled so no username can end the string literal, and a query
# without a user (current_username() is None) matches no row.
VISIBLE_WORKSPACES = (
    "SELECT workspace_id FROM app.dashboard_access WHERE username = "
    "lower('{{ current_username() | replace(\"'\", \"''\") }}')")
CLIENT_RULES = (
    # ids are bigint in the marts, as in app.*
    ("client workspaces", f"workspace_id IN ({VISIBLE_WORKSPACES})"),
    # marts without workspace_id: restricted to the workspaces' posts
    ("client workspaces (by post)",
     f"post_id IN (SELECT post_id FROM marts.posts WHERE workspace_id IN ({VISIBLE_WORKSPACES}))"),
)


def warehouse_url() -> str:
    """The warehouse: DATABASE_URL, as everywhere in the stack, else `socialpulse db url`."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    cli = BUNDLE.parent / ".venv" / "bin" / "socialpulse"
    out = subprocess.run([str(cli) if cli.exists() else "socialpulse", "db", "url"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def split_password(url: str) -> tuple[str, str]:
    """postgresql://u:p@h/db -> (postgresql+psycopg2://u:XXXXXXXXXX@h/db, p)."""
    parts = urlsplit(url)
    scheme = "postgresql+psycopg2" if parts.scheme in ("postgres", "postgresql") else parts.scheme
    password = parts.password or ""
    netloc = parts.netloc
    if password:
        userinfo, host = netloc.rsplit("@", 1)
        netloc = f"{userinfo.split(':', 1)[0]}:XXXXXXXXXX@{host}"
    return urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment)), password


def bundle_zip(masked_uri: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(BUNDLE.rglob("*.yaml")):
            rel = path.relative_to(BUNDLE).as_posix()
            if rel.startswith(("e2e/", "node_modules/")):
                continue
            text = path.read_text()
            if rel == DB_FILE:
                text = text.replace(PLACEHOLDER, masked_uri)
            zf.writestr(f"{ROOT}/{rel}", text)
    return buf.getvalue()


class Superset:
    def __init__(self, url: str, user: str, password: str) -> None:
        self.http = httpx.Client(base_url=url.rstrip("/"), timeout=120,
                                 headers={"Accept": "application/json"})
        r = self.http.post("/api/v1/security/login", json={
            "username": user, "password": password, "provider": "db", "refresh": True})
        r.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        r = self.http.get("/api/v1/security/csrf_token/")
        r.raise_for_status()
        self.http.headers["X-CSRFToken"] = r.json()["result"]
        self.http.headers["Referer"] = str(self.http.base_url)

    def call(self, method: str, path: str, **kw: Any) -> Any:
        r = self.http.request(method, path, **kw)
        if r.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {r.status_code} {r.text[:500]}")
        return r.json() if r.content else {}

    def all(self, path: str, filters: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        q = {"page_size": 100, "page": 0, "filters": filters or []}
        out: list[dict[str, Any]] = []
        while True:
            res = self.call("GET", path, params={"q": _rison(q)})["result"]
            out += res
            if len(res) < 100:
                return out
            q["page"] += 1

    def import_bundle(self, data: bytes, password: str) -> None:
        passwords = json.dumps({f"{ROOT}/{DB_FILE}": password} if password else {})
        self.call("POST", "/api/v1/assets/import/",
                  files={"bundle": ("bundle.zip", data, "application/zip")},
                  data={"passwords": passwords})


def _rison(obj: Any) -> str:
    """Minimal rison encoder (dicts, lists, strings, numbers) for ?q= arguments."""
    if isinstance(obj, dict):
        return "(" + ",".join(f"{k}:{_rison(v)}" for k, v in obj.items()) + ")"
    if isinstance(obj, list):
        return "!(" + ",".join(_rison(v) for v in obj) + ")"
    if isinstance(obj, bool):
        return "!t" if obj else "!f"
    if isinstance(obj, (int, float)):
        return str(obj)
    s = str(obj).replace("!", "!!").replace("'", "!'")
    return f"'{s}'"


def set_query_contexts(sp: Superset) -> int:
    charts = {c["uuid"]: c for c in sp.all("/api/v1/chart/")}
    datasets = {d["uuid"]: d["id"] for d in sp.all("/api/v1/dataset/")}
    done = 0
    for path in sorted((BUNDLE / "charts").rglob("*.yaml")):
        spec = yaml.safe_load(path.read_text())
        chart = charts[spec["uuid"]]
        qc = query_context(spec["params"], datasets[spec["dataset_uuid"]])
        sp.call("PUT", f"/api/v1/chart/{chart['id']}", json={"query_context": json.dumps(qc)})
        done += 1
    return done


def workspaces(url: str) -> list[tuple[int, str, str]]:
    """(workspace_id, slug, name) from app.workspaces in the warehouse."""
    import psycopg2  # in .venv-superset (psycopg2-binary); imported late for the offline test

    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("select workspace_id, slug, name from app.workspaces order by workspace_id")
        return [(int(a), str(b), str(c)) for a, b, c in cur.fetchall()]


def ensure_client_access(sp: Superset, url: str, client_password: str) -> list[str]:
    """The client_viewer role, its row-level-security filters and the workspaces' logins."""
    roles = {r["name"]: r["id"] for r in sp.all("/api/v1/security/roles/")}
    perms = sp.all("/api/v1/security/permissions-resources/")
    db = sp.all("/api/v1/database/", [{"col": "database_name", "opr": "eq",
                                       "value": "socialpulse"}])[0]
    db_perm = [p["id"] for p in perms if p["permission"]["name"] == "database_access"
               and p["view_menu"]["name"] == f"[socialpulse].(id:{db['id']})"]
    datasets = [d for d in sp.all("/api/v1/dataset/") if d["database"]["id"] == db["id"]]
    if CLIENT_ROLE not in roles:
        roles[CLIENT_ROLE] = sp.call("POST", "/api/v1/security/roles/",
                                     json={"name": CLIENT_ROLE})["id"]
    sp.call("POST", f"/api/v1/security/roles/{roles[CLIENT_ROLE]}/permissions",
            json={"permission_view_menu_ids": db_perm})
    ensure_client_filters(sp, roles[CLIENT_ROLE], datasets)
    users = {u["username"]: u for u in sp.all("/api/v1/security/users/")}
    logins = []
    for _ws_id, slug, name in workspaces(url):
        login = f"client_{slug}".replace("-", "_")  # as app.dashboard_access names it
        user = {"first_name": name, "last_name": "client", "username": login,
                "email": f"{login}@example.invalid", "active": True,
                "roles": [roles["Gamma"], roles[CLIENT_ROLE]]}
        if login in users:
            sp.call("PUT", f"/api/v1/security/users/{users[login]['id']}",
                    json={**user, "password": client_password})
        else:
            sp.call("POST", "/api/v1/security/users/", json={**user, "password": client_password})
        logins.append(login)
    return logins


def ensure_client_filters(sp: Superset, role_id: int, datasets: list[dict[str, Any]]) -> None:
    """The client filters on every dataset, for the client_viewer role; the rules of earlier
    deploys (one per workspace, named `workspace <slug>`) are removed."""
    rls = {r["name"]: r for r in sp.all("/api/v1/rowlevelsecurity/")}
    for rule in rls.values():
        if rule["name"].startswith("workspace "):
            sp.call("DELETE", f"/api/v1/rowlevelsecurity/{rule['id']}")
    by_post = [d["id"] for d in datasets if d["table_name"] in POST_SCOPED]
    scoped = [d["id"] for d in datasets if d["table_name"] not in POST_SCOPED]
    for (rule, clause), tables in zip(CLIENT_RULES, (scoped, by_post), strict=True):
        if not tables:
            continue
        body = {"name": rule, "filter_type": "Regular", "tables": tables, "roles": [role_id],
                "description": "client viewers: only the workspaces app.dashboard_access "
                               "gives their login", "group_key": "client-workspaces",
                "clause": clause}
        if rule in rls:
            sp.call("PUT", f"/api/v1/rowlevelsecurity/{rls[rule]['id']}", json=body)
        else:
            sp.call("POST", "/api/v1/rowlevelsecurity/", json=body)


def main() -> int:
    url = warehouse_url()
    masked, password = split_password(url)
    sp = Superset(os.environ.get("SUPERSET_URL", "http://127.0.0.1:8088"),
                  os.environ.get("SUPERSET_ADMIN_USER", "admin"),
                  os.environ.get("SUPERSET_ADMIN_PASSWORD", "admin-demo-password"))
    sp.import_bundle(bundle_zip(masked), password)
    n = set_query_contexts(sp)
    logins = ensure_client_access(
        sp, url, os.environ.get("SUPERSET_CLIENT_PASSWORD", "client-demo-password"))
    dashboards = sp.all("/api/v1/dashboard/")
    sys.stdout.write(f"deployed {len(dashboards)} dashboards, {n} charts; "
                     f"client logins: {', '.join(logins)}\n")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
