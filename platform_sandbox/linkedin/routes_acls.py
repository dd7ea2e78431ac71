"""LinkedIn ``organizationAcls?q=roleAssignee``: the organizations where the member behind the
token holds a role (the sandbox's people are ADMINISTRATOR of what their consent covers)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from platform_sandbox.auth import TokenClaims
from platform_sandbox.linkedin import render as li
from platform_sandbox.linkedin.access import ORG_PREFIX, guard, li_route
from platform_sandbox.oauth import linkedin_member_orgs
from platform_sandbox.state import SandboxState

router = APIRouter(tags=["linkedin"])
MAX_COUNT = 100


def _member_orgs(state: SandboxState, claims: TokenClaims) -> tuple[str, list[str]]:
    """(member URN, organization ids) behind a token: a member token's consent, or an
    organization's own token (as /_sandbox/world hands out) held by its owner."""
    person = state.people.by_linkedin_member(claims.subject)
    if person is not None:
        return person.member_urn, linkedin_member_orgs(state.people, state.oauth,
                                                       claims.subject)
    owner = next((p for p in state.people.all
                  if any(a.platform_account_id == claims.subject for a in p.owned("linkedin"))),
                 None)
    return (owner.member_urn if owner else "urn:li:person:unknown"), [claims.subject]


@router.get("/rest/organizationAcls")
@li_route
def organization_acls(request: Request, q: str | None = None, role: str | None = None,
                      state: str | None = None, start: int = 0, count: int = 10) -> dict:
    """The member's organization roles, filtered by ``role`` and ``state``, paged by
    ``start``/``count``."""
    sandbox, claims = guard(request, "organizationAcls")
    if q != "roleAssignee":
        raise li.service_error(400, "Query parameter q=roleAssignee is required", None, 100)
    if start < 0 or not 0 < count <= MAX_COUNT:
        raise li.input_error("count", f"count must be between 1 and {MAX_COUNT}")
    member, orgs = _member_orgs(sandbox, claims)
    if role not in (None, "ADMINISTRATOR") or state not in (None, "APPROVED"):
        orgs = []
    elements = [{"roleAssignee": member, "state": "APPROVED", "role": "ADMINISTRATOR",
                 "organization": f"{ORG_PREFIX}{org}"} for org in orgs[start:start + count]]
    return {"paging": {"start": start, "count": count, "total": len(orgs), "links": []},
            "elements": elements}
