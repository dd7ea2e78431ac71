"""Every SQL statement of the API: parameterised, against marts.* (reads) and app.* only.

Marts carry ids as text (``account_id``, ``workspace_id``); app tables as bigint. Tenancy is a
``workspace_id = any(...)`` predicate on every statement that touches tenant data.
"""

from __future__ import annotations

from typing import Any

from psycopg import sql

Conn = Any  # psycopg.Connection[dict[str, Any]]

USER_BY_EMAIL = """
select user_id, email, role, password_hash
from app.users
where lower(email) = lower(%(email)s)
"""

# agency admins: every workspace of their agency; client viewers: their listed workspaces
USER_SCOPE = """
select
    u.user_id, u.email, u.role, u.agency_id,
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

# one aggregate query (grouping sets: one row per account plus the total row), no N+1
OVERVIEW = """
with acc as (
    select account_id, workspace_id, platform, handle, display_name, is_competitor,
           followers_count
    from marts.accounts
    where workspace_id = any(%(ws)s::text[])
      and (%(workspace_id)s::text is null or workspace_id = %(workspace_id)s::text)
      and (%(platform)s::text is null or platform = %(platform)s::text)
      and (%(include_competitors)s or not is_competitor)
),
p as (
    select posts.account_id, posts.engagement, posts.engagement_rate_by_followers
    from marts.posts as posts
    inner join acc using (account_id)
    where not posts.is_deleted
      and (%(start)s::date is null or (posts.created_at at time zone 'UTC')::date >= %(start)s)
      and (%(end)s::date is null or (posts.created_at at time zone 'UTC')::date <= %(end)s)
)
select
    grouping(acc.account_id) = 1 as is_total,
    acc.account_id::bigint as account_id,
    acc.workspace_id::bigint as workspace_id,
    acc.platform, acc.handle, acc.display_name, acc.is_competitor, acc.followers_count,
    count(p.account_id)::bigint as posts_count,
    coalesce(sum(p.engagement), 0)::bigint as total_engagement,
    avg(p.engagement)::double precision as avg_engagement,
    avg(p.engagement_rate_by_followers)::double precision as engagement_rate
from acc
left join p using (account_id)
group by grouping sets ((acc.account_id, acc.workspace_id, acc.platform, acc.handle,
                         acc.display_name, acc.is_competitor, acc.followers_count), ())
order by is_total desc, acc.workspace_id::bigint, acc.account_id::bigint
"""

VISIBLE_ACCOUNTS = """
select account_id, workspace_id, platform, handle, display_name, is_competitor
from app.connected_accounts
where account_id = any(%(ids)s::bigint[]) and workspace_id = any(%(ws)s::bigint[])
"""

POST_COLUMNS = sql.SQL("""
    post_key, post_id, platform, text, post_url, media_type, created_at, is_deleted,
    likes, comments, shares, saves, clicks, impressions, reach, views, engagement,
    engagement_rate_by_followers, engagement_rate_by_impressions, engagement_rate_by_reach,
    sentiment_label, sentiment_compound, metrics_observed_at""")

# sort key -> (expression, the type its cursor value is cast to); nulls sort as -1 so the
# keyset comparison stays total
POST_SORTS: dict[str, tuple[sql.Composable, str]] = {
    "created_at": (sql.SQL("created_at"), "timestamptz"),
    "engagement": (sql.SQL("coalesce(engagement, -1)"), "bigint"),
    "engagement_rate": (sql.SQL("coalesce(engagement_rate_by_followers, -1)"),
                        "double precision"),
}


def posts_page(conn: Conn, account_id: int, sort: str, order: str, limit: int, offset: int,
               after: tuple[Any, str] | None, include_deleted: bool) -> list[dict]:
    """One page (``limit + 1`` rows, to tell whether another follows) of an account's posts."""
    expr, cast = POST_SORTS[sort]
    direction = sql.SQL("desc" if order == "desc" else "asc")
    keyset: sql.Composable = sql.SQL("")
    if after is not None:
        op = sql.SQL("<" if order == "desc" else ">")
        keyset = sql.SQL("and ({expr}, post_key) {op} (%(after_value)s::{cast}, %(after_key)s)"
                         ).format(expr=expr, op=op, cast=sql.SQL(cast))
    query = sql.SQL("""
        select {columns}, {expr} as sort_value
        from marts.posts
        where account_id = %(account_id)s::text
          and (%(include_deleted)s or not is_deleted)
          {keyset}
        order by {expr} {direction}, post_key {direction}
        limit %(limit)s offset %(offset)s
    """).format(columns=POST_COLUMNS, expr=expr, keyset=keyset, direction=direction)
    params = {"account_id": str(account_id), "include_deleted": include_deleted,
              "limit": limit + 1, "offset": offset,
              "after_value": after[0] if after else None, "after_key": after[1] if after else None}
    return conn.execute(query, params).fetchall()


COMPETITOR_HANDLES = """
select account_id, workspace_id, platform, handle, display_name, is_competitor
from app.connected_accounts
where is_competitor and workspace_id = any(%(ws)s::bigint[])
  and platform = any(%(platforms)s::text[])
  and lower(handle) = any(%(handles)s::text[])
"""

