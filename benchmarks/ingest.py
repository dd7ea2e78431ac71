"""Ingest: a full sync through the dlt sources vs a plain COPY of the same rows.

For each size: a fresh world is synced over HTTP by ``dlt_sources.runner.sync`` in a process of
its own (its CPU seconds and peak RSS are the sync's alone; the sandbox's and Postgres's are
measured beside it), then the rows it wrote are read back, the tables emptied and the same rows
COPYed into the same tables. Rows are the rows in the raw tables (dlt's own tables left out).

    .venv/bin/python benchmarks/ingest.py --sizes 5000,100000 --repeat 3
    .venv/bin/python benchmarks/ingest.py --before HEAD~3   # + the sources of an earlier commit

With ``--before REV`` every run also syncs the same world with the sources of commit ``REV``
(checked out in a temporary git worktree and put first on the child's ``PYTHONPATH``), measured
by the same child, so "before" and "ours" come from one invocation.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import _world
import psycopg
from _checkout import checkout
from _cpu import PostgresCpu, cpu_seconds
from _table import Table, arguments, sizes

HERE = Path(__file__).resolve().parent


def raw_tables(url: str) -> list[str]:
    """The raw tables the sources wrote (quoted schema.table), dlt's bookkeeping left out."""
    return [f'"{r["table_schema"]}"."{r["table_name"]}"' for r in _world.query(
        url, "select table_schema, table_name from information_schema.tables "
             "where table_schema like 'raw\\_%%' and table_type = 'BASE TABLE' "
             "and table_name not like '\\_dlt\\_%%' order by 1, 2")]


def timed_sync(url: str, box: _world.Sandbox, code: str | None = None) -> dict:
    """Run the sync in a child process (with the sources under ``code`` when given); its
    figures plus the sandbox's and Postgres's CPU."""
    env = dict(os.environ)
    if code:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [code, env.get("PYTHONPATH")]))
    sandbox_before = cpu_seconds(box.pid)
    with PostgresCpu(url.rsplit("/", 1)[1]) as pg:
        child = subprocess.Popen([sys.executable, str(HERE / "_sync_child.py"), url],
                                 stdout=subprocess.PIPE, text=True, env=env)
        assert child.stdout is not None
        lines = []
        for line in child.stdout:
            lines.append(line)
            if not line.startswith("{"):
                print(line, end="", flush=True)
        if child.wait() != 0:
            raise RuntimeError("the sync failed (see above)")
    figures = json.loads(lines[-1])
    figures["sandbox_cpu_s"] = cpu_seconds(box.pid) - sandbox_before
    figures["postgres_cpu_s"] = pg.seconds
    return figures


def timed_copy(url: str) -> tuple[int, float]:
    """Read the raw rows out, empty the tables, COPY the rows back; (rows, COPY seconds)."""
    tables = raw_tables(url)
    dumps: dict[str, bytes] = {}
    with psycopg.connect(url) as conn:
        for table in tables:
            with conn.cursor().copy(f"copy {table} to stdout") as copy:
                dumps[table] = b"".join(bytes(chunk) for chunk in copy)
        conn.execute(f"truncate {', '.join(tables)}")
        conn.commit()
        started = time.perf_counter()
        for table, data in dumps.items():
            with conn.cursor().copy(f"copy {table} from stdin") as copy:
                copy.write(data)
        conn.commit()
        seconds = time.perf_counter() - started
    rows = sum(int(_world.query(url, f"select count(*) as n from {t}")[0]["n"]) for t in tables)
    return rows, seconds


def before_run(box: _world.Sandbox, size: _world.WorldSize, code: str, table: Table,
               rev: str) -> None:
    """The same world synced by the sources of ``rev``: its rows, seconds and CPU."""
    url = _world.seeded_database(box.reset(size))
    try:
        sync = timed_sync(url, box, code)
    finally:
        _world.drop_database(url)
    label = f"{size.posts:,} posts requested, sources of {rev}"
    table.row(f"BEFORE rows/s, {label}").ours.append(sync["rows"] / sync["seconds"])
    table.row(f"BEFORE sync process CPU, {label}", "s").ours.append(sync["cpu_s"])
    table.row(f"BEFORE rows per sync CPU-second, {label}").ours.append(
        sync["rows"] / sync["cpu_s"])
    table.row(f"BEFORE rows loaded, {label}").ours.append(sync["rows"])


def main() -> None:
    parser = arguments(__doc__.splitlines()[0], "5000")
    parser.add_argument("--before", default=None,
                        help="also sync each world with the sources of this git revision")
    args = parser.parse_args()
    _world.prepare_environment()
    table = Table("ingest", "plain COPY of the same rows")
    with _world.sandbox() as box, checkout(args.before) as before:
        for size in sizes(args.sizes):
            world_size = _world.WorldSize(size, workspaces=args.workspaces)
            for n in range(args.repeat):
                if before:
                    _world.progress(f"{size} posts, run {n + 1}/{args.repeat}: sync with the "
                                    f"sources of {args.before} ...")
                    before_run(box, world_size, before, table, args.before)
                _world.progress(f"{size} posts, run {n + 1}/{args.repeat}: sync ...")
                url = _world.seeded_database(box.reset(world_size))
                try:
                    sync = timed_sync(url, box)
                    posts = _world.raw_post_count(url)
                    _world.progress(f"  {sync['rows']} rows ({posts} posts) in "
                                    f"{sync['seconds']:.1f}s; COPY of the same rows ...")
                    rows, copy_s = timed_copy(url)
                finally:
                    _world.drop_database(url)
                label = f"{posts:,} posts"
                table.row(f"rows/s, {label} ({rows:,} rows)").ours.append(rows / sync["seconds"])
                table.row(f"rows/s, {label} ({rows:,} rows)").baseline.append(rows / copy_s)
                table.row(f"seconds, {label}", "s").ours.append(sync["seconds"])
                table.row(f"seconds, {label}", "s").baseline.append(copy_s)
                table.row(f"sync process CPU, {label}", "s").ours.append(sync["cpu_s"])
                table.row(f"sync CPU per row, {label}", "ms").ours.append(
                    1000 * sync["cpu_s"] / rows)
                table.row(f"rows per sync CPU-second, {label}").ours.append(rows / sync["cpu_s"])
                table.row(f"sync process imports CPU (not in the above), {label}",
                          "s").ours.append(sync["import_cpu_s"])
                table.row(f"sandbox CPU, {label}", "s").ours.append(sync["sandbox_cpu_s"])
                table.row(f"Postgres CPU (sampled, lower bound), {label}", "s").ours.append(
                    sync["postgres_cpu_s"])
                table.row(f"sync peak RSS, {label}", "MB").ours.append(sync["peak_rss_mb"])
    table.notes += [
        f"sizes {args.sizes} posts requested, {args.workspaces} workspaces, "
        f"{args.repeat} run(s) each; the posts column is what the sources loaded",
        "sync: dlt_sources.runner.sync over HTTP against the sandbox in its own process, "
        "seconds from its start to its last load; COPY: text COPY FROM STDIN into the same "
        "emptied tables in one transaction",
        "sync CPU: the child's user+system time from after its imports (dlt, the sources) to "
        "its last load; the imports' CPU is its own row",
    ]
    if args.before:
        table.notes.append(f"BEFORE rows: the same world and child with the sources of "
                           f"{args.before} (a git worktree first on PYTHONPATH), run just "
                           "before ours each time")
    table.publish(args.out)


if __name__ == "__main__":
    main()
