"""Bulk benchmark worlds: a short real sync of every account, then its history repeated in SQL.

A sync of 1M posts through the sources takes hours on this machine (issue 17: about 1.8 ms of
CPU per row), which is the ingest figure, not setup. For the figures that only read the marts
(the endpoints), a world is built in two steps:

1. the sandbox world with every account and a short history (``base_posts`` posts each, at the
   world's posting rate) is synced through the real sources, so the raw tables hold exactly
   what the sources write (dlt columns, hints, account and follower rows);
2. the post, post-snapshot and comment rows are copied ``factor - 1`` times inside Postgres,
   copy ``k`` with every id suffixed ``~k`` and every time moved ``k`` histories back, its
   observations too: copy ``k`` is the base as a sync ``k`` histories ago saw it, so the
   posting rate per account stays the same, the history is ``factor`` times as long, and an
   old post's snapshots are old (where a first sync observes every post at once).

``dbt build`` then produces the marts from those raw tables as in production. A world that is
cycled (``BulkWorlds``) syncs a base longer than the sources' polling window, so no copy is
ever due for a re-poll: the sandbox does not know the copies' ids.
"""

from __future__ import annotations

import math
import os

import psycopg
from _world import (
    Sandbox,
    Worlds,
    WorldSize,
    progress,
    query,
    raw_post_count,
    seeded_database,
    sync,
)

from dlt_sources.contracts import all_tables
from socialpulse.seed import source_secrets_env

# columns that point at a post, per comment table (the join the conformed comment models make)
COMMENT_POST_COLUMN = {"replies": "conversation_id", "instagram_comments": "media_id",
                       "facebook_comments": "post_id", "comments": "post_id"}
# the longest window a source re-reads a post in (LinkedIn's and Meta's 28 days), plus a day:
# a cycled world's copies are all older
POLLING_WINDOW_DAYS = 29


def base_config(size: WorldSize, accounts: int, base_posts: int) -> dict:
    """Sandbox knobs of the synced base: ``base_posts`` per account at the world's rate."""
    base = min(base_posts, max(1, round(size.posts / accounts)))
    return {"workspaces_per_agency": size.workspaces, "posts_per_account": base,
            "history_days": max(1.0, base / size.posts_per_day),
            "comments_per_post": size.comments_per_post}


def _expressions(table, columns: list[str]) -> list[str]:
    """Per column of a raw table: the SQL of copy ``k``'s value (``k`` from generate_series)."""
    ids = set()
    if table.kind in ("post", "comment"):
        ids.add(table.primary_key[0])
    if table.kind == "post_snapshot":
        ids.add(table.primary_key[0])  # the post's id: (post id, observed_at)
    if table.kind == "comment":
        ids.add(COMMENT_POST_COLUMN[table.name])
    if table.name == "tweets":
        ids.add("conversation_id")  # a tweet's own thread, which replies point at
    shifted = {c.name for c in table.columns if c.data_type == "timestamp"}
    out = []
    for column in columns:
        quoted = f'"{column}"'
        if column in ids or column == "_dlt_id":
            out.append(f"{quoted} || '~' || k")
        elif column in shifted:
            out.append(f"{quoted} - k * %(span)s::interval")
        else:
            out.append(quoted)
    return out


def multiply(url: str, factor: int, history_days: float) -> int:
    """Copy every post, post snapshot and comment row ``factor - 1`` times (see module doc);
    returns the rows inserted."""
    if factor <= 1:
        return 0
    span = f"{history_days * 86400:.0f} seconds"
    inserted = 0
    with psycopg.connect(url) as conn:
        for contract, table in all_tables():
            if table.kind not in ("post", "post_snapshot", "comment"):
                continue
            columns = [r["column_name"] for r in query(
                url, "select column_name from information_schema.columns "
                     "where table_schema = %s and table_name = %s order by ordinal_position",
                (contract.dataset, table.name))]
            if not columns:
                continue  # a platform of the source without accounts in the world
            name = f'"{contract.dataset}"."{table.name}"'
            select = ", ".join(_expressions(table, columns))
            targets = ", ".join(f'"{c}"' for c in columns)
            cursor = conn.execute(
                f"insert into {name} ({targets}) "
                f"select {select} from {name}, generate_series(1, %(copies)s) as k",
                {"span": span, "copies": factor - 1})
            inserted += cursor.rowcount
            conn.commit()
            conn.execute(f"analyze {name}")
    return inserted


