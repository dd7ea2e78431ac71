"""The trending API answers a window of ``ROLLUP_WINDOW_DAYS`` from marts.hashtag_trends_windows,
which dbt builds for var ``hashtag_window_days``: the two must be the same number, or those
answers would sum windows of another length without any error. The var's value is read the way
dbt resolves it: dbt_project.yml's vars, else the default of the model's var() call."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from report_api.queries import analytics

DBT = Path(__file__).resolve().parents[2] / "dbt_project"


def _hashtag_window_days() -> int:
    project_vars = yaml.safe_load((DBT / "dbt_project.yml").read_text()).get("vars") or {}
    if "hashtag_window_days" in project_vars:
        return int(project_vars["hashtag_window_days"])
    model = (DBT / "models" / "marts" / "hashtag_trends_windows.sql").read_text()
    defaults = re.findall(r"var\(\s*['\"]hashtag_window_days['\"]\s*,\s*(\d+)\s*\)", model)
    assert len(set(defaults)) == 1, defaults  # one default, or the model disagrees with itself
    return int(defaults[0])


def test_the_api_rollup_window_is_the_dbt_var():
    assert _hashtag_window_days() == analytics.ROLLUP_WINDOW_DAYS
