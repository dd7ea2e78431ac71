"""Superset 6.1 configuration for socialpulse (SUPERSET_CONFIG_PATH, set by make superset).

Offline by design: the content-security-policy allows only this origin, which also blocks the
frontend's telemetry pixel. Metadata database: Postgres when SUPERSET_DATABASE_URL is set, else
SQLite under .data/superset (demo only: SQLite keeps an old unique constraint on table names).
"""

import os
from pathlib import Path
from typing import Any

from superset.security import SupersetSecurityManager
from superset.utils.core import get_username

_ROOT = Path(__file__).resolve().parent.parent
_DATA = Path(os.environ.get("SUPERSET_HOME", _ROOT / ".data" / "superset"))
_DATA.mkdir(parents=True, exist_ok=True)

# The demo default is for a laptop; set SUPERSET_SECRET_KEY anywhere else.
SECRET_KEY = os.environ.get("SUPERSET_SECRET_KEY", "socialpulse-local-demo-only-secret-key")
SQLALCHEMY_DATABASE_URI = os.environ.get(
    "SUPERSET_DATABASE_URL", f"sqlite:///{_DATA / 'superset.db'}"
)

# Offline: no external requests from the browser.
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'", "'strict-dynamic'"],
        "font-src": ["'self'", "data:"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
CONTENT_SECURITY_POLICY_WARNING = False

# Row-level security and the security REST API used by deploy.py. The client filter is one Jinja
# clause on the login's username (deploy.py), so templates are processed.
FEATURE_FLAGS = {"ROW_LEVEL_SECURITY": True, "ENABLE_TEMPLATE_PROCESSING": True}
FAB_ADD_SECURITY_API = True


class _SecurityManager(SupersetSecurityManager):
    """Results cached per login wherever row-level security applies.

    Superset keys a cached result on the filter's text, not its rendering, and does not look
    into filters for current_username(): without the username in the key, two client viewers
    sharing the client_viewer role would be served each other's cached rows.
    """

    def get_rls_cache_key(self, datasource: Any) -> list[str]:
        keys: list[str] = super().get_rls_cache_key(datasource)
        return [*keys, f"username={get_username()}"] if keys else keys


CUSTOM_SECURITY_MANAGER = _SecurityManager

# Demo on 127.0.0.1 without a cache server: the simple in-process caches.
CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 300}
DATA_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 60}
WTF_CSRF_ENABLED = True
PREVENT_UNSAFE_DB_CONNECTIONS = False
SQLLAB_CTAS_NO_LIMIT = True
