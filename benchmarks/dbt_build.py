"""First ``dbt build`` of a loaded world, beside a second build of the same data.

For each size: a synced world (never built) is copied, ``dbt build`` runs on it as the product
runs it (``socialpulse.transform.run_dbt``, its own target folder) and the slowest models of its
run_results.json are listed; the baseline is a second ``dbt build`` at once, with no new data,
which is what a build costs whatever is new.

With ``--before REV`` the baseline is instead the dbt project of commit ``REV`` (a git
worktree): each run builds two copies of the same world, one with each project, first and
second build in turn, so both columns come from one invocation.

    .venv/bin/python benchmarks/dbt_build.py --sizes 5000,100000 --repeat 3
    .venv/bin/python benchmarks/dbt_build.py --sizes 5000 --repeat 3 --before HEAD~1
"""

from __future__ import annotations

import os
import statistics
import time
from collections import defaultdict

import _world
from _checkout import checkout
from _table import Table, arguments, sizes

TOP = 5


def timed_build(url: str, project: str | None = None) -> tuple[float, dict[str, float], float]:
    """(wall seconds, model -> execution seconds, summed execution seconds of the views) of
    one dbt build of ``project`` (default: ours)."""
    started = time.perf_counter()
    results = _world.dbt_build(url, project)
    seconds = time.perf_counter() - started
    models = {r["unique_id"].removeprefix("model.socialpulse."): r["execution_time"]
              for r in results["results"] if r["unique_id"].startswith("model.")}
    names = {r["relname"] for r in _world.query(
        url, "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace "
             "where c.relkind = 'v' and n.nspname in ('staging', 'intermediate')")}
    views = sum(seconds for model, seconds in models.items() if model in names)
    return seconds, models, views


def compare(table: Table, worlds: _world.Worlds, size: _world.WorldSize, project: str,
            rev: str) -> None:
    """One run of ``--before``: two copies of the world, each built twice, in turn."""
    ours, before = worlds.loaded(size), worlds.loaded(size)
    try:
        for build in ("first", "second"):
            _world.progress(f"  {build} build, ours and {rev}'s ...")
            ours_s, _, ours_views = timed_build(ours)
            before_s, _, before_views = timed_build(before, project)
            label = f"{_world.post_count(ours):,} posts"
            row = table.row(f"dbt build, {build}, {label}", "s")
            row.ours.append(ours_s)
            row.baseline.append(before_s)
            row = table.row(f"  staging and intermediate views, {build}, {label}", "s")
            row.ours.append(ours_views)
            row.baseline.append(before_views)
    finally:
        _world.drop_database(ours)
        _world.drop_database(before)


def main() -> None:
    parser = arguments(__doc__.splitlines()[0], "5000")
    parser.add_argument("--before", default=None,
                        help="baseline: the dbt project of this commit instead of a second build")
    args = parser.parse_args()
    _world.prepare_environment()
    table = Table("dbt_build", f"the dbt project of {args.before}" if args.before
                  else "a second build, no new data")
    with _world.sandbox() as box, checkout(args.before) as before:
        worlds = _world.Worlds(box)
        try:
            for size in sizes(args.sizes):
                world_size = _world.WorldSize(size, workspaces=args.workspaces)
                per_model: dict[str, list[float]] = defaultdict(list)
                for n in range(args.repeat):
                    _world.progress(f"{size} posts, run {n + 1}/{args.repeat} ...")
                    if before:
                        compare(table, worlds, world_size, os.path.join(before, "dbt_project"),
                                args.before)
                        continue
                    url = worlds.loaded(world_size)
                    try:
                        _world.progress("  first dbt build ...")
                        first, models, _ = timed_build(url)
                        _world.progress(f"  {first:.1f}s; second build ...")
                        second, _, _ = timed_build(url)
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
        *([f"the indented rows are the {TOP} slowest models of the first build "
           "(execution_time in run_results.json)"] if not args.before else [
            "views row: execution time of the staging and intermediate views summed "
            "(run_results.json; dbt runs 4 at a time)"]),
        "dbt build wall time includes parsing the project (a fresh target folder each time)",
    ]
    table.publish(args.out)


if __name__ == "__main__":
    main()
