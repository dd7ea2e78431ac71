"""The LinkedIn source against the sandbox: loads must match the world's ground truth."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from dlt_sources.runner import sync
from socialpulse.crypto import TokenCipher
from tests.dlt_sources.shared import connect_world, q, raw_counts

SMALL = {"workspaces_per_agency": 2, "posts_per_account": 15, "competitors_per_workspace": 1}
METRIC_MAP = {"impression_count": "impressions", "unique_impressions_count": "reach",
              "click_count": "clicks", "like_count": "likes", "comment_count": "comments",
              "share_count": "shares"}
TABLES = ("organizations", "posts", "comments", "post_metric_snapshots",
          "organization_metric_snapshots", "organization_follower_gains", "rejects")


@pytest.fixture
def li_world(db_url, sandbox):
    """Reset the sandbox to a small world and connect its accounts in app.*."""
    def setup(faults: dict | None = None, token_ttl_s: dict | None = None, **config) -> dict:
        return connect_world(sandbox, db_url, {**SMALL, **config}, faults, token_ttl_s)
    return setup


def counts(url: str) -> dict[str, int]:
    return raw_counts(url, "raw_linkedin")


def li_truth(sandbox) -> dict[str, dict]:
    """Visible, well-formed LinkedIn posts by URN."""
    return {p["post_id"]: p for p in sandbox.truth("posts", platform="linkedin")
            if p["is_visible"] and not p["is_malformed"]}


def assert_snapshots_match(sandbox, db_url: str, observed: datetime) -> int:
    truth = {p["post_id"]: p for p in sandbox.truth("posts", platform="linkedin",
                                                      at=observed.isoformat())}
    snaps = q(db_url, "select * from raw_linkedin.post_metric_snapshots where observed_at = %s",
              observed)
    assert snaps, "no snapshot at the observation time"
    for snap in snaps:
        metrics = truth[snap["post_id"]]["metrics"]
        for column, canonical in METRIC_MAP.items():
            assert snap[column] == metrics[canonical], (column, snap["post_id"])
        engaged = sum(metrics[m] for m in ("clicks", "likes", "comments", "shares"))
        assert snap["engagement"] == pytest.approx(engaged / metrics["impressions"])
    return len(snaps)


def li_accounts(world: dict) -> list[dict]:
    return [a for a in world["accounts"] if a["platform"] == "linkedin"]


def test_full_sync_matches_the_world(li_world, sandbox, db_url, monkeypatch):
    # small pages and batches so both paging styles and several batches are exercised
    for key, value in (("PAGE_SIZE", "4"), ("BATCH_SIZE", "5"), ("COMMENTS_PAGE_SIZE", "2")):
        monkeypatch.setenv(f"SOURCES__LINKEDIN__{key}", value)
    world = li_world()
    results = sync(["linkedin"], url=db_url)
    assert results[0].failures == {}
    tables = {r["table_name"] for r in q(
        db_url, "select table_name from information_schema.tables where table_schema = "
        "'raw_linkedin' and table_name not like '\\_dlt%%'")}
    # hashtags stay a json column: no posts__hashtags child table
    assert tables == set(TABLES) - {"rejects"}
    visible = li_truth(sandbox)
    posts = q(db_url, "select * from raw_linkedin.posts")
    assert {p["id"] for p in posts} == set(visible)
    for post in posts:
        truth = visible[post["id"]]
        assert post["text"] == truth["text"]  # little text resolved back to the plain text
        assert post["hashtags"] == truth["hashtags"]
        assert post["created_at"] == datetime.fromisoformat(truth["created_at"])
        assert post["author_id"] == truth["account_id"]
        assert post["is_deleted"] is False
        assert "{hashtag|" in post["commentary"] or not truth["hashtags"]
    now = datetime.fromisoformat(world["now"])
    assert assert_snapshots_match(sandbox, db_url, now) == len(visible)
    orgs = {a["platform_account_id"]: a for a in li_accounts(world)}
    loaded = q(db_url, "select * from raw_linkedin.organizations")
    assert {(o["id"], o["vanity_name"], o["name"]) for o in loaded} == {
        (i, a["handle"], a["name"]) for i, a in orgs.items()}
    followers = q(db_url, "select * from raw_linkedin.organization_metric_snapshots")
    assert {(f["organization_id"], f["follower_count"]) for f in followers} == {
        (i, a["followers"]) for i, a in orgs.items()}
    assert all(f["observed_at"] == now and f["gain_date"] == (now - timedelta(days=1)).date()
               for f in followers)
    shares = sum(":share:" in u for u in visible)
    assert len(calls(sandbox, "/rest/organizationalEntityShareStatistics")) <= (
        -(-shares // 5) - (-(len(visible) - shares) // 5) + 2)
    assert len(calls(sandbox, "/rest/posts", q="author")) > len(orgs)  # several pages each
    comments = q(db_url, "select * from raw_linkedin.comments")
    truth_comments = {c["comment_id"]: c for c in sandbox.truth("comments", platform="linkedin")
                      if c["post_id"] in visible}
    assert {c["id"] for c in comments} == set(truth_comments)
    for c in comments:
        assert c["post_id"] == truth_comments[c["id"]]["post_id"]  # not the activity URN
        assert c["object_urn"].startswith("urn:li:activity:")
        assert c["text"] == truth_comments[c["id"]]["text"]


def calls(sandbox, path: str, **match) -> list[dict]:
    return [r for r in sandbox.requests("linkedin") if r["path"] == path
            and all(k in r["query"] and (v is True or r["query"][k] == v)
                    for k, v in match.items())]


def test_second_sync_fetches_only_new_posts_and_batches_statistics(li_world, sandbox, db_url):
    world = li_world(deleted_fraction=0.3, posts_per_account=40)
    t0 = datetime.fromisoformat(world["now"])
    sync(["linkedin"], url=db_url)
    first = li_truth(sandbox)
    snaps_t0 = counts(db_url)["post_metric_snapshots"]
    sandbox.advance(86_400)
    sandbox.clear_requests()
    t1 = t0 + timedelta(days=1)
    results = sync(["linkedin"], url=db_url)
    assert results[0].failures == {}
    orgs = len(li_accounts(world))
    # one page of new posts per organization, and it is the first page
    listings = calls(sandbox, "/rest/posts", q="author")
    assert len(listings) == orgs and all(r["query"].get("start", "0") == "0" for r in listings)
    # statistics in batches: at most one call per organization and URN kind, never per post
    stats = calls(sandbox, "/rest/organizationalEntityShareStatistics")
    assert 0 < len(stats) <= 2 * orgs
    assert all("shares" in r["query"] or "ugcPosts" in r["query"] for r in stats)
    lookups = calls(sandbox, "/rest/posts", ids=True)
    assert len(lookups) == orgs
    visible = li_truth(sandbox)
    new = {u for u, p in visible.items() if datetime.fromisoformat(p["created_at"]) > t0}
    assert new, "the world posted nothing during the simulated day"
    posts = {p["id"]: p for p in q(db_url, "select * from raw_linkedin.posts")}
    assert set(posts) == set(first) | new
    deleted = set(first) - set(visible)
    assert deleted, "no post was deleted during the simulated day"
    assert {u for u, p in posts.items() if p["is_deleted"]} == deleted
    assert all(posts[u]["text"] == first[u]["text"] for u in deleted)  # row kept, only flagged
    # exactly one new snapshot per tracked (live, inside the lookback window) post
    assert assert_snapshots_match(sandbox, db_url, t1) == len(visible)
    assert counts(db_url)["post_metric_snapshots"] == snaps_t0 + len(visible)
    assert q(db_url, "select count(*) as n from raw_linkedin.organization_metric_snapshots"
             )[0]["n"] == 2 * orgs


def test_rerun_adds_nothing_and_faults_do_not_change_the_data(li_world, sandbox, db_url):
    li_world(faults={"rate_429": 0.15, "rate_5xx": 0.15})
    results = sync(["linkedin"], url=db_url)
    assert results[0].failures == {}
    assert len(sandbox.requests("linkedin")) > 20  # retries happened on top of the normal calls
    visible = li_truth(sandbox)
    assert {p["id"] for p in q(db_url, "select id from raw_linkedin.posts")} == set(visible)
    assert assert_snapshots_match(sandbox, db_url, datetime.fromisoformat(
        sandbox.world()["now"])) == len(visible)
    before = counts(db_url)
    sandbox.faults(rate_429=0.0, rate_5xx=0.0)
    assert sync(["linkedin"], url=db_url)[0].failures == {}
    assert counts(db_url) == before


def test_persistent_429_is_rate_limited_not_a_crash(li_world, sandbox, db_url):
    li_world(faults={"linkedin_daily_limit": 3})
    results = sync(["linkedin"], url=db_url)
    assert len(results[0].failures) == 2
    state = q(db_url, "select s.* from app.sync_state s join app.connected_accounts a "
              "using (account_id) where a.platform = 'linkedin'")
    assert all("rate limit" in s["last_error"] and s["is_retryable"] and not s["needs_reauth"]
               for s in state)


def test_expired_token_is_refreshed_and_stored_encrypted(li_world, sandbox, db_url):
    world = li_world(token_ttl_s={"linkedin": 3_600})
    sandbox.advance(7_200)
    old = {a["platform_account_id"]: a["tokens"] for a in li_accounts(world)}
    results = sync(["linkedin"], url=db_url)
    assert results[0].failures == {}
    assert len(calls(sandbox, "/oauth/v2/accessToken")) == len(old)
    cipher = TokenCipher.from_settings()
    stored = q(db_url, "select platform_account_id, access_token_ciphertext, token_expires_at "
               "from app.connected_accounts where platform = 'linkedin'")
    now = datetime.fromisoformat(sandbox.world()["now"])
    for row in stored:
        token = cipher.decrypt(row["access_token_ciphertext"])
        assert token != old[row["platform_account_id"]]["access_token"]
        assert row["token_expires_at"] > now
    assert {p["id"] for p in q(db_url, "select id from raw_linkedin.posts")} == set(
        li_truth(sandbox))
    fresh = [cipher.decrypt(row["access_token_ciphertext"]) for row in stored]
    previous = [t[key] for t in old.values() for key in ("access_token", "refresh_token")]
    assert_no_plaintext_tokens(db_url, fresh + previous)


def test_revoked_token_needs_reauth_and_the_other_org_still_loads(li_world, sandbox, db_url):
    world = li_world()
    revoked, other = (a["platform_account_id"] for a in li_accounts(world))
    sandbox.revoke("linkedin", revoked)
    results = sync(["linkedin"], url=db_url)
    assert list(results[0].failures) == [f"linkedin:{li_accounts(world)[0]['handle']}"]
    state = {r["platform_account_id"]: r for r in q(
        db_url, "select a.platform_account_id, s.* from app.sync_state s "
        "join app.connected_accounts a using (account_id) where a.platform = 'linkedin'")}
    assert state[revoked]["needs_reauth"] and "REVOKED_ACCESS_TOKEN" in state[revoked][
        "last_error"]
    assert not state[other]["needs_reauth"] and state[other]["last_error"] is None
    authors = {r["author_id"] for r in q(db_url, "select author_id from raw_linkedin.posts")}
    assert authors == {other}


def test_malformed_posts_are_quarantined_once(li_world, sandbox, db_url):
    li_world(malformed_fraction=0.3)
    assert sync(["linkedin"], url=db_url)[0].failures == {}
    truth = sandbox.truth("posts", platform="linkedin")
    bad = [p for p in truth if p["is_malformed"] and p["is_visible"]]
    assert bad
    rejects = q(db_url, "select * from raw_linkedin.rejects")
    assert len(rejects) == len(bad)
    assert all(r["resource"] == "posts" and ("URN id" in r["reason"] or "createdAt" in r["reason"])
               for r in rejects)
    assert {p["id"] for p in q(db_url, "select id from raw_linkedin.posts")} == set(
        li_truth(sandbox))
    assert sync(["linkedin"], url=db_url)[0].failures == {}
    assert len(q(db_url, "select * from raw_linkedin.rejects")) == len(bad)


def test_sunset_api_version_is_a_clear_error(li_world, sandbox, db_url, monkeypatch):
    li_world()
    monkeypatch.setenv("SOURCES__LINKEDIN__API_VERSION", "202505")
    results = sync(["linkedin"], url=db_url)
    assert len(results[0].failures) == 2
    errors = [r["last_error"] for r in q(
        db_url, "select s.last_error from app.sync_state s join app.connected_accounts a "
        "using (account_id) where a.platform = 'linkedin'")]
    assert len(errors) == 2
    for error in errors:
        assert "202505" in error and "sources.linkedin.api_version" in error
        assert "NONEXISTENT_VERSION" in error


def assert_no_plaintext_tokens(db_url: str, tokens: list[str]) -> None:
    """No token in any table of the database, dlt's compressed pipeline state included."""
    from dlt.pipeline.state_sync import decompress_state

    dump = []
    tables = q(db_url, "select table_schema, table_name from information_schema.tables "
               "where table_schema not in ('pg_catalog', 'information_schema')")
    for t in tables:
        for row in q(db_url, f'select * from "{t["table_schema"]}"."{t["table_name"]}"'):
            dump.append(str(row))
            if t["table_name"] == "_dlt_pipeline_state":
                dump.append(str(decompress_state(row["state"])))
    text = "\n".join(dump)
    assert "raw_linkedin" in text or "_dlt_pipeline_state" in text
    for token in tokens:
        assert token and token not in text


