"""Three-class logistic regression over lexicon features and n-grams, in numpy/scipy only.

scikit-learn would add ~40 MB for one estimator; a softmax regression with L-BFGS is ~60 lines,
deterministic, and its artifact is a small ``.npz`` (vocabulary + weights) loaded without pickle.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import optimize, sparse

from .labels import LABELS as LABELS  # the classes, in the order of the weights' columns


@dataclass
class LinearModel:
    """Weights of the classifier; ``vocab`` maps n-gram -> column of ``w_sparse``."""

    vocab: dict[str, int]
    w_sparse: np.ndarray  # (V, 3)
    w_dense: np.ndarray  # (D, 3)
    bias: np.ndarray  # (3,)
    dense_mean: np.ndarray  # (D,)
    dense_scale: np.ndarray  # (D,)
    version: str

    def featurize(self, grams_batch: list[list[str]]) -> sparse.csr_matrix:
        """Binary bag-of-n-grams matrix, rows L2-normalised so long tweets don't dominate."""
        vocab = self.vocab
        indptr = [0]
        indices: list[int] = []
        for grams in grams_batch:
            cols = {vocab[g] for g in grams if g in vocab}
            indices.extend(sorted(cols))
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float64)
        counts = np.diff(indptr)
        if len(indices):
            data /= np.sqrt(np.repeat(np.maximum(counts, 1), counts))
        return sparse.csr_matrix(
            (data, np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int64)),
            shape=(len(grams_batch), len(vocab)),
        )

    def predict_proba(self, dense: np.ndarray, grams_batch: list[list[str]]) -> np.ndarray:
        """Class probabilities (n, 3) in LABELS order for a batch."""
        xd = (dense - self.dense_mean) / self.dense_scale
        logits = xd @ self.w_dense + self.bias
        if self.vocab:
            logits += self.featurize(grams_batch) @ self.w_sparse
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        """Write the artifact as compressed npz (no pickle; unicode vocabulary array)."""
        words = sorted(self.vocab, key=self.vocab.__getitem__)
        np.savez_compressed(
            path,
            vocab=np.array(words, dtype=str),
            w_sparse=self.w_sparse.astype(np.float32),
            w_dense=self.w_dense,
            bias=self.bias,
            dense_mean=self.dense_mean,
            dense_scale=self.dense_scale,
            version=np.array(self.version),
        )

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        """Load an artifact written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as z:
            words = [str(w) for w in z["vocab"]]
            return cls(
                vocab={w: i for i, w in enumerate(words)},
                w_sparse=z["w_sparse"].astype(np.float64),
                w_dense=z["w_dense"],
                bias=z["bias"],
                dense_mean=z["dense_mean"],
                dense_scale=z["dense_scale"],
                version=str(z["version"]),
            )


def fit(
    dense: np.ndarray,
    grams_batch: list[list[str]],
    y: np.ndarray,
    *,
    l2_sparse: float = 1.0,
    l2_dense: float = 0.1,
    min_df: int = 2,
    sample_weight: np.ndarray | None = None,
    version: str = "dev",
) -> LinearModel:
    """Fit a class-balanced L2 softmax regression.

    Classes are weighted by inverse (weighted) frequency because the target metric is
    macro-averaged recall and real streams' class mix differs from any training sample's.
    ``sample_weight`` lets in-domain examples count more than examples from other corpora.
    """
    df: dict[str, int] = {}
    for grams in grams_batch:
        for g in set(grams):
            df[g] = df.get(g, 0) + 1
    vocab = {g: i for i, g in enumerate(sorted(g for g, c in df.items() if c >= min_df))}
    mean = dense.mean(axis=0)
    scale = dense.std(axis=0)
    scale[scale < 1e-6] = 1.0
    model = LinearModel(vocab, np.zeros((len(vocab), 3)), np.zeros((dense.shape[1], 3)),
                        np.zeros(3), mean, scale, version)
    xs = model.featurize(grams_batch)
    xd = (dense - mean) / scale
    n, d, v = len(y), dense.shape[1], len(vocab)
    base_w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    counts = np.bincount(y, weights=base_w, minlength=3)
    total = base_w.sum()
    sample_w = base_w * (total / (3.0 * np.maximum(counts, 1e-9)))[y]
    onehot = np.eye(3)[y]

    def unpack(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return theta[: v * 3].reshape(v, 3), theta[v * 3: v * 3 + d * 3].reshape(d, 3), theta[-3:]

    def loss_grad(theta: np.ndarray) -> tuple[float, np.ndarray]:
        ws, wd, b = unpack(theta)
        logits = xs @ ws + xd @ wd + b
        logits -= logits.max(axis=1, keepdims=True)
        logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        loss = -(sample_w * (onehot * logp).sum(axis=1)).sum() / total
        loss += 0.5 * (l2_sparse * (ws**2).sum() + l2_dense * (wd**2).sum()) / 100.0
        err = (np.exp(logp) - onehot) * sample_w[:, None] / total
        g_ws = xs.T @ err + l2_sparse * ws / 100.0
        g_wd = xd.T @ err + l2_dense * wd / 100.0
        return loss, np.concatenate([np.asarray(g_ws).ravel(), g_wd.ravel(), err.sum(axis=0)])

    theta0 = np.zeros(v * 3 + d * 3 + 3)
    res = optimize.minimize(loss_grad, theta0, jac=True, method="L-BFGS-B",
                            options={"maxiter": 500})
    model.w_sparse, model.w_dense, model.bias = unpack(res.x)
    return model


def macro_recall(y: np.ndarray, pred: np.ndarray) -> tuple[float, list[float]]:
    """Macro-averaged recall over the three classes and the per-class recalls."""
    per = [float(np.mean(pred[y == c] == c)) if np.any(y == c) else 0.0 for c in range(3)]
    return float(np.mean(per)), per
