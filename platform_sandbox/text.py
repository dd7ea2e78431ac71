"""Brand posts and replies that read like real social text (hashtags, mentions, emoji, URLs)."""

from __future__ import annotations

from platform_sandbox import rand

VERTICALS = {
    "coffee": ["coffee", "espresso", "latte", "morningbrew", "coffeelover", "baristalife"],
    "fitness": ["fitness", "workout", "gymlife", "healthyliving", "running", "mondaymotivation"],
    "fashion": ["fashion", "ootd", "style", "streetstyle", "newcollection", "sustainablefashion"],
    "tech": ["tech", "innovation", "ai", "productivity", "startup", "devlife"],
    "travel": ["travel", "wanderlust", "weekendgetaway", "travelgram", "adventure", "roadtrip"],
    "food": ["foodie", "recipe", "vegan", "brunch", "homecooking", "foodporn"],
}
SHARED_TAGS = ["giveaway", "newproduct", "behindthescenes", "tbt", "blackfriday", "sale"]

POST_TEMPLATES = {
    "positive": [
        "We're thrilled to launch our new {thing}! You're going to love it {emoji} {tags} "
        "{url}",
        "Huge thanks to everyone who joined us this weekend, what an amazing community "
        "{emoji} {tags}",
        "Our {thing} just won an award 🏆 so proud of the team! {tags} {url}",
        "Happy {day}! Treat yourself to something great today {emoji} {tags}",
        "Loving all the photos you share with us, keep them coming! {mention} {emoji} {tags}",
    ],
    "neutral": [
        "New hours from {day}: we open at 8am. Details here {url} {tags}",
        "Our {thing} is back in stock. {tags} {url}",
        "Join us live on {day} at 5pm for a Q&A with {mention}. {tags}",
        "Quick poll: which {thing} should we bring back next? {tags}",
        "Read the full story on our blog {url} {tags}",
    ],
    "negative": [
        "We're sorry: our {thing} deliveries are delayed this week. We know it's "
        "frustrating. {url}",
        "Unfortunately the {day} event is cancelled due to the storm. Refunds are on the way.",
        "We messed up with the last {thing} batch and we apologise. Here is what we're doing {url}",
    ],
}
REPLY_TEMPLATES = {
    "positive": [
        "Absolutely love this {emoji}",
        "Best {thing} ever, can't wait to try it!!",
        "This made my day 😍",
        "So good!!! {mention} you need to see this",
        "Great job team, really impressed 👏",
    ],
    "neutral": [
        "What time does it open on {day}?",
        "Is the {thing} available in Canada?",
        "{mention} check this",
        "How much is shipping?",
        "Saw this earlier today",
    ],
    "negative": [
        "Still waiting for my order, this is terrible 😡",
        "Worst customer service I've had. Never again.",
        "The {thing} broke after two days, really disappointed",
        "Not happy at all, nobody answers my emails 👎",
        "This is awful and way too expensive",
    ],
}
NON_ENGLISH = {
    "es": ["Nos encanta este nuevo {thing}, ¡gracias a todos por el apoyo!",
           "¿Cuándo llega a México? Estoy esperando hace semanas"],
    "de": ["Wir freuen uns sehr über das neue {thing}, vielen Dank für eure Unterstützung!",
           "Wann kommt das endlich nach Deutschland? Ich warte schon so lange"],
    "fr": ["Nous sommes ravis de vous présenter notre nouveau {thing}, merci à tous !",
           "C'est vraiment décevant, je n'ai toujours pas reçu ma commande"],
}
THINGS = ["seasonal blend", "summer collection", "app update", "starter kit", "tasting menu",
          "limited edition", "loyalty program", "travel guide"]
EMOJI = {"positive": ["🎉", "😍", "🔥", "❤️", "✨", "🙌"], "neutral": ["👉", "📅", "ℹ️"],
         "negative": ["😔", "🙏"]}
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def hashtags_for(seed: int, vertical: str, *key: object) -> list[str]:
    """Zero to three hashtags, mostly from the account's vertical."""
    count = rand.integer(seed, 0, 3, *key, "n")
    pool = VERTICALS[vertical] + SHARED_TAGS[:2]
    tags: list[str] = []
    for i in range(count):
        tag = rand.choice(seed, pool, *key, "tag", i)
        if tag not in tags:
            tags.append(tag)
    return tags


def _fill(seed: int, template: str, sentiment: str, tags: list[str], handle: str, *key) -> str:
    text = template.format(
        thing=rand.choice(seed, THINGS, *key, "thing"),
        emoji=rand.choice(seed, EMOJI[sentiment], *key, "emoji"),
        day=rand.choice(seed, DAYS, *key, "day"),
        mention=f"@{handle}",
        url=f"https://example.com/p/{rand.integer(seed, 1000, 99999, *key, 'url')}",
        tags=" ".join(f"#{t}" for t in tags),
    )
    return " ".join(text.split())


def post_text(seed: int, sentiment: str, language: str, tags: list[str], partner: str, *key) -> str:
    """Text of a brand post with the given ground-truth sentiment, language and hashtags."""
    if language != "en":
        base = _fill(seed, rand.choice(seed, NON_ENGLISH[language], *key, "t"), "neutral", [],
                     partner, *key)
        return (base + " " + " ".join(f"#{t}" for t in tags)).strip()
    if "{tags}" not in (template := rand.choice(seed, POST_TEMPLATES[sentiment], *key, "t")):
        template += " {tags}"
    return _fill(seed, template, sentiment, tags, partner, *key)


def reply_text(seed: int, sentiment: str, language: str, partner: str, *key) -> str:
    """Text of a reply / comment with the given ground-truth sentiment."""
    if language != "en":
        return _fill(seed, rand.choice(seed, NON_ENGLISH[language], *key, "t"), "neutral", [],
                     partner, *key)
    return _fill(seed, rand.choice(seed, REPLY_TEMPLATES[sentiment], *key, "t"), sentiment, [],
                 partner, *key)
