"""Client workspaces of the caller's agency and their accounts' sync health."""

LIST_WORKSPACES = """
select w.workspace_id, w.name, w.slug, w.created_at,
       count(ca.account_id) filter (where not ca.is_competitor and ca.is_active)
           as owned_accounts,
       count(ca.account_id) filter (where ca.is_competitor and ca.is_active)
           as competitor_accounts,
       count(ca.account_id) filter (where ca.is_active and coalesce(ss.needs_reauth, false))
           as accounts_needing_reauth
from app.workspaces w
left join app.connected_accounts ca using (workspace_id)
left join app.sync_state ss using (account_id)
where w.workspace_id = any(%(ws)s::bigint[])
group by w.workspace_id
order by w.name, w.workspace_id
"""

SLUG_TAKEN = "select 1 from app.workspaces where slug = %(slug)s"

CREATE_WORKSPACE = """
insert into app.workspaces (agency_id, name, slug)
values (%(agency_id)s, %(name)s, %(slug)s)
on conflict (slug) do nothing
returning workspace_id, name, slug, created_at
"""

# health of every account of one workspace (tokens never leave the database)
WORKSPACE_ACCOUNTS = """
select ca.account_id, ca.workspace_id, ca.platform, ca.platform_account_id, ca.handle,
       ca.display_name, ca.is_competitor, ca.is_active, ca.connected_at, ca.disconnected_at,
       ca.token_expires_at, ca.granted_scopes,
       ss.last_attempt_at, ss.last_success_at, ss.last_error, ss.last_error_at,
       coalesce(ss.needs_reauth, false) as needs_reauth, ss.next_retry_at, ss.retry_reason,
       coalesce(ss.consecutive_failures, 0) as consecutive_failures
from app.connected_accounts ca
left join app.sync_state ss using (account_id)
where ca.workspace_id = %(workspace_id)s
order by ca.is_competitor, ca.platform, ca.handle, ca.account_id
"""
