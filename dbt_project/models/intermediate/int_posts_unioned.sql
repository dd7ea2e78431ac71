with unioned as (
    {{ union_conformed([
        'int_twitter__posts_conformed', 'int_instagram__posts_conformed',
        'int_facebook__posts_conformed', 'int_linkedin__posts_conformed',
    ]) }}
)

select * from unioned
