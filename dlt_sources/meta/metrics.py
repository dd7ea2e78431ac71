"""The insights metrics a run asks for: the registry's defaults minus what this API version
removed, minus what the API refuses during the run."""

from __future__ import annotations

import logging
import re

from dlt_sources.meta import settings

log = logging.getLogger(__name__)


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

    def drop_after_error(self, message: str) -> bool:
        """Drop the metric an invalid-metric error names (or, when it names none, the ones we
        do not load by default); False when there is nothing left to try."""
        named = [m for m in self.metrics if re.search(rf"\b{re.escape(m)}\b", message)]
        culprits = named or [m for m in self.metrics if m not in self.defaults] or self.metrics
        for metric in culprits:
            log.warning("%s metric %s refused by the API (%s): dropped for this run",
                        self.platform, metric, message)
            self.metrics.remove(metric)
        return bool(culprits)
