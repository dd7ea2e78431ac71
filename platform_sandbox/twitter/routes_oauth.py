"""X OAuth 2.0 Authorization Code with PKCE: the ``/i/oauth2/authorize`` consent page, code
exchange and refresh at ``POST /2/oauth2/token`` (each refresh rotates the refresh token and
the old one dies), and ``GET /2/users/me`` for the user who consented."""

from __future__ import annotations

import base64

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from platform_sandbox import consent
from platform_sandbox.auth import APP_CREDENTIALS, TokenError
from platform_sandbox.oauth import SCOPES, s256
from platform_sandbox.people import Person
from platform_sandbox.state import SandboxState
from platform_sandbox.twitter import errors, render
from platform_sandbox.twitter.gate import gate
from platform_sandbox.twitter.params import field_set

router = APIRouter(tags=["x"])
PARAMS = ("response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
          "code_challenge_method")


def _choices(state: SandboxState, person: Person) -> list[consent.Choice]:
    return [consent.Choice(a.platform_account_id, f"@{a.handle} ({a.name})")
            for a in person.owned("twitter")]


PAGE = consent.ConsentPage(
    group="twitter", platform="X", choice_label="Authorize as", choose_one=True,
    choices=_choices, subject=lambda person, chosen: chosen[0],
    denied=lambda step: {"error": "access_denied"})


def token_error(description: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": "invalid_request", "error_description": description},
                        status_code=status)


def _check(state: SandboxState, params: dict[str, str]) -> Response | None:
    """X's refusals of an authorize request: an error page when it cannot redirect back, else
    a redirect carrying ``error``."""
    if state.oauth.app_error("twitter", params.get("client_id"), params.get("redirect_uri")):
        return consent.error_page("X", "Something went wrong", "You weren't able to give access "
                                  "to the App. Go back and try logging in again.")
    scopes = params.get("scope", "").split()
    error, problem = "invalid_request", None
    if params.get("response_type") != "code":
        problem = "Value passed for the response_type was invalid."
    elif not params.get("state"):
        problem = "Missing required parameter [state]."
    elif not params.get("code_challenge"):
        problem = "Missing required parameter [code_challenge]."
    elif params.get("code_challenge_method") != "S256":
        problem = "Value passed for the code_challenge_method was invalid: use S256."
    elif not scopes or any(s not in SCOPES["twitter"] for s in scopes):
        error, problem = "invalid_scope", "Value passed for the scope was invalid."
    if problem is None:
        return None
    return consent.redirect_to(params["redirect_uri"], {
        "error": error, "error_description": problem, "state": params.get("state", "")})


@router.get("/i/oauth2/authorize")
def authorize(request: Request) -> Response:
    """The consent page (log in, pick the account, Allow or Cancel)."""
    state: SandboxState = request.app.state.sandbox
    params = {k: v for k, v in request.query_params.items() if k in PARAMS}
    return _check(state, params) or consent.login_page(PAGE, request.url.path, params)


@router.post("/i/oauth2/authorize")
async def authorize_submit(request: Request) -> Response:
    """The consent page's form posts: login, then Allow (-> code) or Cancel (-> access_denied)."""
    state: SandboxState = request.app.state.sandbox
    form = await request.form()
    params = {k: str(form[k]) for k in PARAMS if k in form}
    refused = _check(state, params)
    if refused is not None:
        return refused
    return await consent.submit(request, PAGE, params, params["scope"].split(),
                                params["code_challenge"])


def client_refusal(request: Request, form: dict[str, str]) -> JSONResponse | None:
    """The error for missing or wrong client credentials (Basic header of a confidential
    client, or the form's client_id of a public one)."""
    client = APP_CREDENTIALS["twitter"]
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("basic "):
        try:
            user, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        except ValueError:
            user, secret = "", ""
        if (user, secret) != (client["client_id"], client["client_secret"]):
            return JSONResponse({"error": "unauthorized_client",
                                 "error_description": "Missing valid authorization header"},
                                status_code=401)
    elif form.get("client_id") != client["client_id"]:
        return token_error("Missing required parameter [client_id].")
    return None


def _exchange_code(state: SandboxState, form: dict[str, str]) -> JSONResponse:
    now = state.now()
    found, why = state.oauth.redeem("twitter", form.get("code", ""), now, state.clock.speed)
    if found is None or why:
        return token_error("Value passed for the authorization code was invalid.")
    if form.get("redirect_uri") != found.redirect_uri:
        return token_error("Value passed for the redirect uri did not match the uri of the "
                            "authorization code.")
    verifier = form.get("code_verifier")
    if not verifier:
        return token_error("Missing required parameter [code_verifier].")
    if s256(verifier) != found.code_challenge:
        return token_error("Value passed for the code verifier did not match the code "
                            "challenge.")
    state.oauth.mark_used(found)
    grant = found.grant
    issued = state.tokens.issue("twitter", grant.subject, now,
                                with_refresh="offline.access" in grant.scopes)
    body = {"token_type": "bearer", "expires_in": issued["expires_in"],
            "access_token": issued["access_token"], "scope": " ".join(grant.scopes)}
    if "refresh_token" in issued:
        body["refresh_token"] = issued["refresh_token"]
    return JSONResponse(body)


@router.post("/2/oauth2/token")
async def oauth2_token(request: Request):
    """``authorization_code`` (with the PKCE verifier) or ``refresh_token`` (rotating)."""
    state: SandboxState = request.app.state.sandbox
    form = {k: str(v) for k, v in (await request.form()).items()}
    if (refused := client_refusal(request, form)) is not None:
        return refused
    if form.get("grant_type") == "authorization_code":
        return _exchange_code(state, form)
    if form.get("grant_type") != "refresh_token":
        return token_error("Value passed for the grant_type was invalid.")
    try:
        issued = state.tokens.refresh(str(form.get("refresh_token") or ""), "twitter",
                                      state.now())
        subject = state.tokens.decode(form["refresh_token"], "twitter").subject
    except TokenError:
        return token_error("Value passed for the token was invalid.")
    grant = state.oauth.grant_of("twitter", subject)
    return {"token_type": "bearer", "expires_in": issued["expires_in"],
            "access_token": issued["access_token"], "refresh_token": issued["refresh_token"],
            "scope": " ".join(grant.scopes) if grant else "tweet.read users.read offline.access"}


@router.get("/2/users/me")
def users_me(request: Request):
    """The user whose token this is (an app-only token has no user: 403)."""
    g = gate(request, "users/me")
    if (refused := g.refusal()) is not None:
        return refused
    if not g.is_user_token:
        return errors.forbidden_app_only()
    fields = field_set(request, "user.fields", render.USER_FIELDS)
    if isinstance(fields, JSONResponse):
        return fields
    assert g.decision.claims is not None  # a user token always carries its claims
    account = g.state.world.account("twitter", g.decision.claims.subject)
    if account is None:
        return errors.unauthorized()
    return g.respond({"data": render.user_json(g.state.world, account, g.state.now(), fields)})
