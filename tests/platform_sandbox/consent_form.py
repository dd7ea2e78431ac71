"""Drive the sandbox's consent pages as a browser without JavaScript would: read the HTML form,
post the login, then post Allow or Cancel with the chosen accounts."""

from __future__ import annotations

import base64
import hashlib
import secrets
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import httpx


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.hidden: dict[str, str] = {}
        self.accounts: list[str] = []
        self.checked: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.action = a.get("action", "")
        elif tag == "input" and a.get("type") == "hidden":
            self.hidden[a["name"]] = a.get("value", "")
        elif tag == "input" and a.get("name") == "account":
            self.accounts.append(a["value"])
            if "checked" in a:
                self.checked.append(a["value"])


def read_form(html: str) -> _Form:
    """The consent page's form: action, hidden fields and the offered accounts."""
    form = _Form()
    form.feed(html)
    return form


def pkce_pair() -> tuple[str, str]:
    """A PKCE code verifier and its S256 challenge, computed here (not by the sandbox)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.decode().rstrip("=")


def redirect_query(response: httpx.Response) -> dict[str, str]:
    """The query the consent page sent back to the app's redirect_uri."""
    assert response.status_code == 302, response.text
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}


def log_in(http: httpx.Client, path: str, params: dict, login: str,
           password: str) -> httpx.Response:
    """GET the authorize page and post the login; returns the consent page (or the error)."""
    page = http.get(path, params=params)
    assert page.status_code == 200, page.text
    form = read_form(page.text)
    return http.post(form.action, data={**form.hidden, "step": "login", "action": "login",
                                        "login": login, "password": password})


def consent(http: httpx.Client, path: str, params: dict, person: dict,
            accounts: list[str] | None = None, action: str = "allow") -> httpx.Response:
    """Log in as ``person`` and click ``action`` granting ``accounts`` (default: as checked)."""
    page = log_in(http, path, params, person["login"], person["password"])
    assert page.status_code == 200, page.text
    form = read_form(page.text)
    chosen = form.checked if accounts is None else accounts
    return http.post(form.action, data={**form.hidden, "action": action, "account": chosen})
