-- each client workspace's competitive set (its owned + competitor accounts of one platform) per
-- period (day | week | month), 0 posts included. Like for like: every engagement figure is
-- public engagement (what competitors' posts expose too) of mature posts (is_mature), and
-- members whose platform exposes no posts (benchmark_status not_available) have null figures
-- and stay out of share of voice, rank, percentile and the competitor average. Rank and
-- percentile need 2 comparable members; posting frequency divides by the observed days.
{{ config(indexes=[{'columns': ['workspace_id', 'period_grain', 'period_start']}]) }}

with accounts as (
    select * from {{ ref('accounts') }}
),

posts as (
    select
        *,
        -- immature posts count as published but carry no engagement figure
        case when is_mature then public_engagement end as mature_public_engagement
    from {{ ref('posts') }}
    where not is_deleted
),

grains as (
    select unnest(array['day', 'week', 'month']) as period_grain
),

members as (
    -- observed from its first loaded post (its history; an account without posts: its set's
    -- first post day) to its latest observation
    select
        accounts.account_id,
        accounts.workspace_id,
        accounts.platform,
        accounts.handle,
        accounts.is_competitor,
        {{ benchmark_unavailable_reason('accounts.platform', 'accounts.is_competitor') }}
            as benchmark_status_reason,
        (
            coalesce(
                min(posts.created_at), min(min(posts.created_at)) over (
                    partition by accounts.workspace_id, accounts.platform
                )
            ) at time zone 'UTC'
        )::date as observed_from,
        (
            greatest(max(posts.metrics_observed_at), accounts.followers_observed_at)
            at time zone 'UTC'
        )::date as observed_until
    from accounts
    left join posts on accounts.account_id = posts.account_id
    group by 1, 2, 3, 4, 5, 6, accounts.followers_observed_at
),

by_account as (
    select
        posts.account_id,
        grains.period_grain,
        date_trunc(grains.period_grain, posts.created_at at time zone 'UTC')::date
            as period_start,
        count(*) as posts,
        count(posts.mature_public_engagement) as mature_posts,
        coalesce(sum(posts.mature_public_engagement), 0) as public_engagement,
        {{ sum_of_rated_posts('followers_at_post', 'mature_public_engagement') }}
            as followers_at_post_sum,
        count(*) filter (where {{ is_rated_post('mature_public_engagement') }}) as rated_posts,
        {{ sum_of_rated_posts('mature_public_engagement', 'mature_public_engagement') }}
            as public_engagement_of_rated_posts
    from posts
    cross join grains
    group by 1, 2, 3
),

set_periods as (
    select distinct
        members.workspace_id,
        members.platform,
        by_account.period_grain,
        by_account.period_start,
        (by_account.period_start + ('1 ' || by_account.period_grain)::interval)::date - 1
            as period_end
    from by_account
    inner join members on by_account.account_id = members.account_id
),

rated as (
    select
        m.workspace_id,
        m.platform,
        m.account_id,
        m.handle,
        m.is_competitor,
        m.benchmark_status_reason,
        s.period_grain,
        s.period_start,
        m.benchmark_status_reason is null as is_comparable,
        m.observed_from,
        m.observed_until,
        s.period_end - s.period_start + 1 as period_days,
        -- (least and greatest skip nulls: an account never observed has no observed day)
        case
            when m.observed_from is not null and m.observed_until is not null
                then greatest(
                        0,
                        least(s.period_end, m.observed_until)
                        - greatest(s.period_start, m.observed_from) + 1
                    )
            else 0
        end as observed_days,
        coalesce(b.posts, 0) as posts,
        coalesce(b.mature_posts, 0) as mature_posts,
        coalesce(b.public_engagement, 0) as public_engagement,
        coalesce(b.followers_at_post_sum, 0) as followers_at_post_sum,
        coalesce(b.rated_posts, 0) as rated_posts,
        coalesce(b.public_engagement_of_rated_posts, 0) as public_engagement_of_rated_posts
    from set_periods as s
    inner join members as m on s.workspace_id = m.workspace_id and s.platform = m.platform
    left join by_account as b
        on
            m.account_id = b.account_id and s.period_grain = b.period_grain
            and s.period_start = b.period_start
),

comparable as (
    -- the figures of the comparable members only: null (unknown) for the others
    select
        workspace_id,
        platform,
        account_id,
        handle,
        is_competitor,
        benchmark_status_reason,
        period_grain,
        period_start,
        is_comparable,
        period_days,
        case when is_comparable then observed_from end as observed_from,
        case when is_comparable then observed_until end as observed_until,
        case when is_comparable then observed_days end as observed_days,
        {% for column in ['posts', 'mature_posts', 'public_engagement',
            'followers_at_post_sum', 'rated_posts', 'public_engagement_of_rated_posts'] -%}
        case when is_comparable then {{ column }} end as {{ column }},
        {% endfor -%}
        count(*) filter (where is_comparable) over set_period as comparable_members,
        sum(mature_posts) filter (where is_comparable) over set_period as set_mature_posts
    from rated
    window set_period as (partition by workspace_id, platform, period_grain, period_start)
),

ranked as (
    select
        *,
        -- a set of one, or a period without a mature post, ranks nobody
        is_comparable and comparable_members >= 2 and set_mature_posts > 0 as is_ranked,
        case when comparable_members >= 2 then sum(public_engagement) over set_period end
            as set_public_engagement,
        {{ engagement_per_post('public_engagement', 'mature_posts') }}
            as public_engagement_per_post,
        {{ engagement_rate_by_followers(
            'public_engagement_of_rated_posts', 'followers_at_post_sum') }}
            as engagement_rate_by_followers
    from comparable
    window set_period as (partition by workspace_id, platform, period_grain, period_start)
),

final as (
    select
        workspace_id,
        platform,
        account_id,
        handle,
        is_competitor,
        case when is_comparable then 'comparable' else 'not_available' end
            as benchmark_status,
        benchmark_status_reason,
        comparable_members::integer as comparable_members,
        period_grain,
        period_start,
        period_days::integer as period_days,
        observed_from,
        observed_until,
        observed_days::integer as observed_days,
        posts::bigint as posts,
        mature_posts::bigint as mature_posts,
        {{ posting_frequency('posts', 'observed_days') }} as posting_frequency,
        public_engagement::bigint as public_engagement,
        set_public_engagement::bigint as set_public_engagement,
        public_engagement_per_post,
        followers_at_post_sum::bigint as followers_at_post_sum,
        rated_posts::bigint as rated_posts,
        public_engagement_of_rated_posts::bigint as public_engagement_of_rated_posts,
        engagement_rate_by_followers,
        {{ share_of_voice('public_engagement', 'set_public_engagement') }} as share_of_voice,
        case when is_ranked then rank() over ranking end::bigint as public_engagement_rank,
        case when is_ranked then percent_rank() over ranking_up end
            as public_engagement_percentile,
        public_engagement_per_post
        - avg(public_engagement_per_post) filter (where is_competitor) over set_period
            as public_engagement_per_post_vs_competitor_avg,
        engagement_rate_by_followers
        - avg(engagement_rate_by_followers) filter (where is_competitor) over set_period
            as engagement_rate_vs_competitor_avg
    from ranked
    window
        set_period as (partition by workspace_id, platform, period_grain, period_start),
        ranking as (
            partition by workspace_id, platform, period_grain, period_start, is_ranked
            order by public_engagement desc
        ),
        ranking_up as (
            partition by workspace_id, platform, period_grain, period_start, is_ranked
            order by public_engagement
        )
)

select * from final
