"""Who a Graph token may read, now that Facebook Login hands out user and Page tokens: a Page
token reads its Page and that Page's Instagram business account; a user token manages the Pages
its consent granted (it reads their ``instagram_business_account``, not their data)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from platform_sandbox.auth import APP_CREDENTIALS
from platform_sandbox.meta.context import Ctx
from platform_sandbox.meta.errors import GraphError
from platform_sandbox.meta.fields import Field
from platform_sandbox.oauth import may_read
from platform_sandbox.world_objects import Account

IG_FIELD = "instagram_business_account"
PPCA = "page_public_content_access"
# what a reader of a Page it does not manage gets with Page Public Content Access: posts and
# their public counts, never insights
PUBLIC_POST_EDGES = ("posts", "feed")


def reads(ctx: Ctx, account: Account) -> bool:
    """Whether the caller's token reads ``account``'s data (media, posts, insights)."""
    return may_read(ctx.state.people, ctx.state.oauth, "meta", ctx.subject,
                    account.platform_account_id)


def manages(ctx: Ctx, page: Account) -> bool:
    """The caller holds the Page's token, or the user token of a consent that granted it."""
    if ctx.subject == page.platform_account_id:
        return True
    grant = ctx.state.oauth.grant_of("meta", ctx.subject)
    return grant is not None and page.platform_account_id in grant.account_ids


def page_node(ctx: Ctx, page: Account, fields: list[Field],
              render: Callable[[Ctx, Account, list[Field]], dict]) -> dict:
    """``GET /{page-id}?fields=...`` with ``instagram_business_account`` answered here (for
    the Page's managers) and every other field by ``render``."""
    if not any(f.name == IG_FIELD for f in fields):
        return render(ctx, page, fields)
    if not manages(ctx, page):
        raise GraphError(10, "(#10) To use 'Instagram business account', your use of this "
                         "endpoint must be reviewed and approved by Facebook.", status=403)
    rest = [f for f in fields if f.name != IG_FIELD]
    out = render(ctx, page, rest or [Field("id")])
    ig = ctx.state.people.instagram_of_page(page.platform_account_id)
    if ig is not None:
        out[IG_FIELD] = {"id": ig.platform_account_id}
    return out


def reads_public_content(ctx: Ctx, page: Account) -> bool:
    """Whether the app reads public posts of a Facebook Page the caller does not manage: it
    holds Page Public Content Access. Such reads need ``appsecret_proof`` (or an app token), as
    Graph requires; a read without a valid one is refused here."""
    if page.platform != "facebook" or PPCA not in ctx.state.oauth.features["meta"]:
        return False
    proof = ctx.query.get("appsecret_proof")
    if not proof:
        raise GraphError(100, "(#100) Pages Public Content Access requires either app secret "
                         "proof or an app token")
    secret = APP_CREDENTIALS["meta"]["client_secret"]
    expected = hmac.new(secret.encode(), ctx.token.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(proof, expected):
        raise GraphError(100, "Invalid appsecret_proof provided in the API argument")
    return True


def public_fields(fields: list[Field], refusal: GraphError) -> list[Field]:
    """``fields`` when none of them needs the Page's own token (insights do): else ``refusal``."""
    if any(f.name == "insights" for f in fields):
        raise refusal
    return fields
