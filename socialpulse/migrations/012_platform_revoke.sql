-- Disconnecting an account revokes its grant at the platform. `grant_subject` names whose
-- consent the account's tokens came from (the X user, the Facebook user who granted the Page,
-- the LinkedIn member): accounts sharing it share one grant, so a disconnect revokes only when
-- no other active account still uses it. The outcome of the platform call is kept on the row
-- (the tokens are gone locally whatever it says).
alter table app.connected_accounts
    add column grant_subject text,
    add column platform_revoke_status text
        check (platform_revoke_status in ('pending', 'revoked', 'failed', 'kept_shared',
                                          'not_possible')),
    add column platform_revoke_detail text,
    add column platform_revoke_at timestamptz;

create index connected_accounts_grant_idx on app.connected_accounts (grant_subject)
    where grant_subject is not null;

-- A reconnect of one account: the flow is bound to it and replaces only its tokens.
alter table app.oauth_flows
    add column account_id bigint references app.connected_accounts (account_id)
        on delete cascade;
