"""Sanity check: the shipped model beats trivial baselines on hand-written held-out posts.

The TweetEval figure and throughput are measured by benchmarks/sentiment_benchmark.py, not here.
"""

from __future__ import annotations

import numpy as np

from socialpulse.sentiment import score_texts
from socialpulse.sentiment.model import macro_recall
from socialpulse.sentiment.pipeline import MODEL_PATH

IDS = {"negative": 0, "neutral": 1, "positive": 2, "non_english": 1}


def test_artifact_is_shipped_and_small():
    assert MODEL_PATH.exists()
    assert MODEL_PATH.stat().st_size < 5 * 1024 * 1024


def test_beats_trivial_baseline(handwritten):
    texts, labels = handwritten
    y = np.array(labels)
    pred = np.array([IDS[r.label] for r in score_texts(texts)])
    macro, per = macro_recall(y, pred)
    # A constant predictor scores 1/3 macro recall; require a clear margin and no dead class.
    assert macro >= 0.6, (macro, per)
    assert min(per) >= 0.3, per
