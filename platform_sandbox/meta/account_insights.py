"""Account-level daily insights: an Instagram user's ``follower_count`` (``GET
/{ig-user-id}/insights?metric=follower_count&period=day``).

Graph keeps this metric for the last 30 days only and not for accounts under 100 followers
(an empty ``data`` list, not zeros). Each value is the day's change in followers, labelled by
the Pacific-midnight ``end_time`` that closes the day (08:00 UTC the next day); the current day
is included with its value so far. The sandbox's followers move once per UTC day and it has no
separate unfollows, so a day's value is its net change (Graph counts new follows).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from platform_sandbox.meta.context import Ctx, graph_time
from platform_sandbox.meta.errors import GraphError, invalid_metric
from platform_sandbox.meta.metrics import insight_item, metric_list
from platform_sandbox.world import World
from platform_sandbox.world_objects import Account

IG_USER_METRICS = {"follower_count", "reach"}
HISTORY_DAYS = 30
MIN_FOLLOWERS = 100


def parse_unix(value: str | None) -> datetime | None:
    """A ``since``/``until`` parameter (unix seconds or ISO 8601)."""
    if not value:
        return None
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except ValueError:
        try:
            return datetime.fromisoformat(value).astimezone(UTC)
        except ValueError as exc:
            raise GraphError(100, f"(#100) Invalid timestamp: {value}") from exc


def day_end_time(day: date) -> str:
    """The ``end_time`` label of a day's value (the Pacific midnight that closes it)."""
    return graph_time(datetime.combine(day + timedelta(days=1), time(8), UTC))


def days_between(since: datetime, until: datetime) -> list[date]:
    """The UTC days from ``since``'s to ``until``'s, both included."""
    first, last = since.date(), until.date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def daily_followers(world: World, account: Account, day: date) -> int:
    """Followers at the end of a UTC day."""
    return world.followers(account, datetime.combine(day, time(23, 59, 59), UTC))


def user_insights(ctx: Ctx, account: Account, params: dict) -> dict:
    """``/{ig-user-id}/insights`` with period=day: ``follower_count`` for at most the last
    30 days (an older ``since`` is refused), ``reach`` as a share of followers."""
    metrics = metric_list(params.get("metric"))
    if any(m not in IG_USER_METRICS for m in metrics):
        raise invalid_metric()
    if params.get("period") != "day":
        raise GraphError(100, "(#100) period must be one of the following values: day")
    until = min(parse_unix(params.get("until")) or ctx.now, ctx.now)
    since = parse_unix(params.get("since")) or until - timedelta(days=2)
    oldest = (ctx.now - timedelta(days=HISTORY_DAYS)).date()
    if "follower_count" in metrics and since.date() < oldest:
        raise GraphError(100, "(#100) follower_count is only available for the last 30 days: "
                         f"since must not be before {oldest.isoformat()}")
    if since > until:
        raise GraphError(100, "(#100) since must be before until")
    world = ctx.world
    if world.followers(account, ctx.now) < MIN_FOLLOWERS:
        return {"data": []}
    data = []
    for metric in metrics:
        values = []
        for day in days_between(since, until):
            today = daily_followers(world, account, day)
            value = (today - daily_followers(world, account, day - timedelta(days=1))
                     if metric == "follower_count" else today // 4)
            values.append({"value": value, "end_time": day_end_time(day)})
        item = insight_item(account.platform_account_id, metric, 0, period="day")
        item["values"] = values
        data.append(item)
    return {"data": data, "paging": _time_paging(ctx, account, params, since, until)}


def _time_paging(ctx: Ctx, account: Account, params: dict, since: datetime,
                 until: datetime) -> dict:
    """Graph pages time-ranged insights by windows of the same length, before and after the
    one asked for (a ``next`` exists even when it lies in the future): a client that follows
    them never stops, so it must not."""
    span = until - since
    path = f"{account.platform_account_id}/insights"
    base = {k: params[k] for k in ("metric", "period") if k in params}

    def window(start: datetime) -> str:
        return ctx.link(path, **base, since=int(start.timestamp()),
                        until=int((start + span).timestamp()))

    return {"previous": window(since - span), "next": window(until)}
