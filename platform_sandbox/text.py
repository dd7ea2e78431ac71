"""Brand posts and replies that read like real social text (hashtags, mentions, emoji, URLs)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

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
GENERIC = ["love", "instagood", "photooftheday", "news", "community", "team", "quality",
           "smallbusiness", "shoplocal", "weekend", "inspiration", "goals", "tips", "howto",
           "events", "ourstory", "partners", "hiring", "thankyou", "motivation"]
# tags that trend for a few days (an event, a launch, a challenge) and are quiet otherwise
TREND_TAGS = {
    "coffee": ["pumpkinspice", "nationalcoffeeday", "coldbrewweek"],
    "fitness": ["30daychallenge", "marathonweek", "newyearnewme"],
    "fashion": ["fashionweek", "fallcollection", "metgala"],
    "tech": ["launchweek", "devconf", "cybermonday"],
    "travel": ["summerescape", "holidaydeals", "longweekend"],
    "food": ["worldfoodday", "thanksgivingrecipes", "tacotuesday"],
}
TREND_ADOPTION = 0.6  # share of a vertical's posts carrying its trend during the burst
TREND_BLOCK_S = 9 * 86_400
TREND_ORIGIN = datetime(2024, 1, 1, tzinfo=UTC)

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


def hashtags_for(seed: int, vertical: str, created: datetime, *key: object) -> list[str]:
    """Zero to three hashtags: mostly the account's vertical's, some shared or generic ones
    (a long tail that never trends), and during its vertical's trend burst often the trend."""
    count = rand.integer(seed, 0, 3, *key, "n")
    tags: list[str] = []
    trend = trending_tag(seed, vertical, created)
    if trend is not None and rand.unit(seed, *key, "trend") < TREND_ADOPTION:
        tags.append(trend)
    for i in range(count):
        roll = rand.unit(seed, *key, "pool", i)
        pool = VERTICALS[vertical] if roll < 0.55 else SHARED_TAGS if roll < 0.7 else GENERIC
        tag = rand.choice(seed, pool, *key, "tag", i)
        if tag not in tags:
            tags.append(tag)
    return tags[:3]


def trending_tag(seed: int, vertical: str, t: datetime) -> str | None:
    """The tag of the vertical's trend burst running at ``t``, if one is: one burst of 2-3.5
    days per 9-day block, at a seeded point of the block."""
    block = int((t.timestamp() - TREND_ORIGIN.timestamp()) // TREND_BLOCK_S)
    start, end, tag = _burst(seed, vertical, block)
    return tag if start <= t.timestamp() < end else None


@lru_cache(maxsize=4096)
def _burst(seed: int, vertical: str, block: int) -> tuple[float, float, str]:
    start = (block * TREND_BLOCK_S + TREND_ORIGIN.timestamp()
             + rand.between(seed, 0, 5.5 * 86_400, "trendstart", vertical, block))
    length = rand.between(seed, 2 * 86_400, 3.5 * 86_400, "trendlen", vertical, block)
    return start, start + length, rand.choice(seed, TREND_TAGS[vertical], "trendtag", vertical,
                                              block)


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
