"""The consent pages of the three authorize endpoints: a person logs in, sees the app and the
scopes, picks what to grant and clicks Allow or Cancel (server-rendered Jinja2 forms, no
JavaScript). Each platform supplies what differs: what can be granted, the token subject and
the errors a cancel sends back to the app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from platform_sandbox.oauth import APP_NAME, Grant
from platform_sandbox.people import Person
from platform_sandbox.state import SandboxState

_ENV = Environment(loader=PackageLoader("platform_sandbox", "templates"),
                   autoescape=select_autoescape(default=True))
BAD_LOGIN = "The login or password you entered is incorrect."


@dataclass(frozen=True)
class Choice:
    id: str
    label: str


@dataclass(frozen=True)
class ConsentPage:
    """How one platform's consent page differs from the others."""

    group: str
    platform: str
    choice_label: str
    choose_one: bool
    # what the person can grant, and the token subject of a consent to some of it
    choices: Callable[[SandboxState, Person], list[Choice]]
    subject: Callable[[Person, list[str]], str]
    # the query a Cancel on the "login" or "consent" step sends back to the app
    denied: Callable[[str], dict[str, str]]
    fragment: str = ""


def redirect_to(uri: str, params: dict[str, str], fragment: str = "") -> RedirectResponse:
    """A 302 back to the app's redirect_uri with ``params`` added to its query."""
    parts = urlsplit(uri)
    query = urlencode([*parse_qsl(parts.query), *params.items()])
    return RedirectResponse(urlunsplit((parts.scheme, parts.netloc, parts.path, query,
                                        fragment.lstrip("#"))), status_code=302)


def error_page(platform: str, title: str, message: str, code: str | int | None = None,
               status: int = 400) -> HTMLResponse:
    """The platform's own error page, for requests that cannot be sent back to the app."""
    html = _ENV.get_template("consent.html").render(page="error", platform=platform, title=title,
                                                    message=message, code=code)
    return HTMLResponse(html, status_code=status)


def _page(spec: ConsentPage, action: str, params: dict[str, str], page: str,
          status: int = 200, **context) -> HTMLResponse:
    html = _ENV.get_template("consent.html").render(
        page=page, platform=spec.platform, app_name=APP_NAME, action=action, params=params,
        choice_label=spec.choice_label, choose_one=spec.choose_one, **context)
    return HTMLResponse(html, status_code=status)


def login_page(spec: ConsentPage, action: str, params: dict[str, str]) -> HTMLResponse:
    """Step one: the login form, carrying the authorize parameters along."""
    return _page(spec, action, params, "login")


def _consent_page(spec: ConsentPage, state: SandboxState, action: str, params: dict[str, str],
                  person: Person, scopes: list[str], error: str | None = None) -> HTMLResponse:
    return _page(spec, action, params, "consent", session=state.oauth.sign_session(
        spec.group, person.person_key), person_name=person.name, scopes=scopes,
        choices=spec.choices(state, person), error=error)


async def submit(request: Request, spec: ConsentPage, params: dict[str, str], scopes: list[str],
                 code_challenge: str | None = None) -> Response:
    """Step two and three: check the login, then turn Allow into a code, Cancel into the
    platform's error, both sent back to the app's redirect_uri."""
    state: SandboxState = request.app.state.sandbox
    form = await request.form()
    step, action = str(form.get("step") or ""), str(form.get("action") or "")
    back = params["redirect_uri"]
    extra = {"state": params["state"]} if params.get("state") else {}
    if action == "cancel":
        return redirect_to(back, {**spec.denied(step), **extra}, spec.fragment)
    path = request.url.path
    if step == "login":
        person = state.people.by_login(str(form.get("login") or ""),
                                       str(form.get("password") or ""))
        if person is None:
            return _page(spec, path, params, "login", status=401, error=BAD_LOGIN,
                         login=str(form.get("login") or ""))
        return _consent_page(spec, state, path, params, person, scopes)
    person_key = state.oauth.session_person(spec.group, str(form.get("session") or ""))
    found = state.people.by_key(person_key) if person_key else None
    if step != "consent" or found is None:
        return _page(spec, path, params, "login", status=401, error="Please log in again.")
    offered = {c.id for c in spec.choices(state, found)}
    chosen = [str(c) for c in form.getlist("account") if str(c) in offered]
    if not chosen or (spec.choose_one and len(chosen) > 1):
        return _consent_page(spec, state, path, params, found, scopes,
                             error="Pick " + ("one account." if spec.choose_one else
                                              "at least one to grant."))
    grant = Grant(spec.group, found.person_key, spec.subject(found, chosen), tuple(scopes),
                  tuple(chosen))
    for subject in {grant.subject, *chosen}:
        state.tokens.consented(spec.group, subject)
    code = state.oauth.issue_code(grant, params["client_id"], back, state.now(), code_challenge)
    return redirect_to(back, {"code": code, **extra}, spec.fragment)
