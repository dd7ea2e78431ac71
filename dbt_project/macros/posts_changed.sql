{#- The posts an incremental build of marts.posts recomputes (delete+insert on account and
    post): every post whose inputs may have changed since the table was last built. A row's
    inputs are its raw row, its latest metrics day, its followers on the day it went out, its
    sentiment and its account's attributes; each has its own condition below.
    `posts_since` is the last build's time less `recompute_margin_minutes`, so a load or a
    scoring that started before the last build and committed while it ran is not missed.
    Followers on a day older than the lookback are taken as final: the nightly full build
    recomputes them if a platform revised its follower history. -#}
{% macro posts_since() -%}
    (select coalesce(max(processed_at), '-infinity'::timestamptz)
        - interval '{{ var("recompute_margin_minutes") }} minutes'
        from {{ this }})
{%- endmacro %}

{% macro posts_changed_filter(metrics, sentiment, accounts) -%}
    where
        -- the raw row was written again (edited, deleted, re-observed)
        loaded_at >= {{ posts_since() }}
        -- its metrics days in the window post_metrics_daily has just rewritten
        or post_id in (
            select post_id from {{ metrics }}
            where metric_date >= (
                    select max(metric_date) - {{ var('lookback_days') }} from {{ metrics }}
                )
        )
        -- followers of a recent day may still move (the day's last snapshot, carried forward)
        or created_at >= (
            select max(metric_date) - {{ var('lookback_days') }} from {{ metrics }}
        )::timestamp at time zone 'UTC'
        or (platform, platform_post_id) in (
            select platform, platform_post_id from {{ sentiment }}
            where scored_at >= {{ posts_since() }}
        )
        or (platform, platform_account_id) in (
            select changed.platform, changed.platform_account_id
            from {{ posts_accounts_changed(accounts) }} as changed
        )
{%- endmacro %}

{#- Accounts whose stored posts no longer carry their current attributes (moved workspace,
    renamed, competitor flag flipped), or that have none stored yet (newly connected): every
    one of their posts is recomputed. Each build rewrites all of an account's rows together,
    so one stored row per account (an index probe) stands for all of them. -#}
{% macro posts_accounts_changed(accounts) -%}
    (
        select accounts.platform, accounts.platform_account_id
        from {{ accounts }} as accounts
        left join lateral (
            select stored.account_id, stored.workspace_id, stored.handle, stored.is_competitor
            from {{ this }} as stored
            where stored.account_id = accounts.account_id
            limit 1
        ) as stored on true
        where
            stored.account_id is null
            or (stored.workspace_id, stored.handle, stored.is_competitor)
            is distinct from (accounts.workspace_id, accounts.handle, accounts.is_competitor)
    )
{%- endmacro %}

{#- Post-hook: rows of accounts no longer connected (a full build would not write them).
    The distinct account ids are walked on the (account_id, post_id) index, one probe each. -#}
{% macro posts_prune_gone_accounts(accounts) -%}
    {%- if is_incremental() -%}
    with recursive stored as (
        (select account_id from {{ this }} order by account_id limit 1)
        union all
        select (
            select next.account_id from {{ this }} as next
            where next.account_id > stored.account_id
            order by next.account_id limit 1
        )
        from stored
        where stored.account_id is not null
    )

    delete from {{ this }}
    where account_id in (
        select stored.account_id from stored
        where
            stored.account_id is not null
            and not exists (
                select 1 from {{ accounts }} as accounts
                where accounts.account_id = stored.account_id
            )
    )
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}
