"""How the LinkedIn emulation spells things: little-text commentary, post/comment objects,
share statistics, follower breakdowns and the several real error body shapes."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.responses import JSONResponse

from platform_sandbox import ids, rand
from platform_sandbox.world import World
from platform_sandbox.world_objects import Account, Comment, Post

# characters LinkedIn "little text" reserves; literal ones must be backslash-escaped
_LITTLE = re.compile(r"#(\w+)|([\\|{}@\[\]()<>#*_~])")
VERSION_RE = re.compile(r"^(\d{4})(\d{2})(?:\.\d{2})?$")
# canonical world metric -> totalShareStatistics key
SHARE_STATS = {"impressions": "impressionCount", "reach": "uniqueImpressionsCount",
               "clicks": "clickCount", "likes": "likeCount", "comments": "commentCount",
               "shares": "shareCount"}
FOLLOWER_FACETS: dict[str, tuple[str, list[str | None]]] = {
    "followerCountsByAssociationType": ("associationType", ["EMPLOYEE", None]),
    "followerCountsBySeniority": ("seniority", [f"urn:li:seniority:{i}" for i in (3, 4, 5, 6)]),
    "followerCountsByFunction": ("function", [f"urn:li:function:{i}" for i in (4, 8, 13, 25)]),
    "followerCountsByIndustry": ("industry", [f"urn:li:industry:{i}" for i in (4, 6, 96)]),
    "followerCountsByGeoCountry": ("geo", [f"urn:li:geo:{i}" for i in (103644278, 101165590)]),
    "followerCountsByStaffCountRange": ("staffCountRange", ["SIZE_11_TO_50", "SIZE_201_TO_500"]),
}


class LinkedInError(Exception):
    """An API refusal, rendered as a JSON body with a status (and maybe headers)."""

    def __init__(self, status: int, body: dict, headers: dict[str, str] | None = None):
        super().__init__(body.get("message") or body.get("error"))
        self.status, self.body, self.headers = status, body, headers or {}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body, status_code=self.status, headers=self.headers)


def service_error(status: int, message: str, code: str | None = None,
                  service_code: int | None = None) -> LinkedInError:
    """``{serviceErrorCode, message, status}``, plus ``code`` when given (both shapes occur)."""
    body: dict = {"serviceErrorCode": service_code if service_code is not None else 0,
                  "message": message, "status": status}
    if code:
        body["code"] = code
    return LinkedInError(status, body)


def not_found(message: str) -> LinkedInError:
    """The bare ``{code: NOT_FOUND, ...}`` shape."""
    return LinkedInError(404, {"code": "NOT_FOUND", "message": message, "status": 404})


def input_error(field: str, description: str) -> LinkedInError:
    """422 with ``errorDetails.inputErrors`` (parameter validation failures)."""
    return LinkedInError(422, {
        "errorDetailType": "com.linkedin.common.error.BadRequest",
        "message": f"Invalid param. Please see errorDetails for more information. {description}",
        "errorDetails": {"inputErrors": [{
            "description": description, "input": {"inputPath": {"fieldPath": field}},
            "code": "INVALID_VALUE"}]},
        "status": 422})


def ms(t: datetime) -> int:
    return int(t.timestamp() * 1000)


def from_ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, UTC)


def version_active(version: str, now: datetime) -> bool:
    """Monthly versions live for 12 months after their release month; future ones don't exist."""
    match = VERSION_RE.match(version)
    if not match:
        return False
    months = int(match.group(1)) * 12 + int(match.group(2)) - 1
    current = now.year * 12 + now.month - 1
    return current - 12 <= months <= current


def little_text(text: str) -> str:
    """Plain text -> LinkedIn little text: ``#tag`` becomes ``{hashtag|\\#|tag}``, other
    reserved characters are escaped."""
    def sub(m: re.Match) -> str:
        return "{hashtag|\\#|" + m.group(1) + "}" if m.group(1) else "\\" + m.group(2)
    return _LITTLE.sub(sub, text)


def org_urn(account: Account) -> str:
    return f"urn:li:organization:{account.platform_account_id}"


def modified_at(world: World, post: Post, now: datetime) -> datetime:
    """One post in five is edited a few hours after publishing."""
    i, k = post.account.index, post.k
    if rand.unit(world.seed, "li-edit", i, k) >= 0.2:
        return post.created_at
    edited = post.created_at + timedelta(hours=rand.between(world.seed, 1, 48, "li-eat", i, k))
    return edited if edited <= now else post.created_at


