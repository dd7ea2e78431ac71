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
