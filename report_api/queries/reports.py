"""Report requests (app.report_requests): queued here, built by the Dagster report job."""

OWNED_ACCOUNTS_OF_WORKSPACE = """
select account_id
from app.connected_accounts
where workspace_id = %(workspace_id)s and not is_competitor and is_active
order by account_id
"""

INSERT_REPORT = """
insert into app.report_requests (workspace_id, requested_by, report_type, start_date,
                                 end_date, account_ids)
values (%(workspace_id)s, %(user_id)s, %(report_type)s, %(start)s, %(end)s,
        %(account_ids)s::bigint[])
returning report_id, workspace_id, report_type, start_date, end_date, account_ids, status,
          failure_reason, created_at, started_at, finished_at
"""

REPORT_STATUS = """
select report_id, workspace_id, report_type, start_date, end_date, account_ids, status,
       failure_reason, created_at, started_at, finished_at
from app.report_requests
where report_id = %(report_id)s and workspace_id = any(%(ws)s::bigint[])
"""

REPORT_ARTIFACT = """
select report_id, status, report_type, start_date, end_date, result_json,
       case when %(pdf)s then result_pdf end as result_pdf
from app.report_requests
where report_id = %(report_id)s and workspace_id = any(%(ws)s::bigint[])
"""

# serialises report requests of a user and of a workspace (always in this order: no deadlock)
# so two concurrent requests cannot both pass the queue cap
LOCK_QUEUES = """
select pg_advisory_xact_lock(hashtextextended('report-queue:u' || %(user_id)s, 0)),
       pg_advisory_xact_lock(hashtextextended('report-queue:w' || %(workspace_id)s, 0))
"""

QUEUED_COUNTS = """
select
    (select count(*) from app.report_requests
     where requested_by = %(user_id)s and status in ('queued', 'running')) as user_queued,
    (select count(*) from app.report_requests
     where workspace_id = %(workspace_id)s and status in ('queued', 'running'))
        as workspace_queued
"""
