"""``socialpulse sentiment train --tier accurate``: estimate, fine-tune, export, write metadata.

Same corpora as the fast tier (``data/README.md``). Figures are measured on the int8 ONNX model
that ships, through the run-time code, blended as at run time:

- held out: encoder and fast model both trained on the VADER corpora only, scored on all
  TweetEval tweets (the fast tier's held-out protocol);
- cross-validated (``--cv``, ~5x longer): 5 stratified folds over the TweetEval tweets (seed 0),
  the VADER corpora always in training.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .accurate import ACCURATE_DIR, META_FILE, MODEL_FILE, TOKENIZER_FILE, load_accurate
from .accurate_export import export_int8
from .accurate_train import (
    BATCH,
    ENCODER_PACKAGE,
    EPOCHS,
    LR,
    MAX_LENGTH,
    N_LAYERS,
    SEED,
    WARMUP,
    WEIGHT_DECAY,
    encoder_dir,
    fine_tune,
)
from .blend import blend
from .encoder_text import encoder_text
from .labels import LABELS
from .model import macro_recall
from .train import (
    LABEL_FILE,
    TEXT_FILE,
    VADER_FILES,
    _fit,
    _whole,
    load_corpora,
    read_lines,
    read_vader_ground_truth,
    stratified_folds,
)

Progress = Callable[[str], None]


@dataclass
class AccurateReport:
    """Outcome of an accurate-tier training run (figures in percent)."""

    out_dir: Path
    version: str
    size_bytes: int
    figures: dict[str, dict[str, float]] = field(default_factory=dict)


def _figures(y: np.ndarray, proba: np.ndarray) -> dict[str, float]:
    macro, per = macro_recall(y, proba.argmax(axis=1))
    return {"macro_recall": round(macro * 100, 1),
            **{f"recall_{n}": round(r * 100, 1) for n, r in zip(LABELS, per, strict=True)}}


def _encoder_proba(texts: list[str], labels: np.ndarray, score: list[str],
                   progress: Progress) -> np.ndarray:
    """Fine-tune on (texts, labels), export int8, score ``score`` through the run-time code."""
    model = fine_tune([encoder_text(t) for t in texts], labels, progress)
    with tempfile.TemporaryDirectory() as tmp:
        export_int8(model, Path(tmp) / MODEL_FILE)
        shutil.copy(encoder_dir() / TOKENIZER_FILE, Path(tmp) / TOKENIZER_FILE)
        (Path(tmp) / META_FILE).write_text('{"version": "estimate"}', encoding="utf-8")
        return load_accurate(Path(tmp)).predict_proba(score)


def _corpus_texts() -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
    in_texts = read_lines(TEXT_FILE)
    in_y = np.array([int(x) for x in read_lines(LABEL_FILE)])
    other_texts: list[str] = []
    other_y = []
    for path in VADER_FILES:
        t, y = read_vader_ground_truth(path)
        other_texts += t
        other_y.append(y)
    return in_texts, in_y, other_texts, np.concatenate(other_y)


def _estimate(cv: bool, progress: Progress) -> dict[str, dict[str, float]]:
    in_texts, in_y, other_texts, other_y = _corpus_texts()
    in_domain, others = load_corpora()
    figures = {}
    progress("held out: fine-tuning on the VADER corpora, scoring the TweetEval tweets")
    p_acc = _encoder_proba(other_texts, other_y, in_texts, progress)
    fast = _fit([_whole(c) for c in others])
    p_fast = fast.predict_proba(in_domain.dense, in_domain.grams)
    figures["held_out_fast"] = _figures(in_y, p_fast)
    figures["held_out_encoder"] = _figures(in_y, p_acc)
    figures["held_out_accurate"] = _figures(in_y, blend(p_fast, p_acc))
    if cv:
        folds = stratified_folds(in_y, 5, SEED)
        p_cv = np.zeros((len(in_y), 3))
        for f in range(5):
            progress(f"cross-validation fold {f + 1}/5")
            tr, te = np.where(folds != f)[0], np.where(folds == f)[0]
            p_a = _encoder_proba(other_texts + [in_texts[i] for i in tr],
                                 np.concatenate([other_y, in_y[tr]]),
                                 [in_texts[i] for i in te], progress)
            model = _fit([*(_whole(c) for c in others), (in_domain, tr, 3.0)])
            p_f = model.predict_proba(in_domain.dense[te], [in_domain.grams[i] for i in te])
            p_cv[te] = blend(p_f, p_a)
        figures["cv_accurate"] = _figures(in_y, p_cv)
    return figures


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def train_accurate(out_dir: Path = ACCURATE_DIR, estimate: bool = True, cv: bool = False,
                   progress: Progress = print) -> AccurateReport:
    """Estimate quality (unless ``estimate`` is False), fine-tune on everything, write files."""
    started = time.perf_counter()
    figures = _estimate(cv, progress) if estimate else {}
    in_texts, in_y, other_texts, other_y = _corpus_texts()
    progress(f"final model: fine-tuning on all {len(in_texts) + len(other_texts)} texts")
    model = fine_tune([encoder_text(t) for t in other_texts + in_texts],
                      np.concatenate([other_y, in_y]), progress)
    out_dir.mkdir(parents=True, exist_ok=True)
    export_int8(model, out_dir / MODEL_FILE)
    shutil.copy(encoder_dir() / TOKENIZER_FILE, out_dir / TOKENIZER_FILE)
    digest = _sha256(out_dir / MODEL_FILE)
    src = encoder_dir()
    version = f"minilm3-int8-{digest[:10]}"
    meta = {
        "version": version,
        "model_sha256": digest,
        "encoder": {
            "package": ENCODER_PACKAGE.replace("_", "-"),
            "package_version": importlib.metadata.version(ENCODER_PACKAGE.replace("_", "-")),
            "model": "sentence-transformers/all-MiniLM-L6-v2 (first 3 of 6 layers)",
            "model_licence": "Apache-2.0 (model card in the package); packaging MIT",
            "weights_sha256": _sha256(src / "model.safetensors"),
            "tokenizer_sha256": _sha256(src / TOKENIZER_FILE),
        },
        "training": {
            "data": [p.name for p in (TEXT_FILE, LABEL_FILE, *VADER_FILES)],
            "layers": N_LAYERS, "epochs": EPOCHS, "lr": LR, "weight_decay": WEIGHT_DECAY,
            "warmup": WARMUP, "batch": BATCH, "max_length": MAX_LENGTH, "seed": SEED,
            "loss": "class-balanced cross-entropy", "head": "Linear(384, 3) on masked mean",
            "export": "torch.onnx opset 17, ORT bert fusion, dynamic int8 per channel",
            "blend": "geometric mean 50/50 with the fast tier",
            "seconds": round(time.perf_counter() - started),
        },
        "figures": figures,
    }
    (out_dir / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return AccurateReport(out_dir, version, (out_dir / MODEL_FILE).stat().st_size,
                          figures)
