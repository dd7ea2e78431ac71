-- X: impressions = impression_count; no reach or views; quotes count as shares (a reshare with
-- commentary); bookmarks are saves; clicks only from non_public_metrics (owned, < 30 days)
with snapshots as (
    select * from {{ ref('stg_twitter__tweet_metric_snapshots') }}
),

conformed as (
    select
        {{ post_id("'twitter'", 'tweet_id') }} as post_id,
        tweet_id as platform_post_id,
        'twitter'::text as platform,
        user_id as platform_account_id,
        observed_at,
        impression_count as impressions,
        null::bigint as reach,
        null::bigint as views,
        like_count as likes,
        reply_count as comments,
        retweet_count + coalesce(quote_count, 0) as shares,
        bookmark_count as saves,
        url_link_clicks as clicks
    from snapshots
    -- the original's counts on a retweet are not this account's engagement
    where not exists (
            select 1 from {{ ref('stg_twitter__tweets') }} as retweets
            where retweets.tweet_id = snapshots.tweet_id and retweets.is_retweet
        )
),

final as (
    select
        *,
        {{ engagement() }} as engagement,
        -- every X metric above is public, so competitors compare on the same figure
        {{ engagement() }} as public_engagement
    from conformed
)

select * from final
