-- An account's next allowed attempt survives the cycle: a platform that says when to come back
-- (X's x-rate-limit-reset, the X app's monthly usage cap, LinkedIn's daily quota at midnight
-- UTC) is not called before then, and a permanent refusal (suspended or unknown user, missing
-- object, no permission) is not retried every cycle. `is_retryable = false` marks the permanent
-- ones; `retry_reason` says why the account is held (with the fix) and is cleared by the next
-- successful sync, while `last_error` keeps the last failure.
alter table app.sync_state
    add column next_retry_at timestamptz,
    add column retry_reason text;
