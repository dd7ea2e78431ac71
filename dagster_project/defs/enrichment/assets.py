"""Sentiment of posts and comments, scored once each into enrichment.*_sentiment.

Only texts without a score are read (an anti-join in SQL), in batches, so a cycle costs what the
new texts cost. Rows are written with COPY into a temporary table and ``insert ... on conflict do
nothing``: re-running never duplicates and never rescores. Each row records its tier (fast or
accurate, ``socialpulse.sentiment.tiers``); budget left after the new rows re-scores rows an
earlier run scored fast, oldest first (``update ... where tier = 'fast'``).
"""


import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import dagster as dg
from psycopg import sql

from dagster_project.constants import COMMENT_SENTIMENT, POST_SENTIMENT, raw_key
from dagster_project.resources import WarehouseResource
from dlt_sources.contracts import Kind, all_tables
from socialpulse.sentiment.tiers import TieredScorer
from socialpulse.warehouse import DictConnection

BATCH_SIZE = 5000


@dataclass(frozen=True)
class TextSource:
    """Where one platform keeps the texts of one kind (raw table, id and text columns)."""

    platform: str
    group: str
    table: str
    id_column: str
    text_column: str


def text_sources(kind: Kind) -> tuple[TextSource, ...]:
    """Every raw table of ``kind`` (post|comment) with a text column, from the contracts.
    post_id / comment_id are the platform ids (the tables' keys) the staging models expose."""
    return tuple(TextSource(t.platform, c.source, t.name, t.primary_key[0], t.text_column)
                 for c, t in all_tables() if t.kind == kind and t.text_column)


POST_TEXTS = text_sources("post")
COMMENT_TEXTS = text_sources("comment")
KINDS = {"post": (POST_SENTIMENT, POST_TEXTS), "comment": (COMMENT_SENTIMENT, COMMENT_TEXTS)}


def _columns(conn: DictConnection, schema: str, table: str) -> set[str]:
    rows = conn.execute("select column_name from information_schema.columns "
                        "where table_schema = %s and table_name = %s", (schema, table))
    return {r["column_name"] for r in rows.fetchall()}


def unscored_query(conn: DictConnection, kind: str, fast_scored: bool = False
                   ) -> sql.Composed | None:
    """SELECT (platform, id, text) of texts not yet scored, over the raw tables that exist;
    with ``fast_scored``, of texts the fast tier scored instead (oldest score first)."""
    target, sources = KINDS[kind]
    parts = []
    for s in sources:
        if not {s.id_column, s.text_column} <= _columns(conn, f"raw_{s.group}", s.table):
            continue  # platform not connected yet (or the source is older than the contract)
        parts.append(sql.SQL(
            "select {platform}::text as platform, r.{id}::text as item_id, r.{text} as text "
            "from {tbl} r where r.{text} is not null and btrim(r.{text}) <> '' "
            "and not exists (select 1 from {target} e where e.platform = {platform} "
            "and e.{target_id} = r.{id}::text)" if not fast_scored else
            "select {platform}::text as platform, r.{id}::text as item_id, r.{text} as text, "
            "e.scored_at from {tbl} r join {target} e on e.platform = {platform} "
            "and e.{target_id} = r.{id}::text and e.tier = 'fast' "
            "where r.{text} is not null").format(
            platform=sql.Literal(s.platform), id=sql.Identifier(s.id_column),
            text=sql.Identifier(s.text_column), tbl=sql.Identifier(f"raw_{s.group}", s.table),
            target=sql.Identifier(*target.path), target_id=sql.Identifier(f"{kind}_id")))
    if not parts:
        return None
    order = sql.SQL(" order by scored_at, platform, item_id") if fast_scored else sql.SQL("")
    return sql.SQL(" union all ").join(parts) + order + sql.SQL(" limit %s")


def _write(conn: DictConnection, kind: str, rows: list[tuple[Any, ...]],
           upgrade: bool = False) -> int:
    target, _ = KINDS[kind]
    conn.execute(sql.SQL("create temporary table if not exists scored (like {} including "
                         "defaults) on commit drop").format(sql.Identifier(*target.path)))
    cols = ["platform", f"{kind}_id", "label", "compound", "language", "model_version", "tier"]
    copy = sql.SQL("copy scored ({}) from stdin").format(
        sql.SQL(", ").join(map(sql.Identifier, cols)))
    with conn.cursor().copy(copy) as cp:
        for row in rows:
            cp.write_row(row)
    t, c = sql.Identifier(*target.path), sql.SQL(", ").join(map(sql.Identifier, cols))
    if upgrade:
        # only rows still fast-scored: a concurrent run's upgrade is never overwritten
        return conn.execute(sql.SQL(
            "update {t} e set ({c}, scored_at) = (select {c}, now() from scored s "
            "where s.platform = e.platform and s.{id} = e.{id}) where e.tier = 'fast' "
            "and exists (select 1 from scored s where s.platform = e.platform "
            "and s.{id} = e.{id})").format(t=t, c=c, id=sql.Identifier(f"{kind}_id"))).rowcount
    return conn.execute(sql.SQL(
        "insert into {t} ({c}, scored_at) select {c}, now() from scored "
        "on conflict do nothing").format(t=t, c=c)).rowcount


