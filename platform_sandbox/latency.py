"""The simulated latency of the platforms' APIs (knobs ``latency_ms`` and ``latency_jitter``).

The real APIs answer in 100-500 ms; a benchmark of workers that overlap that waiting needs it
too. Each request waits ``latency_ms * (1 +- latency_jitter)``, the draw a hash of the world's
seed and the request (method, path, query), so a rerun of the same world and requests waits
the same, whatever order concurrent requests arrive in. The wait is an ``asyncio.sleep`` in the
app's middleware: the server keeps answering other requests meanwhile, so N clients waiting
on it overlap instead of queueing.
"""

from __future__ import annotations

from collections.abc import Mapping

from platform_sandbox import rand
from platform_sandbox.state import Faults

# the latency knobs a /_sandbox/reset keeps from the server's start (``--latency-ms``)
KNOBS = ("latency_ms", "latency_jitter")


def delay_s(seed: int, faults: Faults, method: str, path: str,
            query: Mapping[str, str]) -> float:
    """Seconds one API request waits before it is answered (0 when the knob is off)."""
    if not faults.latency_ms:
        return 0.0
    u = rand.unit(seed, "latency", method, path, sorted(query.items()))
    return faults.latency_ms * (1 + faults.latency_jitter * (2 * u - 1)) / 1000


def server_knobs(faults: Faults) -> dict[str, float]:
    """The latency a server was started with, to carry over a world reset."""
    return {k: getattr(faults, k) for k in KNOBS}
