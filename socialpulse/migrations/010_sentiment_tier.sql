-- Which sentiment tier scored each row (fast: the linear model; accurate: the sentence encoder
-- blended with it). Rows scored before tiers existed were scored by the fast tier. A later run
-- re-scores 'fast' rows with the accurate tier when its budget allows (oldest first).
alter table enrichment.post_sentiment
    add column if not exists tier text not null default 'fast'
        check (tier in ('fast', 'accurate'));
alter table enrichment.comment_sentiment
    add column if not exists tier text not null default 'fast'
        check (tier in ('fast', 'accurate'));

create index if not exists post_sentiment_fast_idx
    on enrichment.post_sentiment (scored_at) where tier = 'fast';
create index if not exists comment_sentiment_fast_idx
    on enrichment.comment_sentiment (scored_at) where tier = 'fast';
