with source as (
    select * from {{ source('enrichment', 'post_sentiment') }}
),

renamed as (
    select
        platform,
        post_id as platform_post_id,
        label as sentiment_label,
        compound as sentiment_compound,
        language as sentiment_language,
        model_version as sentiment_model_version,
        tier as sentiment_tier,
        scored_at
    from source
)

select * from renamed
