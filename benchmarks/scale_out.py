"""The same 15-minute cycle on 1, 2 and 4 Celery workers, with the platforms' latency on.

A world of about 200 accounts (``--accounts``; 13 per client workspace) is synced and built
once; for each worker count a copy of it, 15 simulated minutes on, runs one cycle through
Dagster on Celery (``run_cycle(executor="celery")``: RabbitMQ, a Postgres instance, N
``celery worker`` processes started beforehand, as a deployment has them running). Every
platform request waits ``--latency-ms`` (default 200, +- 50 %, the sandbox's latency knob), so
the figure is how much of the waiting on the platforms the workers overlap, not CPU. With
``--warm-cycles N`` (default 1) the workers first run N untimed cycles, as a deployment's
workers have: each account's dlt pipeline then already exists on its worker (a new one
first restores its state from the warehouse). With ``--repeat N`` they then run N timed
cycles, each 15 simulated minutes after the last (medians and min-max in the table). The
baseline is the 1-worker cycle. Besides the cycle's wall time the table splits out its
ingestion (first account step's start to the last one's end), what an account step waited
for, and the CPU the workers, the sandbox and this process (the run's orchestration) used.

    nice .venv/bin/python benchmarks/scale_out.py --accounts 200 --workers 1,2,4 --repeat 3
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

import _celery
import _world
from _cpu import cpu_seconds
from _table import Table, sizes


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=200,
                        help="accounts of the world, about (13 per workspace; default 200)")
    parser.add_argument("--workers", default="1,2,4", help="worker counts (default 1,2,4)")
    parser.add_argument("--latency-ms", type=int, default=200,
                        help="delay of every platform request, +- 50 %% (default 200)")
    parser.add_argument("--posts-per-account", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=1,
                        help="timed cycles per worker count, one after another on the same "
                             "workers (the table shows the median and min-max; default 1)")
    parser.add_argument("--warm-cycles", type=int, default=1,
                        help="untimed cycles on the same workers before the timed one "
                             "(default 1; 0 times the workers' first cycle)")
    parser.add_argument("--pool-limit", type=int, default=None,
                        help="API slots per source group (SOCIALPULSE_POOL_LIMIT; default: "
                             "the largest worker count, so the slots never hold a worker back)")
    parser.add_argument("--out", default=None, help="results file (default: date-stamped)")
    return parser.parse_args()


def _step_spans(run_id: str) -> dict[str, tuple[float, float]]:
    """(start, end) timestamps of each step that succeeded in the run."""
    import dagster as dg

    start: dict[str, float] = {}
    spans: dict[str, tuple[float, float]] = {}
    with dg.DagsterInstance.get() as instance:
        for rec in instance.all_logs(run_id):
            event = rec.dagster_event
            if event is None or not rec.step_key:
                continue
            if event.event_type == dg.DagsterEventType.STEP_START:
                start.setdefault(rec.step_key, rec.timestamp)
            elif event.event_type == dg.DagsterEventType.STEP_SUCCESS:
                spans[rec.step_key] = (start[rec.step_key], rec.timestamp)
    return spans


def _account_waits(run_id: str) -> dict[str, float]:
    """Mean seconds an account step waited for its credential's turn, its API slot and its
    dataset's load turn, and spent loading (the account materializations' metadata)."""
    import dagster as dg

    sums = {"credential_wait_s": 0.0, "api_slot_wait_s": 0.0, "load_wait_s": 0.0,
            "load_s": 0.0}
    n = 0
    with dg.DagsterInstance.get() as instance:
        for rec in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION):
            mat = rec.asset_materialization
            if mat is None or mat.partition is None or "load_s" not in mat.metadata:
                continue
            n += 1
            for key in sums:
                sums[key] += float(getattr(mat.metadata.get(key), "value", 0) or 0)
    return {key: total / max(1, n) for key, total in sums.items()}


def _cycle(url: str) -> dict[str, Any]:
    from dagster_project.cycle import run_cycle

    summary = run_cycle(url, executor="celery", log_level="WARNING")
    if not summary["success"] or summary["account_failures"]:
        raise RuntimeError(f"the cycle failed: {summary['errors']} "
                           f"{summary['account_failures']}")
    return summary


def timed_cycles(n: int, url: str, box: _world.Sandbox, latency_ms: int, pool_limit: int,
                 logs: Path, warm_cycles: int, repeat: int) -> list[dict[str, Any]]:
    """``repeat`` cycles on ``n`` workers after ``warm_cycles`` untimed ones, each 15 minutes
    after the last: wall time, ingestion span, waits, CPU seconds of each."""
    with _celery.dagster_instance(pool_limit), _celery.Workers(n, logs) as workers:
        for i in range(warm_cycles):  # without latency: only the workers' state matters
            _world.progress(f"  warm-up cycle {i + 1} of {warm_cycles} ...")
            box.advance()
            _cycle(url)
        box.http.post("/_sandbox/faults", json={"latency_ms": latency_ms}).raise_for_status()
        try:
            figures = []
            for i in range(repeat):
                figures.append(_timed(url, box, workers))
                _world.progress(f"  timed cycle {i + 1} of {repeat}: {figures[-1]}")
        finally:
            box.http.post("/_sandbox/faults", json={"latency_ms": 0}).raise_for_status()
    return figures


def _timed(url: str, box: _world.Sandbox, workers: _celery.Workers) -> dict[str, Any]:
    """One cycle 15 simulated minutes on, inside the workers' instance."""
    box.advance()
    box.http.delete("/_sandbox/requests").raise_for_status()
    cpu0 = (workers.cpu_seconds(), cpu_seconds(box.pid), time.process_time())
    started = time.perf_counter()
    summary = _cycle(url)
    seconds = time.perf_counter() - started
    spans = _step_spans(summary["run_id"])
    waits = _account_waits(summary["run_id"])
    requests = len(box.http.get("/_sandbox/requests").raise_for_status().json())
    cpu = (workers.cpu_seconds() - cpu0[0], cpu_seconds(box.pid) - cpu0[1],
           time.process_time() - cpu0[2])
    sync = [v for k, v in spans.items() if "_sync_account[" in k]
    return {"seconds": seconds, "steps": len(spans), "sync_steps": len(sync),
            "ingestion": max(e for _, e in sync) - min(s for s, _ in sync),
            "sync_step_mean": sum(e - s for s, e in sync) / len(sync),
            **waits,
            "worker_cpu": cpu[0], "sandbox_cpu": cpu[1], "launcher_cpu": cpu[2],
            "rows": sum(summary["rows_loaded"].values()), "requests": requests}


