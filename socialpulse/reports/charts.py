"""The report's charts as PNG bytes (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

PALETTE = ["#2563eb", "#f97316", "#16a34a", "#dc2626", "#7c3aed", "#0891b2", "#ca8a04",
           "#db2777"]


def clean(text: str | None, limit: int = 60) -> str:
    """Printable text the bundled DejaVu font can draw (emoji and symbols dropped)."""
    s = " ".join((text or "").split())
    s = "".join(c for c in s if ord(c) < 0x2500)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=150)
    plt.close(fig)
    return buf.getvalue()


def _empty(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", color="#6b7280")
    ax.set_axis_off()


def engagement_over_time(rows: list[dict]) -> bytes:
    fig, ax = plt.subplots(figsize=(8, 3.4))
    series: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for r in rows:
        label = f"@{r['handle']} ({r['platform']})"
        series[label].append((date.fromisoformat(r["metric_date"]), r["engagement"] or 0))
    if not series:
        _empty(ax, "no engagement in this period")
    for i, (label, points) in enumerate(sorted(series.items())):
        ax.plot([p[0] for p in points], [p[1] for p in points],  # type: ignore[arg-type]
                label=clean(label, 40),
                color=PALETTE[i % len(PALETTE)], linewidth=1.6, marker="o", markersize=3)
    if series:
        ax.set_ylabel("engagement of posts published")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, ncol=2, frameon=False)
        fig.autofmt_xdate()
    ax.set_title("Engagement over time", loc="left", fontsize=11)
    return _png(fig)


def top_posts(rows: list[dict]) -> bytes:
    fig, ax = plt.subplots(figsize=(8, 3.8))
    if not rows:
        _empty(ax, "no posts in this period")
    else:
        labels = [clean(f"@{r['handle']}: {r['text']}", 48) for r in rows][::-1]
        values = [r["engagement"] or 0 for r in rows][::-1]
        ax.barh(range(len(values)), values, color=PALETTE[0])
        ax.set_yticks(range(len(values)), labels, fontsize=7)
        ax.set_xlabel("engagement")
        ax.grid(axis="x", alpha=0.3)
    ax.set_title("Top posts", loc="left", fontsize=11)
    return _png(fig)


def competitor_comparison(rows: list[dict]) -> bytes:
    fig, ax = plt.subplots(figsize=(8, 3.6))
    # an account without a share (not available on its platform, or alone in its set) is not
    # a 0 % bar: it is left out of the chart (the table shows it as "-")
    rows = [r for r in rows if r["share_of_voice"] is not None]
    if not rows:
        _empty(ax, "no competitor data in this period")
    else:
        labels = [clean(f"@{r['handle']} ({r['platform']})", 32) for r in rows]
        values = [100 * r["share_of_voice"] for r in rows]
        colors = [PALETTE[1] if r["is_competitor"] else PALETTE[0] for r in rows]
        ax.bar(range(len(values)), values, color=colors)
        ax.set_xticks(range(len(values)), labels, rotation=35, ha="right", fontsize=7)
        ax.set_ylabel("share of voice (%)")
        ax.grid(axis="y", alpha=0.3)
        ax.legend(handles=[plt.Rectangle((0, 0), 1, 1, color=PALETTE[0]),
                           plt.Rectangle((0, 0), 1, 1, color=PALETTE[1])],
                  labels=["client", "competitor"], fontsize=7, frameon=False)
    ax.set_title("Competitor comparison: share of public engagement per platform", loc="left",
                 fontsize=11)
    return _png(fig)


def hashtags(rows: list[dict]) -> bytes:
    fig, ax = plt.subplots(figsize=(8, 3.4))
    if not rows:
        _empty(ax, "no hashtags in this period")
    else:
        labels = [clean("#" + r["hashtag"], 30) for r in rows][::-1]
        values = [r["posts"] for r in rows][::-1]
        ax.barh(range(len(values)), values, color=PALETTE[2])
        ax.set_yticks(range(len(values)), labels, fontsize=8)
        ax.set_xlabel("posts using the hashtag")
        ax.grid(axis="x", alpha=0.3)
    ax.set_title("Hashtags", loc="left", fontsize=11)
    return _png(fig)
