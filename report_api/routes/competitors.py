"""Competitors a workspace tracks: add one by handle or URL (looked up by the next cycle), list
them with their status, stop tracking one.

Agency admins add and remove; anyone who sees the workspace lists. A workspace the caller may
not see is a 404, as everywhere.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response

from report_api.deps import RATE_LIMITED, ConnDep, UserDep
from report_api.errors import ApiError, invalid, not_found
from report_api.queries import competitors as queries
from report_api.routes.common import AUTH_ERRORS, FORBIDDEN, NOT_FOUND
from report_api.schemas.common import ErrorResponse, Id
from report_api.schemas.competitors import Competitor, CompetitorCreate, CompetitorList
from report_api.scope import Scope
from socialpulse.settings import get_settings

router = APIRouter(prefix="/workspaces/{workspace_id}/competitors", tags=["competitors"],
                   dependencies=[RATE_LIMITED])
WorkspaceId = Annotated[Id, Path()]
LIMIT_REACHED: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorResponse,
          "description": "The workspace tracks as many competitors as allowed"}}


def limit_error(exc: queries.CompetitorLimit) -> ApiError:
    """409 naming the limit and how to lift it."""
    return ApiError(409, "competitor_limit", str(exc), {"limit": exc.limit})


def add_competitor_for(conn: Any, user: Scope, workspace_id: int, platform: str,
                       handle_or_url: str) -> tuple[Competitor, bool]:
    """(the competitor, whether it is new or looked up again). 422 for a handle or URL that is
    not one of the network's accounts (another network's URL included), 409 at the limit."""
    user.check_workspace(workspace_id)
    user.require_admin("track competitors")
    try:
        row = queries.add(conn, workspace_id, platform, handle_or_url, user.user_id)
    except queries.HandleError as exc:
        raise invalid("handle_or_url", str(exc)) from exc
    except queries.CompetitorLimit as exc:
        raise limit_error(exc) from exc
    return Competitor(**row), row["status"] == "pending"


def competitors_of(conn: Any, user: Scope, workspace_id: int) -> list[Competitor]:
    """The competitors of a visible workspace, newest first."""
    user.check_workspace(workspace_id)
    return [Competitor(**r) for r in queries.list_competitors(conn, workspace_id)]


@router.post("", status_code=202, response_model=Competitor,
             responses={**AUTH_ERRORS, **FORBIDDEN, **NOT_FOUND, **LIMIT_REACHED,
                        200: {"model": Competitor,
                              "description": "Already tracked: returned as it is"}})
def add_competitor(workspace_id: WorkspaceId, body: CompetitorCreate, user: UserDep,
                   conn: ConnDep, response: Response) -> Competitor:
    """Track a competitor: 202 with status ``pending``; the next cycle looks it up on the
    platform and syncs it from then on (or says why it cannot)."""
    competitor, queued = add_competitor_for(conn, user, workspace_id, body.platform,
                                            body.handle_or_url)
    if not queued:
        response.status_code = 200
    return competitor


@router.get("", response_model=CompetitorList, responses={**AUTH_ERRORS, **NOT_FOUND})
def list_workspace_competitors(workspace_id: WorkspaceId, user: UserDep,
                               conn: ConnDep) -> CompetitorList:
    """Each competitor with ``pending | tracked | not_found | not_available`` and the reason."""
    return CompetitorList(data=competitors_of(conn, user, workspace_id),
                          limit=get_settings().competitors_per_workspace)


@router.delete("/{competitor_id}", status_code=204,
               responses={**AUTH_ERRORS, **FORBIDDEN, **NOT_FOUND})
def remove_competitor(workspace_id: WorkspaceId, competitor_id: Annotated[Id, Path()],
                      user: UserDep, conn: ConnDep) -> Response:
    """Stop tracking: no more syncs (what was synced so far is kept)."""
    user.check_workspace(workspace_id)
    user.require_admin("stop tracking competitors")
    if not queries.remove(conn, workspace_id, competitor_id):
        raise not_found("competitor")
    return Response(status_code=204)
