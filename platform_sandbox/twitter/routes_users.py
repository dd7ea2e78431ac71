"""X API v2 user lookup: by username, by id and by a list of ids. Unknown or suspended users
come back as HTTP 200 with only ``errors``; found ones next to partial ``errors``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from platform_sandbox.twitter import errors, render
from platform_sandbox.twitter.gate import gate
from platform_sandbox.twitter.params import field_set
from platform_sandbox.world_objects import Account

router = APIRouter(tags=["x"])
MAX_LOOKUP_IDS = 100


def _users(request: Request, accounts: list[tuple[str, Account | None]], param: str,
           single: bool = False) -> JSONResponse:
    g = gate(request, "users")
    if (refused := g.refusal()) is not None:
        return refused
    fields = field_set(request, "user.fields", render.USER_FIELDS)
    if isinstance(fields, JSONResponse):
        return fields
    state, now = g.state, g.state.now()
    data, missing = [], []
    for value, account in accounts:
        if account is not None and (gone := g.user_errors(account.platform_account_id, account)):
            missing += [{**e, "parameter": param, "value": value} for e in gone["errors"]]
        elif account is None:
            missing.append(errors.not_found("user", param, value))
        else:
            data.append(render.user_json(state.world, account, now, fields))
    body: dict = {}
    if data:
        # single-user lookups answer ``data`` as an object, not a list
        body["data"] = data[0] if single else data
    if missing:
        body["errors"] = missing
    return g.respond(body)


@router.get("/2/users/by/username/{username}")
def user_by_username(username: str, request: Request):
    """GET /2/users/by/username/:username (unknown or suspended: 200 with only errors)."""
    world = request.app.state.sandbox.world
    return _users(request, [(username, world.account_by_handle("twitter", username))],
                  "username", single=True)


@router.get("/2/users")
def users_by_ids(request: Request, ids: str = ""):
    """GET /2/users?ids= (up to 100 ids)."""
    wanted = [i for i in ids.split(",") if i]
    if not wanted or len(wanted) > MAX_LOOKUP_IDS or not all(i.isdigit() for i in wanted):
        return errors.invalid_request("The `ids` query parameter value is not valid", "ids", ids)
    world = request.app.state.sandbox.world
    return _users(request, [(i, world.account("twitter", i)) for i in wanted], "ids")


@router.get("/2/users/{user_id}")
def user_by_id(user_id: str, request: Request):
    """GET /2/users/:id."""
    if not user_id.isdigit():
        return errors.invalid_request(f"The `id` query parameter value [{user_id}] is not valid",
                                      "id", user_id)
    world = request.app.state.sandbox.world
    return _users(request, [(user_id, world.account("twitter", user_id))], "id", single=True)
