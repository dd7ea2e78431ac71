"""Sentiment of posts and comments, scored once each into enrichment.*_sentiment.

Only texts without a score are read (an anti-join in SQL), in batches, so a cycle costs what the
new texts cost. Rows are written with COPY into a temporary table and ``insert ... on conflict do
nothing``: re-running never duplicates and never rescores.
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


def unscored_query(conn: DictConnection, kind: str) -> sql.Composed | None:
    """SELECT (platform, id, text) of texts not yet scored, over the raw tables that exist."""
    target, sources = KINDS[kind]
    parts = []
    for s in sources:
        if not {s.id_column, s.text_column} <= _columns(conn, f"raw_{s.group}", s.table):
            continue  # platform not connected yet (or the source is older than the contract)
        parts.append(sql.SQL(
            "select {platform}::text as platform, r.{id}::text as item_id, r.{text} as text "
            "from {tbl} r where r.{text} is not null and btrim(r.{text}) <> '' "
            "and not exists (select 1 from {target} e where e.platform = {platform} "
            "and e.{target_id} = r.{id}::text)").format(
            platform=sql.Literal(s.platform), id=sql.Identifier(s.id_column),
            text=sql.Identifier(s.text_column), tbl=sql.Identifier(f"raw_{s.group}", s.table),
            target=sql.Identifier(*target.path), target_id=sql.Identifier(f"{kind}_id")))
    if not parts:
        return None
    return sql.SQL(" union all ").join(parts) + sql.SQL(" limit %s")


def _write(conn: DictConnection, kind: str, rows: list[tuple[Any, ...]]) -> int:
    target, _ = KINDS[kind]
    conn.execute(sql.SQL("create temporary table if not exists scored (like {} including "
                         "defaults) on commit drop").format(sql.Identifier(*target.path)))
    cols = ["platform", f"{kind}_id", "label", "compound", "language", "model_version"]
    copy = sql.SQL("copy scored ({}) from stdin").format(
        sql.SQL(", ").join(map(sql.Identifier, cols)))
    with conn.cursor().copy(copy) as cp:
        for row in rows:
            cp.write_row(row)
    inserted = conn.execute(sql.SQL(
        "insert into {t} ({c}, scored_at) select {c}, now() from scored "
        "on conflict do nothing").format(
        t=sql.Identifier(*target.path),
        c=sql.SQL(", ").join(map(sql.Identifier, cols)))).rowcount
    return inserted


def score_new(conn: DictConnection, kind: str, batch_size: int = BATCH_SIZE
              ) -> dict[str, Any]:
    """Score every unscored text of ``kind`` (post|comment); returns what was done."""
    from socialpulse.sentiment import score_texts

    query = unscored_query(conn, kind)
    scored = 0
    labels: dict[str, int] = {}
    seconds = 0.0
    while query is not None:
        batch = conn.execute(query, (batch_size,)).fetchall()
        if not batch:
            break
        started = time.perf_counter()
        results = score_texts([r["text"] for r in batch])
        seconds += time.perf_counter() - started
        inserted = _write(conn, kind, [
            (r["platform"], r["item_id"], s.label, s.compound, s.language, s.model_version)
            for r, s in zip(batch, results, strict=True)])
        conn.commit()
        scored += inserted
        for s in results:
            labels[s.label] = labels.get(s.label, 0) + 1
        if inserted == 0 or len(batch) < batch_size:
            break  # the anti-join is exhausted (inserted == 0 guards against a loop)
    return {"rows_scored": scored, "labels": labels,
            "texts_per_second": round(scored / seconds, 1) if seconds else 0.0}




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
    """Score the posts and comments that have no sentiment row yet."""
    for kind, (key, _) in KINDS.items():
        if key not in context.selected_asset_keys:
            continue
        with warehouse.connect() as conn:
            done = score_new(conn, kind)
        context.log.info("%s sentiment: %d rows scored (%.0f texts/s)", kind,
                         done["rows_scored"], done["texts_per_second"])
        yield dg.MaterializeResult(asset_key=key, metadata={
            "rows_scored": done["rows_scored"],
            "texts_per_second": dg.MetadataValue.float(float(done["texts_per_second"])),
            "labels": dg.MetadataValue.json(done["labels"]),
        })
