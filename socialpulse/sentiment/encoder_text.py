"""Social-text normalisation for the accurate tier's sentence encoder.

The encoder reads words, not the fast tier's token analyses, so the same normalisation is
rendered back to text: escaping undone, handles -> ``@user``, URLs -> ``http``, hashtags split
into their words, emoji and emoticons -> their names (the encoder's vocabulary has no emoji),
elongations squeezed ("soooo" -> "soo"). Training and scoring both call :func:`encoder_text`.
"""

from __future__ import annotations

import functools
from importlib import resources

from .lexicon import EMOTICON_VALENCE
from .normalize import clean_text, known_words
from .tokenizer import camel_split, chunk_tokens, segment_lower, squeeze_elongation

_VARIATION = str.maketrans("", "", "\ufe0f\u200d")
# Emoticons named by what they usually mean on social media (VADER's emoji file has no
# emoticons); anything else keeps its characters, which the encoder sees as punctuation.
_EMOTICON_WORDS = {
    "<3": "love", "</3": "heartbroken", ":')": "happy tears", ":'(": "crying", "^^": "smile",
    "^_^": "smile", "-_-": "annoyed", "t_t": "crying", "xd": "laughing", ":-))": "smile",
    ":))": "smile", ":((": "sad", ":-((": "sad",
}


@functools.cache
def emoji_names() -> dict[str, str]:
    """Emoji -> English name, from the emoji file shipped in the vaderSentiment wheel."""
    text = resources.files("vaderSentiment").joinpath("emoji_utf8_lexicon.txt").read_text("utf-8")
    names: dict[str, str] = {}
    for line in text.splitlines():
        emoji, _, name = line.partition("\t")
        if emoji and name:
            names[emoji.translate(_VARIATION)] = name.strip()
    return names


def _emoticon_word(raw: str) -> str:
    low = raw.lower()
    if low in _EMOTICON_WORDS:
        return _EMOTICON_WORDS[low]
    if low in EMOTICON_VALENCE:
        return raw
    smile = any(c in raw for c in ")]dDpP3*") and "(" not in raw
    return "smile" if smile else ("sad" if any(c in raw for c in "([/\\|") else raw)


def _emoji_word(raw: str) -> str:
    bare = raw.translate(_VARIATION)
    names = emoji_names()
    # skin-tone modifiers follow the base emoji; the name of the base is what matters
    return names.get(bare) or names.get(bare[:1]) or ""


def _hashtag_words(raw: str) -> str:
    parts = camel_split(raw[1:])
    if len(parts) == 1:
        parts = segment_lower(parts[0].lower(), known_words())
    return "#" + " ".join(parts)


def _render(raw: str, kind: str) -> str:
    if kind == "mention":
        return "@user"
    if kind == "url":
        return "http"
    if kind == "hashtag":
        return _hashtag_words(raw)
    if kind == "emoji":
        return _emoji_word(raw)
    if kind == "emoticon":
        return _emoticon_word(raw)
    if kind == "word":
        return squeeze_elongation(raw)[0]
    return raw


def encoder_text(text: str) -> str:
    """The text as the encoder should read it (deterministic, whitespace-normalised)."""
    out: list[str] = []
    for chunk in clean_text(text).split():
        words, kinds = chunk_tokens(chunk)
        rendered = [_render(w, k) for w, k in zip(words, kinds, strict=True)]
        out.append(" ".join(r for r in rendered if r))
    return " ".join(o for o in out if o)
