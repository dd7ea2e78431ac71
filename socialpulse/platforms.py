"""The four platforms, how they are shown, and which dlt source reads which (see the glossary in
DECISIONS.md: a ``platform`` is one social network, a ``source`` one API family)."""

from __future__ import annotations

from typing import Literal, get_args

Platform = Literal["twitter", "facebook", "instagram", "linkedin"]
Source = Literal["twitter", "meta", "linkedin"]

PLATFORMS: tuple[Platform, ...] = get_args(Platform)
SOURCES: tuple[Source, ...] = get_args(Source)

DISPLAY_NAMES: dict[str, str] = {
    "twitter": "X",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "linkedin": "LinkedIn",
}

# the Graph API serves Facebook pages and Instagram business accounts alike: one source
SOURCE_PLATFORMS: dict[str, tuple[Platform, ...]] = {
    "twitter": ("twitter",),
    "meta": ("facebook", "instagram"),
    "linkedin": ("linkedin",),
}


def display_name(platform: str) -> str:
    """How a platform is shown in charts, alerts and reports (the platform itself if unknown)."""
    return DISPLAY_NAMES.get(platform, platform)


def source_of(platform: str) -> str:
    """The dlt source that reads ``platform``; KeyError for an unknown platform."""
    for source, platforms in SOURCE_PLATFORMS.items():
        if platform in platforms:
            return source
    raise KeyError(platform)


def raw_dataset(source: str) -> str:
    """The warehouse schema a source loads into."""
    return f"raw_{source}"
