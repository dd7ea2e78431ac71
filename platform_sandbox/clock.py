"""A simulated clock: runs ``speed`` simulated seconds per real second and can be set by tests."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta


class SimClock:
    """Simulated UTC time; ``speed=0`` freezes it (tests set it explicitly)."""

    def __init__(self, start: datetime, speed: float = 1.0):
        self._lock = threading.Lock()
        self._anchor_sim = start
        self._anchor_real = time.monotonic()
        self.speed = speed

    def now(self) -> datetime:
        """Current simulated time (millisecond precision)."""
        with self._lock:
            elapsed = (time.monotonic() - self._anchor_real) * self.speed
            t = self._anchor_sim + timedelta(seconds=elapsed)
        return t.replace(microsecond=(t.microsecond // 1000) * 1000)

    def set(self, now: datetime | None = None, speed: float | None = None) -> datetime:
        """Jump to ``now`` and/or change the speed; returns the new current time."""
        current = self.now()
        with self._lock:
            self._anchor_sim = (now or current).astimezone(UTC)
            self._anchor_real = time.monotonic()
            if speed is not None:
                self.speed = speed
        return self.now()

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward by ``seconds`` simulated seconds."""
        return self.set(self.now() + timedelta(seconds=seconds))
