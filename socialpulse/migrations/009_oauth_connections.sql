-- Accounts are connected through the platforms' OAuth flows. One row per started flow: the
-- random id inside the signed `state`, bound to the user and workspace that started it, the
-- PKCE verifier (encrypted, like tokens), and when it was used. A state is accepted once, before
-- `expires_at`, by the same user; a used or expired row is never accepted again.
create table app.oauth_flows (
    flow_id text primary key,
    user_id bigint not null references app.users (user_id) on delete cascade,
    workspace_id bigint not null references app.workspaces (workspace_id) on delete cascade,
    platform text not null
        check (platform in ('twitter', 'instagram', 'facebook', 'linkedin')),
    source text not null check (source in ('twitter', 'meta', 'linkedin')),
    code_verifier_ciphertext text,
    redirect_uri text not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    consumed_at timestamptz,
    outcome text
);

create index oauth_flows_expires_idx on app.oauth_flows (expires_at);

-- Who connected an account and when, what the platform granted, and when it was disconnected.
-- A disconnected owned account keeps its row (and its history) with no token at all, so the
-- token check now only binds active owned accounts.
alter table app.connected_accounts
    add column connected_at timestamptz,
    add column connected_by_user_id bigint references app.users (user_id) on delete set null,
    add column granted_scopes text,
    add column disconnected_at timestamptz,
    drop constraint connected_accounts_check,
    add constraint connected_accounts_token_check
        check (is_competitor or not is_active or access_token_ciphertext is not null);
