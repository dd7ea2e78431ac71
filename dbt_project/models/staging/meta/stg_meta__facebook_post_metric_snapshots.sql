with source as (
    {{ select_source('meta', 'facebook_post_metric_snapshots', {
        'post_id': 'text', 'page_id': 'text', 'observed_at': 'timestamptz',
        'reactions': 'bigint', 'comments': 'bigint', 'shares': 'bigint',
        'post_media_view': 'bigint', 'post_total_media_view_unique': 'bigint',
        'post_clicks': 'bigint', 'post_reactions_like_total': 'bigint',
    }) }}
),

renamed as (
    select
        post_id as facebook_post_id,
        page_id,
        reactions as reaction_count,
        comments as comment_count,
        -- as received: null when the post came without a `shares` object
        shares as share_count,
        -- rule shares_omitted_means_zero: Graph leaves the `shares` object out of a post that
        -- was never shared (the field is always requested), so omitted is 0 here
        coalesce(shares, 0) as share_count_omitted_as_zero,
        post_media_view as media_view_count,
        post_total_media_view_unique as unique_media_view_count,
        post_clicks as click_count,
        post_reactions_like_total as like_reaction_count,
        observed_at
    from source
    where post_id is not null and observed_at is not null
)

select * from renamed
