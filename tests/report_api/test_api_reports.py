"""Reports: POST -> 202 queued -> the Dagster sensor requests a run -> the job builds it ->
done, and the JSON, CSV and PDF downloads open with the marts' figures."""

from __future__ import annotations

import csv
import io
import json

import dagster as dg
import pytest
from pypdf import PdfReader


def _evaluate_sensor(instance, url):
    from dagster_project.defs.reporting import report_request_sensor
    from dagster_project.resources import WarehouseResource

    with dg.build_sensor_context(instance=instance,
                                 resources={"warehouse": WarehouseResource(database_url=url)}
                                 ) as context:
        return report_request_sensor(context)


def _run(instance, url, run_request) -> dg.ExecuteInProcessResult:
    from dagster_project.defs.reporting import defs
    from dagster_project.resources import WarehouseResource

    full = dg.Definitions.merge(defs, dg.Definitions(
        resources={"warehouse": WarehouseResource(database_url=url)}))
    return full.resolve_job_def("report_job").execute_in_process(
        run_config=run_request.run_config, instance=instance, tags=run_request.tags)


def test_report_goes_queued_to_done_through_the_sensor_and_job(client, world, auth):
    ws = world.workspaces_a[0]
    accounts = world.accounts(ws)
    h = auth["viewer_a"]  # client viewers may request reports of their workspace
    r = client.post("/api/reports", headers=h, json={
        "report_type": "full", "date_range": {"start": "2026-10-01", "end": "2026-11-30"}})
    assert r.status_code == 202, r.text
    report = r.json()
    assert report["status"] == "queued" and report["workspace_id"] == ws
    assert report["account_ids"] == accounts
    assert r.headers["location"] == f"/api/reports/{report['report_id']}"
    status_url = report["links"]["self"]
    early = client.get(f"{status_url}/download", headers=h, params={"format": "pdf"})
    assert early.status_code == 409 and early.json()["error"]["details"]["status"] == "queued"

    with dg.instance_for_test() as instance:
        result = _evaluate_sensor(instance, world.url)
        requests = [rr for rr in result.run_requests
                    if rr.run_key == report["report_id"]]
        assert len(requests) == 1
        assert _run(instance, world.url, requests[0]).success
        again = _evaluate_sensor(instance, world.url)
        assert report["report_id"] not in {rr.run_key for rr in again.run_requests or []}

    done = client.get(status_url, headers=h).json()
    assert done["status"] == "done" and done["failure_reason"] is None
    assert done["started_at"] and done["finished_at"]
    assert set(done["links"]) == {"self", "json", "csv", "pdf"}

    as_json = client.get(done["links"]["json"], headers=h)
    assert as_json.headers["content-type"].startswith("application/json")
    data = json.loads(as_json.content)
    assert {"summary", "engagement_over_time", "top_posts", "competitors",
            "hashtags"} <= set(data)
    # the summary sums account_posts_daily; recomputed here from the posts themselves
    expected = {r["account_id"]: r for r in world.query(
        "select account_id, count(*) as posts, sum(engagement) as eng, "
        "sum(engagement) filter (where engagement_rate_by_followers is not null) as rated, "
        "sum(followers_at_post) filter (where engagement_rate_by_followers is not null) "
        "as followers from marts.posts where account_id = any(%s) and not is_deleted and "
        "(created_at at time zone 'UTC')::date between '2026-10-01' and '2026-11-30' "
        "group by account_id", (accounts,))}
    for row in data["summary"]:
        e = expected.get(row["account_id"], {"posts": 0, "eng": 0, "followers": None})
        assert row["posts"] == e["posts"] and row["engagement"] == e["eng"]
        if e["followers"]:
            rate = float(e["rated"]) / float(e["followers"])
            assert row["engagement_rate"] == pytest.approx(rate)
    daily_posts = sum(r["posts"] for r in data["engagement_over_time"])
    assert daily_posts == sum(e["posts"] for e in expected.values())
    top = world.query("select post_id from marts.posts where account_id = any(%s) and not "
                      "is_deleted order by engagement desc nulls last, post_id limit 1",
                      (accounts,))[0]["post_id"]
    assert data["top_posts"][0]["post_id"] == top
    assert {"public_engagement", "public_engagement_per_post"} <= set(data["competitors"][0])

    as_csv = client.get(done["links"]["csv"], headers=h)
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert {r["section"] for r in rows} >= {"summary", "top_posts", "competitors", "hashtags"}
    posts_rows = {int(r["account_id"]): int(r["value"]) for r in rows
                  if r["section"] == "summary" and r["metric"] == "posts"}
    assert posts_rows == {a: expected.get(a, {"posts": 0})["posts"] for a in accounts}

    as_pdf = client.get(done["links"]["pdf"], headers=h)
    assert as_pdf.headers["content-type"] == "application/pdf"
    assert "attachment" in as_pdf.headers["content-disposition"]
    pdf = PdfReader(io.BytesIO(as_pdf.content))
    assert len(pdf.pages) >= 2
    text = "\n".join(page.extract_text() for page in pdf.pages)
    workspace = world.query("select name from app.workspaces where workspace_id = %s",
                            (ws,))[0]["name"]
    for heading in (workspace, "Summary", "Engagement over time", "Top posts",
                    "Competitor comparison", "Hashtags"):
        assert heading in text
    images = sum(len(page.images) for page in pdf.pages)
    assert images == 4  # the four charts


