"""JSON and CSV renderings of an assembled report.

The CSV is long ("tidy"): one row per figure, ``section, date, account_id, handle, platform,
item, metric, value``, so it pivots in any spreadsheet whatever the report type.
"""

from __future__ import annotations

import csv
import io
import json

CSV_COLUMNS = ("section", "date", "account_id", "handle", "platform", "item", "metric", "value")
# per section: the columns that identify a row; every other column becomes a metric row
_KEYS: dict[str, dict[str, str | None]] = {
    "summary": {"date": None, "item": "display_name"},
    "engagement_over_time": {"date": "metric_date", "item": None},
    "top_posts": {"date": "created_at", "item": "post_id"},
    "competitors": {"date": None, "item": "is_competitor"},
    "hashtags": {"date": None, "item": "hashtag"},
}
# reports stored before 2.0 name a top post by post_key (the same value as post_id)
_OLD_ITEM_KEYS = {"post_id": "post_key"}
_IDENTITY = {"account_id", "handle", "platform", "metric_date", "created_at", "post_id",
             "post_key", "display_name", "hashtag", "is_competitor"}


def to_json(report: dict) -> bytes:
    return json.dumps(report, indent=2, ensure_ascii=False).encode()


def _item(row: dict, key: str | None) -> object:
    """The value naming the row in the CSV's ``item`` column (old stored reports included)."""
    if key is None:
        return None
    return row.get(key, row.get(_OLD_ITEM_KEYS.get(key, key)))


def to_csv(report: dict) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for section, keys in _KEYS.items():
        for row in report.get(section) or []:
            item = _item(row, keys["item"])
            if section == "competitors":
                item = "competitor" if row.get("is_competitor") else "owned"
            for metric, value in row.items():
                if metric in _IDENTITY:
                    continue
                writer.writerow((section, row.get(keys["date"]) if keys["date"] else "",
                                 row.get("account_id", ""), row.get("handle", ""),
                                 row.get("platform", ""), item if item is not None else "",
                                 metric, "" if value is None else value))
    return buf.getvalue().encode()
