"""LinkedIn competitor lookup: the organization by vanity name
(``GET /rest/organizations?q=vanityName``), with an owned LinkedIn account's token.

LinkedIn's Community Management API gives posts and statistics only of organizations the
member administers, so a competitor organization is never tracked: it is ``not_available``,
never a competitor with zero posts."""

from __future__ import annotations

from typing import Any

import dlt

from dlt_sources._shared.context import Credentials
from dlt_sources.linkedin.helpers import LinkedInApi
from dlt_sources.lookups.results import Found, Unresolved, Waiting
from dlt_sources.pipeline import token_saver
from socialpulse.competitors import Pending, lender

NO_COMPETITOR_DATA = ("LinkedIn gives no posts or statistics of organizations you do not "
                      "administer, so competitors cannot be tracked on LinkedIn")


def lookup(url: str, conn: Any, competitor: Pending) -> Found | Unresolved | Waiting:
    """The LinkedIn organization whose vanity name is ``competitor.handle``."""
    owned = lender(conn, competitor.workspace_id, "linkedin")
    if owned is None:
        return Waiting("waiting for an owned LinkedIn account in this workspace to look the "
                       "organization up with")
    creds = Credentials(owned.account_id, owned.access_token, owned.refresh_token,
                        owned.token_expires_at, token_saver(url))
    api = LinkedInApi(str(dlt.config["sources.linkedin.base_url"]),
                      str(dlt.config["sources.linkedin.api_version"]), creds,
                      str(dlt.secrets["sources.linkedin.client_id"]),
                      str(dlt.secrets["sources.linkedin.client_secret"]))
    body, _ = api.get("/rest/organizations",
                      {"q": "vanityName", "vanityName": competitor.handle})
    elements = (body or {}).get("elements") or []
    if not elements:
        return Unresolved("not_found", f"LinkedIn has no organization with the vanity name "
                          f"{competitor.handle!r} (linkedin.com/company/{competitor.handle})")
    return Unresolved("not_available", NO_COMPETITOR_DATA)
