"""Production serving (``make api``): uvicorn with the workers and proxy trust of the settings.

``python -m report_api.serve`` reads API_WORKERS, API_PORT and FORWARDED_ALLOW_IPS (env or
`.env`), API_HOST (default 127.0.0.1) and API_LOG_LEVEL (default info; warning drops the
access log, which costs CPU on the event loop under a flood). X-Forwarded-For is honoured
only from FORWARDED_ALLOW_IPS: uvicorn's own default trusts it from 127.0.0.1, which let
anyone on the host pick their rate-limit address.
"""

from __future__ import annotations

import os
from typing import Any

from report_api.config import ApiSettings, get_api_settings


def uvicorn_options(settings: ApiSettings) -> dict[str, Any]:
    """Proxy options for ``uvicorn.run`` / ``uvicorn.Config`` (no proxy trusted by default)."""
    trusted = settings.forwarded_allow_ips.strip()
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or None,
            "server_header": False}


def main() -> None:
    import uvicorn

    settings = get_api_settings()
    settings.signing_key()  # fail before forking workers
    uvicorn.run("report_api.main:create_app", factory=True,
                host=os.environ.get("API_HOST", "127.0.0.1"), port=settings.api_port,
                workers=settings.api_workers, log_level=os.environ.get("API_LOG_LEVEL", "info"),
                **uvicorn_options(settings))


if __name__ == "__main__":
    main()