def _rows(batch: list[dict[str, Any]], results: list[Any]) -> list[tuple[Any, ...]]:
    return [(r["platform"], r["item_id"], s.label, s.compound, s.language, s.model_version,
             s.tier) for r, s in zip(batch, results, strict=True)]


def score_new(conn: DictConnection, kind: str, scorer: TieredScorer | None = None,
              batch_size: int = BATCH_SIZE) -> dict[str, Any]:
    """Score every unscored text of ``kind`` (post|comment); returns what was done."""
    scorer = scorer or TieredScorer.from_settings()
    query = unscored_query(conn, kind)
    scored = 0
    labels: dict[str, int] = {}
    tiers: dict[str, int] = {}
    seconds = 0.0
    while query is not None:
        batch = conn.execute(query, (batch_size,)).fetchall()
        if not batch:
            break
        started = time.perf_counter()
        results = scorer.score([r["text"] for r in batch])
        seconds += time.perf_counter() - started
        inserted = _write(conn, kind, _rows(batch, results))
        conn.commit()
        scored += inserted
        for s in results:
            labels[s.label] = labels.get(s.label, 0) + 1
            tiers[s.tier] = tiers.get(s.tier, 0) + 1
        if inserted == 0 or len(batch) < batch_size:
            break  # the anti-join is exhausted (inserted == 0 guards against a loop)
    return {"rows_scored": scored, "labels": labels, "tiers": tiers,
            "texts_per_second": round(scored / seconds, 1) if seconds else 0.0}


def upgrade_fast(conn: DictConnection, kind: str, scorer: TieredScorer,
                 batch_size: int = BATCH_SIZE) -> int:
    """Re-score rows of ``kind`` the fast tier scored, as many as the budget left covers."""
    query = unscored_query(conn, kind, fast_scored=True)
    upgraded = 0
    while query is not None and (n := scorer.upgrade_capacity(batch_size)) > 0:
        batch = conn.execute(query, (n,)).fetchall()
        if not batch:
            break
        done = _write(conn, kind, _rows(batch, scorer.upgrade([r["text"] for r in batch])),
                      upgrade=True)
        conn.commit()
        upgraded += done
        if done == 0:
            break
    return upgraded


@dg.multi_asset(
    name="sentiment",
    specs=[
        dg.AssetSpec(POST_SENTIMENT, group_name="enrichment", kinds={"python", "postgres"},
                     deps=[raw_key(s.group, s.table) for s in POST_TEXTS],
                     description="Sentiment of every post text (socialpulse.sentiment), "
                                 "scored once per post."),
        dg.AssetSpec(COMMENT_SENTIMENT, group_name="enrichment", kinds={"python", "postgres"},
                     deps=[raw_key(s.group, s.table) for s in COMMENT_TEXTS],
                     description="Sentiment of every comment text, scored once per comment."),
    ],
    can_subset=True,
)
def sentiment(context: dg.AssetExecutionContext, warehouse: WarehouseResource
              ) -> Iterator[dg.MaterializeResult]:
    """Score the posts and comments that have no sentiment row yet, then upgrade fast rows."""
    scorer = TieredScorer.from_settings()
    if scorer.fallback_reason:
        context.log.warning("accurate sentiment tier off: %s", scorer.fallback_reason)
    selected = [(kind, key) for kind, (key, _) in KINDS.items()
                if key in context.selected_asset_keys]
    done = {}
    for kind, _key in selected:
        with warehouse.connect() as conn:
            done[kind] = score_new(conn, kind, scorer)
        context.log.info("%s sentiment: %d rows scored (%.0f texts/s), tiers %s", kind,
                         done[kind]["rows_scored"], done[kind]["texts_per_second"],
                         done[kind]["tiers"])
    for kind, _key in selected:
        with warehouse.connect() as conn:
            done[kind]["rows_upgraded"] = upgrade_fast(conn, kind, scorer)
    rate = scorer.budget.texts_per_second
    for kind, key in selected:
        yield dg.MaterializeResult(asset_key=key, metadata={
            "rows_scored": done[kind]["rows_scored"],
            "rows_upgraded": done[kind]["rows_upgraded"],
            "texts_per_second": dg.MetadataValue.float(float(done[kind]["texts_per_second"])),
            "labels": dg.MetadataValue.json(done[kind]["labels"]),
            "tiers": dg.MetadataValue.json(done[kind]["tiers"]),
            "sentiment_tier": scorer.tier,
            "accurate_texts_per_second": dg.MetadataValue.float(round(rate or 0.0, 1)),
            "accurate_budget_spent_s": dg.MetadataValue.float(round(scorer.budget.spent, 2)),
        })
