with connected_accounts as (
    select * from {{ ref('stg_app__connected_accounts') }}
),

workspaces as (
    select * from {{ ref('stg_app__workspaces') }}
),

account_snapshots as (
    select * from {{ ref('int_account_snapshots_unioned') }}
),

latest_followers as (
    select distinct on (platform, platform_account_id)
        platform,
        platform_account_id,
        followers_count,
        observed_at
    from account_snapshots
    where followers_count is not null
    order by platform asc, platform_account_id asc, observed_at desc
),

final as (
    select
        connected_accounts.account_id,
        connected_accounts.workspace_id,
        workspaces.workspace_name,
        workspaces.agency_id,
        connected_accounts.platform,
        connected_accounts.platform_account_id,
        connected_accounts.handle,
        connected_accounts.display_name,
        connected_accounts.is_competitor,
        connected_accounts.is_active,
        latest_followers.followers_count::bigint as followers_count,
        latest_followers.observed_at as followers_observed_at
    from connected_accounts
    inner join workspaces
        on connected_accounts.workspace_id = workspaces.workspace_id
    left join latest_followers
        on
            connected_accounts.platform = latest_followers.platform
            and connected_accounts.platform_account_id = latest_followers.platform_account_id
)

select * from final
