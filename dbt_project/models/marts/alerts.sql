-- one row per alert (app.alerts), labelled like every other mart: platform and handle of the
-- connected account, the post it is about, its link and excerpt. A view, not a table: delivery
-- and acknowledgement change an alert's status after the dbt build, and dashboards should see
-- that at once.
{{ config(materialized='view') }}

with alerts as (
    select * from {{ ref('stg_app__alerts') }}
),

accounts as (
    select * from {{ ref('stg_app__connected_accounts') }}
),

final as (
    select
        alerts.alert_id,
        alerts.kind,
        alerts.rule,
        -- one notice per account for posts that had taken off before it was connected
        coalesce(alerts.rule = 'found_at_connection', false) as is_found_at_connection,
        alerts.status,
        alerts.workspace_id,
        alerts.account_id,
        coalesce(accounts.platform, alerts.payload_platform) as platform,
        coalesce(accounts.handle, alerts.payload_handle) as handle,
        accounts.is_competitor,
        alerts.post_id,
        alerts.post_url,
        alerts.text_excerpt,
        alerts.score,
        alerts.attempts,
        alerts.last_error,
        alerts.detected_at,
        alerts.created_at,
        alerts.sent_at,
        alerts.acknowledged_at,
        alerts.acknowledged_by_user_id
    from alerts
    left join accounts on alerts.account_id = accounts.account_id
)

select * from final
