"""spaCy components of the sentiment pipeline, registered as factories on import.

Components pass results through ``doc.user_data`` (a plain dict) and expose them read-only as
Doc extensions (``doc._.sp_label`` ...) via getters. Writing through ``doc._`` or Token
extensions allocates a helper object per access, which cost ~15% of our throughput budget.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from .langid import decide
from .model import LABELS, LinearModel
from .normalize import chunk_infos
from .scorer import analyse_tokens

# Lexicon-only fallback when no trained artifact is present (e.g. a fresh checkout before
# `socialpulse sentiment train`): VADER's customary band, slightly widened (see DECISIONS).
FALLBACK_THRESHOLD = 0.1

EXTENSIONS = ("sp_language", "sp_lexicon_compound", "sp_label", "sp_compound", "sp_sarcasm")


def _getter(key: str):
    return lambda doc: doc.user_data.get(key)


for _name in EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, getter=_getter(_name))


@Language.component("sp_social_normalizer")
def social_normalizer(doc: Doc) -> Doc:
    """Attach memoised per-token analyses (normal form, valence, flags, hashtag parts)."""
    ud = doc.user_data
    ud["sp_infos"] = chunk_infos(ud["sp_chunks"])
    return doc


@Language.component("sp_language_detector")
def language_detector(doc: Doc) -> Doc:
    """Set ``doc._.sp_language`` to an ISO 639-1 guess (defaults to "en" when unsure)."""
    ud = doc.user_data
    ud["sp_language"] = decide([info[5] for info in ud["sp_infos"] if info[5] is not None])
    return doc


@Language.component("sp_lexicon_scorer")
def lexicon_scorer(doc: Doc) -> Doc:
    """Rule-based compound (``doc._.sp_lexicon_compound``) plus classifier features."""
    ud = doc.user_data
    compound, dense, grams = analyse_tokens(ud["sp_infos"])
    ud["sp_lexicon_compound"] = compound
    ud["sp_sarcasm"] = bool(dense[11])
    ud["sp_dense"] = dense
    ud["sp_grams"] = grams
    return doc


class SentimentClassifier:
    """Batched linear classifier: one sparse matrix product per batch instead of per text."""

    def __init__(self, model: LinearModel | None) -> None:
        self.model = model

    @property
    def version(self) -> str:
        """Version string of the loaded artifact (or the lexicon-only fallback)."""
        return self.model.version if self.model else "lexicon-only"

    def __call__(self, doc: Doc) -> Doc:
        self._label_batch([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 1000) -> Iterator[Doc]:
        """Label docs in batches; spaCy's ``nlp.pipe`` calls this instead of ``__call__``."""
        it = iter(docs)
        while batch := list(islice(it, batch_size)):
            self._label_batch(batch)
            yield from batch

    def _label_batch(self, docs: list[Doc]) -> None:
        english = []
        for d in docs:
            ud = d.user_data
            if ud["sp_language"] == "en":
                english.append(d)
            else:
                ud["sp_label"], ud["sp_compound"] = "non_english", None
        if not english:
            return
        if self.model is None:
            for d in english:
                c = d.user_data["sp_lexicon_compound"]
                lab = 2 if c >= FALLBACK_THRESHOLD else (0 if c <= -FALLBACK_THRESHOLD else 1)
                self._set(d, lab, c)
            return
        dense = np.array([d.user_data["sp_dense"] for d in english], dtype=np.float64)
        proba = self.model.predict_proba(dense, [d.user_data["sp_grams"] for d in english])
        labels = proba.argmax(axis=1)
        compounds = proba[:, 2] - proba[:, 0]
        for d, lab, c in zip(english, labels.tolist(), compounds.tolist(), strict=True):
            self._set(d, lab, c)

    @staticmethod
    def _set(doc: Doc, label_idx: int, compound: float) -> None:
        ud = doc.user_data
        if not ud["sp_infos"]:
            label_idx, compound = 1, 0.0  # nothing to judge: don't report the model's bias
        elif ud["sp_sarcasm"] and (label_idx == 2 or ud["sp_lexicon_compound"] > 0):
            # Irony markers ("/s", "#sarcasm", "yeah right") invert literal praise, but we
            # cannot tell how far, so such posts are reported neutral rather than positive.
            label_idx, compound = 1, 0.0
        ud["sp_label"] = LABELS[label_idx]
        ud["sp_compound"] = round(max(-1.0, min(1.0, compound)), 4)


@Language.factory("sp_sentiment_classifier", default_config={"model_path": None})
def make_classifier(nlp: Language, name: str, model_path: str | None) -> SentimentClassifier:
    """Load the trained artifact if it exists; otherwise fall back to lexicon thresholds."""
    path = Path(model_path) if model_path else None
    model = LinearModel.load(path) if path is not None and path.exists() else None
    return SentimentClassifier(model)
