with unioned as (
    {{ union_conformed([
        'int_twitter__comments_conformed', 'int_instagram__comments_conformed',
        'int_facebook__comments_conformed', 'int_linkedin__comments_conformed',
    ]) }}
)

select * from unioned
