-- posts whose engagement breaks out of their own account's baseline. One row per (post,
-- tracking account, rule) that fired. Rules (parameters are vars; see the Modelling
-- section of DECISIONS.md):
--   engagement_24h_zscore    (Socialmetrix) engagement > baseline mean + k * sigma
--   engagement_rate_breakout (Rival IQ) engagement rate by followers > mean + 5 sigma
-- both also need metric >= viral_min_lift x mean. Baseline: the account's mature posts (a
-- snapshot >= 24 h after posting) of the 7 days before the post, earlier breakouts trimmed.
-- is_found_at_connection: the post was published before its account's first observation and
-- the rule already held at the post's first observation: it took off before anyone could see
-- it, and the alerting sends such posts as one notice per account, not as live alerts.
{{ config(indexes=[{'columns': ['workspace_id', 'detected_at']}, {'columns': ['post_id']}]) }}

with posts as (
    select * from {{ ref('int_posts_followers_at_post') }}
),

accounts as (
    select * from {{ ref('stg_app__connected_accounts') }}
),

snapshots as (
    select * from {{ ref('int_post_metric_snapshots_unioned') }}
),

-- not materialized: the baseline's lateral lookups must reach the table's index
baseline_pool as not materialized (
    select * from {{ ref('int_viral_baseline_pool') }}
),

post_base as (
    select distinct on (post_id)
        post_id,
        platform_post_id,
        platform,
        platform_account_id,
        created_at,
        followers_at_post
    from posts
    order by post_id
),

latest as (
    select distinct on (snapshots.post_id)
        snapshots.post_id,
        snapshots.engagement,
        snapshots.observed_at
    from snapshots
    order by snapshots.post_id asc, snapshots.observed_at desc
),

first_seen as (
    select
        post_id,
        min(observed_at) as first_observed_at
    from snapshots
    group by post_id
),

account_first_seen as (
    select
        post_base.platform,
        post_base.platform_account_id,
        min(first_seen.first_observed_at) as account_first_observed_at
    from post_base
    inner join first_seen on post_base.post_id = first_seen.post_id
    group by post_base.platform, post_base.platform_account_id
),

candidates as (
    select post_base.* from post_base
    where post_base.created_at >= (select max(observed_at) from latest)
        - interval '{{ var("viral_window_days") }} days'
),

baselines as (
    select
        candidates.post_id,
        stats.*
    from candidates
    cross join lateral (
        {{ viral_baseline('candidates', 'baseline_pool') }}
    ) as stats
),

observed as (
    select
        candidates.*,
        -- the post's first observation (every snapshot of it is joined here)
        min(snapshots.observed_at) over (partition by candidates.post_id) as first_observed_at,
        snapshots.observed_at,
        snapshots.engagement::double precision as engagement,
        {{ engagement_rate_by_followers('snapshots.engagement', 'candidates.followers_at_post') }}
            as rate,
        baselines.engagement_mean,
        baselines.engagement_stddev,
        baselines.rate_mean,
        baselines.rate_stddev
    from candidates
    inner join snapshots on candidates.post_id = snapshots.post_id
    inner join baselines on candidates.post_id = baselines.post_id
),

rules as (
    {{ viral_rule('engagement_24h_zscore', 'engagement', var('viral_engagement_k')) }}
    union all
    {{ viral_rule('engagement_rate_breakout', 'rate', var('viral_rate_k')) }}
),

-- grouped with the post's own columns: the result is assembled from the fired rows and
-- account-grain tables only, never joined back to every post
fired as (
    select
        post_id,
        rule,
        platform_post_id,
        platform,
        platform_account_id,
        created_at,
        first_observed_at,
        min(observed_at) as detected_at,
        (array_agg(metric_value order by observed_at desc))[1] as metric_value,
        max(baseline_mean) as baseline_mean,
        max(baseline_stddev) as baseline_stddev,
        max(threshold) as threshold
    from rules
    where metric_value >= threshold
    group by 1, 2, 3, 4, 5, 6, 7
),

final as (
    select
        fired.post_id,
        fired.platform_post_id,
        fired.platform,
        accounts.account_id,
        accounts.workspace_id,
        accounts.handle,
        fired.rule,
        fired.metric_value::double precision as metric_value,
        fired.baseline_mean::double precision as baseline_mean,
        fired.baseline_stddev::double precision as baseline_stddev,
        fired.threshold::double precision as threshold,
        ((fired.metric_value - fired.baseline_mean) / fired.baseline_stddev)::double precision
            as score,
        fired.detected_at,
        fired.created_at as post_created_at,
        coalesce(
            fired.created_at < account_first_seen.account_first_observed_at
            and fired.detected_at <= fired.first_observed_at, false
        ) as is_found_at_connection
    from fired
    inner join account_first_seen
        on
            fired.platform = account_first_seen.platform
            and fired.platform_account_id = account_first_seen.platform_account_id
    inner join accounts
        on
            fired.platform = accounts.platform
            and fired.platform_account_id = accounts.platform_account_id
)

select * from final
