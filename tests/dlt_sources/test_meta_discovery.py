"""business_discovery paging whose ``after`` never ends: the source stops on a repeated
cursor or an empty page, and reads at most ``discovery_max_pages`` pages per competitor."""

from __future__ import annotations

import logging

import pytest

from tests.dlt_sources.shared import q
from tests.dlt_sources.test_meta import meta_sync, world  # noqa: F401

MORE_POSTS = {"posts_per_account": 40}  # two business_discovery pages of 25


def _competitor_truth(sandbox, w: dict) -> set[str]:
    competitors = {a["platform_account_id"] for a in w["accounts"]
                   if a["platform"] == "instagram" and a["is_competitor"]}
    return {p["post_id"] for p in sandbox.truth("posts", platform="instagram",
                                                include_invisible=False)
            if p["account_id"] in competitors and not p["is_malformed"]}


def _discovery_calls(sandbox) -> int:
    return sum("business_discovery" in r["query"].get("fields", "")
               for r in sandbox.requests("meta"))


@pytest.mark.timeout(90)
@pytest.mark.parametrize("mode", ["repeat_cursor", "empty_page"])
def test_discovery_paging_stops_when_after_does_not_end(db_url, sandbox, world, mode):  # noqa: F811
    w = world(MORE_POSTS, faults={"meta_discovery_paging": mode})
    sandbox.clear_requests()
    result = meta_sync(db_url)[0]
    assert not result.failures
    competitor_ids = {a["platform_account_id"] for a in w["accounts"]
                      if a["platform"] == "instagram" and a["is_competitor"]}
    loaded = {r["id"] for r in q(db_url, "select id from raw_meta.instagram_media where "
                                         "owner_id = any(%s)", list(competitor_ids))}
    assert loaded == _competitor_truth(sandbox, w)
    # two real pages, plus the one repeated/empty page that proves the end
    assert _discovery_calls(sandbox) <= 3 * len(competitor_ids)


@pytest.mark.timeout(90)
def test_discovery_pages_are_capped_per_run(db_url, sandbox, world, monkeypatch,  # noqa: F811
                                            caplog):
    monkeypatch.setenv("SOURCES__META__DISCOVERY_MAX_PAGES", "1")
    w = world(MORE_POSTS)
    sandbox.clear_requests()
    with caplog.at_level(logging.WARNING):
        result = meta_sync(db_url)[0]
    assert not result.failures
    competitors = [a for a in w["accounts"] if a["platform"] == "instagram"
                   and a["is_competitor"]]
    assert _discovery_calls(sandbox) == len(competitors)
    assert "discovery_max_pages" in caplog.text
