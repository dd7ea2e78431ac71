"""Side-by-side evaluation of the tiers and plain VADER on a labelled file.

Shared by ``socialpulse sentiment eval`` and ``benchmarks/sentiment_tiers.py``. Each scorer is
measured in this process in turn: load time (building it from its files), texts/s over the
whole file on one core, and memory as the growth of the process's resident set while loading
and scoring it (so a later scorer is not charged for an earlier one). Throughput is counted in
CPU time (every scorer runs on one thread), so a busy shared machine does not distort it. The
accurate tier runs on top of the fast tier's pipeline: measured after it, its load time and
memory are the encoder's own (with ``--tier accurate`` alone they include the pipeline).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .labels import LABELS
from .model import macro_recall

# TweetEval's label ids; non_english counts as neutral for the metric (it carries no polarity).
LABEL_TO_ID = {"negative": 0, "neutral": 1, "positive": 2, "non_english": 1}
VADER_THRESHOLD = 0.05  # the VADER authors' customary band for neutral


@dataclass
class EvalRow:
    """Figures of one scorer on one labelled file."""

    name: str
    version: str
    macro_recall: float
    per_class: list[float]
    texts_per_second: float
    load_seconds: float
    memory_mb: float
    non_english: int = 0


def _rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _loaders() -> dict[str, Callable[[], tuple[str, Callable[[list[str]], list[str]]]]]:
    def fast() -> tuple[str, Callable[[list[str]], list[str]]]:
        from .pipeline import load_pipeline, model_version, score_texts

        nlp = load_pipeline()
        return model_version(nlp), lambda t: [r.label for r in score_texts(t, nlp)]

    def accurate() -> tuple[str, Callable[[list[str]], list[str]]]:
        from .accurate import load_accurate
        from .blend import accurate_version, score_texts_accurate
        from .pipeline import load_pipeline

        nlp, model = load_pipeline(), load_accurate()
        return (accurate_version(nlp, model),
                lambda t: [r.label for r in score_texts_accurate(t, nlp, model)])

    def vader() -> tuple[str, Callable[[list[str]], list[str]]]:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        sia = SentimentIntensityAnalyzer()

        def score(texts: list[str]) -> list[str]:
            out = []
            for t in texts:
                c = sia.polarity_scores(t)["compound"]
                out.append("positive" if c >= VADER_THRESHOLD else
                           "negative" if c <= -VADER_THRESHOLD else "neutral")
            return out

        return "vaderSentiment-3.3.2", score

    return {"fast": fast, "accurate": accurate, "vader": vader}


def evaluate(name: str, texts: list[str], labels: list[int]) -> EvalRow:
    """Load scorer ``name`` (fast | accurate | vader), score ``texts``, measure."""
    before = _rss_mb()
    started = time.perf_counter()
    version, score = _loaders()[name]()
    load = time.perf_counter() - started
    # CPU time of this process: on a shared machine wall time also counts others' work
    started = time.process_time()
    pred_labels = score(texts)
    elapsed = max(time.process_time() - started, 1e-9)
    macro, per = macro_recall(np.array(labels), np.array([LABEL_TO_ID[p] for p in pred_labels]))
    return EvalRow(name, version, macro * 100, [p * 100 for p in per], len(texts) / elapsed,
                   load, _rss_mb() - before, sum(p == "non_english" for p in pred_labels))


def tier_names(tier: str) -> list[str]:
    """Scorers an ``--tier`` option stands for (all: both tiers and VADER)."""
    return ["fast", "accurate", "vader"] if tier == "all" else [tier]


def format_table(rows: list[EvalRow], n_texts: int) -> list[str]:
    """A fixed-width table of the rows plus their versions (what the CLI prints)."""
    head = (f"{'scorer':<9}{'macro':>7}" + "".join(f"{n[:3]:>6}" for n in LABELS)
            + f"{'texts/s':>9}{'load s':>8}{'mem MB':>8}")
    lines = [f"texts: {n_texts} (recall in %, one core)", head]
    for r in rows:
        lines.append(f"{r.name:<9}{r.macro_recall:>7.1f}"
                     + "".join(f"{p:>6.1f}" for p in r.per_class)
                     + f"{r.texts_per_second:>9.0f}{r.load_seconds:>8.2f}{r.memory_mb:>8.0f}")
    lines += [f"{r.name}_version: {r.version}" for r in rows]
    return lines
