-- Posts are named by `post_id` = '<platform>:<platform_post_id>' everywhere (DECISIONS.md,
-- glossary); the alert column that held that value was called post_key. The values keep their
-- format, so dedupe keys of existing alerts stay valid. (There is no index on the column; the
-- check constraint follows the rename by itself.)
alter table app.alerts rename column post_key to post_id;

-- The dbt incremental tables keyed by the old column cannot be migrated in place by dbt (an
-- incremental run would append the new columns next to the old ones and never match the old
-- rows). They hold only facts derived from the raw tables, so they are dropped here and the
-- next `dbt build` rebuilds them in full. A warehouse dbt never built has neither table.
do $$
begin
    if exists (
        select 1 from information_schema.columns
        where table_schema = 'marts' and table_name = 'post_metrics_daily'
            and column_name = 'post_key'
    ) then
        drop table marts.post_metrics_daily;
    end if;
    if exists (
        select 1 from information_schema.columns
        where table_schema = 'intermediate' and table_name = 'int_post_metric_snapshots_unioned'
            and column_name = 'post_key'
    ) then
        drop table intermediate.int_post_metric_snapshots_unioned;
    end if;
end
$$;
