"""The sandbox's commands: ``socialpulse sandbox serve``, also ``python -m platform_sandbox``."""

from __future__ import annotations

from datetime import datetime

import click


@click.group("sandbox")
def sandbox_cli() -> None:
    """The local emulator of the X, Meta and LinkedIn APIs."""


@sandbox_cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8765, show_default=True, type=int)
@click.option("--seed", default=7, show_default=True, type=int)
@click.option("--speed", default=1.0, show_default=True, type=float,
              help="Simulated seconds per real second (0 freezes the clock).")
@click.option("--now", "now_", default=None, help="Simulated start time (ISO 8601, UTC).")
@click.option("--agencies", default=1, show_default=True, type=int)
@click.option("--workspaces", default=2, show_default=True, type=int,
              help="Client workspaces per agency.")
@click.option("--owned", default=1, show_default=True, type=int,
              help="Owned accounts per platform per workspace.")
@click.option("--competitors", default=3, show_default=True, type=int,
              help="Competitor brands per workspace.")
@click.option("--posts", default=None, type=int,
              help="Posts per account in the history window (default: each network's "
                   "published posting frequency).")
@click.option("--history-days", default=20.0, show_default=True, type=float)
@click.option("--comments", default=3.0, show_default=True, type=float,
              help="Mean comments per post.")
@click.option("--viral-fraction", default=0.03, show_default=True, type=float)
@click.option("--malformed-fraction", default=0.0, show_default=True, type=float)
@click.option("--prospects", default=1, show_default=True, type=int,
              help="Clients whose people own accounts no agency has connected yet (they "
                   "connect through the consent pages; see /_sandbox/people).")
@click.option("--preconversion-media", default=1, show_default=True, type=click.IntRange(min=0),
              help="Oldest media per owned Instagram account posted before its business "
                   "conversion: Graph refuses their insights (#100, subcode 2108006).")
@click.option("--meta-app-throttled-minutes", default=720.0, show_default=True,
              type=click.FloatRange(min=0),
              help="The Meta app's own limit (#4) is spent for this many minutes (0: never).")
@click.option("--meta-app-throttled-after-hours", default=48.0, show_default=True,
              type=click.FloatRange(min=0),
              help="...starting this many simulated hours after the clock started (the demo's "
                   "third cycle, a simulated day apart, meets it).")
@click.option("--latency-ms", default=0, show_default=True, type=click.IntRange(min=0),
              help="Delay of every API request, like the real APIs' 100-500 ms (kept over "
                   "world resets; /_sandbox/faults latency_ms changes it).")
@click.option("--latency-jitter", default=0.5, show_default=True,
              type=click.FloatRange(0, 1),
              help="Spread of the delay: latency-ms * (1 +- jitter), fixed per seed and request.")
def serve_cmd(host, port, seed, speed, now_, agencies, workspaces, owned,
              competitors, posts, history_days, comments, viral_fraction, malformed_fraction,
              prospects, preconversion_media, meta_app_throttled_minutes,
              meta_app_throttled_after_hours, latency_ms, latency_jitter) -> None:
    """Serve a deterministic synthetic world over the platforms' HTTP APIs."""
    from platform_sandbox.server import serve
    from platform_sandbox.world_config import WorldConfig

    try:
        config = WorldConfig(
            seed=seed, agencies=agencies, workspaces_per_agency=workspaces,
            owned_accounts_per_platform=owned, competitors_per_workspace=competitors,
            posts_per_account=posts, history_days=history_days, comments_per_post=comments,
            viral_fraction=viral_fraction, malformed_fraction=malformed_fraction,
            prospect_workspaces=prospects, preconversion_media=preconversion_media,
            meta_app_throttled_minutes=meta_app_throttled_minutes,
            meta_app_throttled_after_hours=meta_app_throttled_after_hours)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    start = datetime.fromisoformat(now_) if now_ else None
    click.echo(f"sandbox serving on http://{host}:{port} (seed {seed}, speed {speed}x); "
               f"ground truth at http://{host}:{port}/_sandbox/world", err=True)
    serve(host, port, config, speed=speed, now=start, latency_ms=latency_ms,
          latency_jitter=latency_jitter)

