"""Per-feed metadata (issue 16): `categories.NAME.title` as written, `categories.NAME.image`
(RSS `<image>`, Atom `logo`, JSON Feed `icon`), and polling hints from `feeds.ttl` (RSS
`<ttl>`, `sy:updatePeriod`/`sy:updateFrequency`), each read back by the validator."""

from __future__ import annotations

import dataclasses
import json

import pytest
from click.testing import CliRunner
from factories import make_article, make_config, static_content
from lxml import etree
from sites import Site

from feeds.cli import cli
from feeds.config import CategoryConfig, Config
from feeds.plan import FeedSpec, plan_site
from feeds.render import render_feed
from feeds.render.rules import update_schedule
from feeds.validate import check_round_trip

SY = "{http://purl.org/rss/1.0/modules/syndication/}"
ATOM = "{http://www.w3.org/2005/Atom}"
IMAGE = "https://cdn.example.org/phones.png"


def configured(ttl: int | None = None, **categories: CategoryConfig) -> Config:
    config = make_config(formats=("rss", "atom", "json"), logo="https://news.example.org/l.png")
    return dataclasses.replace(
        config, categories=categories, feeds=dataclasses.replace(config.feeds, ttl=ttl)
    )


def phones_feed(config: Config) -> FeedSpec:
    plan = plan_site([make_article("a", categories=["Phones"])], config)
    return next(feed for feed in plan.feeds if feed.key == "phones")


def test_a_category_title_is_the_feed_title_as_written() -> None:
    config = configured(Phones=CategoryConfig(title="Phones Weekly, from the Desk"))
    assert phones_feed(config).title == "Phones Weekly, from the Desk"
    assert phones_feed(configured()).title == "Example Tech News: Phones"  # as before


def test_a_category_image_in_every_format_and_the_site_logo_elsewhere() -> None:
    config = configured(Phones=CategoryConfig(image=IMAGE))
    feed = phones_feed(config)
    rss = etree.fromstring(render_feed(feed, "rss", config, static_content))
    assert rss.findtext("channel/image/url") == IMAGE
    atom = etree.fromstring(render_feed(feed, "atom", config, static_content))
    assert atom.findtext(f"{ATOM}logo") == IMAGE
    assert json.loads(render_feed(feed, "json", config, static_content))["icon"] == IMAGE
    site = plan_site([make_article("a", categories=["Phones"])], config).feeds[0]
    site_rss = etree.fromstring(render_feed(site, "rss", config, static_content))
    assert site_rss.findtext("channel/image/url") == "https://news.example.org/l.png"
    assert "icon" not in json.loads(render_feed(site, "json", config, static_content))


@pytest.mark.parametrize(
    ("minutes", "period", "frequency"),
    [
        (30, "hourly", 2),
        (60, "hourly", 1),
        (45, "daily", 32),  # 1440 / 45
        (90, "daily", 16),
        (1440, "daily", 1),
        (100, "yearly", 5256),  # 525600 / 100: no shorter period holds 100 minutes evenly
        (10080, "weekly", 1),
        (20000, "yearly", 26),  # 525600 / 20000 = 26.28: polled 26 times a year
    ],
)
def test_update_schedule(minutes: int, period: str, frequency: int) -> None:
    assert update_schedule(minutes) == (period, frequency)


def test_ttl_writes_rss_polling_hints() -> None:
    config = configured(ttl=30)
    feed = phones_feed(config)
    data = render_feed(feed, "rss", config, static_content)
    channel = etree.fromstring(data).find("channel")
    assert channel is not None
    assert channel.findtext("ttl") == "30"
    assert channel.findtext(f"{SY}updatePeriod") == "hourly"
    assert channel.findtext(f"{SY}updateFrequency") == "2"
    assert b"UpdatePeriod" not in data  # feedgen's misspelt element is not used
    plain = configured()
    assert b"<ttl>" not in render_feed(phones_feed(plain), "rss", plain, static_content)


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_metadata_round_trips_clean(fmt: str) -> None:
    config = configured(ttl=90, Phones=CategoryConfig(title="Phones Weekly", image=IMAGE))
    feed = phones_feed(config)
    data = render_feed(feed, fmt, config, static_content)
    assert check_round_trip(data, fmt, feed, config, static_content, file="x") == []


@pytest.mark.parametrize(
    ("fmt", "old", "new", "field"),
    [
        ("rss", "<ttl>90</ttl>", "<ttl>900</ttl>", "ttl"),
        ("rss", "<sy:updateFrequency>16<", "<sy:updateFrequency>1<", "schedule"),
        ("rss", f"<url>{IMAGE}</url>", "<url>https://cdn.example.org/x.png</url>", "image"),
        ("atom", f"<logo>{IMAGE}</logo>", "<logo>https://cdn.example.org/x.png</logo>", "image"),
        ("json", f'"icon": "{IMAGE}"', '"icon": "https://cdn.example.org/x.png"', "image"),
    ],
)
def test_changed_metadata_is_a_round_trip_error(fmt: str, old: str, new: str, field: str) -> None:
    config = configured(ttl=90, Phones=CategoryConfig(image=IMAGE))
    feed = phones_feed(config)
    data = render_feed(feed, fmt, config, static_content)
    assert data.count(old.encode()) == 1, data.decode()
    found = check_round_trip(
        data.replace(old.encode(), new.encode()), fmt, feed, config, static_content, file="x"
    )
    assert [(f.rule, f.field) for f in found] == [("RoundTrip", field)]


@pytest.mark.parametrize(
    ("section", "key", "value", "named"),
    [
        ("feeds", "ttl", 0, "feeds.ttl"),
        ("feeds", "ttl", "hourly", "feeds.ttl"),
        ("categories", "Phones", {"image": 5}, "categories.Phones.image"),
    ],
)
def test_bad_metadata_settings_exit_2(
    site: Site, section: str, key: str, value: object, named: str
) -> None:
    site.settings.setdefault(section, {})[key] = value
    site.save_config()
    arguments = ["build", "--config", str(site.root / "config.yaml"), "--now", "2026-11-26T12:00Z"]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 2, result.output
    assert named in result.stderr
    assert "unknown key" not in result.stderr  # refused for its value, not its name


def test_ttl_and_image_are_read_from_config_yaml(site: Site) -> None:
    site.settings["feeds"]["ttl"] = 30
    site.settings["categories"]["Phones"]["image"] = "media/phones.png"
    site.save_config()
    config = site.config()
    assert config.feeds.ttl == 30
    assert config.categories["Phones"].image == "https://inc.example.org/media/phones.png"


def test_every_newsroom_fixture_feed_is_lint_clean_and_round_trips() -> None:
    from factories import fixture_site

    from feeds.validate import check_file

    config, plan = fixture_site(newsroom=True)
    for feed in plan.feeds:
        for fmt in plan.formats:
            data = render_feed(feed, fmt, config, static_content)
            assert check_file(data, fmt, feed, config, static_content, file=feed.path(fmt)) == []
