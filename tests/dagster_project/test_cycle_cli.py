"""`socialpulse cycle` from a terminal: one whole cycle, recorded in the Dagster instance."""

from __future__ import annotations

import os
import subprocess
import sys

import dagster as dg
import pytest

pytestmark = pytest.mark.slow


@pytest.mark.timeout(1200)  # a whole cycle in a subprocess, first dbt build included
def test_cycle_command_runs_one_cycle_and_says_where_to_look(dagster_world, tmp_path) -> None:
    home = tmp_path / "dagster_home"
    env = {**os.environ, "DATABASE_URL": dagster_world.url, "DAGSTER_HOME": str(home),
           "SOCIALPULSE_DATA_DIR": str(tmp_path / "data"), "DAGSTER_EXECUTOR": "in_process"}
    done = subprocess.run([sys.executable, "-m", "socialpulse_cli", "cycle"], env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("running one cycle on "), lines
    summary = next(line for line in lines if line.startswith("cycle done: "))
    assert "0 accounts failed" in summary and "(ok)" in summary, summary
    assert int(summary.split("cycle done: ")[1].split(" raw rows")[0]) > 0
    # dbt's own output went to the log, not the terminal
    assert (tmp_path / "data" / "cycles.log").stat().st_size > 0
    assert "dbt" not in done.stdout.replace("dbt build", "")
    assert int(dagster_world.scalar("select count(*) from marts.posts")) > 0
    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs = instance.get_runs()
    assert len(runs) == 1 and runs[0].is_success
