"""What the authorization flows remember: each app's registered redirect URIs, authorization
codes (single use, short-lived), and the consents people gave (who granted which accounts)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

from platform_sandbox.auth import APP_CREDENTIALS, TokenStore
from platform_sandbox.people import People

# the platforms' authorization code lifetimes (seconds)
CODE_LIFETIME_S = {"twitter": 30, "meta": 600, "linkedin": 1_800}
# the callbacks each app registers by default: the product's platform values and the source name
CALLBACK_PLATFORMS = {"twitter": ("twitter",), "meta": ("facebook", "instagram", "meta"),
                      "linkedin": ("linkedin",)}
LOOPBACK_REDIRECT = "http://127.0.0.1:8976/callback"
APP_NAME = "socialpulse"
SCOPES = {
    "twitter": ("tweet.read", "users.read", "offline.access", "follows.read", "like.read",
                "list.read", "space.read", "mute.read", "block.read", "bookmark.read"),
    "meta": ("public_profile", "email", "pages_show_list", "pages_read_engagement",
             "pages_read_user_content", "read_insights", "business_management",
             "instagram_basic", "instagram_manage_insights", "instagram_manage_comments"),
    "linkedin": ("r_organization_social", "w_organization_social", "rw_organization_admin",
                 "r_organization_followers", "r_organization_social_feed", "openid", "profile",
                 "email", "r_basicprofile"),
}


def default_redirect_uris(group: str) -> list[str]:
    """The callbacks an app registers out of the box (the report API on port 8000, a loopback)."""
    out = [f"http://{host}:8000/api/connections/{platform}/callback"
           for platform in CALLBACK_PLATFORMS[group] for host in ("127.0.0.1", "localhost")]
    return [*out, LOOPBACK_REDIRECT]


@dataclass(frozen=True)
class Grant:
    """One consent: the person, the token subject (X user, Facebook user, LinkedIn member),
    the granted scopes and the accounts (X user, Pages, organizations) it covers."""

    group: str
    person_key: str
    subject: str
    scopes: tuple[str, ...]
    account_ids: tuple[str, ...]


@dataclass
class Code:
    grant: Grant
    client_id: str
    redirect_uri: str
    created_at: datetime
    created_real: float
    code_challenge: str | None = None
    used: bool = False


def s256(verifier: str) -> str:
    """The PKCE S256 challenge of a verifier (base64url of SHA-256, no padding)."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


@dataclass
class OAuthState:
    """The flows' server-side memory for one sandbox state (a reset forgets it)."""

    redirect_uris: dict[str, list[str]] = field(default_factory=lambda: {
        g: default_redirect_uris(g) for g in APP_CREDENTIALS})
    codes: dict[str, Code] = field(default_factory=dict)
    consents: dict[tuple[str, str], Grant] = field(default_factory=dict)
    # features Meta granted an app after review, per app group (e.g. meta:
    # "page_public_content_access"); none by default, as for a new app
    features: dict[str, set[str]] = field(default_factory=lambda: {
        g: set() for g in APP_CREDENTIALS})
    session_key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def app_error(self, group: str, client_id: str | None, redirect_uri: str | None) -> str | None:
        """Why an authorize request cannot even redirect back ("client_id" or "redirect_uri")."""
        if client_id != APP_CREDENTIALS[group]["client_id"]:
            return "client_id"
        if redirect_uri not in self.redirect_uris[group]:
            return "redirect_uri"
        return None

    def sign_session(self, group: str, person_key: str) -> str:
        """The consent form's proof that this person logged in on this platform's page."""
        mac = hmac.new(self.session_key, f"{group}:{person_key}".encode(), "sha256").hexdigest()
        return f"{person_key}.{mac[:24]}"

    def session_person(self, group: str, session: str) -> str | None:
        person_key, _, mac = session.rpartition(".")
        return person_key if person_key and hmac.compare_digest(
            session, self.sign_session(group, person_key)) else None

    def issue_code(self, grant: Grant, client_id: str, redirect_uri: str, now: datetime,
                   code_challenge: str | None = None) -> str:
        """Record a consent and hand out its single-use code."""
        code = secrets.token_urlsafe(32)
        with self._lock:
            self.consents[(grant.group, grant.subject)] = grant
            self.codes[code] = Code(grant, client_id, redirect_uri, now, time.monotonic(),
                                    code_challenge)
        return code

    def redeem(self, group: str, code: str, now: datetime, speed: float) -> tuple[Code | None, str]:
        """(the code, "") or (None|code, why not): unknown, used or expired. Checks of the
        client, redirect_uri and verifier are the caller's; ``mark_used`` consumes it."""
        found = self.codes.get(code)
        if found is None or found.grant.group != group:
            return None, "unknown"
        if found.used:
            return found, "used"
        life = CODE_LIFETIME_S[group]
        # on a clock faster than real time a code also lives its lifetime in real seconds
        sim_old = (now - found.created_at).total_seconds() > life
        real_old = speed <= 1 or time.monotonic() - found.created_real > life
        if sim_old and real_old:
            return found, "expired"
        return found, ""

    def mark_used(self, code: Code) -> None:
        with self._lock:
            code.used = True

    def grant_of(self, group: str, subject: str) -> Grant | None:
        """The consent behind a person-level token subject, if it still stands."""
        return self.consents.get((group, subject))


