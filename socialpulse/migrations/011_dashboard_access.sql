-- Which workspaces each Superset login may see. The dashboards' one row-level-security filter
-- (dashboards/deploy.py, role client_viewer) reads this view with the login's username, so a
-- workspace or a client viewer added after a deploy is visible to its viewers at once, with no
-- Superset object per workspace. A view, not a table: nothing to keep in step, it follows
-- app.workspaces, app.users and app.user_workspaces as the report API changes them.
create view app.dashboard_access as
-- a client viewer of the report API logs in to Superset with its email
select
    lower(users.email) as username,
    user_workspaces.workspace_id
from app.users
inner join app.user_workspaces on users.user_id = user_workspaces.user_id
where users.role = 'client_viewer'
union
-- each workspace's shared client login client_<slug> (dashes as underscores), as deploy.py names it
select
    'client_' || replace(workspaces.slug, '-', '_') as username,
    workspaces.workspace_id
from app.workspaces;
