"""The deterministic synthetic world behind the sandbox.

Accounts are few and built eagerly; posts, comments and metric values are computed lazily from the
seed, so a world of millions of posts costs no memory. Every value is a pure function of
(config, object, simulated time): the API routes and the ground-truth endpoint read the same
functions, so tests can compare what was loaded with what is true. The generation itself lives in
world_accounts, world_posts and world_comments; this class binds it to one config.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cached_property

from platform_sandbox import world_accounts, world_comments, world_posts
from platform_sandbox.world_config import WorldConfig
from platform_sandbox.world_objects import Account, Comment, Post, Workspace, decode_id


class World:
    """Lazily generated accounts, posts, comments and metric curves for one config."""

    def __init__(self, config: WorldConfig):
        self.config = config
        self.seed = config.seed
        self.epoch = config.start - timedelta(days=config.history_days)

    # ----- accounts -------------------------------------------------------------------------
    @cached_property
    def workspaces(self) -> list[Workspace]:
        """Every agency's client workspaces."""
        return world_accounts.build_workspaces(self.config)

    @cached_property
    def accounts(self) -> list[Account]:
        """Every account, owned and competitor; ``accounts[i].index == i``."""
        return world_accounts.build_accounts(self.config, self.workspaces)

    @cached_property
    def _by_platform_id(self) -> dict[tuple[str, str], Account]:
        return {(a.platform, a.platform_account_id): a for a in self.accounts}

    def account(self, platform: str, platform_account_id: str) -> Account | None:
        """The account with this platform id, if any."""
        return self._by_platform_id.get((platform, str(platform_account_id)))

    def account_by_handle(self, platform: str, handle: str) -> Account | None:
        """The account with this handle (case-insensitive), if any."""
        handle = handle.lower().lstrip("@")
        return next((a for a in self.accounts
                     if a.platform == platform and a.handle == handle), None)

    def followers(self, account: Account, t: datetime) -> int:
        """Follower count at ``t``; it changes once per simulated UTC day."""
        return world_accounts.followers(self.seed, self.epoch, account, t)

    # ----- posts ----------------------------------------------------------------------------
    def post_time(self, account: Account, k: int) -> datetime:
        """When post ``k`` of ``account`` is published."""
        return world_posts.post_time(self.seed, self.epoch, account, k)

    def post_count(self, account: Account, t: datetime) -> int:
        """Posts published by ``t`` (deleted ones included)."""
        return world_posts.post_count(self.seed, self.epoch, account, t)

    def first_index_after(self, account: Account, t: datetime) -> int:
        """Smallest k with ``post_time(k) > t``."""
        return self.post_count(account, t)

    def post(self, account: Account, k: int) -> Post:
        """Post number ``k`` (0 = oldest) of ``account``."""
        created = self.post_time(account, k)
        partner = self.accounts[(account.index + 1) % len(self.accounts)].handle
        return world_posts.build_post(self.config, account, k, created,
                                      self.followers(account, created), partner)

    def metrics(self, post: Post, t: datetime) -> dict[str, int]:
        """True canonical metric values of ``post`` at ``t`` (non-decreasing in ``t``)."""
        return world_posts.metrics(post, t)

    def reported_insights(self, post: Post, t: datetime) -> dict[str, int | None] | None:
        """Meta insights as the API reports them at ``t`` (None in the first hour)."""
        return world_posts.reported_insights(post, t)

    def posts_between(self, account: Account, start: datetime, end: datetime) -> range:
        """Indexes k of posts with ``start < created_at <= end``."""
        return range(self.post_count(account, start), self.post_count(account, end))

    def post_by_raw_id(self, raw_id: int) -> Post | None:
        """Decode an id back to its post; None when it names no post of this world."""
        ms, index, sub = decode_id(raw_id)
        if sub != 0 or index >= len(self.accounts):
            return None
        account = self.accounts[index]
        t = datetime.fromtimestamp(ms / 1000, UTC)
        k = self.post_count(account, t) - 1
        if k < 0:
            return None
        post = self.post(account, k)
        return post if post.raw_id == raw_id else None

    # ----- comments -------------------------------------------------------------------------
    def comment_count(self, post: Post) -> int:
        """Comments a post ever receives (their arrival times spread after posting)."""
        return world_comments.comment_count(self.config, post)

    def comment(self, post: Post, j: int) -> Comment:
        """Comment ``j`` of ``post`` (whether or not it has arrived yet)."""
        return world_comments.build_comment(self.seed, post, j)

    def comments(self, post: Post, t: datetime) -> list[Comment]:
        """Comments visible at ``t``, oldest first (none once the post is deleted)."""
        return world_comments.visible_comments(self.config, post, t)
