"""LinkedIn organization lookup by vanity name (``/rest/organizations?q=vanityName``): any
member's token finds an organization's public facts, administered or not; an unknown vanity
name is a 200 with no elements, as LinkedIn answers it."""

from __future__ import annotations

from fastapi import APIRouter, Request

from platform_sandbox.linkedin import render as li
from platform_sandbox.linkedin.access import guard, li_route

router = APIRouter(tags=["linkedin"])


@router.get("/rest/organizations")
@li_route
def organizations_by_vanity_name(request: Request, q: str | None = None,
                                 vanityName: str = "") -> dict:  # noqa: N803
    """``GET /rest/organizations?q=vanityName&vanityName=...``."""
    state, _claims = guard(request, "organizations")
    if q != "vanityName":
        raise li.service_error(400, "Query parameter q=vanityName is required", None, 100)
    if not vanityName:
        raise li.input_error("vanityName", "vanityName is required")
    account = state.world.account_by_handle("linkedin", vanityName)
    elements = []
    if account is not None:
        elements.append({"id": int(account.platform_account_id), "vanityName": account.handle,
                         "localizedName": account.name, "primaryOrganizationType": "NONE",
                         "$URN": li.org_urn(account)})
    return {"paging": {"start": 0, "count": 10, "links": [], "total": len(elements)},
            "elements": elements}
