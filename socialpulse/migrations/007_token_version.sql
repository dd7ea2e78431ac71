-- A token carries its user's token_version; bumping it (a password change) revokes every token
-- issued before, without a deny list.
alter table app.users
    add column token_version integer not null default 0;
