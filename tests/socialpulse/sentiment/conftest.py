"""Fixtures for the sentiment tests: one pipeline per session (building it takes ~1 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA_DIR = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def nlp():
    from socialpulse.sentiment import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def score(nlp):
    from socialpulse.sentiment import score_texts

    def _score(text: str):
        return score_texts([text], nlp)[0]

    return _score


@pytest.fixture(scope="session")
def handwritten() -> tuple[list[str], list[int]]:
    texts, labels = [], []
    for line in (DATA_DIR / "handwritten_sample.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        label, text = line.split("\t", 1)
        texts.append(text)
        labels.append(int(label))
    return texts, labels
