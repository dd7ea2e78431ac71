"""A competitor named by handle or profile URL, reduced to the account name each network uses.

Accepted per network: ``name``, ``@name``, and the network's own profile URLs (``x.com/name``,
``twitter.com/name``, ``instagram.com/name``, ``facebook.com/name``,
``linkedin.com/company/name``), with or without scheme, ``www.``/``m.`` and a trailing path or
query. A URL of another network is refused naming that network, so a pasted link never ends up
tracked on the wrong one.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from socialpulse.platforms import PLATFORMS, display_name

# host (without www./m./mobile.) -> network
HOSTS: dict[str, str] = {
    "x.com": "twitter", "twitter.com": "twitter",
    "instagram.com": "instagram", "instagr.am": "instagram",
    "facebook.com": "facebook", "fb.com": "facebook",
    "linkedin.com": "linkedin",
}
# what a name may look like on each network (X: 1-15 word characters; Instagram: letters,
# digits, '.', '_' up to 30; Facebook vanity names: letters, digits, '.', '-' at least 5 in
# the platform's rules but older pages have shorter ones; LinkedIn vanity names: letters,
# digits, '-' and '_' up to 100)
_NAME = {
    "twitter": re.compile(r"^[a-z0-9_]{1,15}$"),
    "instagram": re.compile(r"^[a-z0-9._]{1,30}$"),
    "facebook": re.compile(r"^[a-z0-9.\-]{1,50}$"),
    "linkedin": re.compile(r"^[a-z0-9_\-]{1,100}$"),
}
# first path segments that are not an account (Facebook's and X's own pages)
_RESERVED = {"home", "search", "explore", "i", "hashtag", "intent", "share", "login",
             "pages", "groups", "events", "watch", "p", "reel", "stories"}


def _a(platform: str) -> str:
    """The network's display name with its article ("an X", "an Instagram", "a Facebook")."""
    name = display_name(platform)
    return f"{'an' if name[0] in 'AEIOUX' else 'a'} {name}"


class HandleError(ValueError):
    """A handle or URL that names no account of the network asked for; the message says why."""


def _host(text: str) -> str | None:
    candidate = text if "//" in text else f"//{text}"
    try:
        host = (urlsplit(candidate).hostname or "").lower()
    except ValueError:  # e.g. an unclosed IPv6 bracket: no network's address either way
        return None
    host = re.sub(r"^(www\.|m\.|mobile\.)", "", host)
    return host if "." in host else None


def _from_url(platform: str, text: str) -> str:
    host = _host(text)
    network = HOSTS.get(host or "")
    if network is None:
        raise HandleError(f"{text!r} is not {_a(platform)} address")
    if network != platform:
        raise HandleError(f"{text!r} is {_a(network)} address, not {_a(platform)} one: add "
                          f"it as a {network} competitor")
    # _host parsed the same text already, so this split cannot raise
    segments = [s for s in urlsplit(text if "//" in text else f"//{text}").path.split("/") if s]
    if platform == "linkedin":
        if len(segments) < 2 or segments[0] not in ("company", "showcase"):
            raise HandleError(f"{text!r} is not a LinkedIn company page "
                              "(linkedin.com/company/<name>)")
        return segments[1]
    if platform == "facebook" and segments[:1] == ["profile.php"]:
        raise HandleError(f"{text!r} is a personal profile; competitors are Pages "
                          "(facebook.com/<page name>)")
    if not segments or segments[0].lower() in _RESERVED:
        raise HandleError(f"{text!r} names no {display_name(platform)} account")
    return segments[0]


def parse_handle(platform: str, handle_or_url: str) -> str:
    """The account name (lower case, no '@') of ``handle_or_url`` on ``platform``; a
    HandleError says what is wrong (another network's URL, a name the network cannot have)."""
    if platform not in PLATFORMS:
        raise HandleError(f"unknown platform {platform!r}: choose from {', '.join(PLATFORMS)}")
    text = handle_or_url.strip()
    if not text:
        raise HandleError("a handle or profile URL is required")
    looks_like_url = "/" in text or _host(text) in HOSTS
    name = _from_url(platform, text) if looks_like_url else text
    name = name.lstrip("@").lower()
    if not _NAME[platform].match(name):
        raise HandleError(f"{name!r} cannot be {_a(platform)} account name")
    return name
