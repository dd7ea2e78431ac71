"""Alerts, health and the OpenAPI contract of 2.0 (new names, deprecated 1.x aliases)."""

from __future__ import annotations

from api_helpers import settings

DEPRECATED_FIELDS = {
    "Post": {"id", "content", "url"},
    "CompetitorAnalysisRequest": {"user_accounts", "competitor_accounts"},
    "CompetitorFigures": {"vs_competitor_avg"},
    "CompetitorAnalysis": {"competitor_average"},
    "SeriesPoint": {"engagement", "engagement_per_post"},
    "Alert": {"post_key"},
}


def test_alerts_list_filter_and_acknowledge(client, world, auth):
    h = auth["admin_a"]
    listed = client.get("/api/alerts", headers=h).json()["alerts"]
    assert {a["alert_id"] for a in listed} == {world.alerts["a1"], world.alerts["a2"]}
    failed = client.get("/api/alerts", headers=h, params={"status": "failed"}).json()["alerts"]
    assert [a["alert_id"] for a in failed] == [world.alerts["a2"]]
    viral = client.get("/api/alerts", headers=h, params={"kind": "viral_post"}).json()
    assert [a["alert_id"] for a in viral["alerts"]] == [world.alerts["a1"]]
    page = client.get("/api/alerts", headers=h, params={"limit": 1}).json()
    rest = client.get("/api/alerts", headers=h,
                      params={"limit": 1, "cursor": page["next_cursor"]}).json()
    assert len(page["alerts"]) == len(rest["alerts"]) == 1
    assert page["alerts"][0]["alert_id"] > rest["alerts"][0]["alert_id"]
    viewer = client.get("/api/alerts", headers=auth["viewer_a"]).json()["alerts"]
    assert [a["alert_id"] for a in viewer] == [world.alerts["a1"]]
    denied = client.post(f"/api/alerts/{world.alerts['a1']}/ack", headers=auth["viewer_a"])
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "forbidden"
    acked = client.post(f"/api/alerts/{world.alerts['a2']}/ack", headers=h)
    assert acked.status_code == 200, acked.text
    first = acked.json()
    assert first["acknowledged_by_user_id"] == world.users["admin_a"]
    second = client.post(f"/api/alerts/{world.alerts['a2']}/ack", headers=h).json()
    assert second["acknowledged_at"] == first["acknowledged_at"]
    unacked = client.get("/api/alerts", headers=h, params={"acknowledged": "false"}).json()
    assert [a["alert_id"] for a in unacked["alerts"]] == [world.alerts["a1"]]


def test_alerts_name_the_post_by_post_id_and_keep_the_old_names(client, world, auth):
    alert = client.get("/api/alerts", headers=auth["admin_a"],
                       params={"kind": "viral_post"}).json()["alerts"][0]
    post = world.query("select post_id, post_url from marts.posts where post_id = %s",
                       (alert["post_id"],))
    assert post and alert["post_key"] == alert["post_id"]
    assert alert["payload"]["post_url"] == post[0]["post_url"]
    assert alert["payload"]["permalink"] == alert["payload"]["post_url"]
    spike = client.get("/api/alerts", headers=auth["admin_a"],
                       params={"kind": "negative_sentiment_spike"}).json()["alerts"][0]
    assert spike["post_id"] is None and spike["post_key"] is None


def test_healthz_needs_no_token(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok", "redis": "not_configured"}


def test_openapi_lists_every_endpoint_and_marks_the_deprecated_ones():
    from fastapi.testclient import TestClient

    from report_api.main import create_app

    app = create_app(settings(), database_url="postgresql://unused/openapi-only")
    spec = TestClient(app).get("/openapi.json").json()
    assert spec["info"]["version"] == "2.0.0"
    paths = spec["paths"]
    for path in ("/api/auth/token", "/api/dashboard/overview", "/api/accounts/{account_id}/posts",
                 "/api/posts/{account_id}", "/api/analytics/competitor-analysis",
                 "/api/analytics/trending-hashtags", "/api/reports", "/api/reports/{report_id}",
                 "/api/reports/{report_id}/download", "/api/alerts",
                 "/api/alerts/{alert_id}/ack", "/healthz"):
        assert path in paths
    deprecated_ops = {(p, m) for p, ops in paths.items() for m, op in ops.items()
                      if op.get("deprecated")}
    assert deprecated_ops == {("/api/posts/{account_id}", "get")}
    assert paths["/api/posts/{account_id}"]["get"]["operationId"] == "posts-list_posts"
    schemas = spec["components"]["schemas"]
    for model, fields in DEPRECATED_FIELDS.items():
        props = schemas[model]["properties"]
        assert {f for f, p in props.items() if p.get("deprecated")} == fields, model
        assert all("Deprecated" in props[f]["description"] for f in fields)
    post = schemas["Post"]["properties"]
    assert "post_id" in post and "platform_post_id" in post
    assert "1.x" in post["platform_post_id"]["description"]  # the old post_id carried it
