"""One sync in a process of its own, so its CPU time and peak RSS are the sync's alone.

    python benchmarks/_sync_child.py DATABASE_URL   -> one JSON line: rows, seconds, cpu, rss
"""

from __future__ import annotations

import json
import resource
import sys
import time

from _world import sync


def _cpu() -> float:
    # dlt may fork normalize workers: their time counts as the sync's too
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    before = _cpu()
    # dlt and the sources are imported before the clock starts: a fixed cost of the process
    # (about a second), reported on its own, not a cost per row
    import dlt_sources.runner  # noqa: F401

    imported = _cpu()
    started = time.perf_counter()
    rows = sync(sys.argv[1])
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "rows": rows, "seconds": seconds,
        "cpu_s": _cpu() - imported,
        "import_cpu_s": imported - before,
        "peak_rss_mb": max(usage.ru_maxrss, children.ru_maxrss) / 1024,
    }), flush=True)


if __name__ == "__main__":
    main()
