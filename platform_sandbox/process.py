"""Start and stop a sandbox server in a child process (used by the demo and the tests)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def running_sandbox(port: int, speed: float = 0.0, extra_args: list[str] | None = None,
                    timeout_s: float = 30.0) -> Iterator[str]:
    """Run ``socialpulse sandbox serve`` on ``port`` until the block ends; yields its URL."""
    if port_in_use(port):
        raise RuntimeError(f"port {port} is already in use: stop what runs there or pick "
                           "another port (SANDBOX_PORT)")
    cmd = [sys.executable, "-m", "platform_sandbox", "--port", str(port), "--speed", str(speed),
           *(extra_args or [])]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                httpx.get(f"{url}/_sandbox/clock", timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None:
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    raise RuntimeError(f"sandbox exited early: {err[-2000:]}") from None
                if time.monotonic() > deadline:
                    raise RuntimeError("sandbox did not start within "
                                       f"{timeout_s:.0f}s") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
