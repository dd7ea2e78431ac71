"""Per-token social-text normalisation, memoised by raw token string.

Tweets reuse a small vocabulary heavily, so caching the (pure) per-token analysis turns most
tokens into one dict lookup; this is what keeps the pipeline above 5k texts/s on one core.
"""

from __future__ import annotations

import functools
import html
import re

from spacy.lang.en.stop_words import STOP_WORDS

from .langid import Votes, word_votes
from .lexicon import (
    BOOSTERS,
    C_INCR,
    CLAUSE_BREAKS,
    ELONG_INCR,
    NEG_SCALAR,
    NEGATORS,
    SARCASM_TAGS,
    vader_lexicon,
    word_valence,
)
from .tokenizer import camel_split, chunk_tokens, segment_lower

# Token flags, packed in an int so the scorer's inner loop does one tuple unpack per token.
F_NEG, F_CAPS, F_ELONG, F_BREAK, F_BUT, F_SARC, F_EMO, F_WORD = 1, 2, 4, 8, 16, 32, 64, 128

_ESCAPE_RE = re.compile(r"\\u([0-9a-fA-F]{4})")
_VARIATION = str.maketrans("", "", "\ufe0f\u200d")
_CONTRAST = frozenset(["but", "however", "although", "though", "yet"])

# TokenInfo: (normalised form, valence, booster scalar, flags, extra unigram forms, language
# votes or None for non-words)
TokenInfo = tuple[str, float, float, int, tuple[str, ...], Votes | None]


def clean_text(text: str) -> str:
    """Undo the escaping that tweet exports carry: literal ``\\u2019`` and HTML entities."""
    if "\\u" in text:
        text = _ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if "&" in text:
        text = html.unescape(text)
    return text


@functools.cache
def known_words() -> frozenset[str]:
    """Words a hashtag may be segmented into: stop words plus VADER's alphabetic entries."""
    lex = vader_lexicon()
    words = {w for w in lex if w.isalpha()} | set(STOP_WORDS) | set(BOOSTERS) | set(NEGATORS)
    # Frequent hashtag parts that are neither stop words nor sentiment-bearing.
    words |= {"day", "life", "my", "time", "team", "game", "night", "year", "today", "monday",
              "friday", "weekend", "morning", "music", "news", "fan", "fans", "vote", "new",
              "world", "people", "work", "school", "family", "home", "show", "tv", "live"}
    return frozenset(words)


def _hashtag(raw: str) -> tuple[str, float, int, tuple[str, ...]]:
    body = raw[1:]
    norm = "#" + body.lower()
    flags = F_SARC if norm in SARCASM_TAGS else 0
    parts = camel_split(body)
    if len(parts) == 1:
        parts = segment_lower(parts[0], known_words())
    valence, negate = 0.0, False
    for p in parts:
        form, val, _ = word_valence(p)
        if form in NEGATORS:
            negate = True
        elif val:
            valence += val * NEG_SCALAR if negate else val
    # Hashtags are often emphatic (#blessed, #fail) yet they also tag topics; keep the lexicon
    # value but never let a tag alone exceed one strong word.
    valence = max(-3.0, min(3.0, valence))
    extras = tuple(parts) if len(parts) > 1 or parts[0] != body.lower() else (parts[0],)
    return norm, valence, flags, extras


def _analyse(raw: str, kind: str) -> TokenInfo:
    info = _analyse_sentiment(raw, kind)
    votes = word_votes(raw.lower()) if kind == "word" and raw[:1].isalpha() else None
    return (*info, votes)


def _analyse_sentiment(raw: str, kind: str) -> tuple[str, float, float, int, tuple[str, ...]]:
    if kind == "word":
        low = raw.lower()
        if low.isdigit():
            return "<num>", 0.0, 0.0, 0, ()
        form, val, elong = word_valence(low)
        flags = F_WORD
        if elong:
            flags |= F_ELONG
            val += ELONG_INCR if val > 0 else (-ELONG_INCR if val < 0 else 0.0)
        if form in NEGATORS or form.endswith("n't") or form.endswith("n’t"):
            flags |= F_NEG
        if form in _CONTRAST:
            flags |= F_BUT
        if raw.isupper() and len(raw) > 1 and val:
            flags |= F_CAPS
        return form, val, BOOSTERS.get(form, 0.0), flags, ()
    if kind == "hashtag":
        norm, val, flags, extras = _hashtag(raw)
        return norm, val, 0.0, flags, extras
    if kind == "mention":
        return "@user", 0.0, 0.0, 0, ()
    if kind == "url":
        return "<url>", 0.0, 0.0, 0, ()
    if kind in ("emoji", "emoticon"):
        form = raw.translate(_VARIATION).lower()
        lex = vader_lexicon()
        val = lex.get(form, lex.get(form[:1], 0.0))
        return form, val, 0.0, F_EMO, ()
    # punctuation
    if raw[0] == "!":
        return "!", 0.0, 0.0, F_BREAK, ()
    if raw[0] == "?":
        return "?", 0.0, 0.0, F_BREAK, ()
    if raw == "/s":
        return "/s", 0.0, 0.0, F_SARC | F_BREAK, ()
    flags = F_BREAK if raw in CLAUSE_BREAKS or raw.startswith("..") else 0
    return raw, 0.0, 0.0, flags, ()


_CACHE: dict[tuple[str, str], TokenInfo] = {}
_CACHE_MAX = 500_000


def token_infos(words: list[str], kinds: list[str]) -> list[TokenInfo]:
    """Analyse every token of a text, memoised (bounded cache, so memory cannot grow unchecked)."""
    cache = _CACHE
    out = []
    for key in zip(words, kinds, strict=True):
        info = cache.get(key)
        if info is None:
            if len(cache) >= _CACHE_MAX:
                cache.clear()
            info = cache[key] = _analyse(key[0], key[1])
        out.append(info)
    return out


_CHUNK_INFOS: dict[str, tuple[TokenInfo, ...]] = {}


def chunk_infos(chunks: list[str]) -> list[TokenInfo]:
    """Token analyses for a text given as whitespace chunks; one dict lookup per chunk."""
    cache = _CHUNK_INFOS
    out: list[TokenInfo] = []
    for chunk in chunks:
        infos = cache.get(chunk)
        if infos is None:
            if len(cache) >= _CACHE_MAX:
                cache.clear()
            words, kinds = chunk_tokens(chunk)
            infos = cache[chunk] = tuple(token_infos(list(words), list(kinds)))
        out.extend(infos)
    return out


__all__ = ["C_INCR", "TokenInfo", "chunk_infos", "clean_text", "known_words", "token_infos"]
