"""Tokens for users of app.users."""

from fastapi import APIRouter, Depends, Request

from report_api.deps import (
    RATE_LIMITED,
    ConnDep,
    SettingsDep,
    UserDep,
    apply_limit,
    rate_limit_login,
)
from report_api.errors import ApiError
from report_api.queries import auth as queries
from report_api.ratelimit import RateLimiter
from report_api.routes.common import AUTH_ERRORS
from report_api.schemas.auth import Me, TokenRequest, TokenResponse
from report_api.security import issue_token, verify_password

router = APIRouter(prefix="/auth", tags=["auth"])
_ACCOUNT_LOCKED = "too many failed logins for this account; retry later"


def _check_account(limiter: RateLimiter, key: str, failed: bool) -> None:
    """Failed logins per account, in back-off tiers (e.g. 5 a minute, 20 an hour), whatever
    address they come from; ``failed`` counts one, otherwise only test."""
    for item in limiter.account_limits:
        apply_limit(limiter.check(item, key, hit=failed), None, _ACCOUNT_LOCKED)


@router.post("/token", response_model=TokenResponse, responses=AUTH_ERRORS,
             dependencies=[Depends(rate_limit_login)])
def create_token(body: TokenRequest, conn: ConnDep, settings: SettingsDep,
                 request: Request) -> TokenResponse:
    """Exchange email and password for a bearer token."""
    limiter: RateLimiter = request.app.state.limiter
    key = f"login-account:{body.email.lower()}"
    _check_account(limiter, key, failed=False)
    row = conn.execute(queries.USER_BY_EMAIL, {"email": body.email}).fetchone()
    if not verify_password(body.password, row["password_hash"] if row else None) or row is None:
        _check_account(limiter, key, failed=True)
        raise ApiError(401, "unauthorized", "invalid email or password",
                       headers={"WWW-Authenticate": "Bearer"})
    token, ttl = issue_token(settings, row["user_id"], row["role"],
                             version=row["token_version"])
    return TokenResponse(access_token=token, expires_in=ttl)


@router.get("/me", response_model=Me, responses=AUTH_ERRORS, dependencies=[RATE_LIMITED])
def me(user: UserDep) -> Me:
    """The token's user, role and visible workspaces."""
    return Me(user_id=user.user_id, email=user.email, role=user.role, agency_id=user.agency_id,
              workspace_ids=list(user.workspace_ids))
