-- Application schema: agencies, their client workspaces, users, connected platform accounts.
create schema if not exists app;

create table app.agencies (
    agency_id bigint generated always as identity primary key,
    name text not null unique,
    created_at timestamptz not null default now()
);

create table app.workspaces (
    workspace_id bigint generated always as identity primary key,
    agency_id bigint not null references app.agencies (agency_id) on delete cascade,
    name text not null,
    slug text not null unique,
    created_at timestamptz not null default now()
);

create table app.users (
    user_id bigint generated always as identity primary key,
    agency_id bigint not null references app.agencies (agency_id) on delete cascade,
    email text not null unique,
    password_hash text,
    role text not null check (role in ('agency_admin', 'client_viewer')),
    created_at timestamptz not null default now()
);

-- client viewers see the workspaces listed here; agency admins see all of their agency's
create table app.user_workspaces (
    user_id bigint not null references app.users (user_id) on delete cascade,
    workspace_id bigint not null references app.workspaces (workspace_id) on delete cascade,
    primary key (user_id, workspace_id)
);

create table app.connected_accounts (
    account_id bigint generated always as identity primary key,
    workspace_id bigint not null references app.workspaces (workspace_id) on delete cascade,
    platform text not null
        check (platform in ('twitter', 'instagram', 'facebook', 'linkedin')),
    platform_account_id text not null,
    handle text not null,
    display_name text,
    is_competitor boolean not null default false,
    -- Fernet ciphertexts (socialpulse.crypto); never plaintext
    access_token_ciphertext text,
    refresh_token_ciphertext text,
    token_expires_at timestamptz,
    is_active boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (workspace_id, platform, platform_account_id),
    check (is_competitor or access_token_ciphertext is not null)
);

create index connected_accounts_platform_idx
    on app.connected_accounts (platform, platform_account_id);

create table app.sync_state (
    account_id bigint primary key
        references app.connected_accounts (account_id) on delete cascade,
    last_attempt_at timestamptz,
    last_success_at timestamptz,
    last_error text,
    last_error_at timestamptz,
    is_retryable boolean,
    needs_reauth boolean not null default false,
    consecutive_failures integer not null default 0,
    updated_at timestamptz not null default now()
);
