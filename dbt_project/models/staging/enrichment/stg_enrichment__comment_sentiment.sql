with source as (
    select * from {{ source('enrichment', 'comment_sentiment') }}
),

renamed as (
    select
        platform,
        comment_id,
        label as sentiment_label,
        compound as sentiment_compound,
        language as sentiment_language,
        model_version as sentiment_model_version,
        tier as sentiment_tier,
        scored_at
    from source
)

select * from renamed
