"""The scale benchmarks run end to end at their smallest size and print a complete table.

The end-to-end runs build worlds, sync, dbt build and run cycles: minutes on a shared machine,
so they are marked ``bench`` and run with ``pytest -m bench`` (not in CI). The table and
world-size helpers are checked in the normal suite.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from _table import Table  # noqa: E402
from _world import WorldSize  # noqa: E402


def test_world_sizes_keep_the_posting_rate_and_stretch_the_history():
    small, large = WorldSize(2_600).config(26), WorldSize(26_000).config(26)
    assert (small["posts_per_account"], large["posts_per_account"]) == (100, 1_000)
    rate = [c["posts_per_account"] / c["history_days"] for c in (small, large)]
    assert rate == [10.0, 10.0]


def test_the_table_shows_medians_spreads_and_the_ratio_of_medians():
    table = Table("t", "b")
    row = table.row("figure", "s")
    row.ours, row.baseline = [1.0, 3.0, 2.0], [8.0]
    line = table.render().splitlines()[2]
    assert "2 s (1-3)" in line and "8 s" in line and "0.25x" in line
    assert table.row("only ours").ratio() == "-"


def _run(script: str, tmp_path: Path, *args: str) -> list[list[str]]:
    out = tmp_path / f"{script}.md"
    done = subprocess.run([sys.executable, str(BENCHMARKS / f"{script}.py"), *args,
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert re.search(r"^\[\d\d:\d\d:\d\d\] ", done.stdout, re.M), "no progress lines"
    rows = [[c.strip() for c in line.strip("|").split("|")]
            for line in out.read_text().splitlines() if line.startswith("| ")]
    assert rows[0][0] == "figure" and len(rows) > 1
    return rows[1:]


def _figure(rows: list[list[str]], prefix: str) -> list[str]:
    matches = [r for r in rows if r[0].strip().startswith(prefix)]
    assert matches, f"no row {prefix!r} in {[r[0] for r in rows]}"
    return matches[0]


def _value(cell: str) -> float:
    return float(cell.split()[0].replace(",", ""))


@pytest.mark.bench
def test_ingest(tmp_path):
    rows = _run("ingest", tmp_path, "--sizes", "100")
    rate = _figure(rows, "rows/s")
    # COPY of the same rows is always faster than the sources' HTTP round trips
    assert 0 < _value(rate[1]) < _value(rate[2]) and rate[3].endswith("x")
    assert _value(_figure(rows, "sync process CPU")[1]) > 0
    assert _value(_figure(rows, "sync peak RSS")[1]) > 50


@pytest.mark.bench
def test_dbt_build(tmp_path):
    rows = _run("dbt_build", tmp_path, "--sizes", "100")
    build = _figure(rows, "dbt build")
    assert _value(build[1]) > 0 and _value(build[2]) > 0
    # the build, the models' own time, then the 5 slowest models
    assert len(rows) == 2 + 5 and all(_value(r[1]) >= 0 for r in rows)


@pytest.mark.bench
def test_cycle(tmp_path):
    rows = _run("cycle", tmp_path, "--sizes", "100,200")
    cycles = [r for r in rows if r[0].startswith("cycle,")]
    assert len(cycles) == 2 and cycles[0][3] == "1x"
    assert all(_value(r[1]) > 0 for r in rows if r[0].startswith("rows loaded"))


@pytest.mark.bench
def test_endpoints(tmp_path):
    rows = _run("endpoints", tmp_path, "--sizes", "100", "--requests", "2")
    # 2 endpoints x 4 figures, response cache off and on
    assert len(rows) == 16 and sum(r[0].endswith("cache on") for r in rows) == 8
    assert all(_value(r[1]) > 0 and _value(r[2]) > 0 for r in rows)
    assert (tmp_path / "endpoints.explain.txt").read_text().count("Index") >= 3


@pytest.mark.bench
def test_storage(tmp_path):
    rows = _run("storage", tmp_path, "--sizes", "100", "--cycles", "1")
    per_post = _figure(rows, "bytes per post")
    # a cycle adds snapshots: the warehouse never shrinks below what the load wrote
    assert _value(per_post[1]) >= _value(per_post[2]) * 0.9 > 0
