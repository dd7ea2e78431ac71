"""Who is asking and which workspaces they may see."""

from __future__ import annotations

from dataclasses import dataclass

from report_api.errors import ApiError


@dataclass(frozen=True)
class Scope:
    """The current user's tenancy scope."""

    user_id: int
    email: str
    role: str
    agency_id: int
    workspace_ids: tuple[int, ...]

    @property
    def is_admin(self) -> bool:
        return self.role == "agency_admin"

    @property
    def ws(self) -> list[int]:
        """The visible workspace ids, as a statement's ``%(ws)s`` parameter."""
        return list(self.workspace_ids)

    def check_workspace(self, workspace_id: int | None) -> None:
        """404 for a workspace the user may not see (same answer as a missing one)."""
        if workspace_id is not None and workspace_id not in self.workspace_ids:
            raise ApiError(404, "not_found", "workspace not found")

    def require_admin(self, action: str) -> None:
        """Client viewers are read-only: 403 for anything that changes shared state."""
        if not self.is_admin:
            raise ApiError(403, "forbidden", f"client viewers cannot {action}: "
                           "ask an agency admin")
