"""Facebook Login: the ``/{version}/dialog/oauth`` consent page (log in, pick the Pages), and
``/{version}/oauth/access_token`` turning a code into a short-lived user token and, with
``grant_type=fb_exchange_token``, a token into a long-lived (~60 days) one."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from platform_sandbox import consent
from platform_sandbox.auth import APP_CREDENTIALS, TokenError
from platform_sandbox.meta.errors import GraphError, decision_error, error_response
from platform_sandbox.oauth import SCOPES
from platform_sandbox.people import Person
from platform_sandbox.state import Decision, SandboxState

router = APIRouter(tags=["meta"])
PARAMS = ("client_id", "redirect_uri", "state", "scope", "response_type")
# a user token from the code exchange lives about two hours; exchanged, about 60 days
SHORT_LIVED_S = 7_200
DENIED = {"error": "access_denied", "error_code": "200",
          "error_description": "Permissions error", "error_reason": "user_denied"}


def _choices(state: SandboxState, person: Person) -> list[consent.Choice]:
    out = []
    for page in person.owned("facebook"):
        ig = state.people.instagram_of_page(page.platform_account_id)
        label = page.name + (f" (Instagram @{ig.handle})" if ig else "")
        out.append(consent.Choice(page.platform_account_id, label))
    return out


PAGE = consent.ConsentPage(
    group="meta", platform="Facebook", choice_label="Pages to share", choose_one=False,
    choices=_choices, subject=lambda person, chosen: person.facebook_user_id,
    denied=lambda step: dict(DENIED), fragment="#_=_")


def scopes_of(params: dict[str, str]) -> list[str]:
    """Facebook takes the scope list comma- or space-separated."""
    return [s for s in params.get("scope", "").replace(",", " ").split() if s]


def _check(state: SandboxState, params: dict[str, str]) -> Response | None:
    """Facebook's error pages: the dialog never redirects to an unregistered URI."""
    why = state.oauth.app_error("meta", params.get("client_id"), params.get("redirect_uri"))
    if why == "client_id":
        return consent.error_page("Facebook", "Invalid App ID", "The provided app ID does not "
                                  "look like a valid app ID.", code=101)
    if why == "redirect_uri":
        return consent.error_page("Facebook", "URL Blocked", "This redirect failed because the "
                                  "redirect URI is not whitelisted in the app's Client OAuth "
                                  "Settings. Make sure Client and Web OAuth Login are on and add "
                                  "all your app domains as Valid OAuth Redirect URIs.", code=191)
    unknown = [s for s in scopes_of(params) if s not in SCOPES["meta"]]
    if unknown:
        return consent.error_page("Facebook", "Invalid Scopes", f"Invalid Scopes: "
                                  f"{', '.join(unknown)}. This message is only shown to "
                                  "developers.", code=100)
    if params.get("response_type", "code") != "code":
        return consent.error_page("Facebook", "Invalid response_type",
                                  "response_type must be code.", code=100)
    return None


@router.get("/v{version}/dialog/oauth")
def dialog(version: str, request: Request) -> Response:
    """The Login dialog: log in, then choose the Pages the app may use."""
    state: SandboxState = request.app.state.sandbox
    params = {k: v for k, v in request.query_params.items() if k in PARAMS}
    return _check(state, params) or consent.login_page(PAGE, request.url.path, params)


@router.post("/v{version}/dialog/oauth")
async def dialog_submit(version: str, request: Request) -> Response:
    """The dialog's form posts: Continue -> code, Cancel -> error_reason=user_denied."""
    state: SandboxState = request.app.state.sandbox
    form = await request.form()
    params = {k: str(form[k]) for k in PARAMS if k in form}
    refused = _check(state, params)
    if refused is not None:
        return refused
    return await consent.submit(request, PAGE, params, scopes_of(params) or ["public_profile"])


def _error(code: int, message: str, subcode: int | None = None) -> JSONResponse:
    return error_response(GraphError(code, message, subcode=subcode))


def _redeem(state: SandboxState, params: dict[str, str]) -> JSONResponse:
    """``code`` -> a short-lived user token, with Graph's refusals."""
    if not params.get("redirect_uri"):
        return _error(191, "Missing redirect_uri parameter.")
    now = state.now()
    found, why = state.oauth.redeem("meta", params.get("code", ""), now, state.clock.speed)
    if found is None:
        return _error(100, "Invalid verification code format.")
    if why == "used":
        return _error(100, "This authorization code has been used.", 36009)
    if why == "expired":
        return _error(100, "This authorization code has expired.", 36007)
    if params["redirect_uri"] != found.redirect_uri:
        return _error(100, "Error validating verification code. Please make sure your "
                      "redirect_uri is identical to the one you used in the OAuth dialog "
                      "request", 36008)
    state.oauth.mark_used(found)
    issued = state.tokens.issue("meta", found.grant.subject, now, kind="user",
                                ttl_s=SHORT_LIVED_S)
    return JSONResponse({"access_token": issued["access_token"], "token_type": "bearer",
                         "expires_in": issued["expires_in"]})


def _exchange(state: SandboxState, params: dict[str, str]) -> JSONResponse:
    """``fb_exchange_token``: a still-valid token buys a long-lived one of the same kind."""
    now = state.now()
    try:
        claims = state.tokens.verify(params.get("fb_exchange_token", ""), "meta", now)
    except TokenError as exc:
        refused = decision_error(state, Decision(f"auth_{exc.reason}"), "facebook", now)
        assert refused is not None  # an auth_* Decision is always refused
        return refused
    issued = state.tokens.issue("meta", claims.subject, now, kind=claims.kind,
                                ttl_s=state.tokens.ttl_s["meta"])
    return JSONResponse({"access_token": issued["access_token"], "token_type": "bearer",
                         "expires_in": issued["expires_in"]})


async def _token(request: Request) -> JSONResponse:
    state: SandboxState = request.app.state.sandbox
    params = dict(request.query_params)
    if request.method == "POST":
        params.update({k: str(v) for k, v in (await request.form()).items()})
    app = APP_CREDENTIALS["meta"]
    if params.get("client_id") != app["client_id"]:
        return _error(101, "Error validating application. Invalid application ID.")
    if params.get("client_secret") != app["client_secret"]:
        return _error(1, "Error validating client secret.")
    if params.get("grant_type") == "fb_exchange_token":
        return _exchange(state, params)
    if "code" in params:
        return _redeem(state, params)
    return _error(100, "(#100) Missing or unsupported grant_type")


@router.api_route("/v{version}/oauth/access_token", methods=["GET", "POST"])
async def access_token(version: str, request: Request) -> JSONResponse:
    """The code exchange and the long-lived token exchange (GET or POST, as Graph takes)."""
    return await _token(request)


@router.api_route("/oauth/access_token", methods=["GET", "POST"])
async def unversioned_access_token(request: Request) -> JSONResponse:
    """The token endpoint also answers without a version prefix."""
    return await _token(request)
