"""Facebook comments without ``id``: the id comes from ``permalink_url`` (``comment_id=``), and
a page whose comments are all rejected is logged with its post and count."""

from __future__ import annotations

import logging

from dlt_sources.meta import records
from tests.dlt_sources.shared import q
from tests.dlt_sources.test_meta import meta_sync, owned, world  # noqa: F401


def test_comment_ids_come_from_the_permalink_when_id_is_missing(
        db_url, sandbox, world):  # noqa: F811
    w = world(faults={"meta_comments_without_id": True})
    result = meta_sync(db_url)[0]
    assert not result.failures
    posts = {r["id"] for r in q(db_url, "select id from raw_meta.facebook_posts")}
    truth = {c["comment_id"] for c in sandbox.truth("comments", platform="facebook")
             if c["post_id"] in posts}
    assert truth, "the world has comments on owned pages"
    loaded = {r["id"] for r in q(db_url, "select id from raw_meta.facebook_comments")}
    assert loaded == truth
    assert not q(db_url, "select * from raw_meta.rejects where resource = 'facebook_comments'")
    assert owned(w, "facebook")


def test_a_page_of_rejected_comments_is_logged_with_post_and_count(caplog):
    comments = [{"message": "no id", "created_time": "2026-01-01T00:00:00+0000"}] * 3
    with caplog.at_level(logging.WARNING):
        rows = list(records.comment_page(comments, "1_2", lambda c: records.fb_comment(
            c, "1_2", "1", records.parse_time("2026-01-02T00:00:00+0000"))))
    assert len(rows) == 3
    assert "post 1_2" in caplog.text and "(3 comments)" in caplog.text
