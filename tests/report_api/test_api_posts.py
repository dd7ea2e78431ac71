"""An account's posts: keyset pages on the post_id, the 2.0 field names with their deprecated
1.x aliases, and the deprecated path answering the same as the new one."""

from __future__ import annotations

import pytest

from report_api import cursors


def _posts_of(world, account_id) -> dict[str, dict]:
    return {r["post_id"]: r for r in world.query(
        "select post_id, platform_post_id, platform, text, post_url, engagement, "
        "engagement_rate_by_followers, created_at "
        "from marts.posts where account_id = %s and not is_deleted", (account_id,))}


def _all_pages(client, headers, account, sort) -> tuple[list[dict], int]:
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 5, "sort": sort, **({"cursor": cursor} if cursor else {})}
        r = client.get(f"/api/accounts/{account}/posts", headers=headers, params=params)
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["posts"]) <= 5
        seen.extend(page["posts"])
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            return seen, pages


@pytest.mark.parametrize("sort,column", [("created_at", "created_at"),
                                         ("engagement", "engagement"),
                                         ("engagement_rate", "engagement_rate_by_followers")])
def test_posts_keyset_pages_cover_the_account_in_order(client, world, auth, sort, column):
    account = world.accounts(world.workspaces_a[0])[0]
    expected = _posts_of(world, account)
    seen, pages = _all_pages(client, auth["admin_a"], account, sort)
    ids = [p["post_id"] for p in seen]
    assert len(ids) == len(set(ids)) == len(expected) and pages >= 2
    assert set(ids) == set(expected)
    values = [(expected[k][column] if expected[k][column] is not None else -1) for k in ids]
    assert values == sorted(values, reverse=True)
    for p in seen:
        assert p["engagement"]["total"] == expected[p["post_id"]]["engagement"]


def test_post_fields_follow_the_glossary_and_keep_their_old_names(client, world, auth):
    account = world.accounts(world.workspaces_a[0])[0]
    expected = _posts_of(world, account)
    posts = client.get(f"/api/accounts/{account}/posts", headers=auth["admin_a"],
                       params={"limit": 100}).json()["posts"]
    assert posts
    for p in posts:
        e = expected[p["post_id"]]
        assert p["post_id"] == f"{p['platform']}:{p['platform_post_id']}"
        assert p["platform_post_id"] == e["platform_post_id"]
        assert (p["text"], p["post_url"]) == (e["text"], e["post_url"])
        # deprecated 1.x names, same values (1.x `post_id` was today's platform_post_id)
        assert p["id"] == p["post_id"]
        assert p["content"] == p["text"] and p["url"] == p["post_url"]


def test_the_deprecated_posts_path_answers_the_same(client, world, auth):
    account = world.accounts(world.workspaces_a[0])[1]
    h = auth["admin_a"]
    for params in ({"limit": 3}, {"limit": 4, "sort": "engagement", "order": "asc"}):
        new = client.get(f"/api/accounts/{account}/posts", headers=h, params=params)
        old = client.get(f"/api/posts/{account}", headers=h, params=params)
        assert new.status_code == old.status_code == 200, (new.text, old.text)
        assert old.json() == new.json()
    # a cursor of either path continues on the other
    first = client.get(f"/api/posts/{account}", headers=h, params={"limit": 3}).json()
    second = client.get(f"/api/accounts/{account}/posts", headers=h,
                        params={"limit": 3, "cursor": first["next_cursor"]}).json()
    assert second["posts"] and not {p["post_id"] for p in first["posts"]} & {
        p["post_id"] for p in second["posts"]}


def test_posts_offset_defaults_and_limits(client, world, auth):
    account = world.accounts(world.workspaces_a[0])[1]
    h = auth["admin_a"]
    path = f"/api/accounts/{account}/posts"
    default = client.get(path, headers=h).json()
    assert default["limit"] == 20 and default["sort"] == "created_at"
    first = client.get(path, headers=h, params={"limit": 3}).json()
    second = client.get(path, headers=h, params={"limit": 3, "offset": 3}).json()
    by_cursor = client.get(path, headers=h,
                           params={"limit": 3, "cursor": first["next_cursor"]}).json()
    assert [p["post_id"] for p in second["posts"]] == [p["post_id"] for p in by_cursor["posts"]]
    # the cursor carries the product key of the page's last post
    assert cursors.decode(first["next_cursor"])["k"] == first["posts"][-1]["post_id"]
    asc = client.get(path, headers=h, params={"order": "asc"}).json()
    stamps = [p["created_at"] for p in asc["posts"]]
    assert stamps == sorted(stamps)
    for params, field in (({"limit": 101}, "limit"), ({"limit": 0}, "limit"),
                          ({"sort": "likes"}, "sort"), ({"cursor": "abc"}, "cursor"),
                          ({"cursor": first["next_cursor"], "sort": "engagement"}, "cursor"),
                          ({"cursor": first["next_cursor"], "offset": 3}, "offset")):
        r = client.get(path, headers=h, params=params)
        assert r.status_code == 422, (params, r.text)
        assert field in r.json()["error"]["message"]
