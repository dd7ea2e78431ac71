"""POST/GET/DELETE /api/workspaces/{id}/competitors: a handle or URL becomes a pending
competitor, another network's URL is a 422, the per-workspace limit is a clear 409, and the
tenancy rules are the API's own (admins change, viewers read their workspace, others 404)."""

from __future__ import annotations

import os

import psycopg


def _path(ws: int, competitor_id: int | None = None) -> str:
    tail = f"/{competitor_id}" if competitor_id is not None else ""
    return f"/api/workspaces/{ws}/competitors{tail}"


def test_a_handle_or_url_is_added_pending_listed_and_removed(client, world, auth):
    ws = world.workspaces_a[0]
    r = client.post(_path(ws), headers=auth["admin_a"],
                    json={"platform": "twitter", "handle_or_url": "https://x.com/Rival_One"})
    assert r.status_code == 202, r.text
    added = r.json()
    assert (added["handle"], added["status"], added["account_id"]) == ("rival_one", "pending",
                                                                       None)
    same = client.post(_path(ws), headers=auth["admin_a"],
                       json={"platform": "twitter", "handle_or_url": "@rival_one"})
    assert same.status_code == 202 and same.json()["competitor_id"] == added["competitor_id"]
    listed = client.get(_path(ws), headers=auth["viewer_a"])
    assert listed.status_code == 200
    mine = [c for c in listed.json()["data"] if c["competitor_id"] == added["competitor_id"]]
    assert mine and mine[0]["status"] == "pending"
    assert listed.json()["limit"] == 200
    # the seeded competitors are tracked ones, with their accounts
    seeded = {c["account_id"] for c in listed.json()["data"] if c["status"] == "tracked"}
    assert seeded == set(world.accounts(ws, competitor=True))
    gone = client.delete(_path(ws, added["competitor_id"]), headers=auth["admin_a"])
    assert gone.status_code == 204
    assert client.delete(_path(ws, added["competitor_id"]),
                         headers=auth["admin_a"]).status_code == 404
    assert not world.query("select 1 from app.competitors where competitor_id = %s",
                           (added["competitor_id"],))


def test_another_networks_url_and_impossible_names_are_422(client, world, auth):
    ws = world.workspaces_a[0]
    cases = {("instagram", "https://x.com/rival"): "is an X address, not an Instagram one",
             ("linkedin", "https://www.facebook.com/rival"): "is a Facebook address",
             ("linkedin", "linkedin.com/in/a-person"): "not a LinkedIn company page",
             ("twitter", "rival.with.dots"): "cannot be an X account name"}
    for (platform, given), message in cases.items():
        r = client.post(_path(ws), headers=auth["admin_a"],
                        json={"platform": platform, "handle_or_url": given})
        assert r.status_code == 422, (given, r.text)
        assert message in r.json()["error"]["message"]
        assert r.json()["error"]["details"][0]["field"] == "handle_or_url"
    unknown = client.post(_path(ws), headers=auth["admin_a"],
                          json={"platform": "myspace", "handle_or_url": "rival"})
    assert unknown.status_code == 422
    assert not world.query("select 1 from app.competitors where handle like 'rival%%'")


def test_tenancy(client, world, auth):
    a1, a2, b1 = world.workspaces_a[0], world.workspaces_a[1], world.workspaces_b[0]
    body = {"platform": "instagram", "handle_or_url": "@tenancy_rival"}
    assert client.post(_path(a1), headers=auth["viewer_a"], json=body).status_code == 403
    # a client viewer of another workspace, and another agency's admin: 404, as elsewhere
    assert client.get(_path(a2), headers=auth["viewer_a"]).status_code == 404
    assert client.post(_path(a2), headers=auth["viewer_a"], json=body).status_code == 404
    assert client.get(_path(a1), headers=auth["admin_b"]).status_code == 404
    assert client.post(_path(a1), headers=auth["admin_b"], json=body).status_code == 404
    seeded = world.accounts(a1, competitor=True)
    row = world.query("select competitor_id from app.competitors where account_id = %s",
                      (seeded[0],))[0]
    assert client.delete(_path(a1, row["competitor_id"]),
                         headers=auth["viewer_a"]).status_code == 403
    assert client.delete(_path(b1, row["competitor_id"]),
                         headers=auth["admin_b"]).status_code == 404
    assert client.get(_path(a1), headers=auth["admin_a"]).status_code == 200


def test_a_workspace_at_the_limit_gets_a_clear_error(client, world, auth):
    from socialpulse.settings import get_settings

    ws = world.workspaces_a[1]
    before = world.query("select count(*) as n from app.competitors where workspace_id = %s",
                         (ws,))[0]["n"]
    os.environ["COMPETITORS_PER_WORKSPACE"] = "1000"
    get_settings.cache_clear()
    try:
        with psycopg.connect(world.url) as conn:
            conn.execute("insert into app.competitors (workspace_id, platform, handle) "
                         "select %s, 'instagram', 'bulk_rival_' || n "
                         "from generate_series(1, %s) n", (ws, 1000 - before))
        r = client.post(_path(ws), headers=auth["admin_a"],
                        json={"platform": "twitter", "handle_or_url": "@one_too_many"})
        assert r.status_code == 409, r.text
        err = r.json()["error"]
        assert err["code"] == "competitor_limit" and err["details"] == {"limit": 1000}
        assert "already has 1000 competitors" in err["message"]
        assert "COMPETITORS_PER_WORKSPACE" in err["message"]
        count = world.query("select count(*) as n from app.competitors where workspace_id = %s",
                            (ws,))[0]["n"]
        assert count == 1000
    finally:
        os.environ.pop("COMPETITORS_PER_WORKSPACE")
        get_settings.cache_clear()
        with psycopg.connect(world.url) as conn:
            conn.execute("delete from app.competitors where handle like 'bulk_rival_%%'")
