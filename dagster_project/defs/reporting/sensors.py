"""Start one report run per queued request (run_key = report id, so never twice)."""

import dagster as dg

from dagster_project.resources import WarehouseResource
from socialpulse.reports import queries

from .jobs import REPORT_TAG, report_job

BATCH = 20
TICK_SECONDS = 15
# a run that died without recording an outcome: its request is failed after this long
STALE_MINUTES = 30


@dg.sensor(
    name="report_request_sensor",
    job=report_job,
    minimum_interval_seconds=TICK_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Queued rows of app.report_requests -> one report_job run each.",
)
def report_request_sensor(context: dg.SensorEvaluationContext,
                          warehouse: WarehouseResource) -> dg.SensorResult:
    with warehouse.connect() as conn:
        expired = conn.execute(queries.EXPIRE_STALE_REPORTS,
                               {"minutes": STALE_MINUTES}).fetchall()
        queued = conn.execute(queries.QUEUED_REPORTS, {"limit": BATCH}).fetchall()
    for row in expired:
        context.log.warning(f"report {row['report_id']} failed: its run never finished")
    if not queued:
        return dg.SensorResult(skip_reason=dg.SkipReason("no queued report request"))
    return dg.SensorResult(run_requests=[
        dg.RunRequest(
            run_key=str(r["report_id"]),
            run_config={"ops": {"build_report": {"config": {"report_id": str(r["report_id"])}}}},
            tags={REPORT_TAG: str(r["report_id"]), "socialpulse/report_type": r["report_type"]},
        ) for r in queued])
