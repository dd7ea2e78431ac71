-- each client workspace's competitive set (its owned + competitor accounts of one platform) per
-- period (day | week | month), 0 posts included: output, public engagement (the part
-- competitors' posts expose too: every engagement figure here is public engagement), per post,
-- rate by followers, share of voice, rank and percentile in the set, and the gaps to the
-- competitor average (competitors only, as Rival IQ's "Competitor Average"). Periods are
-- rolled up from account_posts_daily; rates are ratios of its sums (macros/metrics.sql).
{{ config(indexes=[{'columns': ['workspace_id', 'period_grain', 'period_start']}]) }}

with accounts as (
    select * from {{ ref('stg_app__connected_accounts') }}
),

days as (
    select * from {{ ref('account_posts_daily') }}
),

grains as (
    select unnest(array['day', 'week', 'month']) as period_grain
),

by_account as (
    select
        days.account_id,
        days.workspace_id,
        days.platform,
        grains.period_grain,
        date_trunc(grains.period_grain, days.metric_date)::date as period_start,
        sum(days.posts) as posts,
        sum(days.public_engagement) as public_engagement,
        sum(days.followers_at_post_sum) as followers_at_post_sum,
        sum(days.rated_posts) as rated_posts,
        sum(days.public_engagement_of_rated_posts) as public_engagement_of_rated_posts
    from days
    cross join grains
    group by 1, 2, 3, 4, 5
),

set_periods as (
    select distinct
        workspace_id,
        platform,
        period_grain,
        period_start
    from by_account
),

rated as (
    select
        accounts.workspace_id,
        accounts.platform,
        accounts.account_id,
        accounts.handle,
        accounts.is_competitor,
        set_periods.period_grain,
        set_periods.period_start,
        case set_periods.period_grain
            when 'day' then 1
            when 'week' then 7
            else extract(day from set_periods.period_start + interval '1 month - 1 day')
        end as period_days,
        coalesce(by_account.posts, 0) as posts,
        coalesce(by_account.public_engagement, 0) as public_engagement,
        coalesce(by_account.followers_at_post_sum, 0) as followers_at_post_sum,
        coalesce(by_account.rated_posts, 0) as rated_posts,
        coalesce(by_account.public_engagement_of_rated_posts, 0)
            as public_engagement_of_rated_posts,
        sum(coalesce(by_account.public_engagement, 0)) over set_period
            as set_public_engagement,
        {{ engagement_per_post('by_account.public_engagement', 'by_account.posts') }}
            as public_engagement_per_post,
        {{ engagement_rate_by_followers(
            'by_account.public_engagement_of_rated_posts', 'by_account.followers_at_post_sum') }}
            as engagement_rate_by_followers
    from set_periods
    inner join accounts
        on
            set_periods.workspace_id = accounts.workspace_id
            and set_periods.platform = accounts.platform
    left join by_account
        on
            accounts.account_id = by_account.account_id
            and set_periods.period_grain = by_account.period_grain
            and set_periods.period_start = by_account.period_start
    window set_period as (
        partition by
            set_periods.workspace_id, set_periods.platform,
            set_periods.period_grain, set_periods.period_start
    )
),

final as (
    select
        workspace_id, platform, account_id, handle, is_competitor, period_grain, period_start,
        period_days::integer as period_days,
        posts::bigint as posts,
        {{ posting_frequency('posts', 'period_days') }} as posting_frequency,
        public_engagement::bigint as public_engagement,
        set_public_engagement::bigint as set_public_engagement,
        public_engagement_per_post,
        followers_at_post_sum::bigint as followers_at_post_sum,
        rated_posts::bigint as rated_posts,
        public_engagement_of_rated_posts::bigint as public_engagement_of_rated_posts,
        engagement_rate_by_followers,
        {{ share_of_voice('public_engagement', 'set_public_engagement') }} as share_of_voice,
        rank() over (set_period order by public_engagement desc)::bigint
            as public_engagement_rank,
        percent_rank() over (set_period order by public_engagement)
            as public_engagement_percentile,
        public_engagement_per_post
        - avg(public_engagement_per_post) filter (where is_competitor) over set_period
            as public_engagement_per_post_vs_competitor_avg,
        engagement_rate_by_followers
        - avg(engagement_rate_by_followers) filter (where is_competitor) over set_period
            as engagement_rate_vs_competitor_avg
    from rated
    window set_period as (partition by workspace_id, platform, period_grain, period_start)
)

select * from final
