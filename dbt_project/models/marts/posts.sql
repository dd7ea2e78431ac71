-- one row per post per connected account tracking it (in practice one per post). Indexed for
-- an account's posts by time too: the API's post pages (keyset on created_at, post_id) and
-- the report's top posts of a date range. Incremental: a build recomputes only the posts whose
-- inputs may have changed since the last one (macros/posts_changed.sql) and prunes the rows of
-- accounts no longer connected; the nightly full build recomputes every post.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['account_id', 'post_id'],
    on_schema_change='append_new_columns',
    indexes=[
        {'columns': ['account_id', 'post_id'], 'unique': True},
        {'columns': ['workspace_id', 'created_at']},
        {'columns': ['account_id', 'created_at', 'post_id']},
        {'columns': ['post_id']},
        {'columns': ['processed_at']},
    ],
    post_hook="{{ posts_prune_gone_accounts(ref('stg_app__connected_accounts')) }}",
) }}

with posts as (
    select * from {{ ref('int_posts_unioned') }}
    {%- if is_incremental() %}
    {{ posts_changed_filter(
        ref('post_metrics_daily'), ref('stg_enrichment__post_sentiment'),
        ref('stg_app__connected_accounts')
    ) }}
    {%- endif %}
),

accounts as (
    select * from {{ ref('stg_app__connected_accounts') }}
),

followers_at_post as (
    select * from {{ ref('int_posts_followers_at_post') }}
),

daily as (
    select * from {{ ref('post_metrics_daily') }}
),

sentiment as (
    select * from {{ ref('stg_enrichment__post_sentiment') }}
),

latest_metrics as (
    select distinct on (post_id) *
    from daily
    {%- if is_incremental() %}
    where post_id in (select posts.post_id from posts)
    {%- endif %}
    order by post_id asc, metric_date desc
),

final as (
    select
        posts.post_id,
        posts.platform_post_id,
        posts.platform,
        accounts.account_id,
        accounts.handle,
        accounts.workspace_id,
        posts.platform_account_id,
        accounts.is_competitor,
        posts.post_text as text,
        posts.hashtags,
        posts.media_type,
        posts.post_url,
        posts.created_at,
        posts.is_deleted,
        m.impressions,
        m.reach,
        m.views,
        m.likes,
        m.comments,
        m.shares,
        m.saves,
        m.clicks,
        m.engagement,
        m.public_engagement,
        f.followers_at_post::bigint as followers_at_post,
        {{ engagement_rate_by_followers('m.engagement', 'f.followers_at_post') }}
            as engagement_rate_by_followers,
        {{ engagement_rate_by_impressions('m.engagement', 'm.impressions') }}
            as engagement_rate_by_impressions,
        {{ engagement_rate_by_reach('m.engagement', 'm.reach') }} as engagement_rate_by_reach,
        m.observed_at as metrics_observed_at,
        {{ is_mature_post('posts.created_at', 'm.observed_at') }} as is_mature,
        sentiment.sentiment_label,
        sentiment.sentiment_compound,
        now() as processed_at
    from posts
    inner join accounts
        on
            posts.platform = accounts.platform
            and posts.platform_account_id = accounts.platform_account_id
    left join latest_metrics as m on posts.post_id = m.post_id
    left join followers_at_post as f on posts.post_id = f.post_id
    left join sentiment
        on
            posts.platform = sentiment.platform
            and posts.platform_post_id = sentiment.platform_post_id
)

select * from final
