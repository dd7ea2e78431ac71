"""Alerts of the visible workspaces, and their acknowledgement (agency admins)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from report_api import cursors
from report_api.deps import RATE_LIMITED, ConnDep, UserDep
from report_api.errors import invalid, not_found
from report_api.queries import accounts as account_queries
from report_api.queries import alerts as queries
from report_api.routes.common import AUTH_ERRORS, FORBIDDEN, NOT_FOUND
from report_api.schemas.alerts import Alert, AlertList
from report_api.schemas.common import MAX_ID, Id

router = APIRouter(prefix="/alerts", tags=["alerts"], dependencies=[RATE_LIMITED])


@router.get("", response_model=AlertList, responses={**AUTH_ERRORS, **NOT_FOUND})
def list_alerts(
    user: UserDep, conn: ConnDep,
    status: Literal["pending", "sent", "failed"] | None = None,
    kind: Literal["viral_post", "negative_sentiment_spike"] | None = None,
    account_id: Annotated[Id | None, Query()] = None,
    acknowledged: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=256)] = None,
) -> AlertList:
    """Newest first; filter by delivery status, kind, account and acknowledgement."""
    if account_id is not None and not conn.execute(
            account_queries.VISIBLE_ACCOUNTS, {"ids": [account_id], "ws": user.ws}
    ).fetchall():
        raise not_found("account")
    before = cursors.parse_alert_cursor(cursor) if cursor else None
    rows = conn.execute(queries.LIST_ALERTS, {
        "ws": user.ws, "status": status, "kind": kind,
        "account_id": account_id, "acknowledged": acknowledged, "before": before,
        "limit": limit + 1}).fetchall()
    page = rows[:limit]
    more = len(rows) > limit
    return AlertList(alerts=page,
                     next_cursor=cursors.alert_cursor(page[-1]["alert_id"]) if more else None)


@router.post("/{alert_id}/ack", response_model=Alert,
             responses={**AUTH_ERRORS, **NOT_FOUND, **FORBIDDEN})
def acknowledge_alert(alert_id: Annotated[int, Path(ge=1, le=MAX_ID)], user: UserDep,
                      conn: ConnDep) -> Alert:
    """Mark an alert as seen (idempotent: the first acknowledgement is kept)."""
    params = {"alert_id": alert_id, "ws": user.ws, "user_id": user.user_id}
    if conn.execute(queries.GET_ALERT, params).fetchone() is None:
        raise not_found("alert")
    user.require_admin("acknowledge alerts")
    conn.execute(queries.ACK_ALERT, params)
    row = conn.execute(queries.GET_ALERT, params).fetchone()
    if row is None:  # deleted in between
        raise invalid("alert_id", "the alert disappeared")
    return Alert(**row)
