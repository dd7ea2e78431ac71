"""Graph refuses insights for single media (posted before the business conversion, or no
permission): only those media lose their insights, with a reject row saying why."""

from __future__ import annotations

from tests.dlt_sources.shared import q
from tests.dlt_sources.test_meta import meta_sync, owned, world  # noqa: F401


def test_media_refusing_insights_do_not_fail_the_account(db_url, sandbox, world):  # noqa: F811
    w = world()
    account = owned(w, "instagram")[0]["platform_account_id"]
    media = [p for p in sandbox.truth("posts", account_id=account, include_invisible=False)
             if not p["is_malformed"] and p["reported_insights"] is not None]
    old, denied = media[0]["post_id"], media[1]["post_id"]
    sandbox.faults(meta_preconversion_media=[old], meta_insights_denied_media=[denied])
    result = meta_sync(db_url)[0]
    assert not result.failures
    loaded = {r["id"] for r in q(db_url, "select id from raw_meta.instagram_media "
                                         "where owner_id = %s", account)}
    assert {p["post_id"] for p in media} <= loaded
    snaps = {s["media_id"]: s for s in q(
        db_url, "select * from raw_meta.instagram_media_metric_snapshots where owner_id = %s",
        account)}
    assert snaps[old]["reach"] is None and snaps[denied]["reach"] is None
    assert snaps[old]["like_count"] is not None
    assert all(s["reach"] is not None for i, s in snaps.items() if i not in (old, denied)
               and i in {p["post_id"] for p in media})
    rejects = {r["reason"] for r in q(db_url, "select reason from raw_meta.rejects where "
                                              "resource = 'instagram_media_insights'")}
    assert any("2108006" in r for r in rejects) and any("#10" in r for r in rejects)