# the range figures from the daily grain (exact date range); share of voice against the whole
# competitive set of the workspace and platform, as in the mart
COMPETITOR_SUMMARY = """
with rows as (
    select *
    from marts.competitor_benchmark
    where period_grain = 'day' and period_start between %(start)s and %(end)s
      and workspace_id = any(%(ws)s::text[]) and platform = any(%(platforms)s::text[])
),
set_totals as (
    select workspace_id, platform, sum(engagement) as set_engagement
    from rows group by workspace_id, platform
)
select
    r.account_id::bigint as account_id,
    r.workspace_id::bigint as workspace_id,
    r.platform,
    coalesce(sum(r.posts), 0)::bigint as posts,
    coalesce(sum(r.engagement), 0)::bigint as engagement,
    (coalesce(sum(r.posts), 0)::double precision
        / (%(end)s::date - %(start)s::date + 1)) as posting_frequency,
    (sum(r.engagement)::double precision / nullif(sum(r.posts), 0)) as engagement_per_post,
    (sum(r.engagement_rate_by_followers * r.posts)
        / nullif(sum(r.posts) filter (where r.engagement_rate_by_followers is not null), 0)
    )::double precision as engagement_rate,
    (sum(r.engagement)::double precision / nullif(max(st.set_engagement), 0)) as share_of_voice
from rows as r
inner join set_totals as st using (workspace_id, platform)
where r.account_id = any(%(ids)s::text[])
group by r.account_id, r.workspace_id, r.platform
"""

COMPETITOR_SERIES = """
select account_id::bigint as account_id, period_start, posts, engagement, posting_frequency,
       engagement_per_post, engagement_rate_by_followers as engagement_rate, share_of_voice
from marts.competitor_benchmark
where period_grain = %(grain)s
  and period_start between date_trunc(%(grain)s, %(start)s::date)::date and %(end)s
  and workspace_id = any(%(ws)s::text[]) and account_id = any(%(ids)s::text[])
order by account_id::bigint, period_start
"""

TRACK_COMPETITOR = """
insert into app.competitor_tracking_requests (workspace_id, platform, handle, requested_by)
values (%(workspace_id)s, %(platform)s, %(handle)s, %(user_id)s)
on conflict (workspace_id, platform, handle) do update set handle = excluded.handle
returning request_id, workspace_id, platform, handle, status, created_at
"""

TRENDING_FROM_TRENDS = """
with scoped as (
    select * from marts.hashtag_trends
    where workspace_id = any(%(ws)s::text[])
      and (%(workspace_id)s::text is null or workspace_id = %(workspace_id)s::text)
),
as_of as (select coalesce(%(as_of)s::date, max(metric_date)) as d from scoped),
win as (
    select scoped.* from scoped, as_of
    where scoped.metric_date > as_of.d - %(days)s and scoped.metric_date <= as_of.d
)
select
    hashtag,
    sum(posts)::bigint as posts,
    sum(engagement)::bigint as engagement,
    max(velocity) filter (where metric_date = (select d from as_of)) as velocity,
    max(velocity) as peak_velocity,
    (select d from as_of) as as_of
from win
group by hashtag
having sum(posts) > 0
order by velocity desc nulls last, posts desc, engagement desc, hashtag
limit %(limit)s
"""

# with a platform: counts from the platform's posts (hashtag_trends has no platform grain);
# velocity stays the workspace-level figure of hashtag_trends
TRENDING_FOR_PLATFORM = """
with as_of as (
    select coalesce(%(as_of)s::date, max(metric_date)) as d
    from marts.hashtag_trends
    where workspace_id = any(%(ws)s::text[])
      and (%(workspace_id)s::text is null or workspace_id = %(workspace_id)s::text)
),
tagged as (
    select tag.hashtag, posts.workspace_id, posts.engagement
    from marts.posts as posts
    cross join lateral unnest(posts.hashtags) as tag (hashtag)
    cross join as_of
    where posts.workspace_id = any(%(ws)s::text[])
      and (%(workspace_id)s::text is null or posts.workspace_id = %(workspace_id)s::text)
      and posts.platform = %(platform)s and not posts.is_deleted
      and (posts.created_at at time zone 'UTC')::date > as_of.d - %(days)s
      and (posts.created_at at time zone 'UTC')::date <= as_of.d
),
velocity as (
    select t.hashtag, max(t.velocity) as velocity
    from marts.hashtag_trends as t
    where t.workspace_id = any(%(ws)s::text[]) and t.metric_date = (select d from as_of)
      and (%(workspace_id)s::text is null or t.workspace_id = %(workspace_id)s::text)
    group by t.hashtag
),
peak as (
    select t.hashtag, max(t.velocity) as peak_velocity
    from marts.hashtag_trends as t, as_of
    where t.workspace_id = any(%(ws)s::text[])
      and (%(workspace_id)s::text is null or t.workspace_id = %(workspace_id)s::text)
      and t.metric_date > as_of.d - %(days)s and t.metric_date <= as_of.d
    group by t.hashtag
)
select
    tagged.hashtag,
    count(*)::bigint as posts,
    coalesce(sum(tagged.engagement), 0)::bigint as engagement,
    max(velocity.velocity) as velocity,
    max(peak.peak_velocity) as peak_velocity,
    (select d from as_of) as as_of
from tagged
left join velocity using (hashtag)
left join peak using (hashtag)
group by tagged.hashtag
order by velocity desc nulls last, posts desc, engagement desc, tagged.hashtag
limit %(limit)s
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

ALERT_COLUMNS = """
    a.alert_id, a.kind, a.account_id, a.workspace_id, ca.platform, ca.handle, a.post_key,
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


def as_text(ids: list[int] | tuple[int, ...]) -> list[str]:
    """Ids as the marts store them (text)."""
    return [str(i) for i in ids]

OWNED_ACCOUNTS_OF_WORKSPACE = """
select account_id
from app.connected_accounts
where workspace_id = %(workspace_id)s and not is_competitor and is_active
order by account_id
"""
