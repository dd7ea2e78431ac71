"""Give consent on a platform's login and consent pages as a person would: read the HTML form,
type the login and password, keep the accounts the page offers (or the ones asked for), click
Allow. The demo connects its agency this way, through the sandbox's real pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import httpx

MAX_STEPS = 6  # login, consent and a redirect or two; a loop of pages is an error


@dataclass
class Form:
    """The first form of a page: where it posts, its fields, its account choices."""

    action: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    accounts: list[tuple[str, bool, str]] = field(default_factory=list)  # value, checked, type
    buttons: list[str] = field(default_factory=list)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.form: Form | None = None
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and self.form is None:
            self.form = Form(action=a.get("action", ""))
        if self.form is None or self._done:
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                self.form.accounts.append((a.get("value", ""), "checked" in a, kind))
            elif a.get("name"):
                self.form.fields[a["name"]] = a.get("value", "")
        elif tag == "button" and a.get("name") == "action":
            self.form.buttons.append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.form is not None:
            self._done = True


class ConsentFailed(Exception):
    """The consent pages did not end in a redirect back to the app."""


def _form(response: httpx.Response) -> Form:
    parser = _FormParser()
    parser.feed(response.text)
    if parser.form is None:
        raise ConsentFailed(f"{response.url.path} answered {response.status_code} without a "
                            f"form: {response.text[:300]}")
    return parser.form


def give_consent(authorize_url: str, login: str, password: str,
                 accounts: list[str] | None = None, allow: bool = True,
                 http: httpx.Client | None = None) -> str:
    """Open the consent page at ``authorize_url``, log in, pick ``accounts`` (platform account
    ids; default: what the page preselects, every checkbox) and click Allow (or Cancel).
    Returns the URL the platform redirects back to (with ``code`` or ``error``)."""
    own = http is None
    http = http or httpx.Client(timeout=30)
    try:
        response = http.get(authorize_url)
        tried_login = False
        for _ in range(MAX_STEPS):
            if response.is_redirect:
                return response.headers["location"]
            form = _form(response)
            data = dict(form.fields)
            if "password" in data or "login" in data:
                if tried_login:  # the login page came back: the platform refused it
                    raise ConsentFailed(f"the login {login!r} was refused on "
                                        f"{response.url.path}")
                tried_login = True
                data.update(login=login, password=password, action="login")
            elif not allow:
                data["action"] = "cancel"
            else:
                data["action"] = "allow"
                picked = _pick(form, accounts)
                response = http.post(urljoin(str(response.url), form.action),
                                     data={**data, "account": picked})
                continue
            response = http.post(urljoin(str(response.url), form.action), data=data)
        raise ConsentFailed("the consent pages did not redirect back")
    finally:
        if own:
            http.close()


def _pick(form: Form, wanted: list[str] | None) -> list[str]:
    if wanted is not None:
        offered = {value for value, _, _ in form.accounts}
        missing = [w for w in wanted if w not in offered]
        if missing:
            raise ConsentFailed(f"the consent page does not offer {missing}")
        return wanted
    radios = [v for v, checked, kind in form.accounts if kind == "radio" and checked]
    if radios:
        return radios[:1]
    return [v for v, _, kind in form.accounts if kind == "checkbox"]
