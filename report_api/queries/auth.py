"""Users and their tenancy scope."""

USER_BY_EMAIL = """
select user_id, email, role, password_hash, token_version
from app.users
where lower(email) = lower(%(email)s)
"""

# agency admins: every workspace of their agency; client viewers: their listed workspaces
USER_SCOPE = """
select
    u.user_id, u.email, u.role, u.agency_id, u.token_version,
    array(
        select w.workspace_id
        from app.workspaces as w
        where w.agency_id = u.agency_id
          and (u.role = 'agency_admin'
               or w.workspace_id in (
                   select uw.workspace_id from app.user_workspaces as uw
                   where uw.user_id = u.user_id))
        order by w.workspace_id
    ) as workspace_ids
from app.users as u
where u.user_id = %(user_id)s
"""
