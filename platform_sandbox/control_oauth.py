"""Private ``/_sandbox`` endpoints of the authorization flows: the people who can log in, the
registered apps and their redirect URIs, and withdrawing a person's consent."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel

from platform_sandbox.auth import APP_CREDENTIALS
from platform_sandbox.oauth import withdraw
from platform_sandbox.people import person_json
from platform_sandbox.state import SandboxState

router = APIRouter(prefix="/_sandbox", tags=["sandbox"])
# where each app's person consents and where its code becomes tokens, on the sandbox's host
FLOW_PATHS = {
    "twitter": ("/i/oauth2/authorize", "/2/oauth2/token"),
    "meta": ("/{version}/dialog/oauth", "/{version}/oauth/access_token"),
    "linkedin": ("/oauth/v2/authorization", "/oauth/v2/accessToken"),
}


class RedirectBody(BaseModel):
    redirect_uri: str


class FeatureBody(BaseModel):
    feature: str
    granted: bool = True


class WithdrawBody(BaseModel):
    group: str
    login: str


def _state(request: Request) -> SandboxState:
    return request.app.state.sandbox


def _group(group: str) -> str:
    if group not in APP_CREDENTIALS:
        raise HTTPException(404, f"no app for {group}: one of {sorted(APP_CREDENTIALS)}")
    return group


@router.get("/people")
def people(request: Request) -> list[dict]:
    """Everyone who can log in to the consent pages, with the accounts they own."""
    state = _state(request)
    return [person_json(p, state.people) for p in state.people.all]


@router.get("/apps")
def apps(request: Request) -> dict:
    """Each platform app the sandbox registers: credentials, redirect URIs, flow URLs."""
    state, base = _state(request), str(request.base_url).rstrip("/")
    version = state.faults.meta_version
    out = {}
    for group, creds in APP_CREDENTIALS.items():
        authorize, token = (p.replace("{version}", version) for p in FLOW_PATHS[group])
        out[group] = {**creds, "redirect_uris": list(state.oauth.redirect_uris[group]),
                      "authorize_url": base + authorize, "token_url": base + token,
                      "features": sorted(state.oauth.features[group])}
    return out


@router.post("/apps/{group}/features")
def set_feature(group: str, body: FeatureBody, request: Request) -> dict:
    """Grant (or take back) an app feature Meta gives after App Review, such as
    ``page_public_content_access`` (reading public posts of Pages the app's users do not
    manage). A reset forgets it, like every other app setting."""
    features = _state(request).oauth.features[_group(group)]
    if body.granted:
        features.add(body.feature)
    else:
        features.discard(body.feature)
    return {"group": group, "features": sorted(features)}


@router.post("/apps/{group}/redirect_uris")
def register_redirect(group: str, body: RedirectBody, request: Request) -> dict:
    """Register one more redirect URI with an app (compared exactly, as the platforms do)."""
    uris = _state(request).oauth.redirect_uris[_group(group)]
    if body.redirect_uri not in uris:
        uris.append(body.redirect_uri)
    return {"group": group, "redirect_uris": list(uris)}


@router.post("/oauth/revoke")
def revoke_consent(body: WithdrawBody, request: Request) -> dict:
    """A person removes the app: every token of their consents on that platform now fails."""
    state = _state(request)
    person = next((p for p in state.people.all if p.login == body.login), None)
    if person is None:
        raise HTTPException(404, f"no person with login {body.login}")
    subjects = withdraw(state.oauth, state.tokens, state.people, _group(body.group),
                        person.person_key)
    return {"group": body.group, "login": body.login, "revoked_subjects": subjects}
