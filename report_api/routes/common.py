"""Shared OpenAPI error responses."""

from typing import Any

from report_api.schemas.common import ErrorResponse

_E = {"model": ErrorResponse}
AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {**_E, "description": "Missing, invalid or expired token"},
    422: {**_E, "description": "Invalid parameter (the field is named)"},
    429: {**_E, "description": "Rate limit exceeded (see Retry-After)"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {**_E, "description": "Not found"}}
FORBIDDEN: dict[int | str, dict[str, Any]] = {
    403: {**_E, "description": "Client viewers are read-only"}}
