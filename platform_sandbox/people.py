"""The world's people: each client workspace's owned accounts belong to one person who can log in
to the platforms' consent pages. Logins, passwords and platform user ids follow from the seed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property

from platform_sandbox import rand
from platform_sandbox.world import World
from platform_sandbox.world_objects import Account, Workspace

FIRST_NAMES = ["Alex", "Sam", "Robin", "Jordan", "Maria", "Noor", "Kai", "Lena", "Tom", "Ines"]


@dataclass(frozen=True)
class Person:
    person_key: str
    login: str
    password: str
    name: str
    workspace: Workspace
    facebook_user_id: str
    linkedin_member_id: str
    accounts: tuple[Account, ...]

    def owned(self, platform: str) -> list[Account]:
        """The person's accounts on one platform, in world order."""
        return [a for a in self.accounts if a.platform == platform]

    @property
    def member_urn(self) -> str:
        return f"urn:li:person:{self.linkedin_member_id}"


class People:
    """Everyone in a world, found by login or by a platform user id."""

    def __init__(self, world: World):
        self.world = world

    @cached_property
    def all(self) -> list[Person]:
        """One person per workspace (prospects included), in workspace order."""
        owned: dict[str, list[Account]] = {}
        for a in self.world.accounts:
            if not a.is_competitor:
                owned.setdefault(a.workspace_key, []).append(a)
        seed = self.world.seed
        out = []
        for n, ws in enumerate(self.world.workspaces):
            secret = hashlib.sha256(f"{seed}:{ws.workspace_key}:password".encode()).hexdigest()
            first = rand.choice(seed, FIRST_NAMES, "person", ws.workspace_key)
            out.append(Person(
                person_key=f"person-{ws.workspace_key}", login=f"owner-{ws.workspace_key}",
                password=f"pw-{secret[:10]}", name=f"{first} ({ws.name})", workspace=ws,
                facebook_user_id=str(61_550_000_000_000 + n * 1_013),
                linkedin_member_id=f"sbx{hashlib.sha256(f'{seed}:{n}'.encode()).hexdigest()[:8]}",
                accounts=tuple(owned.get(ws.workspace_key, ()))))
        return out

    def by_login(self, login: str, password: str) -> Person | None:
        """The person with these credentials, None when they do not match."""
        person = next((p for p in self.all if p.login == login.strip()), None)
        return person if person is not None and person.password == password else None

    def by_key(self, person_key: str) -> Person | None:
        return next((p for p in self.all if p.person_key == person_key), None)

    def by_facebook_user(self, user_id: str) -> Person | None:
        return next((p for p in self.all if p.facebook_user_id == user_id), None)

    def by_linkedin_member(self, member_id: str) -> Person | None:
        return next((p for p in self.all if p.linkedin_member_id == member_id), None)

    @cached_property
    def _instagram_of_page(self) -> dict[str, Account]:
        """Page id -> its Instagram business account: the n-th Page of a workspace (owned or
        competitor brand) is linked to the n-th Instagram account of the same kind."""
        out: dict[str, Account] = {}
        groups: dict[tuple[str, bool], dict[str, list[Account]]] = {}
        for a in self.world.accounts:
            groups.setdefault((a.workspace_key, a.is_competitor), {}).setdefault(
                a.platform, []).append(a)
        for by_platform in groups.values():
            for page, ig in zip(by_platform.get("facebook", []), by_platform.get("instagram", []),
                                strict=False):
                out[page.platform_account_id] = ig
        return out

    def instagram_of_page(self, page_id: str) -> Account | None:
        """The Instagram business account linked to a Facebook Page, if any."""
        return self._instagram_of_page.get(page_id)

    def page_of_instagram(self, ig_id: str) -> str | None:
        """The Page id an Instagram business account is linked to, if any."""
        return next((p for p, ig in self._instagram_of_page.items()
                     if ig.platform_account_id == ig_id), None)


def person_json(person: Person, people: People) -> dict:
    """A person as ``/_sandbox/people`` shows them (credentials included: it is ground truth)."""
    accounts = []
    for a in person.accounts:
        item: dict[str, str | None] = {
            "platform": a.platform, "platform_account_id": a.platform_account_id,
            "handle": a.handle, "name": a.name}
        if a.platform == "facebook":
            ig = people.instagram_of_page(a.platform_account_id)
            item["instagram_business_account_id"] = ig.platform_account_id if ig else None
        accounts.append(item)
    return {"person_key": person.person_key, "login": person.login,
            "password": person.password, "name": person.name,
            "workspace_key": person.workspace.workspace_key,
            "is_prospect": person.workspace.is_prospect,
            "facebook_user_id": person.facebook_user_id,
            "linkedin_member_id": person.linkedin_member_id, "accounts": accounts}
