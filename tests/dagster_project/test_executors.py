"""The cycle's executor settings: the Celery run loop's tick and its validation."""

from __future__ import annotations

import pytest
from dagster_celery import core_execution_loop

from dagster_project.executors import TICK_ENV, cycle_executor, tick_seconds
from socialpulse.errors import ConfigError


def test_the_celery_executor_sets_the_run_loops_tick(monkeypatch) -> None:
    monkeypatch.setattr(core_execution_loop, "TICK_SECONDS", 1)
    monkeypatch.setenv(TICK_ENV, "0.05")
    cycle_executor("celery")
    assert core_execution_loop.TICK_SECONDS == 0.05
    monkeypatch.delenv(TICK_ENV)
    cycle_executor("celery")
    assert core_execution_loop.TICK_SECONDS == 0.2


@pytest.mark.parametrize("raw", ["0", "-1", "fast", "11", "nan"])
def test_a_tick_out_of_range_is_a_config_error(monkeypatch, raw: str) -> None:
    monkeypatch.setenv(TICK_ENV, raw)
    with pytest.raises(ConfigError, match=TICK_ENV):
        tick_seconds()
