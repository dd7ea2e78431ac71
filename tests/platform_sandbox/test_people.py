"""The world's people and apps over real HTTP: who can log in, which accounts they own, the
clients no agency has connected yet, redirect URI registration and code lifetimes on a fast
clock."""

from __future__ import annotations

import base64

from tests.platform_sandbox.consent_form import consent, pkce_pair, redirect_query

WORLD = {"workspaces_per_agency": 2, "owned_accounts_per_platform": 1, "posts_per_account": 10,
         "competitors_per_workspace": 1, "prospect_workspaces": 1}


def test_people_own_their_workspaces_accounts_deterministically(sandbox):
    sandbox.reset(config=WORLD)
    people = sandbox.http.get("/_sandbox/people").json()
    sandbox.reset(config=WORLD)
    assert sandbox.http.get("/_sandbox/people").json() == people
    truth = sandbox.truth("accounts", include_prospects=True)
    assert len({p["login"] for p in people}) == len(people) == 3
    for person in people:
        owned = {(a["platform"], a["platform_account_id"]) for a in truth
                 if a["workspace_key"] == person["workspace_key"] and not a["is_competitor"]}
        assert {(a["platform"], a["platform_account_id"]) for a in person["accounts"]} == owned
        ig_ids = {a["platform_account_id"] for a in person["accounts"]
                  if a["platform"] == "instagram"}
        for page in (a for a in person["accounts"] if a["platform"] == "facebook"):
            assert page["instagram_business_account_id"] in ig_ids


def test_prospects_are_on_the_platforms_but_not_connected(sandbox):
    sandbox.reset(config=WORLD)
    prospect = next(p for p in sandbox.http.get("/_sandbox/people").json() if p["is_prospect"])
    ids = {a["platform_account_id"] for a in prospect["accounts"]}
    world = sandbox.world()
    assert prospect["workspace_key"] not in {w["workspace_key"] for w in world["workspaces"]}
    assert not ids & {a["platform_account_id"] for a in world["accounts"]}
    assert not ids & {a["platform_account_id"] for a in sandbox.truth("accounts")}
    assert ids <= {a["platform_account_id"]
                   for a in sandbox.truth("accounts", include_prospects=True)}
    x = next(a for a in prospect["accounts"] if a["platform"] == "twitter")
    assert sandbox.truth("posts", account_id=x["platform_account_id"])


def test_registered_redirect_uri_and_codes_on_a_fast_clock(sandbox):
    sandbox.reset(config=WORLD)
    person = sandbox.http.get("/_sandbox/people").json()[0]
    callback = "http://127.0.0.1:55001/api/connections/twitter/callback"
    app = sandbox.http.get("/_sandbox/apps").json()["twitter"]
    assert callback not in app["redirect_uris"]
    assert app["authorize_url"].endswith("/i/oauth2/authorize")
    sandbox.http.post("/_sandbox/apps/twitter/redirect_uris", json={"redirect_uri": callback})
    verifier, challenge = pkce_pair()
    params = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": callback,
              "scope": "tweet.read users.read", "state": "s", "code_challenge": challenge,
              "code_challenge_method": "S256"}
    # a demo clock runs fast: a code still lives its 30 seconds in real time
    sandbox.http.post("/_sandbox/clock", json={"speed": 1000})
    try:
        code = redirect_query(consent(sandbox.http, "/i/oauth2/authorize", params,
                                      person))["code"]
        sandbox.advance(60)  # well past 30 simulated seconds, a moment in real time
        basic = base64.b64encode(f"{app['client_id']}:{app['client_secret']}".encode()).decode()
        tokens = sandbox.http.post("/2/oauth2/token", headers={"Authorization": f"Basic {basic}"},
                                   data={"grant_type": "authorization_code", "code": code,
                                         "redirect_uri": callback, "code_verifier": verifier})
    finally:
        sandbox.http.post("/_sandbox/clock", json={"speed": 0})
    assert tokens.status_code == 200, tokens.text
