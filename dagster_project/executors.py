"""The cycle's executor: in-process by default, dagster-celery when ``DAGSTER_EXECUTOR=celery``.

Celery: RabbitMQ as the broker (``DAGSTER_CELERY_BROKER``, default the local guest account),
results over ``rpc://`` (``DAGSTER_CELERY_BACKEND``; ``redis://127.0.0.1:6379/0`` works too).
Tasks are acknowledged late and re-queued when their worker dies, so a SIGKILLed worker's step
runs again on another one; the sync steps also carry a Dagster retry policy. Per-platform
concurrency is API slots per source group (``<group>_api``, see defs/ingestion/api_slots.py),
whatever the number of workers. Workers:
``make workers N=2`` (``celery -A dagster_project.workers worker``).
"""

from __future__ import annotations

import os
from typing import Any

import dagster as dg

from socialpulse.errors import ConfigError

EXECUTOR_ENV = "DAGSTER_EXECUTOR"
BROKER_ENV = "DAGSTER_CELERY_BROKER"
BACKEND_ENV = "DAGSTER_CELERY_BACKEND"
QUEUE_ENV = "DAGSTER_CELERY_QUEUE"
TICK_ENV = "DAGSTER_CELERY_TICK_S"
DEFAULT_QUEUE = "dagster"
DEFAULT_BROKER = "amqp://guest:guest@127.0.0.1:5672//"
DEFAULT_BACKEND = "rpc://"
# dagster-celery's run loop sleeps this long between looking at its tasks' results and
# sending the steps they unblocked: its own 1 s made every dependency level of the cycle wait
# half a second on average (DECISIONS.md, "The serial part, shorter")
DEFAULT_TICK_S = 0.2

# what the workers and the launching side agree on; both build their Celery app from it
CELERY_CONFIG: dict[str, Any] = {
    "task_acks_late": True,
    # a worker killed mid-task gives its message back to the broker instead of dropping it
    "task_reject_on_worker_lost": True,
    "worker_prefetch_multiplier": 1,
    "broker_connection_retry_on_startup": True,
}


def broker_url() -> str:
    """The broker the executor and the workers use."""
    return os.environ.get(BROKER_ENV) or DEFAULT_BROKER


def backend_url() -> str:
    """Where task results go."""
    return os.environ.get(BACKEND_ENV) or DEFAULT_BACKEND


def queue_name() -> str:
    """The Celery queue the steps are sent to and the workers read (``-Q``)."""
    return os.environ.get(QUEUE_ENV) or DEFAULT_QUEUE


def celery_config() -> dict[str, Any]:
    """Celery settings of both sides, with the queue of this environment."""
    return {**CELERY_CONFIG, "task_default_queue": queue_name()}


def tick_seconds() -> float:
    """Seconds between two passes of the Celery run loop (``DAGSTER_CELERY_TICK_S``); a
    ConfigError unless a number from 0.01 to 10."""
    raw = os.environ.get(TICK_ENV) or str(DEFAULT_TICK_S)
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.01 <= value <= 10:
        raise ConfigError(f"{TICK_ENV} must be a number of seconds from 0.01 to 10, got {raw!r}")
    return value


def executor_kind(kind: str | None = None) -> str:
    """``celery`` or ``in_process``: ``kind``, else ``DAGSTER_EXECUTOR``."""
    value = (kind or os.environ.get(EXECUTOR_ENV) or "in_process").strip().lower()
    if value == "celery":
        return "celery"
    if value not in ("in_process", "inprocess", ""):
        raise ValueError(f"{EXECUTOR_ENV} must be 'celery' or 'in_process', not {value!r}")
    return "in_process"


def cycle_executor(kind: str | None = None) -> dg.ExecutorDefinition:
    """Celery when ``kind`` (default ``DAGSTER_EXECUTOR``) is ``celery``, else in-process (one
    process, as in the demo)."""
    if executor_kind(kind) == "celery":
        from dagster_celery import celery_executor, core_execution_loop

        # a module constant read on every pass, so setting it here reaches the run's loop
        core_execution_loop.TICK_SECONDS = tick_seconds()  # type: ignore[assignment]
        return celery_executor.configured({
            "broker": broker_url(), "backend": backend_url(), "config_source": celery_config(),
        })
    return dg.in_process_executor
