"""Alerts of app.alerts (written by the Dagster alert sensors)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from pydantic import BaseModel, Field, field_validator

from report_api.schemas.common import Aliased, deprecated_alias

# payload keys renamed in 2.0: new -> old; both are served for one release
_PAYLOAD_ALIASES = {"post_url": "permalink"}


class Alert(Aliased):
    ALIASES: ClassVar[dict[str, str]] = {"post_key": "post_id"}

    alert_id: int
    kind: str
    account_id: int
    workspace_id: int
    platform: str
    handle: str
    post_id: str | None = Field(description="`<platform>:<platform_post_id>` of a viral post.")
    rule: str
    score: float | None
    payload: dict[str, Any] = Field(description="What a person needs to act: handle, platform, "
                                    "text excerpt, figures, `post_url` (also as the deprecated "
                                    "`permalink` until 3.0).")
    status: str
    detected_at: datetime
    created_at: datetime
    sent_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by_user_id: int | None
    post_key: str | None = deprecated_alias("post_id")

    @field_validator("payload")
    @classmethod
    def _payload_aliases(cls, payload: dict[str, Any]) -> dict[str, Any]:
        """Both the 2.0 and the 1.x key, whichever the alert was written with."""
        out = dict(payload)
        for new, old in _PAYLOAD_ALIASES.items():
            value = out.get(new, out.get(old))
            if value is not None:
                out.setdefault(new, value)
                out.setdefault(old, value)
        return out


class AlertList(BaseModel):
    alerts: list[Alert]
    next_cursor: str | None
