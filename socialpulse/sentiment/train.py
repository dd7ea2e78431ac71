"""Train the classifier artifact from the labelled corpora shipped in ``data/``.

Two corpora (see ``data/README.md``): the 2,000 TweetEval validation tweets (in-domain, the
benchmark's own labelling) and the VADER ground truth of Hutto & Gilbert (4,200 tweets and
3,708 product-review sentences rated on a -4..4 scale by at least 20 raters, mapped to
three classes). Hyper-parameters are fixed constants (chosen once, see DECISIONS), so
retraining is reproducible and the figures printed are estimates, not the maximum of a search:

- cross-validated: 5 folds over the TweetEval tweets x 3 seeds; the VADER corpora are always
  in the training part, never scored;
- held out: trained on the VADER corpora alone, scored on all TweetEval tweets (a different
  corpus, years and annotation scheme: the closest offline stand-in for the unseen test split).
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.language import Language

from .model import LinearModel, fit, macro_recall
from .pipeline import MODEL_PATH, PACKAGE_DIR, build_pipeline

DATA_DIR = PACKAGE_DIR / "data"
TEXT_FILE = DATA_DIR / "tweeteval_sentiment_val_text.txt"
LABEL_FILE = DATA_DIR / "tweeteval_sentiment_val_labels.txt"
VADER_FILES = (
    DATA_DIR / "vader_groundtruth" / "tweets_GroundTruth.txt.gz",
    DATA_DIR / "vader_groundtruth" / "amazonReviewSnippets_GroundTruth.txt.gz",
)
L2_SPARSE, L2_DENSE, MIN_DF = 0.3, 1.0, 2
# Mean rating within +/-0.5 of 0 (on -4..4) counts as neutral; the in-domain tweets weigh 3x.
NEUTRAL_BAND, IN_DOMAIN_WEIGHT = 0.5, 3.0
N_FOLDS, CV_SEEDS = 5, (0, 1, 2)


@dataclass
class Corpus:
    """Texts with labels (0 negative, 1 neutral, 2 positive) and their lexicon features."""

    labels: np.ndarray
    dense: np.ndarray
    grams: list[list[str]]


@dataclass
class TrainReport:
    """Outcome of a training run."""

    path: Path
    cv_macro_recall: float
    cv_per_class: list[float]
    held_out_macro_recall: float
    held_out_per_class: list[float]
    n_examples: int
    vocab_size: int
    version: str


def read_lines(path: Path) -> list[str]:
    """Read one item per line (trailing newline stripped, inner whitespace kept)."""
    return path.read_text(encoding="utf-8").splitlines()


def read_vader_ground_truth(path: Path) -> tuple[list[str], np.ndarray]:
    """Texts and 3-class labels from a ``*_GroundTruth.txt(.gz)`` file (id, mean rating, text)."""
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    texts, ratings = [], []
    for line in raw.decode("utf-8").splitlines()[1:]:
        parts = line.split("\t", 2)
        if len(parts) == 3 and parts[2].strip():
            ratings.append(float(parts[1]))
            texts.append(parts[2].strip())
    r = np.array(ratings)
    return texts, np.where(r >= NEUTRAL_BAND, 2, np.where(r <= -NEUTRAL_BAND, 0, 1))


def featurize(texts: list[str],
              nlp: Language | None = None) -> tuple[np.ndarray, list[list[str]]]:
    """Dense lexicon features and unigram lists, exactly as the live pipeline computes them."""
    nlp = nlp or build_pipeline(model_path=None)
    dense, grams = [], []
    for doc in nlp.pipe(texts, batch_size=1000, disable=["sp_sentiment_classifier"]):
        dense.append(doc.user_data["sp_dense"])
        grams.append(doc.user_data["sp_grams"])
    return np.asarray(dense, dtype=np.float64), grams


def load_corpora(text_file: Path = TEXT_FILE, label_file: Path = LABEL_FILE,
                 vader_files: tuple[Path, ...] = VADER_FILES) -> tuple[Corpus, list[Corpus]]:
    """The in-domain corpus (TweetEval) and the other corpora, featurised."""
    texts = read_lines(text_file)
    y = np.array([int(x) for x in read_lines(label_file)])
    if len(texts) != len(y):
        raise ValueError(f"{text_file} has {len(texts)} lines but {label_file} has {len(y)}")
    nlp = build_pipeline(model_path=None)
    in_domain = Corpus(y, *featurize(texts, nlp))
    others = []
    for path in vader_files:
        vt, vy = read_vader_ground_truth(path)
        others.append(Corpus(vy, *featurize(vt, nlp)))
    return in_domain, others


def _whole(corpus: Corpus, weight: float = 1.0) -> tuple[Corpus, np.ndarray, float]:
    return corpus, np.arange(len(corpus.labels)), weight


def _fit(parts: list[tuple[Corpus, np.ndarray, float]], version: str = "dev") -> LinearModel:
    """Fit on the given rows of several corpora, each with its sample weight."""
    dense = np.vstack([c.dense[idx] for c, idx, _ in parts])
    grams = [c.grams[i] for c, idx, _ in parts for i in idx]
    y = np.concatenate([c.labels[idx] for c, idx, _ in parts])
    w = np.concatenate([np.full(len(idx), wt) for _, idx, wt in parts])
    return fit(dense, grams, y, l2_sparse=L2_SPARSE, l2_dense=L2_DENSE, min_df=MIN_DF,
               sample_weight=w, version=version)


def _predict(model: LinearModel, corpus: Corpus, idx: np.ndarray) -> np.ndarray:
    return model.predict_proba(corpus.dense[idx], [corpus.grams[i] for i in idx]).argmax(axis=1)


def stratified_folds(y: np.ndarray, n_folds: int, seed: int) -> np.ndarray:
    """Fold id per example, each class spread evenly over folds (seeded, so reproducible)."""
    rng = np.random.RandomState(seed)
    folds = np.zeros(len(y), dtype=int)
    for c in np.unique(y):
        idx = np.where(y == c)[0]
        rng.shuffle(idx)
        folds[idx] = np.arange(len(idx)) % n_folds
    return folds


def cross_validate(in_domain: Corpus, others: list[Corpus],
                   seeds: tuple[int, ...] = CV_SEEDS) -> tuple[float, list[float]]:
    """Repeated stratified k-fold macro recall on the in-domain corpus (mean over seeds)."""
    y = in_domain.labels
    parts = [_whole(c) for c in others]
    scores, per = [], []
    for seed in seeds:
        folds = stratified_folds(y, N_FOLDS, seed)
        pred = np.zeros(len(y), dtype=int)
        for f in range(N_FOLDS):
            tr, te = np.where(folds != f)[0], np.where(folds == f)[0]
            model = _fit([*parts, (in_domain, tr, IN_DOMAIN_WEIGHT)])
            pred[te] = _predict(model, in_domain, te)
        s, p = macro_recall(y, pred)
        scores.append(s)
        per.append(p)
    return float(np.mean(scores)), [float(x) for x in np.mean(per, axis=0)]


def held_out(in_domain: Corpus, others: list[Corpus]) -> tuple[float, list[float]]:
    """Macro recall on the in-domain corpus of a model trained on the other corpora only."""
    model = _fit([_whole(c) for c in others])
    everything = np.arange(len(in_domain.labels))
    return macro_recall(in_domain.labels, _predict(model, in_domain, everything))


def _version(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.read_bytes())
    digest.update(f"{L2_SPARSE},{L2_DENSE},{MIN_DF},{NEUTRAL_BAND},{IN_DOMAIN_WEIGHT}".encode())
    return f"lr-{digest.hexdigest()[:10]}"


def train(out_path: Path = MODEL_PATH, text_file: Path = TEXT_FILE,
          label_file: Path = LABEL_FILE, run_cv: bool = True) -> TrainReport:
    """Estimate quality (unless ``run_cv`` is False), fit on everything, write the artifact."""
    in_domain, others = load_corpora(text_file, label_file)
    nan = float("nan")
    cv, per = cross_validate(in_domain, others) if run_cv else (nan, [])
    ho, ho_per = held_out(in_domain, others) if run_cv else (nan, [])
    version = _version([text_file, label_file, *VADER_FILES])
    parts = [*(_whole(c) for c in others), _whole(in_domain, IN_DOMAIN_WEIGHT)]
    model = _fit(parts, version=version)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    model.save(out_path)
    n = len(in_domain.labels) + sum(len(c.labels) for c in others)
    return TrainReport(out_path, cv, per, ho, ho_per, n, len(model.vocab), version)