def may_read(people: People, oauth: OAuthState, group: str, subject: str,
             account_id: str) -> bool:
    """Whether a token of ``subject`` reads ``account_id``: its own account; on Meta a Page
    token also reads the Page's Instagram business account; on LinkedIn a member token reads
    the organizations the member's consent covers."""
    if subject == account_id:
        return True
    if group == "meta":
        return people.page_of_instagram(account_id) == subject
    if group == "linkedin":
        return account_id in linkedin_member_orgs(people, oauth, subject)
    return False


def linkedin_member_orgs(people: People, oauth: OAuthState, member_id: str) -> list[str]:
    """The organizations a member token reads: those its consent covers. A token whose consent
    was given to an earlier sandbox process (consents live in memory; tokens are signed with
    the seed's key and outlive a restart) reads what the member administers, as LinkedIn
    itself decides by role, so `make sandbox` after `make demo` keeps the demo's connections."""
    grant = oauth.grant_of("linkedin", member_id)
    if grant is not None:
        return list(grant.account_ids)
    person = people.by_linkedin_member(member_id)
    return [a.platform_account_id for a in person.owned("linkedin")] if person else []


def withdraw(oauth: OAuthState, tokens: TokenStore, people: People, group: str,
             person_key: str) -> list[str]:
    """A person withdraws every consent on one platform: its tokens die; returns the subjects."""
    withdrawn = []
    for (g, subject), grant in list(oauth.consents.items()):
        if g == group and grant.person_key == person_key:
            withdrawn += end_grant(oauth, tokens, people, group, subject)
    return withdrawn


def end_grant(oauth: OAuthState, tokens: TokenStore, people: People, group: str, subject: str,
              why: str = "revoked") -> list[str]:
    """End the consent of one token subject (X user, Facebook user, LinkedIn member): every
    token it produced (the Pages' and their Instagram accounts' on Meta) dies with ``why``
    (``deauthorized`` when the app revoked it); returns the subjects whose tokens died. A
    subject without a recorded consent (a /_sandbox/world token) loses its own tokens."""
    grant = oauth.consents.get((group, subject))
    subjects = {subject, *(grant.account_ids if grant else ())}
    if group == "meta" and grant is not None:
        subjects |= {ig.platform_account_id for page in grant.account_ids
                     if (ig := people.instagram_of_page(page)) is not None}
    for s in sorted(subjects):
        tokens.withdraw(group, s, why)
    with oauth._lock:
        oauth.consents.pop((group, subject), None)
    return sorted(subjects)
