-- the platforms' own daily follower history of owned accounts, one row per account and UTC day
-- before its first snapshot: Facebook's page_follows gives each day's followers; Instagram's
-- follower_count and LinkedIn's followerGains give each day's change, so the followers at the
-- end of the day before a change are the first observed day's end-of-day count minus the
-- changes from that day on (only when every one of those days has a value)
with account_snapshots as (
    select * from {{ ref('int_account_snapshots_unioned') }}
),

instagram_gains as (
    select * from {{ ref('stg_meta__instagram_follower_count_insights') }}
),

linkedin_gains as (
    select * from {{ ref('stg_linkedin__organization_follower_gains') }}
),

facebook_follows as (
    select * from {{ ref('stg_meta__facebook_page_follows_insights') }}
),

gains as (
    select
        'instagram'::text as platform,
        instagram_account_id as platform_account_id,
        metric_date,
        follower_gain
    from instagram_gains
    union all
    select
        'linkedin'::text as platform,
        organization_id as platform_account_id,
        metric_date,
        follower_gain
    from linkedin_gains
),

anchors as (
    -- the end of the first observed day
    select distinct on (platform, platform_account_id)
        platform,
        platform_account_id,
        (observed_at at time zone 'UTC')::date as anchor_date,
        followers_count as anchor_followers
    from account_snapshots
    where followers_count is not null
    order by
        platform asc,
        platform_account_id asc,
        (observed_at at time zone 'UTC')::date asc,
        observed_at desc
),

chained as (
    select
        gains.platform,
        gains.platform_account_id,
        gains.metric_date,
        anchors.anchor_date,
        -- the end of the previous day: before this day's change and every later one
        anchors.anchor_followers - sum(gains.follower_gain) over later as followers_before,
        count(*) over later as days_known
    from gains
    inner join anchors
        on
            gains.platform = anchors.platform
            and gains.platform_account_id = anchors.platform_account_id
    where gains.metric_date <= anchors.anchor_date
    window later as (
        partition by gains.platform, gains.platform_account_id
        order by gains.metric_date desc
    )
),

final as (
    select
        platform,
        platform_account_id,
        metric_date - 1 as metric_date,
        followers_before::bigint as followers
    from chained
    where days_known = anchor_date - metric_date + 1
    union all
    select
        'facebook'::text as platform,
        page_id as platform_account_id,
        metric_date,
        followers_count::bigint as followers
    from facebook_follows
)

select * from final
