"""Raise alerts from the marts, each rule in one SQL statement.

Viral posts found already taken off when their account was connected
(``viral_candidates.is_found_at_connection``) are not live alerts: they go out as one
``found_at_connection`` notice per account listing them, so connecting an account with a month
of history does not send a burst of stale "viral now" alerts.

Both statements insert into ``app.alerts ... on conflict (dedupe_key) do nothing`` and create
the alert's delivery rows for the configured sinks in the same statement, so re-running a tick,
a dbt rebuild or two sensors racing never raises an alert twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from socialpulse.alerts.config import AlertSettings
from socialpulse.warehouse import DictConnection

# post links that follow from ids alone; else the post_url marts.posts carries (Instagram's
# needs the media shortcode, which only the platform's permalink has)
_POST_URL = """
    coalesce(case platform
        when 'twitter' then 'https://x.com/' || handle || '/status/' || platform_post_id
        when 'facebook' then 'https://www.facebook.com/' || platform_post_id
        when 'linkedin' then 'https://www.linkedin.com/feed/update/' || platform_post_id
    end, post_url)
"""

VIRAL_SQL_TEMPLATE = """
with bounds as (
    -- re-read a lookback before the cursor: dbt may date a late-detected rule back in time
    select coalesce(%(since)s::timestamptz, max(detected_at))
               - make_interval(secs => %(lookback_s)s) as lower_at,
           max(detected_at) as max_at
    from marts.viral_candidates
),
fresh as (
    select vc.post_id, vc.platform_post_id, vc.platform, ca.account_id, ca.workspace_id, vc.handle,
           vc.rule, vc.metric_value, vc.baseline_mean, vc.baseline_stddev, vc.threshold,
           vc.score, vc.detected_at, vc.post_created_at, ca.is_competitor,
           vc.is_found_at_connection, {post_columns}
    from marts.viral_candidates as vc
    cross join bounds
    -- inner join: never alert for an account that was disconnected since the build
    inner join app.connected_accounts as ca on ca.account_id = vc.account_id
    {post_join}
    where vc.detected_at > bounds.lower_at
),
live as (
    insert into app.alerts (kind, dedupe_key, workspace_id, account_id, post_id, rule, score,
                            detected_at, payload)
    select 'viral_post', concat_ws(':', 'viral_post', account_id, post_id, rule),
           workspace_id, account_id, post_id, rule, score, detected_at,
           jsonb_build_object(
               'handle', handle, 'platform', platform, 'post_id', post_id,
               'platform_post_id', platform_post_id,
               'is_competitor', is_competitor, 'text_excerpt', left(text, 280),
               'engagement', engagement, 'metric_value', metric_value,
               'baseline_mean', baseline_mean, 'baseline_stddev', baseline_stddev,
               'threshold', threshold, 'post_created_at', post_created_at,
               'detected_at', detected_at, 'post_url', {post_url})
    from fresh
    where is_found_at_connection is not true
    order by detected_at, post_id, rule
    on conflict (dedupe_key) do nothing
    returning alert_id
),
found_posts as (
    -- posts that had taken off before their account was connected: one line each
    select distinct on (account_id, post_id) account_id, workspace_id, handle, platform,
           is_competitor, post_id, score, detected_at,
           jsonb_build_object(
               'post_id', post_id, 'platform_post_id', platform_post_id,
               'text_excerpt', left(text, 140), 'engagement', engagement, 'score', score,
               'post_created_at', post_created_at, 'post_url', {post_url}) as post
    from fresh
    where is_found_at_connection
    order by account_id, post_id, score desc
),
found as (
    -- ... and one notice per account for all of them, ever (the dedupe key has no post)
    insert into app.alerts (kind, dedupe_key, workspace_id, account_id, post_id, rule, score,
                            detected_at, payload)
    select 'viral_post', concat_ws(':', 'viral_post', account_id, 'found_at_connection'),
           workspace_id, account_id,
           (array_agg(post_id order by score desc, post_id))[1], 'found_at_connection',
           max(score), min(detected_at),
           jsonb_build_object(
               'handle', min(handle), 'platform', min(platform),
               'is_competitor', bool_or(is_competitor), 'post_count', count(*),
               'text_excerpt', count(*) || ' post(s) had already taken off when @'
                   || min(handle) || ' was connected',
               'posts', jsonb_agg(post order by score desc, post_id),
               'post_url', (array_agg(post ->> 'post_url' order by score desc, post_id))[1],
               'detected_at', min(detected_at))
    from found_posts
    group by account_id, workspace_id
    on conflict (dedupe_key) do nothing
    returning alert_id
),
inserted as (
    select alert_id from live union all select alert_id from found
),
deliveries as (
    insert into app.alert_deliveries (alert_id, sink)
    select alert_id, unnest(%(sinks)s::text[]) from inserted
)
select (select count(*) from fresh) as candidates,
       (select coalesce(array_agg(alert_id order by alert_id), '{{}}') from inserted) as alert_ids,
       (select max_at from bounds) as max_detected_at
