-- per connected account and UTC publication day of its posts (deleted ones excluded): how many
-- it published and their latest engagement, plus the sums an engagement rate by followers is
-- the ratio of. Consumers only sum rows: over any range, engagement rate by followers =
-- sum(engagement_of_rated_posts) / sum(followers_at_post_sum), the macro's formula, and
-- engagement per post = sum(engagement) / sum(posts_with_engagement).
{{ config(indexes=[
    {'columns': ['account_id', 'metric_date'], 'unique': True},
    {'columns': ['workspace_id', 'metric_date']},
]) }}

with posts as (
    select * from {{ ref('posts') }}
    where not is_deleted
),

by_day as (
    select
        account_id,
        workspace_id,
        platform,
        handle,
        is_competitor,
        (created_at at time zone 'UTC')::date as metric_date,
        count(*) as posts,
        -- engagement can be unknown (rule ig_shares_unknown): the sum skips those posts, so
        -- engagement per post divides by the posts it summed, not by every post
        count(engagement) as posts_with_engagement,
        coalesce(sum(engagement), 0) as engagement,
        coalesce(sum(public_engagement), 0) as public_engagement,
        {{ sum_of_rated_posts('followers_at_post') }} as followers_at_post_sum,
        count(*) filter (where {{ is_rated_post() }}) as rated_posts,
        {{ sum_of_rated_posts('engagement') }} as engagement_of_rated_posts,
        -- rated on public engagement: the same posts (both are known once metrics are)
        {{ sum_of_rated_posts('public_engagement', 'public_engagement') }}
            as public_engagement_of_rated_posts
    from posts
    group by 1, 2, 3, 4, 5, 6
),

final as (
    select
        account_id,
        workspace_id,
        platform,
        handle,
        is_competitor,
        metric_date,
        posts::bigint as posts,
        posts_with_engagement::bigint as posts_with_engagement,
        engagement::bigint as engagement,
        public_engagement::bigint as public_engagement,
        followers_at_post_sum::bigint as followers_at_post_sum,
        rated_posts::bigint as rated_posts,
        engagement_of_rated_posts::bigint as engagement_of_rated_posts,
        public_engagement_of_rated_posts::bigint as public_engagement_of_rated_posts
    from by_day
)

select * from final
