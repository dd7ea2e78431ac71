-- each client workspace's competitive set (its owned + competitor accounts of one platform)
-- per period (day | week | month): output, engagement per post, engagement rate by
-- followers, share of voice, rank and percentile in the set, and the gap to the competitor
-- average (competitors only, as Rival IQ's "Competitor Average"). Engagement here is
-- public_engagement: the part competitors' posts expose too (see the Modelling section of
-- DECISIONS.md).
{{ config(indexes=[{'columns': ['workspace_id', 'period_grain', 'period_start']}]) }}

with accounts as (
    select * from {{ ref('stg_app__connected_accounts') }}
),

posts as (
    select * from {{ ref('posts') }}
    where not is_deleted
),

grains as (
    select unnest(array['day', 'week', 'month']) as period_grain
),

post_periods as (
    select
        posts.account_id,
        grains.period_grain,
        date_trunc(grains.period_grain, posts.created_at at time zone 'UTC')::date
            as period_start,
        posts.public_engagement,
        {{ safe_ratio('posts.public_engagement', 'posts.followers_at_post') }} as post_rate
    from posts
    cross join grains
),

by_account as (
    select
        account_id,
        period_grain,
        period_start,
        count(*) as posts,
        coalesce(sum(public_engagement), 0) as engagement,
        avg(post_rate) as engagement_rate_by_followers
    from post_periods
    group by 1, 2, 3
),

set_periods as (
    select distinct
        accounts.workspace_id,
        accounts.platform,
        by_account.period_grain,
        by_account.period_start
    from by_account
    inner join accounts on by_account.account_id = accounts.account_id
),

spine as (
    select
        accounts.account_id,
        accounts.handle,
        accounts.workspace_id,
        accounts.platform,
        accounts.is_competitor,
        set_periods.period_grain,
        set_periods.period_start
    from set_periods
    inner join accounts
        on
            set_periods.workspace_id = accounts.workspace_id
            and set_periods.platform = accounts.platform
),

measured as (
    select
        spine.*,
        coalesce(by_account.posts, 0) as posts,
        coalesce(by_account.engagement, 0) as engagement,
        by_account.engagement_rate_by_followers,
        {{ safe_ratio('by_account.engagement', 'by_account.posts') }} as engagement_per_post,
        case spine.period_grain
            when 'day' then 1
            when 'week' then 7
            else extract(day from (spine.period_start + interval '1 month' - interval '1 day'))
        end as period_days
    from spine
    left join by_account using (account_id, period_grain, period_start)
),

final as (
    select
        workspace_id,
        platform,
        account_id,
        handle,
        is_competitor,
        period_grain,
        period_start,
        posts::bigint as posts,
        {{ safe_ratio('posts', 'period_days') }} as posting_frequency,
        engagement::bigint as engagement,
        engagement_per_post,
        engagement_rate_by_followers,
        {{ safe_ratio('engagement', 'sum(engagement) over set_period') }} as share_of_voice,
        rank() over (set_period order by engagement desc)::bigint as engagement_rank,
        percent_rank() over (set_period order by engagement) as engagement_percentile,
        engagement_per_post - avg(engagement_per_post) filter (where is_competitor)
            over set_period as engagement_per_post_vs_competitor_avg,
        engagement_rate_by_followers
        - avg(engagement_rate_by_followers) filter (where is_competitor) over set_period
            as engagement_rate_vs_competitor_avg
    from measured
    window set_period as (partition by workspace_id, platform, period_grain, period_start)
)

select * from final
