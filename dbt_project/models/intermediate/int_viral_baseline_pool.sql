-- the posts a viral baseline is drawn from: each post with its latest engagement once that was
-- observed at least viral_early_hours after posting. A table indexed by (account, created_at)
-- so each candidate's baseline (viral_baseline) reads its account's posts near it in time
-- through the index, instead of every post of every account once per candidate.
{{ config(
    materialized='table',
    indexes=[{'columns': ['platform', 'platform_account_id', 'created_at']}],
) }}

with posts as (
    select * from {{ ref('int_posts_followers_at_post') }}
),

snapshots as (
    select * from {{ ref('int_post_metric_snapshots_unioned') }}
),

post_base as (
    select distinct on (post_id)
        post_id,
        platform,
        platform_account_id,
        created_at,
        followers_at_post
    from posts
    order by post_id
),

latest as (
    select distinct on (post_id)
        post_id,
        engagement,
        observed_at
    from snapshots
    order by post_id asc, observed_at desc
),

final as (
    select
        post_base.*,
        latest.engagement::double precision as engagement
    from post_base
    inner join latest on post_base.post_id = latest.post_id
    where latest.observed_at >= post_base.created_at
        + interval '{{ var("viral_early_hours") }} hours'
)

select * from final
