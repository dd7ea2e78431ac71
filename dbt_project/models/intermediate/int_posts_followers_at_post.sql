-- followers of the posting account when a post went out: the latest snapshot at or before
-- created_at, else the earliest after it (history loaded on the first sync predates every
-- snapshot). Lookups use the (platform, account, observed_at) index of the snapshot table.
with posts as (
    select * from {{ ref('int_posts_unioned') }}
),

account_snapshots as (
    select * from {{ ref('int_account_snapshots_unioned') }}
),

final as (
    select
        posts.post_id,
        posts.platform_post_id,
        posts.platform,
        posts.platform_account_id,
        posts.created_at,
        posts.is_deleted,
        coalesce(before_post.followers_count, after_post.followers_count) as followers_at_post
    from posts
    left join lateral (
        select s.followers_count from account_snapshots as s
        where
            s.platform = posts.platform and s.platform_account_id = posts.platform_account_id
            and s.observed_at <= posts.created_at and s.followers_count is not null
        order by s.observed_at desc limit 1
    ) as before_post on true
    left join lateral (
        select s.followers_count from account_snapshots as s
        where
            s.platform = posts.platform and s.platform_account_id = posts.platform_account_id
            and s.observed_at > posts.created_at and s.followers_count is not null
        order by s.observed_at asc limit 1
    ) as after_post on true
)

select * from final
