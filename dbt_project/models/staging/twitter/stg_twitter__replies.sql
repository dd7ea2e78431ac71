with source as (
    {{ select_source('twitter', 'replies', {
        'id': 'text', 'conversation_id': 'text', 'account_id': 'text', 'author_id': 'text',
        'text': 'text', 'lang': 'text', 'created_at': 'timestamptz',
    }) }}
),

renamed as (
    select
        id as reply_id,
        -- on X a reply's conversation_id is the id of the tweet that started the thread
        conversation_id as tweet_id,
        account_id as owner_user_id,
        author_id as author_user_id,
        text as reply_text,
        lang as language,
        created_at
    from source
    where id is not null
)

select * from renamed
