-- alerts raised by the alert sensors (socialpulse/alerts), with what their payload records
-- typed as columns. Viral alerts raised before migration 005 name the post link `permalink`.
with source as (
    select * from {{ source('app', 'alerts') }}
),

renamed as (
    select
        alert_id,
        kind,
        rule,
        status,
        workspace_id,
        account_id,
        post_id,
        score,
        attempts,
        last_error,
        detected_at,
        created_at,
        sent_at,
        acknowledged_at,
        acknowledged_by_user_id,
        payload ->> 'platform' as payload_platform,
        payload ->> 'handle' as payload_handle,
        coalesce(payload ->> 'post_url', payload ->> 'permalink') as post_url,
        -- viral posts: the post's opening; sentiment spikes: the newest negative comment
        coalesce(payload ->> 'text_excerpt', payload -> 'negative_examples' ->> 0)
            as text_excerpt
    from source
)

select * from renamed
