"""Training-data readers and the scoring loop's side effects."""

from __future__ import annotations

import gc
import gzip

from socialpulse.sentiment import score_texts
from socialpulse.sentiment.train import VADER_FILES, read_vader_ground_truth


def test_vader_ratings_map_to_three_classes(tmp_path):
    path = tmp_path / "x_GroundTruth.txt.gz"
    rows = ["id\tsentiment\ttext", "1\t2.7\tSo lucky.", "2\t-0.4\tmeh ok", "3\t0.5\tfine",
            "4\t-1.9\tawful service", "5\t1.0\t", "broken line"]
    path.write_bytes(gzip.compress("\r\n".join(rows).encode()))
    texts, labels = read_vader_ground_truth(path)
    # the empty text and the malformed line are skipped; +/-0.5 is the edge of "polar"
    assert texts == ["So lucky.", "meh ok", "fine", "awful service"]
    assert labels.tolist() == [2, 1, 2, 0]


def test_shipped_vader_corpora_read_completely():
    sizes = {p.name: len(read_vader_ground_truth(p)[0]) for p in VADER_FILES}
    assert sizes == {"tweets_GroundTruth.txt.gz": 4200,
                     "amazonReviewSnippets_GroundTruth.txt.gz": 3708}


def test_scoring_restores_the_cyclic_collector():
    assert gc.isenabled()
    score_texts(["great day", "awful day"])
    assert gc.isenabled()
    gc.disable()
    try:
        score_texts(["great day"])
        assert not gc.isenabled()  # a caller's choice is left as it was
    finally:
        gc.enable()
