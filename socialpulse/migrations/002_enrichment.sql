-- Enrichment written by the sentiment asset and read by dbt (sources `enrichment`). Created
-- here, not by the asset, so `dbt build` works before the first scoring run.
create schema if not exists enrichment;

create table if not exists enrichment.post_sentiment (
    platform text not null
        check (platform in ('twitter', 'instagram', 'facebook', 'linkedin')),
    post_id text not null,
    label text not null check (label in ('negative', 'neutral', 'positive', 'non_english')),
    -- VADER-style compound score in [-1, 1]; null for non_english (not scored)
    compound double precision check (compound between -1 and 1),
    language text,
    model_version text not null,
    scored_at timestamptz not null default now(),
    primary key (platform, post_id),
    check (label <> 'non_english' or compound is null)
);

create table if not exists enrichment.comment_sentiment (
    platform text not null
        check (platform in ('twitter', 'instagram', 'facebook', 'linkedin')),
    comment_id text not null,
    label text not null check (label in ('negative', 'neutral', 'positive', 'non_english')),
    compound double precision check (compound between -1 and 1),
    language text,
    model_version text not null,
    scored_at timestamptz not null default now(),
    primary key (platform, comment_id),
    check (label <> 'non_english' or compound is null)
);

-- the asset scores what is new: "scored since" lookups
create index if not exists post_sentiment_scored_at_idx on enrichment.post_sentiment (scored_at);
create index if not exists comment_sentiment_scored_at_idx
    on enrichment.comment_sentiment (scored_at);
