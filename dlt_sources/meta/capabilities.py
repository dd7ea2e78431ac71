"""What Meta granted this app after App Review, as the deployment declares it.

``META_PAGE_PUBLIC_CONTENT_ACCESS=true``: the app holds the Page Public Content Access feature,
so Facebook competitors (Pages nobody in the workspace manages) are tracked with their public
posts. The same environment variable tells dbt's competitor benchmark that Facebook competitors
can be compared (``dbt_project/macros/benchmark.sql``), so the two never disagree.
"""

from __future__ import annotations

import os

PPCA_ENV = "META_PAGE_PUBLIC_CONTENT_ACCESS"
_TRUE = frozenset({"1", "true", "yes", "on"})


def page_public_content_access() -> bool:
    """Whether the app declares Page Public Content Access (default: no, as a new app)."""
    return os.environ.get(PPCA_ENV, "").strip().lower() in _TRUE
