"""How the Meta source calls Graph: paging links followed through the configured base URL,
``appsecret_proof`` on every call when the app secret is configured."""

from __future__ import annotations

from tests.dlt_sources.shared import q
from tests.dlt_sources.test_meta import meta_sync, world  # noqa: F401


def _media_truth(sandbox) -> set[str]:
    return {p["post_id"] for p in sandbox.truth("posts", platform="instagram",
                                                include_invisible=False)
            if not p["is_malformed"]}


def test_absolute_graph_links_are_followed_through_the_base_url(
        db_url, sandbox, world, monkeypatch):  # noqa: F811
    monkeypatch.setenv("SOURCES__META__PAGE_SIZE", "4")
    world(faults={"meta_links_to_graph_host": True})
    result = meta_sync(db_url)[0]
    assert not result.failures
    loaded = {r["id"] for r in q(db_url, "select id from raw_meta.instagram_media")}
    assert loaded == _media_truth(sandbox)
    # every page came through the sandbox: later pages carry the link's `after` cursor
    assert any("after" in r["query"] for r in sandbox.requests("meta"))


def test_appsecret_proof_is_sent_on_every_call(db_url, sandbox, world, monkeypatch):  # noqa: F811
    monkeypatch.setenv("SOURCES__META__PAGE_SIZE", "4")
    world(faults={"meta_require_appsecret_proof": True})
    result = meta_sync(db_url)[0]
    assert not result.failures
    loaded = {r["id"] for r in q(db_url, "select id from raw_meta.instagram_media")}
    assert loaded == _media_truth(sandbox)
    calls = [r for r in sandbox.requests("meta") if "oauth" not in r["path"]]
    assert calls and all("appsecret_proof" in r["query"] for r in calls)
