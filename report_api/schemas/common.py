"""Types and base models every resource's schemas share."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

Platform = Literal["twitter", "instagram", "facebook", "linkedin"]
MAX_RANGE_DAYS = 366
# the largest integer a JSON client's double holds exactly (JavaScript's MAX_SAFE_INTEGER):
# every id the schema allows survives a float round trip, and fits a Postgres bigint
MAX_ID = 2**53 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    """Only ``YYYY-MM-DD``: a number (``0``) is not read as seconds since 1970."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise ValueError("a date as YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
# handles as platforms allow them (letters, digits, _ . -), optional leading '@'
Handle = Annotated[str, Field(pattern=r"^@?[A-Za-z0-9_.\-]{1,100}$")]
# the release that drops the deprecated names of 2.0
REMOVED_IN = "3.0"


class Strict(BaseModel):
    """Request bodies: an unknown field is a 422, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Aliased(BaseModel):
    """Response models carrying deprecated names: each repeats its new field's value.

    ``ALIASES`` maps deprecated name -> new name; the values are copied before validation, so
    an alias can never disagree with the field it stands for.
    """

    ALIASES: ClassVar[dict[str, str]] = {}

    @model_validator(mode="before")
    @classmethod
    def _fill_aliases(cls, data: Any) -> Any:
        if isinstance(data, dict) and cls.ALIASES:
            data = {**data, **{old: data[new] for old, new in cls.ALIASES.items()
                               if new in data}}
        return data


def deprecated_alias(of: str, note: str = "") -> Any:
    """A deprecated response field with the same value as ``of`` (shown as such in OpenAPI)."""
    message = f"Deprecated: use `{of}` (same value); removed in {REMOVED_IN}.{note}"
    return Field(deprecated=message, description=message)


def deprecated_input(of: str, note: str = "", **bounds: Any) -> Any:
    """A deprecated request field: accepted instead of ``of``, never together with it (and
    bounded like it: ``bounds`` are Field constraints such as ``max_length``)."""
    message = (f"Deprecated: send `{of}` instead (same meaning); removed in {REMOVED_IN}."
               f"{note}")
    return Field(default=None, deprecated=message, description=message, **bounds)


class ErrorInfo(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorResponse(BaseModel):
    """The shape of every error response."""

    error: ErrorInfo


class DateRange(Strict):
    start: IsoDate
    end: IsoDate

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.start > self.end:
            raise ValueError("start must be on or before end")
        if (self.end - self.start).days >= MAX_RANGE_DAYS:
            raise ValueError(f"a date range spans at most {MAX_RANGE_DAYS} days")
        return self
