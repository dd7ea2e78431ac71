"""Public entry points: ``load_pipeline`` (cached spaCy Language) and ``score_texts``."""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy import attrs as spacy_attrs
from spacy.language import Language

from . import components as _components  # noqa: F401  (registers the spaCy factories)
from .lexicon import vader_lexicon
from .normalize import chunk_infos, clean_text, known_words
from .tokenizer import SocialTokenizer

PACKAGE_DIR = Path(__file__).resolve().parent
MODEL_PATH = PACKAGE_DIR / "artifacts" / "sentiment_model.npz"
PIPELINE_VERSION = "sp-sentiment-1"
BATCH_SIZE = 1000


@dataclass(frozen=True, slots=True)
class SentimentResult:
    """Sentiment of one text.

    ``label`` is one of negative / neutral / positive / non_english; ``compound`` is
    P(positive) - P(negative) in [-1, 1] (None for non_english); ``language`` is an ISO 639-1
    guess; ``model_version`` identifies pipeline + artifact so stored scores can be traced;
    ``tier`` is the tier that scored it (fast or accurate).
    """

    label: str
    compound: float | None
    language: str
    model_version: str
    tier: str = "fast"


class _CleaningTokenizer(SocialTokenizer):
    # Decoding "\\u2019" / "&amp;" must happen before tokenisation, and the tokenizer is the
    # only stage spaCy hands the raw string to.
    def __call__(self, text: str):  # noqa: D102
        return super().__call__(clean_text(text))


def build_pipeline(model_path: Path | None = MODEL_PATH) -> Language:
    """Build a fresh pipeline: blank English + social tokenizer + our four components."""
    # Load lexicon resources now, not inside the first batch the caller times.
    vader_lexicon()
    known_words()
    nlp = spacy.blank("en")
    _trim_lexeme_attributes(nlp)
    nlp.tokenizer = _CleaningTokenizer(nlp.vocab)
    nlp.add_pipe("sp_social_normalizer")
    nlp.add_pipe("sp_language_detector")
    nlp.add_pipe("sp_lexicon_scorer")
    clf = nlp.add_pipe(
        "sp_sentiment_classifier",
        config={"model_path": str(model_path) if model_path else None},
    )
    _prewarm_vocab(nlp, clf.model.vocab if clf.model else {})  # type: ignore[attr-defined]
    return nlp


# Lexical attributes spaCy computes for every never-seen word. The regex/shape-based ones cost
# most of a cold pass (~5x the rest of lexeme creation) and nothing in this pipeline reads
# them; the basic string/boolean ones stay so Token.lower_, norm_, is_alpha ... keep working.
_KEPT_LEX_ATTRS = frozenset([
    "LOWER", "NORM", "PREFIX", "SUFFIX", "IS_ALPHA", "IS_DIGIT", "IS_LOWER", "IS_UPPER",
    "IS_TITLE", "IS_PUNCT", "IS_SPACE", "IS_ASCII", "IS_STOP", "LANG",
])


def _trim_lexeme_attributes(nlp: Language) -> None:
    # lex_attr_getters is public on Vocab but missing from spaCy's type stubs
    getters = nlp.vocab.lex_attr_getters  # type: ignore[attr-defined]
    nlp.vocab.lex_attr_getters = {  # type: ignore[attr-defined]
        k: v for k, v in getters.items() if spacy_attrs.NAMES[k] in _KEPT_LEX_ATTRS
    }


def _prewarm_vocab(nlp: Language, model_vocab: dict[str, int]) -> None:
    # The first sighting of a word costs ~30 us for its spaCy lexeme and ~20 us for its
    # analysis: most of a fresh process's first batch. Words we know will be frequent (lexicon,
    # stop words, the classifier's vocabulary) get both at load instead (~0.5 s), which every
    # enrichment run amortises over its texts.
    words = sorted(set(known_words()) | {w for w in model_vocab if w.isalpha()})
    forms = words + [w.capitalize() for w in words]
    for w in forms:
        nlp.vocab[w]
    chunk_infos(forms)


@functools.cache
def load_pipeline() -> Language:
    """Return the process-wide pipeline (built once; loading the artifact takes ~50 ms)."""
    return build_pipeline()


def model_version(nlp: Language | None = None) -> str:
    """Version string stored with every score: pipeline rules + artifact identity."""
    nlp = nlp or load_pipeline()
    classifier = nlp.get_pipe("sp_sentiment_classifier")
    return f"{PIPELINE_VERSION}+{classifier.version}"  # type: ignore[attr-defined]


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    # Every text allocates dozens of short-lived objects that reference counting frees; the cyclic
    # collector only adds full passes over the (large, long-lived) token caches: ~30 % of the
    # time in our measurements. Scoring creates no cycles (a gc.collect() after 2,000 texts finds
    # nothing unreachable), so it is paused for the batch.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def score_texts(texts: list[str], nlp: Language | None = None) -> list[SentimentResult]:
    """Score a batch of texts; output order matches input order and is deterministic.

    Runs in-process on one core (``nlp.pipe`` multiprocessing was 7-9x slower in our probes);
    parallelise by splitting batches across worker processes if ever needed.
    """
    nlp = nlp or load_pipeline()
    version = model_version(nlp)
    out: list[SentimentResult] = []
    with _cyclic_gc_paused():
        docs = nlp.pipe((t if isinstance(t, str) else "" for t in texts), batch_size=BATCH_SIZE)
        for doc in docs:
            ud = doc.user_data
            out.append(SentimentResult(ud["sp_label"], ud["sp_compound"], ud["sp_language"],
                                       version))
    return out
