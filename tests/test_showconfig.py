"""Issue 17: a podcast show's settings are checked at config time, errors name the key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from factories import raw_site

from feeds.config import ConfigError, parse_config
from feeds.showconfig import Funding, ShowConfig

BASE = Path("/srv/site")


def show(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "image": "media/show.png",
        "author": "Example Newsroom",
        "owner": {"name": "Ada Editor", "email": "podcast@example.org"},
        "category": ["Technology"],
        "explicit": False,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def with_category_show(podcast: object) -> dict[str, Any]:
    return {"site": raw_site(), "categories": {"Podcasts": {"podcast": podcast}}}


def error_of(data: object) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_config(data, BASE)
    return caught.value


def test_category_show_is_parsed_and_image_resolved() -> None:
    config = parse_config(with_category_show(show(type="serial", locked=True)), BASE)
    site_url = config.site.url
    assert config.categories["Podcasts"].podcast == ShowConfig(
        image=site_url + "media/show.png",
        author="Example Newsroom",
        owner_name="Ada Editor",
        owner_email="podcast@example.org",
        categories=("Technology",),
        explicit=False,
        type="serial",
        locked=True,
    )


def test_site_show_and_funding() -> None:
    site = raw_site()
    site["podcast"] = show(
        image="https://cdn.example.net/art.jpg",
        guid="917393E3-1B1E-5CEF-ACE4-EDAA54E1F810",
        funding=[{"url": "https://example.org/support", "text": "Back us"}],
    )
    got = parse_config({"site": site}, BASE).site.podcast
    assert got is not None
    assert got.image == "https://cdn.example.net/art.jpg"
    assert got.guid == "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    assert got.funding == (Funding("https://example.org/support", "Back us"),)


def test_no_show_by_default() -> None:
    config = parse_config({"site": raw_site(), "categories": {"Podcasts": {}}}, BASE)
    assert config.categories["Podcasts"].podcast is None
    assert config.site.podcast is None


@pytest.mark.parametrize(
    ("podcast", "key", "words"),
    [
        (show(image=None), "categories.Podcasts.podcast.image", "required"),
        (show(explicit=None), "categories.Podcasts.podcast.explicit", "required"),
        (show(explicit="no"), "categories.Podcasts.podcast.explicit", "true or false"),
        (show(image="ftp://example.org/a.png"), "categories.Podcasts.podcast.image", "http(s)"),
        (show(type="daily"), "categories.Podcasts.podcast.type", "episodic or serial"),
        (show(guid="not-a-uuid"), "categories.Podcasts.podcast.guid", "UUID"),
        (show(owner={"name": "A"}), "categories.Podcasts.podcast.owner.email", "required"),
        (
            show(owner={"name": "A", "email": "nobody"}),
            "categories.Podcasts.podcast.owner.email",
            "email",
        ),
        (show(category=[]), "categories.Podcasts.podcast.category", "category name"),
        (show(colour="red"), "categories.Podcasts.podcast.colour", "unknown key"),
        ("yes", "categories.Podcasts.podcast", "mapping"),
    ],
)
def test_bad_show_setting_names_the_key(podcast: object, key: str, words: str) -> None:
    error = error_of(with_category_show(podcast))
    assert error.key == key
    assert str(error).startswith(key)
    assert words in str(error)
