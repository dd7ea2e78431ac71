"""Who a Graph token may read, now that Facebook Login hands out user and Page tokens: a Page
token reads its Page and that Page's Instagram business account; a user token manages the Pages
its consent granted (it reads their ``instagram_business_account``, not their data)."""

from __future__ import annotations

from collections.abc import Callable

from platform_sandbox.meta.context import Ctx
from platform_sandbox.meta.errors import GraphError
from platform_sandbox.meta.fields import Field
from platform_sandbox.oauth import may_read
from platform_sandbox.world_objects import Account

IG_FIELD = "instagram_business_account"


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