def test_unparsable_date_header_is_logged_once(li_world, db_url, caplog, monkeypatch):
    from dlt_sources._shared import http
    monkeypatch.setattr(http, "_CLOCK_WARNED", set())
    li_world(faults={"date_header": "unparsable"})
    with caplog.at_level("WARNING", logger="dlt_sources._shared.http"):
        sync(["linkedin"], url=db_url)
    # (follower statistics then ask for days past the sandbox's own clock and are refused)
    lines = [r.getMessage() for r in caplog.records if r.name == "dlt_sources._shared.http"]
    assert len(lines) == 1 and "unparsable Date header" in lines[0], lines


def test_comment_likes_localized_names_and_mention_counts(li_world, sandbox, db_url):
    world = li_world()
    assert sync(["linkedin"], url=db_url)[0].failures == {}
    names = {o["id"]: o["name"] for o in q(db_url, "select * from raw_linkedin.organizations")}
    # organisations in another locale come without localizedName: the preferred locale's name
    assert names == {a["platform_account_id"]: a["name"] for a in li_accounts(world)}
    comments = q(db_url, "select * from raw_linkedin.comments")
    assert comments and all(c["id"].startswith("urn:li:comment:") for c in comments)
    assert all(c["like_count"] is not None for c in comments)
    snaps = q(db_url, "select * from raw_linkedin.post_metric_snapshots")
    assert all(s["share_mentions_count"] is not None and s["comment_mentions_count"] is not None
               for s in snaps)
    assert any(s["share_mentions_count"] for s in snaps)
