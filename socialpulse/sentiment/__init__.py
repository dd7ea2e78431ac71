"""Sentiment scoring for social posts: spaCy pipeline (social tokenizer, language check,
lexicon scorer, trained linear classifier). See the Sentiment section of DECISIONS.md."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .pipeline import SentimentResult, load_pipeline, model_version, score_texts

__all__ = ["SentimentResult", "load_pipeline", "model_version", "score_texts"]


def __getattr__(name: str) -> Any:
    # spaCy takes seconds to import: load it on first use, not with the CLI or the package
    if name in __all__:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
