"""Rule-based valence scoring and feature extraction over normalised tokens.

One pass per text computes both the VADER-style compound score (negation scope, boosters and
dampeners, ALL CAPS and elongation emphasis, "but" contrast, !/? emphasis) and the features the
trained classifier consumes (dense lexicon summaries plus negation-marked word n-grams), so no
text is walked twice.
"""

from __future__ import annotations

import math

from .lexicon import C_INCR, NEG_SCALAR
from .normalize import F_BREAK, F_BUT, F_CAPS, F_EMO, F_NEG, F_SARC, TokenInfo

NEG_SCOPE = 3  # tokens after a negator that it reaches, unless a clause break comes first
BUT_BEFORE, BUT_AFTER = 0.5, 1.5  # VADER's weights: the clause after "but" dominates
EXCL_INCR, QUEST_INCR = 0.292, 0.18
ALPHA = 15.0  # VADER's normalisation constant: compound = s / sqrt(s^2 + alpha)

DENSE_NAMES = (
    "compound", "pos_sum", "neg_sum", "n_pos", "n_neg", "max_val", "min_val", "last_val",
    "exclaim", "question", "negated", "sarcasm", "emo_pos", "emo_neg", "url", "mentions",
    "length", "contrast",
)
SARCASM_BIGRAMS = frozenset(["yeah right", "yea right", "ya right", "sure jan"])


def _sign(x: float) -> float:
    return 1.0 if x > 0 else -1.0


def analyse_tokens(infos: list[TokenInfo]) -> tuple[float, list[float], list[str]]:
    """Score one text's tokens; return (compound in [-1, 1], dense features, unigram strings).

    Negated words get a ``_NEG`` suffix in the unigrams (Das & Chen / NRC-Canada style), so the
    classifier can learn "good_NEG" separately from "good".
    """
    vals: list[float] = []
    grams: list[str] = []
    but_at = -1
    neg_left = 0
    boost, boost_age = 0.0, 99
    excl = quest = n_neg_tok = emo_pos = emo_neg = url = mentions = 0
    sarcasm = False
    prev = "<s>"
    for norm, val, bst, flags, extras, _votes in infos:
        if flags & F_BREAK:
            neg_left = 0
            if norm == "!":
                excl += 1
            elif norm == "?":
                quest += 1
            if flags & F_SARC:
                sarcasm = True
            grams.append(norm)
            prev = norm
            continue
        gram = norm
        if flags & F_NEG:
            neg_left = NEG_SCOPE + 1
            n_neg_tok += 1
        elif neg_left > 0:
            gram = norm + "_NEG"
        if flags & F_BUT:
            but_at = len(vals)
            neg_left = 0
        if flags & F_SARC:
            sarcasm = True
        if bst:
            boost, boost_age = bst, 0
        elif val:
            v = val
            if flags & F_CAPS:
                v += C_INCR * _sign(v)
            if boost_age <= 2:
                # Decaying like VADER: a booster two words back counts a little less.
                v += boost * (1.0 - 0.05 * boost_age) * _sign(v)
            if neg_left > 0:
                v *= NEG_SCALAR
            vals.append(v)
            if flags & F_EMO:
                if v > 0:
                    emo_pos += 1
                else:
                    emo_neg += 1
        if norm == "<url>":
            url = 1
        elif norm == "@user":
            mentions += 1
        grams.append(gram)
        grams.extend(extras)
        if not sarcasm and prev + " " + norm in SARCASM_BIGRAMS:
            sarcasm = True
        prev = norm
        neg_left -= 1
        boost_age += 1

    if but_at > 0:
        vals = [v * BUT_BEFORE for v in vals[:but_at]] + [v * BUT_AFTER for v in vals[but_at:]]
    s = sum(vals)
    if s:
        emphasis = min(excl, 4) * EXCL_INCR + (min(quest, 3) * QUEST_INCR if quest > 1 else 0)
        s += _sign(s) * emphasis
    compound = s / math.sqrt(s * s + ALPHA)
    pos = [v for v in vals if v > 0]
    neg = [v for v in vals if v < 0]
    dense = [
        compound,
        sum(pos) / 4.0,
        -sum(neg) / 4.0,
        min(len(pos), 5) / 5.0,
        min(len(neg), 5) / 5.0,
        max(vals) / 4.0 if vals else 0.0,
        min(vals) / 4.0 if vals else 0.0,
        vals[-1] / 4.0 if vals else 0.0,
        min(excl, 3) / 3.0,
        min(quest, 3) / 3.0,
        float(n_neg_tok > 0),
        float(sarcasm),
        min(emo_pos, 3) / 3.0,
        min(emo_neg, 3) / 3.0,
        float(url),
        min(mentions, 3) / 3.0,
        min(len(infos), 40) / 40.0,
        float(but_at >= 0),
    ]
    return compound, dense, grams
