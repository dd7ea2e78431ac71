"""Insights Graph refuses for single Instagram media: posted before the account's business
conversion (``#100``, subcode 2108006) or no permission (``#10``). An expanded listing or
multi-id read that includes such a media fails as a whole, so the account is then read without
the insights expansion and each media's insights are asked for alone: only the refused media
lose them, and a reject row says why."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from dlt_sources._shared.context import Credentials
from dlt_sources._shared.quarantine import reject
from dlt_sources.meta import settings
from dlt_sources.meta.helpers import GraphError
from dlt_sources.meta.metrics import media_kind
from dlt_sources.meta.polling import Run, is_metric_error

log = logging.getLogger(__name__)
RESOURCE = "instagram_media_insights"


def is_media_refusal(err: GraphError) -> bool:
    """A refusal that concerns one media's insights, not the account or the metrics."""
    return err.code == settings.PERMISSION_CODE or (
        err.code == 100 and err.subcode == settings.PRECONVERSION_SUBCODE)


def fallback(run: Run, owner: str, produce: Callable[[], Iterator[Any]]) -> Iterator[Any]:
    """Run ``produce``; on a single-media refusal switch the account to per-media insights and
    run it again (rows already yielded come again; the merge absorbs them)."""
    try:
        yield from produce()
    except GraphError as err:
        if not is_media_refusal(err) or owner in run.per_media_insights:
            raise
        log.warning("instagram account %s: Graph refuses the insights of single media (%s): "
                    "reading insights media by media for this run", owner, err)
        run.per_media_insights.add(owner)
        yield from produce()


def add_insights(run: Run, creds: Credentials, owner: str, item: dict,
                 observed: datetime) -> Iterator[Any]:
    """Read one media's insights into ``item`` (in place) with the metrics its media type
    accepts (a refused metric is learned for that type); a reject row when Graph refuses the
    media."""
    if owner not in run.per_media_insights or not item.get("id"):
        return
    media_id, registry = str(item["id"]), run.registry("instagram", owner, media_kind(item))
    while True:
        if not registry.metrics:
            return
        try:
            body, _ = run.client.get(f"{media_id}/insights", creds,
                                     {"metric": ",".join(registry.metrics)})
            break
        except GraphError as err:
            if is_metric_error(err) and registry.drop_after_error(str(err)):
                continue
            if not is_media_refusal(err):
                raise
            # the record holds no time, so the same refusal next run updates the same row
            yield reject(RESOURCE, {"id": media_id, "error": str(err)}, str(err), observed,
                         owner)
            return
    if body.get("data"):  # first hour: nothing reported, the columns stay null
        item["insights"] = body
