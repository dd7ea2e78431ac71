-- (workspace_id, created_at): the dashboards' row-level security filters on workspace_id
{{ config(indexes=[
    {'columns': ['account_id', 'comment_id'], 'unique': True},
    {'columns': ['post_id']},
    {'columns': ['workspace_id', 'created_at']},
]) }}

with comments as (
    select * from {{ ref('int_comments_unioned') }}
),

accounts as (
    select * from {{ ref('stg_app__connected_accounts') }}
),

sentiment as (
    select * from {{ ref('stg_enrichment__comment_sentiment') }}
),

final as (
    select
        comments.comment_id,
        comments.post_id,
        comments.platform_post_id,
        comments.platform,
        accounts.account_id,
        accounts.workspace_id,
        comments.author,
        comments.comment_text as text,
        comments.created_at,
        sentiment.sentiment_label,
        sentiment.sentiment_compound
    from comments
    inner join accounts
        on
            comments.platform = accounts.platform
            and comments.platform_account_id = accounts.platform_account_id
    left join sentiment
        on
            comments.platform = sentiment.platform
            and comments.comment_id = sentiment.comment_id
)

select * from final
