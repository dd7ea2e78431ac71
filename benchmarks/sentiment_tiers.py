"""Sentiment tiers side by side: fast, accurate and plain VADER.

Run from the repository root:

    python benchmarks/sentiment_tiers.py [--text FILE --labels FILE]

Prints macro-recall, per-class recall, texts/s on one core (CPU time), load time and memory of
each scorer on the labelled file (default: the TweetEval validation split shipped in
socialpulse/sentiment/data/, which BOTH tiers were trained on, so those recalls are in-sample),
then the held-out estimates written by `socialpulse sentiment train --tier accurate` (both
models trained on the VADER corpora only, scored on the TweetEval tweets, through the same
int8 ONNX path that ships). Give the TweetEval test split with --text/--labels for the
independent figure.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from socialpulse.sentiment.accurate import ACCURATE_DIR, META_FILE  # noqa: E402
from socialpulse.sentiment.evaluate import evaluate, format_table  # noqa: E402
from socialpulse.sentiment.labels import LABELS  # noqa: E402
from socialpulse.sentiment.train import LABEL_FILE, TEXT_FILE  # noqa: E402


def main() -> None:
    """Print the side-by-side table and the shipped held-out estimates."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--text", type=Path, default=TEXT_FILE)
    ap.add_argument("--labels", type=Path, default=LABEL_FILE)
    args = ap.parse_args()
    texts = args.text.read_text(encoding="utf-8").splitlines()
    labels = [int(x) for x in args.labels.read_text(encoding="utf-8").split()]
    in_sample = args.text.resolve() == TEXT_FILE.resolve()
    print(f"# {args.text.name}" + (" (in-sample for both tiers)" if in_sample else ""))
    rows = [evaluate(name, texts, labels) for name in ("fast", "accurate", "vader")]
    for line in format_table(rows, len(texts)):
        print(line)
    meta = json.loads((ACCURATE_DIR / META_FILE).read_text(encoding="utf-8"))
    print("\n# held out (trained on the VADER corpora only, scored on the 2,000 TweetEval "
          "validation tweets; from the accurate tier's training run)")
    for name, fig in meta.get("figures", {}).items():
        per = " ".join(f"{n[:3]} {fig[f'recall_{n}']:.1f}" for n in LABELS)
        print(f"{name:<20} macro {fig['macro_recall']:.1f}  ({per})")


if __name__ == "__main__":
    main()