def main() -> None:
    args = _arguments()
    counts = sizes(args.workers)
    pool_limit = args.pool_limit or max(counts)
    _world.prepare_environment()
    workspaces = max(1, round(args.accounts / 13))
    size = _world.WorldSize(workspaces * 13 * args.posts_per_account, workspaces=workspaces)
    figures: dict[int, list[dict[str, Any]]] = {}
    with _world.sandbox() as box, tempfile.TemporaryDirectory(prefix="sp-bench-logs-") as logs:
        worlds = _world.Worlds(box)
        try:
            for n in counts:
                url = worlds.loaded(size, built=True)  # latency off while the world is built
                try:
                    _world.progress(f"{n} worker(s): {args.repeat} cycle(s) at "
                                    f"{args.latency_ms} ms latency, 15 minutes apart ...")
                    figures[n] = timed_cycles(n, url, box, args.latency_ms, pool_limit,
                                              Path(logs), args.warm_cycles, args.repeat)
                finally:
                    _world.drop_database(url)
        finally:
            worlds.close()
    table = Table("scale_out", f"{counts[0]} worker(s)")
    base = figures[counts[0]]
    for n in counts:
        f = figures[n]
        for figure, unit, key in (("cycle wall time", "s", "seconds"),
                                  ("ingestion (account steps) wall time", "s", "ingestion"),
                                  ("mean account step", "s", "sync_step_mean"),
                                  ("  of it waiting for the credential's turn", "s",
                                   "credential_wait_s"),
                                  ("  of it waiting for the load turn", "s", "load_wait_s"),
                                  ("  of it loading (holding the turn)", "s", "load_s"),
                                  ("  of it waiting for an API slot", "s", "api_slot_wait_s"),
                                  ("workers' CPU", "s", "worker_cpu"),
                                  ("sandbox CPU", "s", "sandbox_cpu"),
                                  ("orchestration (run process) CPU", "s", "launcher_cpu")):
            row = table.row(f"{figure}, {n} worker(s)", unit)
            row.ours, row.baseline = [r[key] for r in f], [r[key] for r in base]
        for figure, key in (("speed-up of the cycle", "seconds"),
                            ("speed-up of the ingestion", "ingestion")):
            # the i-th timed cycle of the baseline against the i-th of n workers
            row = table.row(f"{figure}, {n} worker(s)", "x")
            row.ours = [b[key] / r[key] for b, r in zip(base, f, strict=True)]
            row.baseline = [1.0] * len(f)
    first = figures[counts[0]][0]
    table.notes += [
        f"{workspaces} workspaces, {first['sync_steps']} account steps per cycle "
        f"({first['steps']} steps in all), {args.posts_per_account} posts per account, "
        f"{first['rows']} rows loaded per cycle; {first['requests']} platform requests per "
        f"cycle, each waiting "
        f"{args.latency_ms} ms +- 50 %",
        f"Celery on RabbitMQ, Postgres instance storage, workers of one task each "
        f"(--concurrency 1, prefetch 1), niced; {pool_limit} API slots (account syncs at once) "
        f"per source group; cycle = sync + sentiment + dbt build, 15 simulated minutes after "
        f"the last one; {args.repeat} timed cycle(s) per worker count after "
        f"{args.warm_cycles} untimed one(s) on the same workers",
        "ingestion = first account step's start to the last one's end (from the run's events); "
        "'ours / baseline' of a speed-up row is the speed-up",
    ]
    table.publish(args.out)


if __name__ == "__main__":
    main()
