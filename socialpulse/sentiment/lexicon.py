"""Sentiment lexicon resources: VADER's valence lexicon plus emoji, negators and boosters.

VADER's lexicon (MIT, shipped inside the ``vaderSentiment`` wheel) is the best human-rated
social-media lexicon we can install offline. We reuse its data and constants but not its
scorer, which re-tokenises every text in pure Python and would cap the pipeline at ~7k texts/s.
"""

from __future__ import annotations

import functools
from importlib import resources

from vaderSentiment.vaderSentiment import BOOSTER_DICT, N_SCALAR, NEGATE, SPECIAL_CASES

from .tokenizer import squeeze_elongation

C_INCR = 0.733  # VADER's ALL-CAPS emphasis increment
ELONG_INCR = 0.3  # "goooood" is stronger than "good", a little less than ALL CAPS
NEG_SCALAR = N_SCALAR  # -0.74: "not good" is mildly negative, not the mirror of "good"

# Social-text negators VADER lacks (apostrophe-less and slang spellings).
NEGATORS = frozenset(
    [w.lower() for w in NEGATE]
    + ["no", "isnt", "dont", "didnt", "doesnt", "wasnt", "aint", "cant", "wont", "havent",
       "hasnt", "shouldnt", "wouldnt", "couldnt", "nobody", "neither", "nah", "never"]
    + [w.replace("'", "’") for w in NEGATE if "'" in w]
)
BOOSTERS = {k.lower(): v for k, v in BOOSTER_DICT.items() if " " not in k}
# "so" is a booster in VADER, but "so" in "so I went" is not: only count it before a
# sentiment word, which the scorer already enforces.

# Emoji that carry clear sentiment on Twitter, hand-rated on VADER's -4..4 scale.
# Deriving them from Unicode names alone mis-rates the commonest ones (tears of joy -> "tears").
EMOJI_VALENCE = {
    "😂": 1.8, "🤣": 2.0, "😍": 3.0, "🥰": 3.0, "😘": 2.5, "😊": 2.3, "☺": 2.0, "😀": 2.3,
    "😁": 2.3, "😃": 2.3, "😄": 2.3, "😆": 2.0, "😉": 1.5, "😎": 2.0, "🙂": 1.5, "😋": 2.0,
    "😻": 3.0, "🤗": 2.3, "🥳": 2.8, "🤩": 3.0, "👍": 2.0, "👏": 2.0, "🙌": 2.3, "💯": 2.0,
    "🔥": 1.8, "✨": 1.5, "🎉": 2.5, "🎊": 2.3, "❤": 3.0, "♥": 3.0, "💕": 3.0, "💖": 3.0,
    "💗": 3.0, "💓": 3.0, "💘": 2.8, "💙": 2.8, "💚": 2.8, "💛": 2.8, "💜": 2.8, "🧡": 2.8,
    "😇": 2.0, "💪": 1.8, "🙏": 1.2, "⭐": 1.5, "🌟": 1.8, "✅": 1.0, "👌": 1.8, "😌": 1.2,
    "😢": -2.3, "😭": -2.0, "😞": -2.3, "😔": -2.0, "😟": -2.0, "😠": -2.8, "😡": -3.0,
    "🤬": -3.2, "😤": -2.0, "😩": -2.0, "😫": -2.0, "😒": -2.0, "🙄": -1.8, "😑": -1.2,
    "😐": -0.6, "😕": -1.5, "🙁": -1.8, "☹": -2.0, "😣": -2.0, "😖": -2.2, "😰": -2.0,
    "😨": -2.0, "😱": -1.5, "🤢": -2.5, "🤮": -2.8, "💔": -2.8, "👎": -2.0, "😿": -2.3,
    "😪": -1.5, "😓": -1.8, "🖕": -3.0, "💩": -2.0, "😬": -1.0, "🤦": -1.8, "😷": -1.2,
}
# Emoticons VADER's lexicon misses or that our tokenizer emits in another spelling.
EMOTICON_VALENCE = {
    "<3": 3.0, "</3": -2.8, ":')": 2.0, ":'(": -2.3, "^^": 2.0, "^_^": 2.0, "-_-": -1.5,
    "t_t": -2.0, "xd": 2.0, ":-))": 2.5, ":))": 2.5, ":((": -2.5, ":-((": -2.5,
}
# Markers that announce irony: positive words next to them must not be read literally.
SARCASM_TAGS = frozenset(["#sarcasm", "#sarcastic", "#irony", "#not", "#notreally", "/s"])
CLAUSE_BREAKS = frozenset([".", ",", ";", ":", "!", "?", "...", "..", "—", "-", "(", ")", "|"])


@functools.cache
def vader_lexicon() -> dict[str, float]:
    """Return VADER's word -> mean valence map (-4..4) from the installed wheel, plus extras."""
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8")
    lex: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            lex[parts[0].lower()] = float(parts[1])
    for k, v in SPECIAL_CASES.items():
        if " " not in k:
            lex[k] = v
    lex.update(EMOTICON_VALENCE)
    lex.update(EMOJI_VALENCE)
    # Negators and boosters carry no valence of their own: they modify their neighbours.
    for w in NEGATORS:
        lex.pop(w, None)
    return lex


def word_valence(word: str) -> tuple[str, float, bool]:
    """Look up a lower-cased word, undoing elongation; return (form, valence, elongated).

    "soooo" -> ("so", 0, True); "goooood" -> ("good", 1.9, True). We try the two-letter squeeze
    first because English has real double letters ("good", "cool") but no triples.
    """
    lex = vader_lexicon()
    val = lex.get(word)
    if val is not None:
        return word, val, False
    squeezed, elongated = squeeze_elongation(word)
    if not elongated:
        return word, 0.0, False
    val = lex.get(squeezed)
    if val is not None:
        return squeezed, val, True
    single = "".join(ch for i, ch in enumerate(squeezed) if i == 0 or ch != squeezed[i - 1])
    val = lex.get(single)
    if val is not None or single in BOOSTERS or single in NEGATORS:
        return single, val or 0.0, True
    return squeezed, 0.0, True
