"""The incremental 15-minute cycle with the same new data at two (or more) history sizes.

Every size keeps the same accounts and posting rate and only stretches the history, so 15
minutes on the sandbox's clock bring the same new posts and metrics to each. For each size: a
synced, built and once-cycled world (the warm-up gives the cycle's account pipelines their
cursors) is copied, the clock moves on 15 minutes and one cycle runs through Dagster
(``dagster_project.cycle.run_cycle``: sync, sentiment, dbt build). The baseline is the
smallest size's cycle; the target sizes are 100k and 1M posts.

With ``--bulk`` a world syncs only the sources' polling window for real and copies the older
history in SQL (``_bulk.BulkWorlds``), with its observations as old as its posts: how a 1M-post
world is set up in minutes rather than hours of sync. With ``--workers N`` the cycles run on N
Celery workers (``_celery.py``), as a deployment of hundreds of accounts runs them.

    .venv/bin/python benchmarks/cycle.py --sizes 100000,1000000 --workspaces 38 --bulk
"""

from __future__ import annotations

import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import _bulk
import _celery
import _world
from _table import Table, arguments, sizes

DBT_STEP = "dbt_models"
SLOWEST_MODELS = 8


def warm_up(url: str) -> None:
    """One cycle at the world's own time, before the copies are made: the cycle's
    per-account dlt pipelines keep their cursors (X since_id, Meta and LinkedIn last seen) in
    the warehouse, and a world loaded by one sync has none of them yet, so without it the
    measured cycle would re-read every account from scratch instead of what 15 minutes bring."""
    from dagster_project.cycle import run_cycle

    _world.progress("  warm-up cycle (the account pipelines' cursors) ...")
    summary = run_cycle(url, log_level="WARNING")
    if not summary["success"]:
        raise RuntimeError(f"the warm-up cycle failed: {summary['errors']}")


def model_seconds(instance: Any, run_id: str) -> dict[str, float]:
    """Each dbt model's own execution time in the run (dagster-dbt's "Execution Duration"
    metadata on its materialization)."""
    import dagster as dg

    seconds: dict[str, float] = {}
    for rec in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION):
        materialization = rec.asset_materialization
        value = materialization.metadata.get("Execution Duration") if materialization else None
        if value is not None:
            seconds[materialization.asset_key.to_user_string()] = float(value.value)
    return seconds


def timed_cycle(url: str, box: _world.Sandbox, executor: str | None = None
                ) -> tuple[float, int, dict[str, float], dict[str, float]]:
    """Move the clock 15 minutes and run one cycle: (seconds, raw rows loaded, seconds of its
    dbt step, of its account steps together and of every other step together, seconds of each
    dbt model). ``executor="celery"`` runs it on the workers, in ``DAGSTER_HOME``'s instance."""
    import dagster as dg

    from dagster_project.cycle import run_cycle

    box.advance()
    with (dg.DagsterInstance.get() if executor == "celery"
          else dg.DagsterInstance.ephemeral()) as instance:
        started = time.perf_counter()
        summary = run_cycle(url, instance=instance, log_level="WARNING", executor=executor)
        seconds = time.perf_counter() - started
        if not summary["success"] or summary["account_failures"]:
            raise RuntimeError(f"the cycle failed: {summary['errors']} "
                               f"{summary['account_failures']}")
        models = model_seconds(instance, summary["run_id"])
    parts = {"dbt step": 0.0, "account steps (summed)": 0.0, "other steps (summed)": 0.0}
    for step, step_seconds in summary.get("step_seconds", {}).items():
        part = ("dbt step" if step == DBT_STEP else "account steps (summed)"
                if "sync_account" in step else "other steps (summed)")
        parts[part] += step_seconds
    return seconds, sum(summary["rows_loaded"].values()), parts, models


