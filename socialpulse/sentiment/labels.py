"""The sentiment labels: the classifier's three classes, and the label of texts it does not
score (not English)."""

from __future__ import annotations

LABELS = ("negative", "neutral", "positive")
NON_ENGLISH = "non_english"
# every label a stored score may carry
ALL_LABELS = (*LABELS, NON_ENGLISH)
