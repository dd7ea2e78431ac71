"""What LinkedIn's OAuth endpoints share: the app authenticated by ``client_id`` and
``client_secret`` in the form body, and errors as ``error`` / ``error_description``."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from platform_sandbox.auth import APP_CREDENTIALS


def oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    """An OAuth error body as LinkedIn sends it."""
    return JSONResponse({"error": error, "error_description": description}, status)


async def client_form(request: Request) -> tuple[dict[str, str], JSONResponse | None]:
    """The request's form fields, and LinkedIn's 401 ``invalid_client`` unless they carry the
    app's own client id and secret (else None)."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    creds = APP_CREDENTIALS["linkedin"]
    if (form.get("client_id"), form.get("client_secret")) != (creds["client_id"],
                                                              creds["client_secret"]):
        return form, oauth_error("invalid_client", "Client authentication failed", 401)
    return form, None
