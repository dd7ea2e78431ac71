"""Build one queued report: claim it, assemble the figures, render, store; or record why not."""

from __future__ import annotations

import logging
from typing import Any

from psycopg.types.json import Jsonb

from socialpulse.reports import data, pdf, queries
from socialpulse.warehouse import connect

log = logging.getLogger(__name__)


class ReportNotQueued(Exception):
    """The request is not (or no longer) queued: another run took it, or it does not exist."""


def build_report(url: str, report_id: str, run_id: str | None = None) -> dict[str, Any]:
    """queued -> running -> done (JSON + PDF stored) | failed (with the reason).

    Returns a short summary for the run's metadata. The claim is a conditional update, so two
    runs for one request cannot both build it.
    """
    with connect(url) as conn:
        request = conn.execute(queries.CLAIM_REPORT,
                               {"report_id": report_id, "run_id": run_id}).fetchone()
    if request is None:
        raise ReportNotQueued(f"report {report_id} is not queued")
    try:
        with connect(url) as conn:
            conn.execute("set transaction read only")
            report = data.assemble(conn, request)
        rendered = pdf.render(report)
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"[:1000]
        log.exception("report %s failed", report_id)
        with connect(url) as conn:
            conn.execute(queries.FAIL_REPORT, {"report_id": report_id, "reason": reason})
        raise
    with connect(url) as conn:
        conn.execute(queries.FINISH_REPORT, {"report_id": report_id,
                                             "result_json": Jsonb(report),
                                             "result_pdf": rendered})
    return {"report_id": report_id, "report_type": request["report_type"],
            "pdf_bytes": len(rendered),
            "sections": [k for k in report if k != "report"]}
