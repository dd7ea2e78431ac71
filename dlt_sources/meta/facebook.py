"""Facebook pages: owned pages (published_posts since the last one seen + multi-id re-polls)
and competitor pages: public page fields, and with Page Public Content Access (see
``capabilities.py``) their public posts (``/{page}/posts``: reactions, comments and shares
counts, no insights, no comments); without it Graph gives no posts of pages you do not
manage."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dlt_sources._shared.http import server_time
from dlt_sources.meta import records, settings
from dlt_sources.meta.capabilities import page_public_content_access
from dlt_sources.meta.polling import Run, learning_metrics, repoll
from dlt_sources.meta.records import parse_time
from dlt_sources.meta.tables import FB_POST_SNAPSHOTS, FB_POSTS
from socialpulse.accounts import SyncTarget


def post_fields(run: Run, page_id: str) -> str:
    """Post fields with the comment summary, the first comments and insights embedded."""
    return (f"{settings.FB_POST_FIELDS}{run.insights_field('facebook', page_id)},"
            f"comments.summary(true).limit({settings.COMMENTS_PER_POST})"
            f"{{{settings.FB_COMMENT_FIELDS}}}")


def public_post_fields() -> str:
    """A competitor's post fields: what Page Public Content Access shows (no insights; the
    comment count without the comments)."""
    return f"{settings.FB_POST_FIELDS},comments.summary(true).limit(0)"


def _post_rows(run: Run, creds, page_id: str, item: dict, observed,
               public: bool = False) -> Iterator[Any]:
    if public:
        yield from records.fb_post(item, page_id, observed, [])
        return
    yield from records.fb_post(item, page_id, observed, run.metrics("facebook", page_id))
    paging = (item.get("comments") or {}).get("paging") or {}
    if paging.get("next") and item.get("id"):
        for comments, _response in run.client.pages(paging["next"], creds, {}):
            yield from records.comment_page(comments, str(item["id"]), lambda c: records.fb_comment(
                c, str(item["id"]), page_id, observed))


def sync_page(run: Run, target: SyncTarget, state: dict) -> Iterator[Any]:
    """Page counts; for an owned page also new posts and one snapshot per post of the
    lookback window."""
    creds = run.context.credentials(target)
    page_id = target.platform_account_id
    body, observed = run.client.get(page_id, creds, {"fields": settings.FB_PAGE_FIELDS})
    yield from records.fb_page(body, observed)
    public = target.is_competitor
    if public and not page_public_content_access():
        return
    last_seen = parse_time(state.get(page_id))
    seen: set[str] = set()
    newest = [last_seen]
    # an owned page lists what it published (Page token); a competitor's public posts are the
    # `posts` edge, which Page Public Content Access opens
    edge, fields = (("posts", public_post_fields) if public else
                    ("published_posts", lambda: post_fields(run, page_id)))

    def listing() -> Iterator[Any]:
        params: dict[str, Any] = {"fields": fields(), "limit": run.page_size}
        if last_seen:
            # `since` is inclusive and in whole seconds: the last post seen comes back again
            params["since"] = int(last_seen.timestamp())
        for items, response in run.client.pages(f"{page_id}/{edge}", creds, params):
            at = server_time(response)
            for item in items:
                created = parse_time(item.get("created_time"))
                if created and last_seen and created <= last_seen:
                    continue
                if created and item.get("id"):
                    seen.add(str(item["id"]))
                    newest[0] = max(filter(None, (newest[0], created)))
                yield from _post_rows(run, creds, page_id, item, at, public)

    yield from learning_metrics(run, "facebook", page_id, listing)
    if newest[0] is not None:
        state[page_id] = newest[0].isoformat()
    # ageing polls: an older post is re-read only when its tier's interval has passed
    old = run.due_ids(FB_POSTS, FB_POST_SNAPSHOTS, page_id, observed, seen)
    yield from repoll(run, creds, "facebook", page_id, FB_POSTS, old, fields,
                      lambda item, at: _post_rows(run, creds, page_id, item, at, public))
