"""Run the sandbox with uvicorn (``socialpulse sandbox serve``)."""

from __future__ import annotations

import logging
from datetime import datetime

import uvicorn

from platform_sandbox.app import create_app
from platform_sandbox.state import SandboxState
from platform_sandbox.world_config import WorldConfig

log = logging.getLogger(__name__)


def serve(host: str, port: int, config: WorldConfig, speed: float = 1.0,
          now: datetime | None = None, log_level: str = "warning", latency_ms: int = 0,
          latency_jitter: float = 0.5) -> None:
    """Serve the sandbox until interrupted; every API request waits ``latency_ms`` (+- the
    jitter fraction) before its answer."""
    state = SandboxState.create(config, speed=speed, now=now)
    state.set_faults({"latency_ms": latency_ms, "latency_jitter": latency_jitter})
    app = create_app(state)
    uvicorn.run(app, host=host, port=port, log_level=log_level, date_header=False,
                server_header=False, access_log=False)
