-- Report requests of the report API: queued by POST /api/reports, built by the Dagster
-- report job (sensor over queued rows), downloaded as JSON / CSV / PDF. Artifacts live here
-- (jsonb + bytea), never in the repository tree.
create table app.report_requests (
    report_id uuid primary key default gen_random_uuid(),
    workspace_id bigint not null references app.workspaces (workspace_id) on delete cascade,
    requested_by bigint references app.users (user_id) on delete set null,
    report_type text not null check (report_type in ('performance', 'competitor', 'full')),
    start_date date not null,
    end_date date not null,
    -- owned accounts the report covers (competitor sections use the workspace's tracked set)
    account_ids bigint[] not null,
    status text not null default 'queued'
        check (status in ('queued', 'running', 'done', 'failed')),
    failure_reason text,
    created_at timestamptz not null default now(),
    started_at timestamptz,
    finished_at timestamptz,
    -- the assembled figures (also the source of the CSV download) and the rendered PDF
    result_json jsonb,
    result_pdf bytea,
    dagster_run_id text,
    check (start_date <= end_date),
    check (status <> 'failed' or failure_reason is not null),
    check (status <> 'done' or (result_json is not null and result_pdf is not null))
);

-- the sensor's sweep over queued requests, oldest first
create index report_requests_queued_idx on app.report_requests (created_at)
    where status = 'queued';
create index report_requests_workspace_idx on app.report_requests (workspace_id, created_at desc);

-- Competitor handles a user asked to track (POST /api/analytics/competitor-analysis with
-- "track": true). A handle is not an account id: X and Facebook are read by id, so the
-- ingestion cycle resolves each pending row to a platform account id and inserts it into
-- app.connected_accounts (is_competitor) before syncing; nothing calls a platform inside an
-- API request.
create table app.competitor_tracking_requests (
    request_id bigint generated always as identity primary key,
    workspace_id bigint not null references app.workspaces (workspace_id) on delete cascade,
    platform text not null
        check (platform in ('twitter', 'instagram', 'facebook', 'linkedin')),
    handle text not null check (handle = lower(handle) and handle !~ '^@'),
    requested_by bigint references app.users (user_id) on delete set null,
    status text not null default 'pending' check (status in ('pending', 'tracked', 'failed')),
    account_id bigint references app.connected_accounts (account_id) on delete set null,
    failure_reason text,
    created_at timestamptz not null default now(),
    resolved_at timestamptz,
    unique (workspace_id, platform, handle)
);

create index competitor_tracking_pending_idx on app.competitor_tracking_requests (created_at)
    where status = 'pending';
