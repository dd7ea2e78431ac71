"""Connected accounts: the visibility check every account-scoped endpoint starts with."""

VISIBLE_ACCOUNTS = """
select account_id, workspace_id, platform, handle, display_name, is_competitor
from app.connected_accounts
where account_id = any(%(ids)s::bigint[]) and workspace_id = any(%(ws)s::bigint[])
"""

# an account the caller may change: in one of their workspaces
ACCOUNT_IN_SCOPE = """
select account_id, workspace_id, platform, handle, is_competitor, is_active
from app.connected_accounts
where account_id = %(account_id)s and workspace_id = any(%(ws)s::bigint[])
"""
