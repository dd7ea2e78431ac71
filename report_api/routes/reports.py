"""Report requests: queued here (202), built by the Dagster report job, downloaded when done."""

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from report_api.config import ApiSettings
from report_api.deps import RATE_LIMITED, ConnDep, UserDep
from report_api.errors import ApiError, invalid, not_found
from report_api.queries import accounts as account_queries
from report_api.queries import reports as queries
from report_api.routes.common import AUTH_ERRORS, NOT_FOUND
from report_api.schemas.common import ErrorResponse
from report_api.schemas.reports import Report, ReportCreate
from socialpulse.reports import formats

router = APIRouter(prefix="/reports", tags=["reports"], dependencies=[RATE_LIMITED])

_MEDIA = {"json": "application/json", "csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}


def _report(row: dict, request: Request) -> Report:
    base = str(request.url_for("get_report", report_id=str(row["report_id"])).path)
    links = {"self": base}
    if row["status"] == "done":
        links.update({f: f"{base}/download?format={f}" for f in _MEDIA})
    return Report(**row, links=links)


def _accounts(body: ReportCreate, user, conn) -> tuple[int, list[int]]:
    if body.account_ids:
        ids = list(dict.fromkeys(body.account_ids))
        rows = conn.execute(account_queries.VISIBLE_ACCOUNTS,
                            {"ids": ids, "ws": user.ws}).fetchall()
        if len(rows) != len(ids):
            raise not_found("account")
        if any(r["is_competitor"] for r in rows):
            raise invalid("account_ids", "reports cover owned accounts; competitors are "
                          "compared automatically")
        workspaces = {r["workspace_id"] for r in rows}
        if len(workspaces) > 1:
            raise invalid("account_ids", "a report covers the accounts of one workspace")
        workspace_id = workspaces.pop()
        if body.workspace_id is not None and body.workspace_id != workspace_id:
            raise invalid("workspace_id", "the accounts belong to another workspace")
        return workspace_id, ids
    if body.workspace_id is None:
        if len(user.workspace_ids) != 1:
            raise invalid("workspace_id", "required when you see several workspaces and "
                          "give no account_ids")
        workspace_id = user.workspace_ids[0]
    else:
        user.check_workspace(body.workspace_id)
        workspace_id = body.workspace_id
    ids = [r["account_id"] for r in conn.execute(queries.OWNED_ACCOUNTS_OF_WORKSPACE,
                                                 {"workspace_id": workspace_id}).fetchall()]
    if not ids:
        raise invalid("workspace_id", "the workspace has no connected accounts")
    return workspace_id, ids


def _check_queue(conn: Any, settings: ApiSettings, user_id: int, workspace_id: int) -> None:
    """429 when the user or the workspace already has the configured number of unfinished
    reports (each one is a Dagster run)."""
    params = {"user_id": user_id, "workspace_id": workspace_id}
    conn.execute(queries.LOCK_QUEUES, params)
    counts = conn.execute(queries.QUEUED_COUNTS, params).fetchone()
    for who, verb, count, cap in (
            ("you", "have", counts["user_queued"], settings.max_queued_reports_per_user),
            ("the workspace", "has", counts["workspace_queued"],
             settings.max_queued_reports_per_workspace)):
        if count >= cap:
            raise ApiError(429, "report_queue_full",
                           f"{who} already {verb} {count} unfinished reports (at most {cap}); "
                           "retry when one is done", {"queued": count, "limit": cap},
                           headers={"Retry-After": "60"})


@router.post("", status_code=202, response_model=Report,
             responses={**AUTH_ERRORS, **NOT_FOUND,
                        503: {"model": ErrorResponse,
                              "description": "Not saved (retry); or the server is busy"}})
def create_report(body: ReportCreate, user: UserDep, conn: ConnDep, request: Request,
                  response: Response) -> Report:
    """Queue a report; poll its status, then download it."""
    workspace_id, ids = _accounts(body, user, conn)
    _check_queue(conn, request.app.state.settings, user.user_id, workspace_id)
    row = conn.execute(queries.INSERT_REPORT, {
        "workspace_id": workspace_id, "user_id": user.user_id,
        "report_type": body.report_type, "start": body.date_range.start,
        "end": body.date_range.end, "account_ids": ids}).fetchone()
    report = _report(row, request)
    response.headers["Location"] = report.links["self"]
    return report


@router.get("/{report_id}", response_model=Report, responses={**AUTH_ERRORS, **NOT_FOUND})
def get_report(report_id: UUID, user: UserDep, conn: ConnDep, request: Request) -> Report:
    """Status of a report request: queued, running, done or failed (with the reason)."""
    row = conn.execute(queries.REPORT_STATUS,
                       {"report_id": report_id, "ws": user.ws}).fetchone()
    if row is None:
        raise not_found("report")
    return _report(row, request)


@router.get("/{report_id}/download",
            responses={**AUTH_ERRORS, **NOT_FOUND,
                       409: {"model": ErrorResponse, "description": "Report not done yet"},
                       200: {"content": {m: {} for m in _MEDIA.values()},
                             "description": "The report file"}})
def download_report(report_id: UUID, user: UserDep, conn: ConnDep,
                    format: Annotated[Literal["json", "csv", "pdf"], Query()] = "pdf",
                    ) -> Response:
    """The finished report as JSON, CSV or PDF."""
    row = conn.execute(queries.REPORT_ARTIFACT, {"report_id": report_id, "pdf": format == "pdf",
                                                 "ws": user.ws}).fetchone()
    if row is None:
        raise not_found("report")
    if row["status"] != "done":
        raise ApiError(409, "report_not_ready", f"the report is {row['status']}",
                       {"status": row["status"]})
    if format == "pdf":
        content = bytes(row["result_pdf"])
    elif format == "csv":
        content = formats.to_csv(row["result_json"])
    else:
        content = formats.to_json(row["result_json"])
    name = f"socialpulse-{row['report_type']}-{row['start_date']}-{row['end_date']}.{format}"
    return Response(content, media_type=_MEDIA[format],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
