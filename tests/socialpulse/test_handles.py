"""Competitor handles and profile URLs reduced to the account name of each network."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialpulse.handles import HandleError, parse_handle
from socialpulse.platforms import PLATFORMS


@pytest.mark.parametrize(("platform", "given", "name"), [
    ("twitter", "@BrightBean", "brightbean"),
    ("twitter", "brightbean", "brightbean"),
    ("twitter", "https://x.com/BrightBean", "brightbean"),
    ("twitter", "twitter.com/brightbean/status/123", "brightbean"),
    ("twitter", "https://mobile.twitter.com/brightbean?lang=en", "brightbean"),
    ("instagram", "@bright.bean_co", "bright.bean_co"),
    ("instagram", "https://www.instagram.com/bright.bean_co/", "bright.bean_co"),
    ("facebook", "https://www.facebook.com/BrightBeanCoffee", "brightbeancoffee"),
    ("facebook", "m.facebook.com/brightbeancoffee/posts", "brightbeancoffee"),
    ("linkedin", "https://www.linkedin.com/company/bright-bean/", "bright-bean"),
    ("linkedin", "bright-bean", "bright-bean"),
])
def test_handles_and_urls_of_each_network(platform: str, given: str, name: str) -> None:
    assert parse_handle(platform, given) == name


@pytest.mark.parametrize(("platform", "given", "message"), [
    ("twitter", "https://www.instagram.com/brightbean", "is an Instagram address, not an X one"),
    ("instagram", "x.com/brightbean", "is an X address, not an Instagram one"),
    ("linkedin", "facebook.com/brightbean", "is a Facebook address"),
    ("facebook", "https://example.com/brightbean", "is not a Facebook address"),
    ("linkedin", "linkedin.com/in/some-person", "not a LinkedIn company page"),
    ("facebook", "facebook.com/profile.php?id=1", "personal profile"),
    ("twitter", "x.com/search", "names no X account"),
    ("twitter", "a.name.with.dots", "cannot be an X account name"),
    ("twitter", "@averyveryverylonghandle", "cannot be an X account name"),
    ("twitter", "  ", "required"),
    ("instagram", "http://[", "is not an Instagram address"),
])
def test_bad_handles_say_why(platform: str, given: str, message: str) -> None:
    with pytest.raises(HandleError, match=message):
        parse_handle(platform, given)


@settings(max_examples=400, derandomize=True, database=None)
@given(platform=st.sampled_from(PLATFORMS),
       given_text=st.one_of(st.text(max_size=60),
                            st.from_regex(r"(https?://)?[\[\]\w.:@/?%-]{0,40}", fullmatch=True)))
def test_any_text_is_a_name_or_a_handle_error(platform: str, given_text: str) -> None:
    # the API turns HandleError into a 422; anything else would be a 500
    try:
        name = parse_handle(platform, given_text)
    except HandleError:
        return
    assert name and name == name.lower() and not name.startswith("@")
