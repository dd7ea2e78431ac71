"""The sentiment CLI group: eval prints the figures, score prints label<TAB>compound."""

from __future__ import annotations

import re

from click.testing import CliRunner

from socialpulse.sentiment.cli import sentiment_cli


def test_eval_prints_figures(tmp_path):
    text = tmp_path / "text.txt"
    labels = tmp_path / "labels.txt"
    text.write_text("I love this so much!\nThis is awful :(\nThe store opens at 9am\n"
                    "Das ist wirklich nicht gut, ich bin sehr enttäuscht\n", encoding="utf-8")
    labels.write_text("2\n0\n1\n1\n", encoding="utf-8")
    res = CliRunner().invoke(sentiment_cli, ["eval", "--text", str(text), "--labels", str(labels)])
    assert res.exit_code == 0, res.output
    out = res.output
    macro = float(re.search(r"^macro_recall: ([\d.]+)$", out, re.M).group(1))
    assert 0 <= macro <= 100
    for name in ("negative", "neutral", "positive"):
        assert re.search(rf"^recall_{name}: [\d.]+$", out, re.M)
    assert re.search(r"^texts_per_second: \d+$", out, re.M)
    assert "non_english: 1" in out


def test_eval_rejects_mismatched_files(tmp_path):
    (tmp_path / "t.txt").write_text("a\nb\n", encoding="utf-8")
    (tmp_path / "l.txt").write_text("1\n", encoding="utf-8")
    res = CliRunner().invoke(sentiment_cli, ["eval", "--text", str(tmp_path / "t.txt"),
                                             "--labels", str(tmp_path / "l.txt")])
    assert res.exit_code != 0
    assert "2 texts but 1 labels" in res.output


def test_score_reads_stdin():
    res = CliRunner().invoke(sentiment_cli, ["score"],
                             input="I love it 😍\nEste producto es muy malo y no me gusta nada\n")
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert len(lines) == 2
    label, compound = lines[0].split("\t")
    assert label == "positive" and float(compound) > 0
    assert lines[1] == "non_english\t"


def test_train_reproduces_shipped_artifact(tmp_path):
    import numpy as np

    from socialpulse.sentiment.model import LinearModel
    from socialpulse.sentiment.pipeline import MODEL_PATH

    out = tmp_path / "model.npz"
    res = CliRunner().invoke(sentiment_cli, ["train", "--no-cv", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert f"wrote {out}" in res.output
    fresh, shipped = LinearModel.load(out), LinearModel.load(MODEL_PATH)
    assert fresh.version == shipped.version
    assert fresh.vocab == shipped.vocab
    np.testing.assert_allclose(fresh.w_dense, shipped.w_dense, atol=1e-6)
