-- per account, UTC day and content type: how many items were scored and their mood; items
-- not in English are counted apart and left out of the shares and the mean
-- (workspace_id, metric_date): the dashboards' row-level security filters on workspace_id
{{ config(indexes=[
    {'columns': ['account_id', 'metric_date']},
    {'columns': ['workspace_id', 'metric_date']},
]) }}

with posts as (
    select * from {{ ref('posts') }}
),

comments as (
    select * from {{ ref('comments') }}
),

items as (
    select
        account_id,
        workspace_id,
        platform,
        'post'::text as content_type,
        created_at,
        sentiment_label,
        sentiment_compound
    from posts
    where sentiment_label is not null
    union all
    select
        account_id,
        workspace_id,
        platform,
        'comment'::text as content_type,
        created_at,
        sentiment_label,
        sentiment_compound
    from comments
    where sentiment_label is not null
),

counted as (
    select
        account_id,
        workspace_id,
        platform,
        (created_at at time zone 'UTC')::date as metric_date,
        content_type,
        count(*) as items_scored,
        count(*) filter (where sentiment_label = 'non_english') as non_english_items,
        count(*) filter (where sentiment_label = 'positive') as positive_items,
        count(*) filter (where sentiment_label = 'neutral') as neutral_items,
        count(*) filter (where sentiment_label = 'negative') as negative_items,
        avg(sentiment_compound) as mean_compound
    from items
    group by 1, 2, 3, 4, 5
),

final as (
    select
        account_id,
        workspace_id,
        platform,
        metric_date,
        content_type,
        items_scored::bigint as items_scored,
        non_english_items::bigint as non_english_items,
        positive_items::bigint as positive_items,
        neutral_items::bigint as neutral_items,
        negative_items::bigint as negative_items,
        mean_compound::double precision as mean_compound,
        {{ safe_ratio('positive_items', 'items_scored - non_english_items') }}
            as positive_share,
        {{ safe_ratio('neutral_items', 'items_scored - non_english_items') }}
            as neutral_share,
        {{ safe_ratio('negative_items', 'items_scored - non_english_items') }}
            as negative_share
    from counted
)

select * from final