def post_json(world: World, post: Post, now: datetime) -> dict:
    """A post object as /rest/posts returns it (broken in a realistic way when malformed)."""
    media = f"{post.raw_id:x}"
    content = {
        "IMAGE": {"media": {"id": f"urn:li:image:C4E{media}", "altText": ""}},
        "VIDEO": {"media": {"id": f"urn:li:video:C5D{media}", "title": ""}},
        "CAROUSEL_ALBUM": {"multiImage": {"images": [
            {"id": f"urn:li:image:C4E{media}{n}", "altText": ""} for n in range(3)]}},
    }.get(post.media_type)
    body = {
        "id": ids.post_id(post),
        "author": org_urn(post.account),
        "commentary": little_text(post.text),
        "visibility": "PUBLIC",
        "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [],
                         "thirdPartyDistributionChannels": []},
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
        "createdAt": ms(post.created_at),
        "publishedAt": ms(post.created_at),
        "lastModifiedAt": ms(modified_at(world, post, now)),
        "lifecycleStateInfo": {"isEditedByAuthor": modified_at(world, post, now)
                               != post.created_at},
    }
    if content:
        body["content"] = content
    if post.is_malformed:
        # recorded breakage: a post without its id, or a createdAt that is not epoch ms
        if post.k % 2 == 0:
            del body["id"]
        else:
            body["createdAt"] = "yesterday"
    return body


def person_urn(handle: str) -> str:
    return "urn:li:person:" + hashlib.sha1(handle.encode()).hexdigest()[:10]


def comment_json(comment: Comment) -> dict:
    """A comment; its ``object`` is the post's activity URN, not the share/ugcPost URN."""
    actor = person_urn(comment.author_handle)
    urn = ids.comment_id(comment)
    at = {"actor": actor, "time": ms(comment.created_at)}
    return {
        # only $URN names the comment (no commentUrn), as LinkedIn's comments answer today
        "$URN": urn, "id": str(comment.raw_id), "actor": actor,
        "object": f"urn:li:activity:{comment.post.raw_id}",
        "message": {"text": comment.text, "attributes": []},
        "created": at, "lastModified": at,
        "likesSummary": {"selectedLikes": [], "likedByCurrentUser": False,
                         "aggregatedTotalLikes": comment_likes(comment)},
    }


def comment_likes(comment: Comment) -> int:
    """Likes on a comment (a few, fixed per comment)."""
    return rand.integer(0, 0, 6, "li-comment-likes", comment.raw_id)


def share_statistics(totals: dict[str, int]) -> dict:
    """``totalShareStatistics`` from summed canonical metrics."""
    out: dict[str, float] = {key: int(totals.get(metric, 0))
                             for metric, key in SHARE_STATS.items()}
    engaged = out["clickCount"] + out["likeCount"] + out["commentCount"] + out["shareCount"]
    out["engagement"] = engaged / out["impressionCount"] if out["impressionCount"] else 0.0
    # mentions of the organisation in comments and in others' shares
    out["commentMentionsCount"] = int(totals.get("comments", 0)) // 10
    out["shareMentionsCount"] = int(totals.get("shares", 0)) // 5
    return out


def add_metrics(into: dict[str, int], metrics: dict[str, int], sign: int = 1) -> None:
    for key, value in metrics.items():
        into[key] = into.get(key, 0) + sign * value


def follower_counts(world: World, account: Account, now: datetime) -> dict:
    """Lifetime follower demographics: the total split over facets (5% paid)."""
    total = world.followers(account, now)
    out: dict = {"organizationalEntity": org_urn(account)}
    for facet, (key, values) in FOLLOWER_FACETS.items():
        rows, left = [], total
        for n, value in enumerate(values):
            share = left if n == len(values) - 1 else int(left * rand.between(
                world.seed, 0.3, 0.7, "li-facet", account.index, facet, n))
            left -= share
            paid = share // 20
            row: dict[str, Any] = {"followerCounts": {"organicFollowerCount": share - paid,
                                                      "paidFollowerCount": paid}}
            if value is not None:
                row[key] = value
            elif key == "associationType":
                continue  # only EMPLOYEE is broken out, as in recorded responses
            rows.append(row)
        out[facet] = rows
    return out


def follower_gain(world: World, account: Account, start: datetime, end: datetime) -> dict:
    """Organic and paid follower gains in ``[start, end)`` (10% of gains are paid): followers
    move at UTC midnight, so a day's bucket holds the change that opened it."""
    just = timedelta(microseconds=1)
    gain = world.followers(account, end - just) - world.followers(account, start - just)
    paid = round(gain * 0.1) if gain > 0 else 0
    return {"organicFollowerGain": gain - paid, "paidFollowerGain": paid}
