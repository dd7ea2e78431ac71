"""Private ``/_sandbox`` endpoints: the world's ground truth and the knobs tests turn."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import datetime, timedelta

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel

from platform_sandbox import ids
from platform_sandbox.auth import APP_CREDENTIALS, GROUPS
from platform_sandbox.state import SandboxState
from platform_sandbox.world_config import WorldConfig
from platform_sandbox.world_objects import Account, Post

router = APIRouter(prefix="/_sandbox", tags=["sandbox"])


def _state(request: Request) -> SandboxState:
    return request.app.state.sandbox


def _at(state: SandboxState, at: datetime | None) -> datetime:
    return at or state.now()


class ResetBody(BaseModel):
    config: dict = {}
    faults: dict = {}
    now: datetime | None = None
    speed: float = 0.0
    token_ttl_s: dict[str, int] = {}


class ClockBody(BaseModel):
    now: datetime | None = None
    advance_seconds: float | None = None
    speed: float | None = None


def account_json(state: SandboxState, a: Account, at: datetime) -> dict:
    return {
        "platform": a.platform, "platform_account_id": a.platform_account_id,
        "handle": a.handle, "name": a.name, "workspace_key": a.workspace_key,
        "is_competitor": a.is_competitor, "followers": state.world.followers(a, at),
        "post_count": state.world.post_count(a, at),
    }


def post_json(state: SandboxState, post: Post, at: datetime) -> dict:
    world = state.world
    return {
        "platform": post.account.platform, "post_id": ids.post_id(post),
        "account_id": post.account.platform_account_id, "created_at": post.created_at.isoformat(),
        "text": post.text, "hashtags": list(post.hashtags), "language": post.language,
        "sentiment": post.sentiment, "media_type": post.media_type,
        "is_visible": post.visible_at(at), "is_deleted": post.deleted_at is not None
        and post.deleted_at <= at, "deleted_at": post.deleted_at.isoformat()
        if post.deleted_at else None, "is_viral": post.is_viral,
        "viral_at": post.viral_at.isoformat() if post.viral_at else None,
        "is_crisis": post.is_crisis, "is_malformed": post.is_malformed,
        "kind": post.kind, "is_retweet": post.is_retweet,
        "referenced_id": str(post.referenced_id) if post.referenced_id is not None else None,
        "metrics": world.metrics(post, at), "reported_insights": world.reported_insights(post, at),
        "comment_count": len(world.comments(post, at)),
    }


@router.post("/reset")
def reset(body: ResetBody, request: Request) -> dict:
    """Replace the world, clock, tokens and faults (tests call this before each scenario)."""
    known = {f.name for f in fields(WorldConfig)}
    unknown = set(body.config) - known
    if unknown:
        raise HTTPException(422, f"unknown world knobs: {sorted(unknown)}")
    config = WorldConfig(**body.config)
    state = SandboxState.create(config, body.speed, body.now, body.token_ttl_s)
    # the server's --latency-ms is a property of the network, not of the world: kept
    state.set_faults({**getattr(request.app.state, "server_faults", {}), **body.faults})
    request.app.state.sandbox = state
    return {"now": state.now().isoformat(), "accounts": len(state.world.accounts)}


@router.get("/world")
def world(request: Request) -> dict:
    """Agencies, workspaces and accounts, with fresh tokens for owned accounts (the OAuth
    connection an agency makes once), plus the app credentials the sources need."""
    state = _state(request)
    now = state.now()
    accounts = []
    # prospects' accounts exist on the platforms but no agency has connected them yet
    prospects = {w.workspace_key for w in state.world.workspaces if w.is_prospect}
    for a in state.world.accounts:
        if a.workspace_key in prospects:
            continue
        item = account_json(state, a, now)
        if not a.is_competitor:
            item["tokens"] = state.tokens.issue(GROUPS[a.platform], a.platform_account_id, now)
        accounts.append(item)
    config = {k: (v.isoformat() if isinstance(v, datetime) else v)
              for k, v in asdict(state.world.config).items()}
    app = {g: {**c} for g, c in APP_CREDENTIALS.items()}
    app["twitter"]["app_bearer_token"] = state.tokens.app_token("twitter")
    return {
        "now": now.isoformat(), "speed": state.clock.speed, "config": config,
        "workspaces": [asdict(w) for w in state.world.workspaces if not w.is_prospect],
        "accounts": accounts, "app_credentials": app,
    }


@router.post("/clock")
def clock(body: ClockBody, request: Request) -> dict:
    """Set or advance the simulated clock, or change its speed."""
    c = _state(request).clock
    if body.now is not None or body.speed is not None:
        c.set(body.now, body.speed)
    if body.advance_seconds:
        c.advance(body.advance_seconds)
    return {"now": c.now().isoformat(), "speed": c.speed}


@router.get("/clock")
def get_clock(request: Request) -> dict:
    c = _state(request).clock
    return {"now": c.now().isoformat(), "speed": c.speed}


@router.post("/faults")
def set_faults(body: dict, request: Request) -> dict:
    state = _state(request)
    try:
        state.set_faults(body)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    return state.describe_faults()


@router.post("/revoke")
def revoke(body: dict, request: Request) -> dict:
    """Revoke every token of one account (body: platform, platform_account_id)."""
    state = _state(request)
    state.tokens.revoke(GROUPS[body["platform"]], str(body["platform_account_id"]))
    return {"revoked": body}


def _truth_accounts(state: SandboxState, include_prospects: bool,
                    account_id: str | None = None) -> list[Account]:
    """The accounts ground truth covers: prospects' accounts (no agency has connected them
    yet) only when asked for, or named by id."""
    prospects = {w.workspace_key for w in state.world.workspaces if w.is_prospect}
    return [a for a in state.world.accounts
            if include_prospects or a.workspace_key not in prospects
            or a.platform_account_id == account_id]


@router.get("/truth/accounts")
def truth_accounts(request: Request, at: datetime | None = None,
                   include_prospects: bool = False) -> list[dict]:
    state = _state(request)
    when = _at(state, at)
    return [account_json(state, a, when) for a in _truth_accounts(state, include_prospects)]


@router.get("/truth/posts")
def truth_posts(request: Request, platform: str | None = None, account_id: str | None = None,
                at: datetime | None = None, include_invisible: bool = True,
                include_prospects: bool = False) -> list[dict]:
    """Every post published by ``at`` (deleted ones flagged), with true metrics at ``at``."""
    state = _state(request)
    when = _at(state, at)
    out = []
    for a in _truth_accounts(state, include_prospects, account_id):
        if (platform and a.platform != platform) or (account_id and
                                                     a.platform_account_id != account_id):
            continue
        for k in range(state.world.post_count(a, when)):
            post = state.world.post(a, k)
            if include_invisible or post.visible_at(when):
                out.append(post_json(state, post, when))
    return out


@router.get("/truth/curve/{platform}/{post_id}")
def truth_curve(platform: str, post_id: str, request: Request, hours: float = 72,
                step_minutes: float = Query(60, gt=0)) -> dict:
    """A post's true metric curve from posting, sampled every ``step_minutes``."""
    state = _state(request)
    post = ids.find_post(state.world, platform, post_id)
    if post is None:
        raise HTTPException(404, "no such post")
    points, t, end = [], post.created_at, post.created_at + timedelta(hours=hours)
    while t <= end:
        points.append({"at": t.isoformat(), **state.world.metrics(post, t)})
        t += timedelta(minutes=step_minutes)
    return {"post": post_json(state, post, state.now()), "curve": points}


@router.get("/truth/comments")
def truth_comments(request: Request, platform: str | None = None,
                   at: datetime | None = None, include_prospects: bool = False) -> list[dict]:
    """Every comment visible at ``at`` on visible posts."""
    state = _state(request)
    when = _at(state, at)
    out = []
    for a in _truth_accounts(state, include_prospects):
        if platform and a.platform != platform:
            continue
        for k in range(state.world.post_count(a, when)):
            for c in state.world.comments(state.world.post(a, k), when):
                out.append({"platform": a.platform, "comment_id": ids.comment_id(c),
                            "post_id": ids.post_id(c.post), "created_at": c.created_at.isoformat(),
                            "text": c.text, "sentiment": c.sentiment, "language": c.language})
    return out


@router.get("/requests")
def requests_log(request: Request, platform: str | None = None) -> list[dict]:
    """API requests received since the last reset or clear (for counting calls in tests)."""
    return [r for r in _state(request).requests if not platform or r["platform"] == platform]


@router.delete("/requests")
def clear_requests(request: Request) -> dict:
    _state(request).requests.clear()
    return {"cleared": True}