def reset_base(box: Sandbox, size: WorldSize, base_posts: int) -> tuple[dict, dict]:
    """The sandbox reset to the synced base of ``size``: (the world, its knobs); the world's
    secrets are exported for the sources."""
    counted = box.http.post("/_sandbox/reset", json={"config": {
        "workspaces_per_agency": size.workspaces, "posts_per_account": 1}}).raise_for_status()
    config = base_config(size, int(counted.json()["accounts"]), base_posts)
    box.http.post("/_sandbox/reset", json={"config": config}).raise_for_status()
    world = box.http.get("/_sandbox/world").raise_for_status().json()
    os.environ.update(source_secrets_env(world))
    return world, config


def loaded(box: Sandbox, size: WorldSize, base_posts: int = 10) -> str:
    """A database holding about ``size.posts`` posts: a real sync of every account's short
    history, then as many copies of it as reach the size (the posts the sources loaded
    decide: competitors of some platforms have none)."""
    return load(box, size, base_posts)[0]


def load(box: Sandbox, size: WorldSize, base_posts: int,
         whole_base_only: bool = False) -> tuple[str, int]:
    """:func:`loaded`, with the rows the real sync loaded; with ``whole_base_only`` a world
    whose size leaves the base shorter than ``base_posts`` is not copied (its copies would
    not be as old as a whole base)."""
    world, config = reset_base(box, size, base_posts)
    progress(f"bulk world: {len(world['accounts'])} accounts, {config['posts_per_account']} "
             f"posts each over {config['history_days']:g} days synced ...")
    url = seeded_database(world)
    rows = sync(url)
    synced = raw_post_count(url)
    factor = max(1, math.ceil(size.posts / max(1, synced)))
    if whole_base_only and config["posts_per_account"] < base_posts:
        factor = 1
    copied = multiply(url, factor, config["history_days"])
    progress(f"  {rows:,} rows ({synced:,} posts) synced; x{factor} in SQL: {copied:,} rows "
             f"copied, {raw_post_count(url):,} posts over "
             f"{factor * config['history_days']:g} days")
    return url, rows


class BulkWorlds(Worlds):
    """Worlds for a cycle: a real sync of the last ``base_days`` (longer than the polling
    window, so the cycle polls only posts the sandbox knows), older history copied in SQL;
    the first build leaves the tests to the cycles (setup, not a figure)."""

    how = "a real sync of the polling window, older history copied in SQL"

    def __init__(self, box: Sandbox, base_days: float = POLLING_WINDOW_DAYS):
        super().__init__(box)
        self.base_days = base_days

    def _base_posts(self, size: WorldSize) -> int:
        return math.ceil(self.base_days * size.posts_per_day)

    def reset(self, size: WorldSize) -> dict:
        return reset_base(self.box, size, self._base_posts(size))[0]

    def load(self, size: WorldSize) -> tuple[str, int]:
        return load(self.box, size, self._base_posts(size), whole_base_only=True)

    def build(self, url: str) -> None:
        import tempfile

        from socialpulse.transform import run_dbt

        with tempfile.TemporaryDirectory(prefix="sp-bench-dbt-") as target:
            run_dbt(["build", "--quiet", "--target-path", target,
                     "--exclude-resource-type", "test", "unit_test"], url)


def accounts_per_workspace(box: Sandbox) -> int:
    """Accounts the sandbox gives one client workspace (owned and competitors)."""
    counted = box.http.post("/_sandbox/reset", json={"config": {
        "workspaces_per_agency": 1, "posts_per_account": 1}}).raise_for_status()
    agencies = box.http.get("/_sandbox/world").raise_for_status().json()["config"]["agencies"]
    return max(1, int(counted.json()["accounts"]) // int(agencies))


def build(url: str, models: tuple[str, ...]) -> None:
    """``dbt build`` of ``models`` and every model they read (tests included), in a target
    folder of its own: only what a benchmark reads, not every mart of a first build."""
    import tempfile

    from socialpulse.transform import DbtRunError, run_dbt

    # cautious: no test of a mart outside the selection (a relationship to accounts, say)
    with tempfile.TemporaryDirectory(prefix="sp-bench-dbt-") as target:
        try:
            run_dbt(["build", "--quiet", "--target-path", target, "--indirect-selection",
                     "cautious", "--select", " ".join(f"+{m}" for m in models)], url)
        except DbtRunError as error:
            # a data test that fails on a copied world is reported, a model that fails is not
            # a world
            if any(line.startswith("model.") for line in str(error).splitlines()):
                raise
            progress(f"  dbt tests failed (figures still measured): {error}")
    # statistics as autovacuum leaves them a while after a build (the plans of a settled
    # warehouse, not of tables nobody analysed yet)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("analyze")


def forget_cache(redis_url: str, prefix: str) -> None:
    """Delete the response cache entries a benchmark server wrote under ``prefix``."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_connect_timeout=1)
    try:
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    except redis.RedisError:
        pass  # no Redis, nothing cached
