"""Turn an alert row into what a person reads: one line, Slack blocks, an e-mail."""

from __future__ import annotations

from typing import Any

PLATFORM_NAMES = {"twitter": "X", "instagram": "Instagram", "facebook": "Facebook",
                  "linkedin": "LinkedIn"}
RULE_NAMES = {
    "engagement_24h_zscore": "24 h engagement far above the account's 7-day baseline",
    "engagement_rate_breakout": "engagement rate breakout vs the account's last week",
    "negative_share_spike": "share of negative comments far above the 7-day baseline",
    "found_at_connection": "already far above the account's baseline when it was connected",
}
FOUND_AT_CONNECTION = "found_at_connection"
MAX_LISTED_POSTS = 5


def _num(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _pct(value: Any) -> str:
    return "-" if value is None else f"{float(value) * 100:.0f}%"


def title(alert: dict) -> str:
    p = alert["payload"]
    where = f"@{p.get('handle', '?')} on {PLATFORM_NAMES.get(p.get('platform'), p.get('platform'))}"
    if alert.get("rule") == FOUND_AT_CONNECTION:
        return (f"Found at connection: {p.get('post_count', '?')} post(s) by {where} had "
                "already taken off")
    if alert["kind"] == "viral_post":
        return f"Viral post by {where} (score {_num(alert.get('score'))}σ)"
    return f"Negative comments spike for {where} ({_pct(p.get('negative_share'))} negative)"


def facts(alert: dict) -> list[tuple[str, str]]:
    """(label, value) pairs shown under the title."""
    p = alert["payload"]
    if alert.get("rule") == FOUND_AT_CONNECTION:
        return [("Rule", RULE_NAMES[FOUND_AT_CONNECTION]),
                ("Posts", _num(p.get("post_count"))),
                ("Top score", f"{_num(alert.get('score'))}σ"),
                ("Detected", str(p.get("detected_at", "-")))]
    if alert["kind"] == "viral_post":
        return [
            ("Rule", RULE_NAMES.get(alert["rule"], alert["rule"])),
            ("Value", _num(p.get("metric_value"))),
            ("Baseline mean ± sd", f"{_num(p.get('baseline_mean'))} ± "
                                   f"{_num(p.get('baseline_stddev'))}"),
            ("Threshold", _num(p.get("threshold"))),
            ("Engagement", _num(p.get("engagement"))),
            ("Posted", str(p.get("post_created_at", "-"))),
            ("Detected", str(p.get("detected_at", "-"))),
        ]
    return [
        ("Rule", RULE_NAMES.get(alert["rule"], alert["rule"])),
        ("Last 24 h", f"{p.get('negative_comments')} of {p.get('comments')} comments negative "
                      f"({_pct(p.get('negative_share'))})"),
        ("7-day baseline", f"{_pct(p.get('baseline_share'))} of "
                           f"{p.get('baseline_comments')} comments"),
        ("Lift / z", f"{_num(p.get('lift'))}x / {_num(alert.get('score'))}σ"),
        ("Window", f"{p.get('window_start')} – {p.get('window_end')}"),
    ]


def excerpt_lines(alert: dict) -> list[str]:
    p = alert["payload"]
    if alert.get("rule") == FOUND_AT_CONNECTION:
        return [f"{post.get('post_created_at', '')[:10]} · {_num(post.get('engagement'))} "
                f"engagement · {post.get('post_url') or post.get('post_id')}"
                for post in (p.get("posts") or [])[:MAX_LISTED_POSTS]]
    if alert["kind"] == "viral_post":
        return [p["text_excerpt"]] if p.get("text_excerpt") else []
    return [f"“{t}”" for t in p.get("negative_examples") or []]


def post_url(alert: dict) -> str | None:
    """The link to the post: ``post_url``, or ``permalink`` on alerts raised before the rename."""
    p = alert["payload"]
    return p.get("post_url") or p.get("permalink")


def plain_text(alert: dict) -> str:
    """A multi-line text body (log line, e-mail body, Slack fallback)."""
    lines = [title(alert)]
    lines += [f"{label}: {value}" for label, value in facts(alert)]
    lines += excerpt_lines(alert)
    link = post_url(alert)
    if link:
        lines.append(link)
    lines.append(f"alert #{alert['alert_id']} · workspace {alert['workspace_id']}")
    return "\n".join(lines)


def _mrkdwn_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_message(alert: dict) -> dict:
    """Slack-compatible incoming-webhook JSON: ``{"text": fallback, "blocks": [...]}``."""
    head = title(alert)
    fields = [{"type": "mrkdwn", "text": f"*{_mrkdwn_escape(label)}*\n{_mrkdwn_escape(value)}"}
              for label, value in facts(alert)][:10]  # Slack allows 10 fields per section
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": head[:150]}},
        {"type": "section", "fields": fields},
    ]
    quotes = excerpt_lines(alert)
    if quotes:
        body = "\n".join(f"> {_mrkdwn_escape(q)}" for q in quotes)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": body[:3000]}})
    context = f"alert #{alert['alert_id']} · workspace {alert['workspace_id']}"
    link = post_url(alert)
    if link:
        context += f" · <{link}|open post>"
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": context}]})
    return {"text": head, "blocks": blocks}