def main() -> None:
    parser = arguments(__doc__.splitlines()[0], "2000,5000")
    parser.add_argument("--bulk", action="store_true",
                        help="sync the polling window, copy older history in SQL")
    parser.add_argument("--workers", type=int, default=0,
                        help="run the timed cycles on this many Celery workers (RabbitMQ, a "
                             "Postgres instance), each after an untimed one on the same "
                             "workers (default 0: in process)")
    parser.add_argument("--untimed", type=int, default=None,
                        help="untimed cycles on each copy before the timed one, 15 minutes "
                             "apart (default: 1 with --workers, else 0)")
    parser.add_argument("--template", default=None,
                        help="the largest size's world: a database cycle.py --keep left (same "
                             "--sizes, --workspaces and --bulk), copied instead of built; kept")
    parser.add_argument("--keep", action="store_true",
                        help="keep the largest world's database (built and cycled once) for "
                             "other benchmarks: endpoints.py --database")
    args = parser.parse_args()
    _world.prepare_environment()
    table = Table("cycle", "the same cycle at the smallest size")
    figures: dict[int, list[tuple[float, int, int, dict[str, float]]]] = {}
    models: dict[int, list[dict[str, float]]] = {}
    executor = "celery" if args.workers else None
    with _world.sandbox() as box, ExitStack() as stack:
        if args.workers:
            logs = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sp-bench-")))
            stack.enter_context(_celery.dagster_instance(args.workers))
        worlds = _bulk.BulkWorlds(box) if args.bulk else _world.Worlds(box)
        if args.template:
            biggest = _world.WorldSize(max(sizes(args.sizes)), workspaces=args.workspaces)
            worlds.templates[(biggest, True)] = args.template
        untimed = args.untimed if args.untimed is not None else (1 if args.workers else 0)
        try:
            for size in sizes(args.sizes):
                world_size = _world.WorldSize(size, workspaces=args.workspaces)
                for n in range(args.repeat):
                    url = worlds.loaded(world_size, built=True,
                                        after=None if args.workers else warm_up)
                    try:
                        with ExitStack() as on_workers:
                            if args.workers:
                                # started after the world's reset: its app token is new
                                on_workers.enter_context(_celery.Workers(args.workers, logs))
                            for _ in range(untimed):
                                # a worker's first cycle on an account restores its pipeline;
                                # a first build creates views made by other code again
                                _world.progress("  untimed cycle ...")
                                took, rows_in, steps, _ = timed_cycle(url, box, executor)
                                _world.progress(f"  untimed: {took:.1f}s, {rows_in} rows; "
                                                + ", ".join(f"{k} {v:.1f}s"
                                                            for k, v in steps.items()))
                            _world.progress(f"{size} posts, run {n + 1}/{args.repeat}: "
                                            "15 minutes on, one cycle ...")
                            seconds, rows, parts, model_times = timed_cycle(url, box,
                                                                            executor)
                        posts = _world.post_count(url)
                    finally:
                        _world.drop_database(url)
                    _world.progress(f"  {seconds:.1f}s, {rows} rows loaded")
                    figures.setdefault(size, []).append((seconds, rows, posts, parts))
                    models.setdefault(size, []).append(model_times)
        finally:
            kept = (max(worlds.templates.items(), key=lambda t: t[0][0].posts)[1]
                    if (args.keep or args.template) and worlds.templates else None)
            worlds.close(keep=kept)
            if kept:
                _world.progress(f"kept the largest world: {kept}")
    smallest = figures[min(figures)]
    for size in sorted(figures):
        posts = figures[size][0][2]
        row = table.row(f"cycle, {posts:,} posts of history", "s")
        row.ours = [f[0] for f in figures[size]]
        row.baseline = [f[0] for f in smallest]
        loaded = table.row(f"rows loaded by the cycle, {posts:,} posts")
        loaded.ours = [f[1] for f in figures[size]]
        loaded.baseline = [f[1] for f in smallest]
        for part in smallest[0][3]:
            step = table.row(f"  {part}, {posts:,} posts", "s")
            step.ours = [f[3][part] for f in figures[size]]
            step.baseline = [f[3][part] for f in smallest]
    # the models that grow most with history: slowest at the largest size, against the smallest
    largest, posts = max(figures), figures[max(figures)][0][2]
    slowest = sorted(models[largest][0], key=lambda m: -models[largest][0][m])[:SLOWEST_MODELS]
    for model in slowest:
        row = table.row(f"    {model}, {posts:,} posts", "s")
        row.ours = [m.get(model, 0.0) for m in models[largest]]
        row.baseline = [m.get(model, 0.0) for m in models[min(figures)]]
    table.notes += [
        f"sizes {args.sizes} posts requested, {args.workspaces} workspaces "
        f"({13 * args.workspaces} accounts), {_world.WorldSize(0).posts_per_day:g} posts per "
        f"account per day, {args.repeat} run(s) each; the posts column counts marts.posts "
        "after the cycle",
        ("cycle: sync + sentiment + dbt build in process (run_cycle)" if not args.workers else
         f"cycle: sync + sentiment + dbt build on {args.workers} Celery workers (run_cycle, "
         "executor celery)"),
        "15 simulated minutes after the world was synced, built and cycled once (the account "
        f"pipelines' cursors), and after {untimed} untimed cycle(s) on the copy, 15 minutes "
        "apart",
        *([f"the largest world: a copy of {args.template.rsplit('/', 1)[1]} "
           "(cycle.py --keep of an earlier run)"] if args.template else []),
        *([f"worlds: {worlds.how} (benchmarks/_bulk.py; older than "
           f"{_bulk.POLLING_WINDOW_DAYS} days)"] if args.bulk else []),
        f"the {SLOWEST_MODELS} most indented rows are the slowest dbt models of the largest "
        "size's cycle (dagster-dbt's Execution Duration)",
    ]
    table.publish(args.out)


if __name__ == "__main__":
    main()
