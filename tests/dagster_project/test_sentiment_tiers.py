"""The sentiment asset's tiers on a real Postgres: a small budget splits a run's new rows
between the accurate and the fast tier, each row records its tier and model version, and a
later run with budget upgrades the fast rows. Expected labels are recomputed by scoring the
same texts directly with each tier."""

from __future__ import annotations

import pytest

from dagster_project.defs.enrichment.assets import score_new, upgrade_fast
from socialpulse.sentiment import score_texts
from socialpulse.sentiment.blend import score_texts_accurate
from socialpulse.sentiment.tiers import PROBE_TEXTS, TieredScorer
from socialpulse.sentiment.train import TEXT_FILE, read_lines
from socialpulse.warehouse import connect

N_TEXTS = 200


@pytest.fixture
def tweets(db_url):
    texts = [t for t in read_lines(TEXT_FILE) if t.strip()][:N_TEXTS]
    with connect(db_url) as conn:
        conn.execute("create schema raw_twitter")
        conn.execute("create table raw_twitter.tweets (id text primary key, text text)")
        with conn.cursor().copy("copy raw_twitter.tweets (id, text) from stdin") as cp:
            for i, t in enumerate(texts):
                cp.write_row((f"t{i:04d}", t))
    return db_url, {f"t{i:04d}": t for i, t in enumerate(texts)}


def _stored(url: str) -> dict[str, dict]:
    with connect(url) as conn:
        rows = conn.execute("select post_id, label, compound, model_version, tier "
                            "from enrichment.post_sentiment").fetchall()
    return {r["post_id"]: r for r in rows}


def _check_against_direct_scoring(stored: dict[str, dict], texts: dict[str, str]) -> None:
    for tier, scorer in (("fast", score_texts), ("accurate", score_texts_accurate)):
        ids = sorted(i for i, r in stored.items() if r["tier"] == tier)
        if not ids:
            continue
        direct = scorer([texts[i] for i in ids])
        assert {r.model_version for r in direct} == {stored[i]["model_version"] for i in ids}
        assert [(stored[i]["label"], stored[i]["compound"]) for i in ids] == \
            [(d.label, d.compound) for d in direct], tier


def test_small_budget_splits_rows_and_a_later_run_upgrades_them(tweets):
    url, texts = tweets
    small = TieredScorer("auto", budget_seconds=0.05)
    with connect(url) as conn:
        done = score_new(conn, "post", small, batch_size=250)
    stored = _stored(url)
    assert done["rows_scored"] == len(stored) == N_TEXTS
    tiers = [r["tier"] for r in stored.values()]
    n_accurate = tiers.count("accurate")
    # the probe batch always runs accurately; 0.05 s cannot cover 200 texts at ~600/s
    assert PROBE_TEXTS <= n_accurate < N_TEXTS / 2
    assert done["tiers"] == {"accurate": n_accurate, "fast": N_TEXTS - n_accurate}
    versions = {r["tier"]: set() for r in stored.values()}
    for r in stored.values():
        versions[r["tier"]].add(r["model_version"])
    assert len(versions["fast"]) == len(versions["accurate"]) == 1
    assert versions["fast"] != versions["accurate"]
    _check_against_direct_scoring(stored, texts)

    # a run with nothing new: its whole budget goes to upgrading the fast rows
    later = TieredScorer("auto", budget_seconds=60.0)
    with connect(url) as conn:
        assert score_new(conn, "post", later)["rows_scored"] == 0
        upgraded = upgrade_fast(conn, "post", later, batch_size=250)
    after = _stored(url)
    assert upgraded == N_TEXTS - n_accurate
    assert {r["tier"] for r in after.values()} == {"accurate"}
    assert len(after) == N_TEXTS  # nothing duplicated
    _check_against_direct_scoring(after, texts)
    # rows that were accurate already were left alone
    for i, r in stored.items():
        if r["tier"] == "accurate":
            assert after[i]["label"] == r["label"] and after[i]["compound"] == r["compound"]


def test_fast_tier_never_loads_the_encoder_and_upgrades_nothing(tweets):
    url, _ = tweets
    scorer = TieredScorer("fast", budget_seconds=60.0)
    with connect(url) as conn:
        assert score_new(conn, "post", scorer)["tiers"] == {"fast": N_TEXTS}
        assert upgrade_fast(conn, "post", scorer) == 0
    assert {r["tier"] for r in _stored(url).values()} == {"fast"}


def test_explicit_accurate_scores_every_new_row(tweets):
    url, _ = tweets
    scorer = TieredScorer("accurate", budget_seconds=0.0)
    with connect(url) as conn:
        conn.execute("delete from raw_twitter.tweets where id >= 't0100'")
        conn.commit()
        assert score_new(conn, "post", scorer)["tiers"] == {"accurate": 100}
