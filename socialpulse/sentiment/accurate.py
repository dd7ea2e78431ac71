"""The accurate tier's encoder at run time: the shipped int8 ONNX model under ONNX Runtime.

Needs only ``onnxruntime`` and ``tokenizers`` (no torch, no download): the model, its tokenizer
and a metadata JSON (version, provenance, training figures) are in ``artifacts/accurate/``,
written by ``socialpulse sentiment train --tier accurate``. Loaded lazily, once per process.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .encoder_text import encoder_text

ACCURATE_DIR = Path(__file__).resolve().parent / "artifacts" / "accurate"
MODEL_FILE, TOKENIZER_FILE, META_FILE = "model.int8.onnx", "tokenizer.json", "accurate_model.json"
RUNTIME_MODULES = ("onnxruntime", "tokenizers")
MAX_LENGTH = 64
# One text per ONNX call. The int8 model quantises activations dynamically with one scale per
# tensor, i.e. per batch: batched, a text's probabilities moved by up to 0.013 with its
# neighbours (and padding) and ~3 % of borderline labels flipped. Alone, a text always gets the
# same score. The cost is small: 620 texts/s alone vs 650 in batches of 64 (860 in batches of
# 8), one core, CPU time. Larger values still work (texts are length-sorted and padded).
INFER_BATCH = 1


class AccurateUnavailable(RuntimeError):
    """The accurate tier cannot run here (runtime dependency or shipped artifact missing)."""


def unavailable_reason(model_dir: Path = ACCURATE_DIR) -> str | None:
    """Why the accurate tier cannot run here, or None when it can."""
    missing = [m for m in RUNTIME_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        return (f"{' and '.join(missing)} not installed (pip install '.[accurate]' "
                "or -r requirements/base.in)")
    for name in (MODEL_FILE, TOKENIZER_FILE, META_FILE):
        if not (model_dir / name).exists():
            return f"{model_dir / name} is missing (socialpulse sentiment train --tier accurate)"
    return None


@dataclass
class AccurateModel:
    """ONNX session + tokenizer; :meth:`predict_proba` maps raw texts to (n, 3) probabilities."""

    session: Any
    tokenizer: Any
    meta: dict[str, Any]

    @property
    def version(self) -> str:
        """Version string of the shipped model (stored with every accurate score)."""
        return str(self.meta["version"])

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Class probabilities (negative, neutral, positive) per text, input order kept."""
        out = np.zeros((len(texts), 3), dtype=np.float64)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch([encoder_text(t) for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), INFER_BATCH):
            idx = order[start: start + INFER_BATCH]
            width = max(len(encodings[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            probs = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            out[idx] = probs
        return out


def load_accurate(model_dir: Path = ACCURATE_DIR, threads: int = 1) -> AccurateModel:
    """Load the model from ``model_dir``; raises :class:`AccurateUnavailable` with the reason."""
    reason = unavailable_reason(model_dir)
    if reason:
        raise AccurateUnavailable(f"accurate sentiment tier unavailable: {reason}")
    import onnxruntime as ort
    from tokenizers import Tokenizer

    opts = ort.SessionOptions()
    # One core by default: the enrichment step shares the machine with the cycle's other steps.
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    session = ort.InferenceSession(str(model_dir / MODEL_FILE), sess_options=opts,
                                   providers=["CPUExecutionProvider"])
    tok = Tokenizer.from_file(str(model_dir / TOKENIZER_FILE))
    tok.no_padding()
    tok.enable_truncation(MAX_LENGTH)
    meta = json.loads((model_dir / META_FILE).read_text(encoding="utf-8"))
    return AccurateModel(session, tok, meta)


@functools.cache
def shipped_accurate() -> AccurateModel:
    """The process-wide accurate model from the packaged artifacts (loaded on first use)."""
    return load_accurate()
