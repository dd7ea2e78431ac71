"""First ``dbt build`` of a loaded world, beside a second build of the same data.

For each size: a synced world (never built) is copied, ``dbt build`` runs on it as the product
runs it (``socialpulse.transform.run_dbt``, its own target folder) and the slowest models of its
run_results.json are listed; the baseline is a second ``dbt build`` at once, with no new data,
which is what a build costs whatever is new.

    .venv/bin/python benchmarks/dbt_build.py --sizes 5000,100000 --repeat 3
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict

import _world
from _table import Table, arguments, sizes

TOP = 5


def timed_build(url: str) -> tuple[float, dict[str, float]]:
    """(wall seconds, model -> execution seconds) of one dbt build."""
    started = time.perf_counter()
    results = _world.dbt_build(url)
    models = {r["unique_id"].removeprefix("model.socialpulse."): r["execution_time"]
              for r in results["results"] if r["unique_id"].startswith("model.")}
    return time.perf_counter() - started, models


def main() -> None:
    args = arguments(__doc__.splitlines()[0], "5000").parse_args()
    _world.prepare_environment()
    table = Table("dbt_build", "a second build, no new data")
    with _world.sandbox() as box:
        worlds = _world.Worlds(box)
        try:
            for size in sizes(args.sizes):
                world_size = _world.WorldSize(size, workspaces=args.workspaces)
                per_model: dict[str, list[float]] = defaultdict(list)
                for n in range(args.repeat):
                    url = worlds.loaded(world_size)
                    try:
                        _world.progress(f"{size} posts, run {n + 1}/{args.repeat}: first "
                                        "dbt build ...")
                        first, models = timed_build(url)
                        _world.progress(f"  {first:.1f}s; second build ...")
                        second, _ = timed_build(url)
                        posts = _world.post_count(url)
                    finally:
                        _world.drop_database(url)
                    label = f"{posts:,} posts"
                    table.row(f"dbt build, {label}", "s").ours.append(first)
                    table.row(f"dbt build, {label}", "s").baseline.append(second)
                    table.row(f"models' own time, {label}", "s").ours.append(
                        sum(models.values()))
                    for model, seconds in models.items():
                        per_model[model].append(seconds)
                slowest = sorted(per_model, key=lambda m: statistics.median(per_model[m]),
                                 reverse=True)[:TOP]
                for model in slowest:
                    table.row(f"  {model}, {label}", "s").ours.extend(per_model[model])
        finally:
            worlds.close()
    table.notes += [
        f"sizes {args.sizes} posts requested, {args.workspaces} workspaces, {args.repeat} "
        "run(s) each; the posts column counts marts.posts",
        f"the indented rows are the {TOP} slowest models of the first build "
        "(execution_time in run_results.json)",
        "dbt build wall time includes parsing the project (a fresh target folder each time)",
    ]
    table.publish(args.out)


if __name__ == "__main__":
    main()
