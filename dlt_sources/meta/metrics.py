"""The insights metrics a run asks for: the registry's defaults minus what this API version
removed, minus what the API refuses during the run."""

from __future__ import annotations

import copy
import logging
import re

from dlt_sources.meta import settings

log = logging.getLogger(__name__)
_ALLOWED = re.compile(r"metric\[(\d+)\] must be one of the following values:\s*(.+?)\s*$")
MIXED = "*"  # a read whose media are of any type (a listing): what every type accepts


def media_kind(item: dict) -> str:
    """Which of Graph's per-type metric sets a media answers to: REELS and STORY (their
    ``media_product_type``), else ``media_type`` (IMAGE, VIDEO, CAROUSEL_ALBUM)."""
    product = item.get("media_product_type")
    if product in ("REELS", "STORY"):
        return str(product)
    return str(item.get("media_type") or MIXED)


class MetricRegistry:
    """Which insights metrics to request on this API version; learns from #100 answers."""

    def __init__(self, platform: str, wanted: list[str], api_version: str):
        major = int(api_version.lstrip("v").split(".")[0])
        self.platform = platform
        self.metrics: list[str] = []
        for metric in wanted:
            gone = settings.REMOVED[platform].get(metric)
            if gone is not None and major >= gone:
                log.warning("%s metric %s is deprecated on %s: not requested", platform, metric,
                            api_version)
            elif metric not in self.metrics:
                self.metrics.append(metric)
        self.defaults = set(settings.IG_MEDIA_METRICS if platform == "instagram"
                            else settings.FB_POST_METRICS)

    def copy(self) -> MetricRegistry:
        """An independent registry (one per account: a refusal is learned where it happened)."""
        return copy.deepcopy(self)

    def culprits(self, message: str) -> list[str]:
        """The requested metrics an invalid-metric error refuses. Instagram lists the ALLOWED
        values (``metric[0] must be one of the following values: a, b``): the refused ones are
        those outside that list. Facebook names none: then the non-default ones."""
        allowed = _ALLOWED.search(message)
        if allowed:
            values = {v.strip() for v in allowed.group(2).split(",")}
            index = int(allowed.group(1))
            at = self.metrics[index:index + 1]
            if "..." in values:  # a shortened list: only the position it names is sure
                return at
            return [m for m in self.metrics if m not in values or m in at]
        named = [m for m in self.metrics if re.search(rf"\b{re.escape(m)}\b", message)]
        return named or [m for m in self.metrics if m not in self.defaults] or self.metrics

    def drop_after_error(self, message: str) -> bool:
        """Drop the metrics an invalid-metric error refuses; False when there is nothing left
        to try (the error is then not about a metric we can drop)."""
        culprits = self.culprits(message)
        for metric in culprits:
            log.warning("%s metric %s refused by the API (%s): dropped for this run",
                        self.platform, metric, message)
            self.metrics.remove(metric)
        return bool(culprits)
