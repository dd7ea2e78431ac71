"""Behaviour of the sentiment pipeline on hand-written cases."""

from __future__ import annotations

import pytest

from socialpulse.sentiment import SentimentResult, score_texts
from socialpulse.sentiment.langid import detect_language
from socialpulse.sentiment.tokenizer import camel_split, segment_lower, split_tokens


def test_tokenizer_keeps_social_units_whole():
    words, _, kinds = split_tokens("Wow #BrandLove @user :-( <3 https://t.co/x 😍 soooo good!!!")
    assert words == ["Wow", "#BrandLove", "@user", ":-(", "<3", "https://t.co/x", "😍",
                     "soooo", "good", "!!!"]
    assert kinds[1:7] == ["hashtag", "mention", "emoticon", "emoticon", "url", "emoji"]


def test_hashtag_segmentation():
    assert camel_split("BrandLove") == ["brand", "love"]
    assert segment_lower("lovemylife", {"love", "my", "life"}) == ["love", "my", "life"]
    assert segment_lower("qwzx", {"love"}) == ["qwzx"]


def test_pipeline_exposes_doc_extensions(nlp):
    assert nlp.pipe_names == ["sp_social_normalizer", "sp_language_detector",
                              "sp_lexicon_scorer", "sp_sentiment_classifier"]
    doc = nlp("I love #BrandLove")
    assert [t.text for t in doc] == ["I", "love", "#BrandLove"]
    assert doc._.sp_label == "positive"
    assert doc._.sp_language == "en"
    assert doc._.sp_lexicon_compound > 0


def test_negation_flips_polarity(score):
    good, not_good = score("this is good"), score("this is not good")
    assert good.label == "positive"
    assert not_good.label == "negative"
    assert not_good.compound < 0 < good.compound


def test_negation_scope_ends_at_clause_break(score):
    # "not" must not reach across the comma to "great".
    assert score("not bad, great in fact").label == "positive"


@pytest.mark.parametrize(
    ("text", "label"),
    [("love it 😍", "positive"), ("😡", "negative"), ("worst day ever :(", "negative"),
     ("this made my day :)", "positive"), ("#BrandLove", "positive")],
)
def test_emoji_emoticons_and_hashtags(score, text, label):
    assert score(text).label == label


def test_elongation_is_normalised_and_still_positive(score):
    plain, long_ = score("so good"), score("soooo goooood")
    assert long_.label == plain.label == "positive"
    assert long_.compound >= plain.compound - 0.05


def test_intensifier_strengthens(nlp):
    weak = nlp("the food was good")._.sp_lexicon_compound
    strong = nlp("the food was extremely good")._.sp_lexicon_compound
    assert strong > weak > 0


def test_but_contrast_weights_second_clause(score):
    assert score("I love the design but the battery is terrible").label == "negative"


@pytest.mark.parametrize(
    "text", ["great service /s", "yeah right, great service", "great service #sarcasm"]
)
def test_sarcasm_markers_are_not_scored_positive(score, text):
    assert score(text).label == "neutral"


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Me encanta este producto, es el mejor que he comprado", "es"),
     ("Das ist wirklich nicht gut, ich bin sehr enttäuscht", "de"),
     ("Je suis très content de ce produit, merci beaucoup", "fr"),
     ("Eu adoro este produto, é muito bom mesmo", "pt"),
     ("Questo prodotto è fantastico, lo adoro davvero", "it")],
)
def test_non_english_is_flagged(score, text, lang):
    r = score(text)
    assert r.label == "non_english"
    assert r.compound is None
    assert r.language == lang


@pytest.mark.parametrize("text", ["gracias", "I love this por favor", "ok", "The best day ever"])
def test_short_or_mostly_english_defaults_to_english(text):
    assert detect_language(split_tokens(text)[0]) == "en"


def test_results_shape_range_and_determinism(handwritten):
    texts = handwritten[0] + ["", "   ", "¿Qué tal?", "!!!", "@user http://x.co"]
    first = score_texts(texts)
    assert first == score_texts(texts)
    for r in first:
        assert isinstance(r, SentimentResult)
        assert r.label in {"negative", "neutral", "positive", "non_english"}
        assert r.model_version.startswith("sp-sentiment-")
        if r.label == "non_english":
            assert r.compound is None
        else:
            assert -1.0 <= r.compound <= 1.0


def test_batch_equals_one_by_one(handwritten):
    texts = handwritten[0][:20]
    assert score_texts(texts) == [score_texts([t])[0] for t in texts]


def test_empty_text_is_neutral(score):
    r = score("")
    assert (r.label, r.compound) == ("neutral", 0.0)
