"""Alerts of app.alerts and their acknowledgement."""

ALERT_COLUMNS = """
    a.alert_id, a.kind, a.account_id, a.workspace_id, ca.platform, ca.handle, a.post_id,
    a.rule, a.score, a.payload, a.status, a.detected_at, a.created_at, a.sent_at,
    a.acknowledged_at, a.acknowledged_by_user_id
"""

LIST_ALERTS = f"""
select {ALERT_COLUMNS}
from app.alerts as a
inner join app.connected_accounts as ca using (account_id)
where a.workspace_id = any(%(ws)s::bigint[])
  and (%(status)s::text is null or a.status = %(status)s::text)
  and (%(kind)s::text is null or a.kind = %(kind)s::text)
  and (%(account_id)s::bigint is null or a.account_id = %(account_id)s::bigint)
  and (%(acknowledged)s::boolean is null
       or (a.acknowledged_at is not null) = %(acknowledged)s::boolean)
  and (%(before)s::bigint is null or a.alert_id < %(before)s::bigint)
order by a.alert_id desc
limit %(limit)s
"""

GET_ALERT = f"""
select {ALERT_COLUMNS}
from app.alerts as a
inner join app.connected_accounts as ca using (account_id)
where a.alert_id = %(alert_id)s and a.workspace_id = any(%(ws)s::bigint[])
"""

# idempotent: a second acknowledgement keeps the first time and person
ACK_ALERT = """
update app.alerts
set acknowledged_at = coalesce(acknowledged_at, now()),
    acknowledged_by_user_id = coalesce(acknowledged_by_user_id, %(user_id)s)
where alert_id = %(alert_id)s and workspace_id = any(%(ws)s::bigint[])
returning alert_id
"""
