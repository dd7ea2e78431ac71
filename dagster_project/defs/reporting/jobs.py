"""The report job: build one queued report (figures from the marts, JSON + PDF stored)."""

import dagster as dg

from dagster_project.resources import WarehouseResource

REPORT_JOB = "report_job"
REPORT_TAG = "socialpulse/report_id"


class ReportConfig(dg.Config):
    report_id: str


@dg.op(name="build_report", description="queued -> running -> done | failed (with reason)")
def build_report_op(context: dg.OpExecutionContext, config: ReportConfig,
                    warehouse: WarehouseResource) -> None:
    # imported here: matplotlib and fpdf load only in report runs, not with the definitions
    from socialpulse.reports.build import ReportNotQueued, build_report

    try:
        summary = build_report(warehouse.url(), config.report_id, context.run_id)
    except ReportNotQueued as exc:
        # another run took it (or it was already built): nothing to do, not a failure
        context.log.info(str(exc))
        return
    context.log.info(f"report {summary['report_id']} ({summary['report_type']}) done: "
                     f"{', '.join(summary['sections'])}; PDF {summary['pdf_bytes']} bytes")


@dg.job(name=REPORT_JOB, description="Build one report requested through POST /api/reports.",
        tags={"socialpulse/kind": "report"})
def report_job() -> None:
    build_report_op()
