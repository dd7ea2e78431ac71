"""Instagram and Facebook competitor lookups through the Graph API, with the token of an owned
account of the same workspace and platform.

- Instagram: ``GET /{own-ig-user}?fields=business_discovery.username(name){id,username,name}``;
  an unknown (or personal, non-professional) username is error 110/2207013.
- Facebook: ``GET /{vanity-name}?fields=id,name,username,followers_count,fan_count`` (a vanity
  name or a numeric Page id); an unknown vanity name is error 803. A Page one does not manage
  shows its posts only to apps with Page Public Content Access: the lookup asks for one post
  (``appsecret_proof`` goes with every call when the app secret is configured, which those
  reads require). A refusal (#10) makes the competitor ``not_available`` with Graph's own words;
  so does an app that does not declare the feature (``META_PAGE_PUBLIC_CONTENT_ACCESS``), since
  its sync would read no posts of the Page.
"""

from __future__ import annotations

from typing import Any

import dlt

from dlt_sources._shared.context import Credentials
from dlt_sources.lookups.results import Found, Unresolved, Waiting
from dlt_sources.meta import settings
from dlt_sources.meta.capabilities import PPCA_ENV, page_public_content_access
from dlt_sources.meta.helpers import GraphClient, GraphError
from dlt_sources.pipeline import token_saver
from socialpulse.competitors import Pending, lender

UNKNOWN_IG_USER = (110, 2207013)
UNKNOWN_ALIAS = 803
NO_PERMISSION = 10
NO_PAGE_ACCESS = ("Facebook shows the posts of Pages you do not manage only to apps with the "
                  "Page Public Content Access feature, which this app does not have: "
                  "competitors cannot be tracked on Facebook until Meta grants it")
PAGE_FIELDS = "id,name,username,followers_count,fan_count"
UNDECLARED = ("Graph lets this app read the Page's posts, but the deployment does not declare "
              f"Page Public Content Access ({PPCA_ENV} is not true), so no sync would read "
              "them: set it to track Facebook competitors")


def _client_and_creds(url: str, conn: Any, competitor: Pending, platform: str
                      ) -> tuple[GraphClient, Credentials, str] | Waiting:
    owned = lender(conn, competitor.workspace_id, platform)
    if owned is None:
        what = "Instagram business account" if platform == "instagram" else "Facebook Page"
        return Waiting(f"waiting for an owned {what} in this workspace to look the "
                       "competitor up with")
    client = GraphClient(str(dlt.config["sources.meta.base_url"]),
                         str(dlt.config.get("sources.meta.api_version")
                             or settings.DEFAULT_API_VERSION),
                         str(dlt.secrets["sources.meta.client_id"]),
                         str(dlt.secrets["sources.meta.client_secret"]))
    creds = Credentials(owned.account_id, owned.access_token, owned.refresh_token,
                        owned.token_expires_at, token_saver(url))
    return client, creds, owned.platform_account_id


def lookup_instagram(url: str, conn: Any, competitor: Pending) -> Found | Unresolved | Waiting:
    """The professional Instagram account named ``competitor.handle``."""
    ready = _client_and_creds(url, conn, competitor, "instagram")
    if isinstance(ready, Waiting):
        return ready
    client, creds, me = ready
    try:
        body, _ = client.get(me, creds, {
            "fields": f"business_discovery.username({competitor.handle}){{id,username,name}}"})
    except GraphError as exc:
        if (exc.code, exc.subcode) == UNKNOWN_IG_USER:
            return Unresolved("not_found", f"Instagram has no professional account "
                              f"@{competitor.handle} (business discovery finds business and "
                              "creator accounts only)")
        raise
    found = body.get("business_discovery") or {}
    if not found.get("id"):
        return Unresolved("not_found", f"Instagram has no professional account "
                          f"@{competitor.handle}")
    return Found(str(found["id"]), str(found.get("username") or competitor.handle).lower(),
                 found.get("name"))


def lookup_facebook(url: str, conn: Any, competitor: Pending) -> Found | Unresolved | Waiting:
    """The Facebook Page whose vanity name is ``competitor.handle``, if its posts are readable."""
    ready = _client_and_creds(url, conn, competitor, "facebook")
    if isinstance(ready, Waiting):
        return ready
    client, creds, _ = ready
    try:
        page, _ = client.get(competitor.handle, creds, {"fields": PAGE_FIELDS})
    except GraphError as exc:
        if exc.code in (UNKNOWN_ALIAS, 100):
            return Unresolved("not_found", f"Facebook has no Page facebook.com/"
                              f"{competitor.handle}")
        raise
    try:
        client.get(f"{page['id']}/posts", creds, {"fields": "id", "limit": 1})
    except GraphError as exc:
        if exc.code == NO_PERMISSION:
            # Graph's words say which permission or feature is missing
            return Unresolved("not_available", f"{NO_PAGE_ACCESS} (Graph: {exc})")
        raise
    if not page_public_content_access():
        return Unresolved("not_available", UNDECLARED)
    handle = str(page.get("username") or competitor.handle).lower()
    return Found(str(page["id"]), handle, page.get("name"))
