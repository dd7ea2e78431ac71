"""Graph's usage headers and the app's own hourly budget: percentages that rise with the calls
made (the shared gate counts every Meta call per token and hour), X-Page-Usage on Facebook, and
the app-level limit once the app's budget is spent or during the world's throttled minutes."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta

from platform_sandbox.state import Decision, SandboxState


def app_calls(state: SandboxState, now: datetime) -> int:
    """Meta calls of this hour by every token of the app (the per-token counters' sum)."""
    window = int(now.timestamp()) // 3600
    with state._lock:
        return sum(n for key, n in state._counters.items()
                   if key[0] == "meta" and key[-1] == window)


def app_usage_pct(state: SandboxState, now: datetime) -> int:
    """X-App-Usage's share: this hour's calls of the app against its hourly budget."""
    limit = max(1, state.faults.meta_app_hourly_limit)
    return min(100, int(100 * app_calls(state, now) / limit))


def app_budget_spent(state: SandboxState, now: datetime) -> Decision | None:
    """The app-level limit during the world's throttled minutes
    (``WorldConfig.meta_app_throttled_minutes``, from ``meta_app_throttled_after_hours`` after
    the clock started) and once the app's calls of this hour exceed its budget (until the hour
    is over), else None."""
    config = state.world.config
    since = (state.started_at or config.start) + timedelta(
        hours=config.meta_app_throttled_after_hours)
    until = since + timedelta(minutes=config.meta_app_throttled_minutes)
    if since <= now < until:
        return Decision("app_throttled", usage_pct=100, reset_at=until)
    if app_calls(state, now) <= state.faults.meta_app_hourly_limit:
        return None
    window = int(now.timestamp()) // 3600
    return Decision("app_throttled", usage_pct=100,
                    reset_at=datetime.fromtimestamp((window + 1) * 3600, now.tzinfo))


def usage_headers(decision: Decision, platform: str, now: datetime,
                  app_pct: int | None = None) -> dict[str, str]:
    """Graph's usage headers for a Decision, percentages of the budgets that rise with the
    calls made: X-App-Usage (the app, ``app_pct``), X-Business-Use-Case-Usage (per business
    object: the token's account) and, on Facebook, X-Page-Usage (the Page). Each names
    ``estimated_time_to_regain_access`` (minutes) once its budget is spent."""
    pct = decision.usage_pct
    regain = 0
    if pct >= 100 and decision.reset_at is not None:
        regain = max(1, math.ceil((decision.reset_at - now).total_seconds() / 60))
    subject = decision.claims.subject if decision.claims else "0"
    shares = {"call_count": pct, "total_cputime": pct // 3, "total_time": pct // 2}
    buc = {subject: [{"type": "instagram" if platform == "instagram" else "pages",
                      **shares, "estimated_time_to_regain_access": regain}]}
    used = min(pct, 100) if app_pct is None else app_pct
    app = {"call_count": used, "total_cputime": used // 3, "total_time": used // 2}
    headers = {"X-App-Usage": json.dumps(app, separators=(",", ":")),
               "X-Business-Use-Case-Usage": json.dumps(buc, separators=(",", ":"))}
    if platform == "facebook":
        headers["X-Page-Usage"] = json.dumps(
            {**shares, "estimated_time_to_regain_access": regain}, separators=(",", ":"))
    return headers
