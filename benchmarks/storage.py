"""Database bytes per post after N simulated 15-minute cycles, beside the bytes after the load.

For each size: a synced and built world is copied and measured (the baseline), then N times the
sandbox's clock moves on 15 minutes and one cycle runs (``dagster_project.cycle.run_cycle``);
then it is measured again. Bytes are ``pg_total_relation_size`` (tables, indexes, TOAST, dead
rows not yet vacuumed) of every table in the raw_*, staging, intermediate, marts and
enrichment schemas; posts are the rows of marts.posts. A month of 15-minute cycles is 2,880.

    .venv/bin/python benchmarks/storage.py --sizes 100000 --cycles 96
"""

from __future__ import annotations

import _world
from _table import Table, arguments, sizes
from cycle import timed_cycle

SIZES = """
select case when n.nspname like 'raw\\_%%' then 'raw' else n.nspname end as layer,
       sum(pg_total_relation_size(c.oid))::bigint as bytes
from pg_class as c
join pg_namespace as n on n.oid = c.relnamespace
where c.relkind in ('r', 'p', 'm')
  and (n.nspname like 'raw\\_%%' or n.nspname = any(%s))
group by 1
"""
LAYERS = ("raw", "staging", "intermediate", "marts", "enrichment")
MONTH = 2880


def snapshot_storage(url: str) -> dict[str, tuple[int, int]]:
    """(rows, bytes with indexes, over every partition) of the raw and the intermediate
    snapshot tables."""
    from dagster_project.defs.storage.snapshots import (
        INTERMEDIATE_SNAPSHOT_TABLES,
        raw_snapshot_tables,
    )

    found: dict[str, tuple[int, int]] = {}
    for layer, tables in (("raw", raw_snapshot_tables()),
                          ("intermediate", INTERMEDIATE_SNAPSHOT_TABLES)):
        rows = size = 0
        for t in tables:
            name = f'"{t.schema}"."{t.table}"'
            if _world.query(url, "select to_regclass(%s) is null as gone", (name,))[0]["gone"]:
                continue
            rows += int(_world.query(url, f"select count(*) as n from {name}")[0]["n"])
            size += int(_world.query(
                # pg_partition_tree lists nothing for a plain table
                url, "select coalesce((select sum(pg_total_relation_size(relid))"
                " from pg_partition_tree(%(t)s::regclass)),"
                " pg_total_relation_size(%(t)s::regclass)) as b", {"t": name})[0]["b"])
        found[layer] = (rows, size)
    return found


def measure(url: str) -> tuple[int, dict[str, int]]:
    """(posts, bytes per layer) of the warehouse at ``url``."""
    layers = {r["layer"]: int(r["bytes"]) for r in _world.query(url, SIZES, (list(LAYERS),))}
    return _world.post_count(url), layers


def main() -> None:
    parser = arguments(__doc__.splitlines()[0], "5000")
    parser.add_argument("--cycles", type=int, default=3, help="15-minute cycles to simulate")
    args = parser.parse_args()
    _world.prepare_environment()
    table = Table("storage", f"after the load, before {args.cycles} cycles")
    with _world.sandbox() as box:
        worlds = _world.Worlds(box)
        try:
            for size in sizes(args.sizes):
                for n in range(args.repeat):
                    url = worlds.loaded(_world.WorldSize(size, workspaces=args.workspaces),
                                        built=True)
                    try:
                        posts0, before = measure(url)
                        snaps0 = snapshot_storage(url)
                        for cycle in range(args.cycles):
                            _world.progress(f"{size} posts, run {n + 1}/{args.repeat}: cycle "
                                            f"{cycle + 1}/{args.cycles} ...")
                            timed_cycle(url, box)
                            if cycle == 0:
                                first = sum(measure(url)[1].values())
                        posts, after = measure(url)
                        snaps = snapshot_storage(url)
                    finally:
                        _world.drop_database(url)
                    label = f"{posts0:,} posts"
                    total = table.row(f"bytes per post, {label}", "B")
                    total.ours.append(sum(after.values()) / posts)
                    total.baseline.append(sum(before.values()) / posts0)
                    for layer in LAYERS:
                        row = table.row(f"  {layer} bytes per post, {label}", "B")
                        row.ours.append(after.get(layer, 0) / posts)
                        row.baseline.append(before.get(layer, 0) / posts0)
                    # the first cycle also scores every text loaded so far (sentiment):
                    # a one-off, so the steady growth is measured from the second cycle on
                    start, cycles = ((first, args.cycles - 1) if args.cycles > 1
                                     else (sum(before.values()), 1))
                    growth = (sum(after.values()) - start) / cycles
                    table.row(f"growth per cycle, {label}", "MB").ours.append(growth / 1e6)
                    table.row(f"a month of cycles at that rate, {label}", "GB").ours.append(
                        (sum(before.values()) + MONTH * growth) / 1e9)
                    for layer in ("raw", "intermediate"):
                        (rows0, size0), (rows, size) = snaps0[layer], snaps[layer]
                        row = table.row(f"  {layer} snapshot rows per post, {label}")
                        row.ours.append(rows / posts)
                        row.baseline.append(rows0 / posts0)
                        row = table.row(f"  {layer} bytes per snapshot row, {label}", "B")
                        row.ours.append(size / max(rows, 1))
                        row.baseline.append(size0 / max(rows0, 1))
                    table.row(f"posts after the cycles, {label}").ours.append(posts)
                    table.row(f"posts after the cycles, {label}").baseline.append(posts0)
        finally:
            worlds.close()
    table.notes += [
        f"sizes {args.sizes} posts requested, {args.workspaces} workspaces, {args.cycles} "
        f"cycles, {args.repeat} run(s); growth per cycle is measured from the second cycle on "
        "(the first also scores every text loaded so far), the month is a linear projection "
        f"({MONTH} cycles) of it",
        "bytes: pg_total_relation_size of every table and materialized view per layer, "
        "as left by the cycles (no extra vacuum)",
    ]
    table.publish(args.out)


if __name__ == "__main__":
    main()
