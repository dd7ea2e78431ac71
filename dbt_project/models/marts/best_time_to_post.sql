-- per account, UTC weekday (1 = Monday) and hour: posts and median engagement rate by
-- followers over the last `best_time_weeks` weeks (Sprout's optimal send times use 16). The
-- median describes the typical post of the slot; the slot's own rate (and any roll-up over
-- accounts or slots) is the ratio of the rated-post sums kept next to it
with posts as (
    select * from {{ ref('posts') }}
    where not is_deleted
),

cutoff as (
    select max(created_at) - interval '{{ var("best_time_weeks") }} weeks' as since
    from posts
),

recent as (
    select posts.* from posts
    inner join cutoff on posts.created_at >= cutoff.since
),

final as (
    select
        account_id,
        workspace_id,
        platform,
        extract(isodow from created_at at time zone 'UTC')::integer as weekday,  -- noqa: RF04
        extract(hour from created_at at time zone 'UTC')::integer as hour_utc,
        count(*)::bigint as posts,
        percentile_cont(0.5) within group (order by engagement_rate_by_followers)
            as median_engagement_rate,
        avg(engagement)::double precision as mean_engagement,
        count(*) filter (where {{ is_rated_post() }})::bigint as rated_posts,
        {{ sum_of_rated_posts('followers_at_post') }}::bigint as followers_at_post_sum,
        {{ sum_of_rated_posts('engagement') }}::bigint as engagement_of_rated_posts,
        {{ engagement_rate_by_followers_of_posts() }} as engagement_rate_by_followers
    from recent
    group by 1, 2, 3, 4, 5
)

select * from final
