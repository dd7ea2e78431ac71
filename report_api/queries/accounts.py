"""Connected accounts: the visibility check every account-scoped endpoint starts with."""

VISIBLE_ACCOUNTS = """
select account_id, workspace_id, platform, handle, display_name, is_competitor
from app.connected_accounts
where account_id = any(%(ids)s::bigint[]) and workspace_id = any(%(ws)s::bigint[])
"""
