"""Tracked competitors (app.competitors). The statements live in ``socialpulse.competitors``
because the CLI (``socialpulse competitors``) and the cycle's lookup step share them; this
module is the API's name for them."""

from socialpulse.competitors import CompetitorLimit, add, list_competitors, remove
from socialpulse.handles import HandleError

__all__ = ["CompetitorLimit", "HandleError", "add", "list_competitors", "remove"]
