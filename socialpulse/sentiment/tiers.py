"""Tier selection: which rows of a run the accurate tier scores, within a time budget.

``SENTIMENT_TIER`` = auto (default) | fast | accurate. In auto, a run spends at most
``SENTIMENT_BUDGET_SECONDS`` on the accurate tier: its throughput is measured on the run's
first batch (a probe of :data:`PROBE_TEXTS` texts) and kept up to date, each batch gets as many
accurate rows as the remaining budget covers, the rest are scored fast, and what is left of the
budget upgrades rows an earlier run scored fast. Explicit ``accurate`` scores every new row
with it (an error if it cannot run); ``fast`` never loads it. Model loading is not charged to
the budget (once per process, under 1 s); scoring time is.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from .pipeline import SentimentResult, score_texts

TIERS = ("auto", "fast", "accurate")
PROBE_TEXTS = 64

log = logging.getLogger(__name__)


@dataclass
class TierBudget:
    """Seconds the accurate tier may still spend in this run and its measured throughput."""

    seconds: float
    spent: float = 0.0
    texts: int = 0

    @property
    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self.seconds - self.spent)

    @property
    def texts_per_second(self) -> float | None:
        """Measured accurate-tier throughput of this run, None before the first batch."""
        return self.texts / self.spent if self.texts and self.spent > 0 else None

    def affordable(self, n: int) -> int:
        """How many of ``n`` texts the accurate tier can score with what is left."""
        if self.remaining <= 0 or n <= 0:
            return 0
        rate = self.texts_per_second
        if rate is None:
            return min(n, PROBE_TEXTS)  # measure before committing the budget
        return min(n, int(self.remaining * rate))

    def record(self, n: int, seconds: float) -> None:
        """Charge ``seconds`` spent scoring ``n`` texts with the accurate tier."""
        self.texts += n
        self.spent += seconds


class TieredScorer:
    """Scores batches with the configured tier; one per enrichment run (one budget)."""

    def __init__(self, tier: str = "auto", budget_seconds: float = 120.0) -> None:
        if tier not in TIERS:
            raise ValueError(f"SENTIMENT_TIER must be one of {', '.join(TIERS)}, not {tier!r}")
        self.tier = tier
        self.budget = TierBudget(budget_seconds)
        self.accurate_ready = False
        self.fallback_reason: str | None = None
        self.load_seconds = 0.0
        if tier != "fast":
            from .accurate import AccurateUnavailable, shipped_accurate

            try:
                started = time.perf_counter()
                shipped_accurate()
                self.load_seconds = time.perf_counter() - started
                self.accurate_ready = True
            except AccurateUnavailable as exc:
                if tier == "accurate":
                    raise
                self.fallback_reason = str(exc)
                log.warning("%s; SENTIMENT_TIER=auto scores with the fast tier", exc)

    @classmethod
    def from_settings(cls) -> TieredScorer:
        """A scorer configured from ``SENTIMENT_TIER`` / ``SENTIMENT_BUDGET_SECONDS``."""
        from socialpulse.settings import get_settings

        s = get_settings()
        return cls(s.sentiment_tier, s.sentiment_budget_seconds)

    def _accurate(self, texts: list[str]) -> list[SentimentResult]:
        from .blend import score_texts_accurate

        started = time.perf_counter()
        out = score_texts_accurate(texts)
        self.budget.record(len(texts), time.perf_counter() - started)
        return out

    def accurate_capacity(self, n: int) -> int:
        """How many of ``n`` rows the accurate tier would score now."""
        if not self.accurate_ready:
            return 0
        return n if self.tier == "accurate" else self.budget.affordable(n)

    def score(self, texts: list[str]) -> list[SentimentResult]:
        """Score new texts: the first ones the budget covers accurately, the rest fast."""
        k = self.accurate_capacity(len(texts))
        out = self._accurate(texts[:k]) if k else []
        if k < len(texts):
            out += score_texts(texts[k:])
        return out

    def upgrade_capacity(self, n: int) -> int:
        """How many of ``n`` fast-scored rows may be re-scored accurately (always budgeted)."""
        return self.budget.affordable(n) if self.accurate_ready else 0

    def upgrade(self, texts: list[str]) -> list[SentimentResult]:
        """Re-score texts an earlier run scored fast (the caller sized them by capacity)."""
        return self._accurate(texts)