"""
# text and engagement come from marts.posts when it exists (it is built in the same dbt run)
VIRAL_SQL = VIRAL_SQL_TEMPLATE.format(
    post_url=_POST_URL, post_columns="p.text, p.engagement, p.post_url",
    post_join="left join marts.posts as p\n"
              "        on p.account_id = vc.account_id and p.post_id = vc.post_id")
VIRAL_SQL_NO_POSTS = VIRAL_SQL_TEMPLATE.format(
    post_url=_POST_URL,
    post_columns="null::text as text, null::bigint as engagement, null::text as post_url",
    post_join="")

SENTIMENT_SQL = """
with anchor as (
    -- "the last 24 h of data": the newest comment, not the wall clock (late syncs, demos)
    select max(created_at) as end_at from marts.comments
),
scored as (
    select c.account_id, c.platform, c.created_at, c.sentiment_label, c.text,
           c.created_at > anchor.end_at - make_interval(secs => %(window_s)s) as is_current
    from marts.comments as c
    cross join anchor
    where c.created_at > anchor.end_at - make_interval(secs => %(window_s)s + %(baseline_s)s)
      and c.created_at <= anchor.end_at
      -- non-English and not-yet-scored comments count in neither share
      and c.sentiment_label in ('negative', 'neutral', 'positive')
),
per_account as (
    select account_id,
           count(*) filter (where is_current) as comments,
           count(*) filter (where is_current and sentiment_label = 'negative') as negatives,
           count(*) filter (where not is_current) as baseline_comments,
           count(*) filter (where not is_current and sentiment_label = 'negative')
               as baseline_negatives,
           (array_agg(left(text, 140) order by created_at desc)
                filter (where is_current and sentiment_label = 'negative'))[1:3] as examples
    from scored
    group by account_id
),
rated as (
    select *,
           negatives::float8 / comments as share,
           -- Laplace smoothing: a thin or spotless baseline cannot make any lift infinite
           (baseline_negatives + 1)::float8 / (baseline_comments + 2) as p0
    from per_account
    where comments >= %(min_comments)s
),
fired as (
    select r.*, ca.workspace_id, ca.handle, ca.platform, ca.is_competitor,
           r.share / r.p0 as lift,
           (r.share - r.p0) / sqrt(r.p0 * (1 - r.p0) / r.comments) as z,
           anchor.end_at
    from rated as r
    cross join anchor
    inner join app.connected_accounts as ca on ca.account_id = r.account_id
    where r.share >= %(min_share)s
      and r.share / r.p0 >= %(min_lift)s
      and (r.share - r.p0) / sqrt(r.p0 * (1 - r.p0) / r.comments) >= %(z)s
      -- cool-down: one spike alert per account per window, even across midnight
      and not exists (
          select 1 from app.alerts as a
          where a.account_id = r.account_id and a.kind = 'negative_sentiment_spike'
            and a.detected_at > anchor.end_at - make_interval(secs => %(window_s)s)
      )
),
inserted as (
    insert into app.alerts (kind, dedupe_key, workspace_id, account_id, rule, score,
                            detected_at, payload)
    select 'negative_sentiment_spike',
           concat_ws(':', 'negative_sentiment_spike', account_id,
                     to_char(end_at at time zone 'UTC', 'YYYY-MM-DD')),
           workspace_id, account_id, 'negative_share_spike', z, end_at,
           jsonb_build_object(
               'handle', handle, 'platform', platform, 'is_competitor', is_competitor,
               'comments', comments, 'negative_comments', negatives,
               'negative_share', round(share::numeric, 4),
               'baseline_comments', baseline_comments,
               'baseline_negative_comments', baseline_negatives,
               'baseline_share', round((baseline_negatives::float8
                                        / nullif(baseline_comments, 0))::numeric, 4),
               'smoothed_baseline_share', round(p0::numeric, 4),
               'lift', round(lift::numeric, 2), 'z', round(z::numeric, 2),
               'window_start', end_at - make_interval(secs => %(window_s)s),
               'window_end', end_at, 'negative_examples', to_jsonb(examples))
    from fired
    on conflict (dedupe_key) do nothing
    returning alert_id
),
deliveries as (
    insert into app.alert_deliveries (alert_id, sink)
    select alert_id, unnest(%(sinks)s::text[]) from inserted
)
select (select count(*) from rated) as candidates,
       (select coalesce(array_agg(alert_id order by alert_id), '{}') from inserted) as alert_ids,
       (select end_at from anchor) as max_detected_at
"""


@dataclass
class DetectionResult:
    """Alerts one detection statement raised."""

    candidates: int = 0
    alert_ids: list[int] = field(default_factory=list)
    max_detected_at: datetime | None = None


def _run(conn: DictConnection, sql: str, params: dict) -> DetectionResult:
    row = conn.execute(sql, params).fetchone()
    if row is None:
        return DetectionResult()
    return DetectionResult(int(row["candidates"]), list(row["alert_ids"]), row["max_detected_at"])


def raise_viral_alerts(conn: DictConnection, settings: AlertSettings, sinks: list[str],
                       since: datetime | None = None) -> DetectionResult:
    """Alerts for rows of ``marts.viral_candidates`` detected after ``since`` (minus the
    lookback; None = the newest detection minus the lookback, so a first run does not replay
    the whole history)."""
    has_posts = conn.execute("select to_regclass('marts.posts') is not null as ok").fetchone()
    sql = VIRAL_SQL if has_posts and has_posts["ok"] else VIRAL_SQL_NO_POSTS
    return _run(conn, sql, {
        "since": since, "lookback_s": settings.alert_viral_lookback_hours * 3600,
        "sinks": sinks})


def raise_sentiment_alerts(conn: DictConnection, settings: AlertSettings,
                           sinks: list[str]) -> DetectionResult:
    """Alerts for accounts whose share of negative comments in the last window of data is
    far above their own trailing baseline (see the Alerts section of DECISIONS.md for the rule)."""
    return _run(conn, SENTIMENT_SQL, {
        "window_s": settings.sentiment_window_hours * 3600,
        "baseline_s": settings.sentiment_baseline_days * 86400,
        "min_comments": settings.sentiment_min_comments,
        "min_share": settings.sentiment_min_share, "min_lift": settings.sentiment_min_lift,
        "z": settings.sentiment_z_threshold, "sinks": sinks})
