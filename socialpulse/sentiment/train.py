"""Train the classifier artifact from the labelled tweets shipped in ``data/``.

Hyper-parameters are fixed constants (chosen once by cross-validation, see DECISIONS) rather
than searched on every run, so retraining is reproducible and the CV figure printed is an
honest estimate, not the maximum of a search.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .model import LinearModel, fit, macro_recall
from .pipeline import MODEL_PATH, PACKAGE_DIR, build_pipeline

DATA_DIR = PACKAGE_DIR / "data"
TEXT_FILE = DATA_DIR / "tweeteval_sentiment_val_text.txt"
LABEL_FILE = DATA_DIR / "tweeteval_sentiment_val_labels.txt"
L2_SPARSE, L2_DENSE, MIN_DF = 0.1, 1.0, 2
N_FOLDS, CV_SEEDS = 5, (0, 1, 2)


@dataclass
class TrainReport:
    """Outcome of a training run."""

    path: Path
    cv_macro_recall: float
    cv_per_class: list[float]
    n_examples: int
    vocab_size: int
    version: str


def read_lines(path: Path) -> list[str]:
    """Read one item per line (trailing newline stripped, inner whitespace kept)."""
    return path.read_text(encoding="utf-8").splitlines()


def featurize(texts: list[str]) -> tuple[np.ndarray, list[list[str]]]:
    """Dense lexicon features and unigram lists, exactly as the live pipeline computes them."""
    nlp = build_pipeline(model_path=None)
    dense, grams = [], []
    for doc in nlp.pipe(texts, batch_size=1000, disable=["sp_sentiment_classifier"]):
        dense.append(doc.user_data["sp_dense"])
        grams.append(doc.user_data["sp_grams"])
    return np.asarray(dense, dtype=np.float64), grams


def stratified_folds(y: np.ndarray, n_folds: int, seed: int) -> np.ndarray:
    """Fold id per example, each class spread evenly over folds (seeded, so reproducible)."""
    rng = np.random.RandomState(seed)
    folds = np.zeros(len(y), dtype=int)
    for c in np.unique(y):
        idx = np.where(y == c)[0]
        rng.shuffle(idx)
        folds[idx] = np.arange(len(idx)) % n_folds
    return folds


def cross_validate(dense: np.ndarray, grams: list[list[str]], y: np.ndarray,
                   seeds: tuple[int, ...] = CV_SEEDS) -> tuple[float, list[float]]:
    """Repeated stratified k-fold macro recall (mean over seeds) with the fixed settings."""
    scores, per = [], []
    for seed in seeds:
        folds = stratified_folds(y, N_FOLDS, seed)
        pred = np.zeros(len(y), dtype=int)
        for f in range(N_FOLDS):
            tr, te = np.where(folds != f)[0], np.where(folds == f)[0]
            m = fit(dense[tr], [grams[i] for i in tr], y[tr],
                    l2_sparse=L2_SPARSE, l2_dense=L2_DENSE, min_df=MIN_DF)
            pred[te] = m.predict_proba(dense[te], [grams[i] for i in te]).argmax(axis=1)
        s, p = macro_recall(y, pred)
        scores.append(s)
        per.append(p)
    return float(np.mean(scores)), [float(x) for x in np.mean(per, axis=0)]


def train(out_path: Path = MODEL_PATH, text_file: Path = TEXT_FILE,
          label_file: Path = LABEL_FILE, run_cv: bool = True) -> TrainReport:
    """Cross-validate, fit on all shipped data and write the ``.npz`` artifact."""
    texts = read_lines(text_file)
    y = np.array([int(x) for x in read_lines(label_file)])
    if len(texts) != len(y):
        raise ValueError(f"{text_file} has {len(texts)} lines but {label_file} has {len(y)}")
    dense, grams = featurize(texts)
    cv, per = cross_validate(dense, grams, y) if run_cv else (float("nan"), [])
    digest = hashlib.sha256()
    digest.update(text_file.read_bytes() + label_file.read_bytes())
    digest.update(f"{L2_SPARSE},{L2_DENSE},{MIN_DF}".encode())
    version = f"lr-{digest.hexdigest()[:10]}"
    model: LinearModel = fit(dense, grams, y, l2_sparse=L2_SPARSE, l2_dense=L2_DENSE,
                             min_df=MIN_DF, version=version)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    model.save(out_path)
    return TrainReport(out_path, cv, per, len(y), len(model.vocab), version)
