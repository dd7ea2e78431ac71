-- Competitors a workspace tracks, from the handle or URL a user gave to what the platform says.
-- A row starts `pending`; the cycle's first step looks the handle up on the platform and turns
-- it into a competitor account of app.connected_accounts (`tracked`), or says why it cannot:
-- `not_found` (the platform has no such account) or `not_available` (the platform gives no
-- competitor data for it, e.g. LinkedIn organizations one does not administer). It replaces
-- app.competitor_tracking_requests, which nothing read.
create table app.competitors (
    competitor_id bigint generated always as identity primary key,
    workspace_id bigint not null references app.workspaces (workspace_id) on delete cascade,
    platform text not null
        check (platform in ('twitter', 'instagram', 'facebook', 'linkedin')),
    -- the account name as the platform spells it in URLs, lower case, without '@'
    handle text not null check (handle = lower(handle) and handle !~ '^@' and handle <> ''),
    status text not null default 'pending'
        check (status in ('pending', 'tracked', 'not_found', 'not_available')),
    reason text,
    account_id bigint references app.connected_accounts (account_id) on delete set null,
    requested_by bigint references app.users (user_id) on delete set null,
    created_at timestamptz not null default now(),
    resolved_at timestamptz,
    updated_at timestamptz not null default now(),
    unique (workspace_id, platform, handle),
    check (status <> 'tracked' or account_id is not null),
    check (status not in ('not_found', 'not_available') or reason is not null)
);

create index competitors_pending_idx on app.competitors (platform, created_at)
    where status = 'pending';

-- what the old table held: its pending rows are looked up by the next cycle like new ones
insert into app.competitors (workspace_id, platform, handle, status, reason, account_id,
                             requested_by, created_at, resolved_at)
select workspace_id, platform, handle,
       case status when 'failed' then 'not_found' else status end,
       case when status = 'failed' then coalesce(failure_reason, 'not found on the platform') end,
       account_id, requested_by, created_at, resolved_at
from app.competitor_tracking_requests
where status <> 'tracked' or account_id is not null;

-- competitor accounts connected before this table existed are tracked ones
insert into app.competitors (workspace_id, platform, handle, status, account_id, resolved_at)
select workspace_id, platform, lower(ltrim(handle, '@')), 'tracked', account_id, created_at
from app.connected_accounts
where is_competitor and is_active
on conflict (workspace_id, platform, handle) do update
    set status = 'tracked', account_id = excluded.account_id, reason = null;

drop table app.competitor_tracking_requests;

-- Which token read an account in its last sync: its own (owned accounts), an owned account's of
-- the same workspace and platform (a competitor borrowing it, e.g. for Instagram
-- business_discovery), or the app's (X competitors' public data).
alter table app.sync_state
    add column credential_kind text check (credential_kind in ('own', 'borrowed', 'app')),
    add column credential_account_id bigint
        references app.connected_accounts (account_id) on delete set null;
