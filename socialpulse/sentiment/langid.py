"""Fast offline language check: English vs es/de/fr/pt/it/nl by function words and diacritics.

Only the decision "score this as English or not" matters here, so a stop-word vote is enough
and costs a few set lookups per token; n-gram language-ID models would dominate our budget.
Short or ambiguous texts default to English because a false ``non_english`` silently drops a
real English post from every sentiment chart, while a foreign post scored as English is merely
noisy.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Frequent function words that are NOT also common English tokens (so "a", "me", "no", "on",
# "die", "come", "son" ... are deliberately excluded).
_STOPWORDS: dict[str, frozenset[str]] = {
    "es": _words(
        "el la los las del que por para con una unos unas es está están pero muy más "
        "como cuando donde porque también hay este esta estos estas eso ese ya yo tú usted "
        "nosotros ellos su sus mi mis te lo le les al fue ser son hoy hola gracias bien "
        "todo todos nada algo siempre nunca ahora aquí mucho mejor qué cómo sí y o"
    ),
    "de": _words(
        "der das und ist nicht ein eine einen dem den des mit sich auf für von zu auch "
        "ich du er sie wir ihr es sind war hat haben wird werden nur noch schon aber oder "
        "wie wenn dass nach bei aus um heute sehr gut mein dein kein keine jetzt immer "
        "hier dann doch mal danke bitte"
    ),
    "fr": _words(
        "le les des du et est une un pas pour qui que dans sur avec ce cette ces sont "
        "mais très plus tout tous je tu il elle nous vous ils elles mon ton son sa ses "
        "leur aussi bien avec chez c'est j'ai merci bonjour toujours jamais rien ça être "
        "avoir fait où quand comme"
    ),
    "pt": _words(
        "o os as da do das dos que não em um uma uns umas para com por mais muito como "
        "mas também eu você ele ela nós eles elas meu minha seu sua isso esse essa este "
        "está estão são foi ser ter tem hoje obrigado obrigada bem tudo nada sempre "
        "agora aqui quando onde porque e"
    ),
    "it": _words(
        "il lo gli della dello delle degli che non per con una uno sono è più molto "
        "anche io tu lui lei noi voi loro mio mia tuo tua suo sua questo questa quello "
        "quella ma come quando dove perché oggi grazie bene tutto tutti niente sempre "
        "mai adesso qui ci si di del al nel"
    ),
    "nl": _words(
        "de het een en van niet dat die ik je jij hij zij wij het is zijn was met voor op "
        "maar ook nog wel naar bij uit dan als om tot heel goed geen mijn jouw hoe wat "
        "waar wanneer omdat vandaag bedankt altijd nooit"
    ),
}
_EN_STOP = _words(
    "the and is are was were you your i my me we our they their it its this that these those "
    "to of in for with on at by from have has had do does did not but so just what when "
    "where who why how will would can could should be been being an a or if then than"
)
# Characters almost never seen in English tweets; each is strong evidence for a language.
_CHAR_HINTS = {"ñ": "es", "¿": "es", "¡": "es", "ß": "de", "ä": "de", "ö": "de", "ü": "de",
               "ã": "pt", "õ": "pt", "ç": "fr", "ê": "fr", "è": "fr", "à": "it", "ù": "it",
               "ì": "it", "ò": "it", "é": "fr", "á": "es", "í": "es", "ó": "es", "ú": "es"}
_CHAR_WEIGHT = 0.5
MIN_WORDS = 3  # fewer alphabetic words than this: too little evidence, call it English


# One dict lookup per word instead of one set probe per language.
_WORD_LANGS: dict[str, tuple[str, ...]] = {}
for _lang, _stops in sorted(_STOPWORDS.items()):
    for _w in _stops:
        _WORD_LANGS[_w] = (*_WORD_LANGS.get(_w, ()), _lang)


# (is an English function word, ((language, weight), ...)) for one lower-cased word.
Votes = tuple[int, tuple[tuple[str, float], ...]]


def word_votes(word: str) -> Votes:
    """Language evidence of one lower-cased alphabetic word (memoised by the caller)."""
    votes: dict[str, float] = dict.fromkeys(_WORD_LANGS.get(word, ()), 1.0)
    if not word.isascii():
        for ch in word:
            lang = _CHAR_HINTS.get(ch)
            if lang is not None:
                votes[lang] = votes.get(lang, 0.0) + _CHAR_WEIGHT
    return int(word in _EN_STOP), tuple(sorted(votes.items()))


def decide(votes: list[Votes]) -> str:
    """Turn per-word votes into a language guess; "en" unless another language clearly wins.

    A foreign language must collect at least two hits, beat English by a margin and cover
    a fair share of the words, so an English tweet quoting "por favor" stays English.
    """
    if len(votes) < MIN_WORDS:
        return "en"
    en_hits = 0
    scores: dict[str, float] = {}
    for en, langs in votes:
        en_hits += en
        for lang, w in langs:
            scores[lang] = scores.get(lang, 0.0) + w
    if not scores:
        return "en"
    best = max(sorted(scores), key=scores.__getitem__)
    top = scores[best]
    if top >= 2.0 and top > 1.5 * en_hits + 0.5 and top >= 0.25 * len(votes):
        return best
    return "en"


def detect_language(words: list[str]) -> str:
    """Guess an ISO 639-1 code from raw tokens (non-alphabetic tokens are ignored)."""
    return decide([word_votes(w.lower()) for w in words if w[:1].isalpha()])