def test_a_failing_build_records_the_reason(client, world, auth, monkeypatch):
    from socialpulse.reports import data

    h = auth["admin_a"]
    r = client.post("/api/reports", headers=h, json={
        "report_type": "performance", "workspace_id": world.workspaces_a[1],
        "date_range": {"start": "2026-10-01", "end": "2026-11-30"}})
    assert r.status_code == 202, r.text
    report_id = r.json()["report_id"]

    def broken(conn, request):
        raise RuntimeError("marts.posts is being rebuilt")

    monkeypatch.setattr(data, "assemble", broken)
    with dg.instance_for_test() as instance:
        result = _evaluate_sensor(instance, world.url)
        request = next(rr for rr in result.run_requests if rr.run_key == report_id)
        with pytest.raises(RuntimeError):
            _run(instance, world.url, request)
    failed = client.get(f"/api/reports/{report_id}", headers=h).json()
    assert failed["status"] == "failed"
    assert "marts.posts is being rebuilt" in failed["failure_reason"]
    r = client.get(f"/api/reports/{report_id}/download", headers=h)
    assert r.status_code == 409


def test_report_request_validation(client, world, auth):
    h = auth["admin_a"]
    rng = {"start": "2026-10-01", "end": "2026-11-30"}
    competitor = world.accounts(world.workspaces_a[0], competitor=True)[0]
    cases = [
        ({"date_range": rng}, "workspace_id"),  # the admin sees two workspaces
        ({"date_range": {"start": "2026-11-30", "end": "2026-10-01"}}, "date_range"),
        ({"date_range": {"start": "2024-01-01", "end": "2026-01-01"}}, "date_range"),
        ({"date_range": rng, "account_ids": [competitor]}, "account_ids"),
        ({"date_range": rng, "account_ids": [world.accounts(world.workspaces_a[0])[0],
                                             world.accounts(world.workspaces_a[1])[0]]},
         "account_ids"),
        ({"date_range": rng, "report_type": "weekly"}, "report_type"),
        ({"date_range": rng, "workspace_id": world.workspaces_a[0], "extra": 1}, "extra"),
    ]
    for body, field in cases:
        r = client.post("/api/reports", headers=h, json=body)
        assert r.status_code == 422, (body, r.text)
        assert field in r.json()["error"]["message"], (field, r.text)
    bad = client.get("/api/reports/not-a-uuid", headers=h)
    assert bad.status_code == 422 and "report_id" in bad.json()["error"]["message"]
