"""LinkedIn 3-legged OAuth: the ``/oauth/v2/authorization`` login and consent pages, and
``POST /oauth/v2/accessToken`` for the ``authorization_code`` and ``refresh_token`` grants (a
refresh token keeps its fixed 365-day expiry)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from platform_sandbox import consent
from platform_sandbox.auth import REFRESH_TTL_S, TokenError
from platform_sandbox.linkedin import render as li
from platform_sandbox.linkedin.client_auth import client_form, oauth_error
from platform_sandbox.oauth import SCOPES
from platform_sandbox.people import Person
from platform_sandbox.state import SandboxState

router = APIRouter(tags=["linkedin"])
PARAMS = ("response_type", "client_id", "redirect_uri", "state", "scope")
CANCELLED = {
    "login": {"error": "user_cancelled_login",
              "error_description": "The user cancelled LinkedIn login"},
    "consent": {"error": "user_cancelled_authorize",
                "error_description": "The user cancelled the authorization"},
}
BAD_GRANT = ("The provided authorization grant or refresh token is invalid, expired or "
             "revoked")
NO_MATCH = ("Unable to retrieve access token: appid/redirect uri/code verifier does not match "
            "authorization code. Or authorization code expired. Or external member binding "
            "exists")


def _choices(state: SandboxState, person: Person) -> list[consent.Choice]:
    return [consent.Choice(a.platform_account_id, f"{a.name} (organization {a.handle})")
            for a in person.owned("linkedin")]


PAGE = consent.ConsentPage(
    group="linkedin", platform="LinkedIn", choice_label="Organizations you administer",
    choose_one=False, choices=_choices, subject=lambda person, chosen: person.linkedin_member_id,
    denied=lambda step: dict(CANCELLED["login" if step == "login" else "consent"]))


def _check(state: SandboxState, params: dict[str, str]) -> Response | None:
    """LinkedIn's error page (unknown app or redirect_uri), else errors sent back by redirect."""
    why = state.oauth.app_error("linkedin", params.get("client_id"), params.get("redirect_uri"))
    if why == "client_id":
        return consent.error_page("LinkedIn", "Bummer, something went wrong.",
                                  "The passed in client_id is invalid.")
    if why == "redirect_uri":
        return consent.error_page("LinkedIn", "Bummer, something went wrong.",
                                  "The redirect_uri does not match the registered value")
    query: dict[str, str] | None = None
    unknown = [s for s in params.get("scope", "").split() if s not in SCOPES["linkedin"]]
    if params.get("response_type") != "code":
        query = {"error": "invalid_request",
                 "error_description": "A required parameter \"response_type\" is missing"}
    elif not params.get("scope"):
        query = {"error": "invalid_request",
                 "error_description": "A required parameter \"scope\" is missing"}
    elif unknown:
        query = {"error": "unauthorized_scope_error", "error_description":
                 f"Scope \"{unknown[0]}\" is not authorized for your application"}
    if query is None:
        return None
    if params.get("state"):
        query["state"] = params["state"]
    return consent.redirect_to(params["redirect_uri"], query)


@router.get("/oauth/v2/authorization")
def authorization(request: Request) -> Response:
    """Sign in, then allow the app (with the organizations it may use)."""
    state: SandboxState = request.app.state.sandbox
    params = {k: v for k, v in request.query_params.items() if k in PARAMS}
    return _check(state, params) or consent.login_page(PAGE, request.url.path, params)


@router.post("/oauth/v2/authorization")
async def authorization_submit(request: Request) -> Response:
    """The pages' form posts: Cancel on the login page is user_cancelled_login, on the consent
    page user_cancelled_authorize; Allow sends the code."""
    state: SandboxState = request.app.state.sandbox
    form = await request.form()
    params = {k: str(form[k]) for k in PARAMS if k in form}
    refused = _check(state, params)
    if refused is not None:
        return refused
    return await consent.submit(request, PAGE, params, params["scope"].split())


def _redeem(state: SandboxState, form: dict[str, str]) -> JSONResponse:
    for name in ("code", "redirect_uri"):
        if not form.get(name):
            return oauth_error("invalid_request", f"A required parameter \"{name}\" is missing")
    now = state.now()
    found, why = state.oauth.redeem("linkedin", form["code"], now, state.clock.speed)
    if found is None or form["redirect_uri"] != found.redirect_uri:
        return oauth_error("invalid_request", NO_MATCH)
    if why:
        return oauth_error("invalid_grant", BAD_GRANT)
    state.oauth.mark_used(found)
    issued = state.tokens.issue("linkedin", found.grant.subject, now)
    return JSONResponse({
        "access_token": issued["access_token"], "expires_in": issued["expires_in"],
        "refresh_token": issued["refresh_token"],
        "refresh_token_expires_in": REFRESH_TTL_S["linkedin"],
        "scope": ",".join(found.grant.scopes)})


def _refresh(state: SandboxState, form: dict[str, str]) -> JSONResponse:
    now = state.now()
    try:
        issued = state.tokens.refresh(form.get("refresh_token", ""), "linkedin", now)
        claims = state.tokens.decode(form["refresh_token"], "linkedin")
    except TokenError:
        return oauth_error("invalid_request", BAD_GRANT)
    grant = state.oauth.grant_of("linkedin", claims.subject)
    return JSONResponse({
        "access_token": issued["access_token"], "expires_in": issued["expires_in"],
        "refresh_token": issued["refresh_token"],
        "refresh_token_expires_in": max(0, (claims.expires_ms - li.ms(now)) // 1000),
        "scope": ",".join(grant.scopes) if grant else
        "r_organization_social,rw_organization_admin"})


@router.post("/oauth/v2/accessToken")
async def access_token(request: Request) -> JSONResponse:
    """``authorization_code`` -> member token + refresh token; ``refresh_token`` -> a new
    access token, the refresh token unchanged with its fixed expiry."""
    state: SandboxState = request.app.state.sandbox
    form, refused = await client_form(request)
    if refused is not None:
        return refused
    grant_type = form.get("grant_type")
    if grant_type == "authorization_code":
        return _redeem(state, form)
    if grant_type == "refresh_token" and form.get("refresh_token"):
        return _refresh(state, form)
    return oauth_error("invalid_request", "A required parameter \"grant_type\" is missing")
