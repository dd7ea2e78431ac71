-- Alerts raised from the marts (viral posts, negative-sentiment spikes) and their delivery to
-- each configured sink. An alert is never deleted by the delivery machinery: a failed one stays
-- listed with its last error until someone acknowledges it.
create table app.alerts (
    alert_id bigint generated always as identity primary key,
    kind text not null check (kind in ('viral_post', 'negative_sentiment_spike')),
    -- one alert per (account, post, rule) for viral posts, per (account, day) for spikes
    dedupe_key text not null unique,
    workspace_id bigint not null references app.workspaces (workspace_id) on delete cascade,
    account_id bigint not null
        references app.connected_accounts (account_id) on delete cascade,
    post_key text,
    rule text not null,
    score double precision,
    -- what a person needs to act: handle, platform, text excerpt, figures, permalink
    payload jsonb not null default '{}'::jsonb,
    status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
    attempts integer not null default 0,
    next_attempt_at timestamptz default now(),
    last_error text,
    -- when the rule first held in the data (data time, not wall-clock time)
    detected_at timestamptz not null,
    created_at timestamptz not null default now(),
    sent_at timestamptz,
    acknowledged_at timestamptz,
    acknowledged_by_user_id bigint references app.users (user_id) on delete set null,
    check ((kind = 'viral_post') = (post_key is not null)),
    check (status <> 'pending' or next_attempt_at is not null)
);

-- delivery sweep: pending alerts that are due, per kind (one sensor per kind)
create index alerts_due_idx on app.alerts (kind, next_attempt_at) where status = 'pending';
-- GET /api/alerts?status=&account=&kind= within a tenant, newest first (keyset on alert_id)
create index alerts_workspace_list_idx on app.alerts (workspace_id, status, kind, alert_id desc);
create index alerts_account_list_idx on app.alerts (account_id, alert_id desc);
-- the unacknowledged inbox
create index alerts_unacknowledged_idx on app.alerts (workspace_id, alert_id desc)
    where acknowledged_at is null;

-- One row per (alert, sink): a sink that failed is retried alone, the others never resend.
create table app.alert_deliveries (
    alert_id bigint not null references app.alerts (alert_id) on delete cascade,
    sink text not null check (sink in ('log', 'webhook', 'email')),
    status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error text,
    delivered_at timestamptz,
    primary key (alert_id, sink)
);

create index alert_deliveries_due_idx on app.alert_deliveries (next_attempt_at)
    where status = 'pending';
