"""Which articles go into feeds (issue 16): `feed: false` on an article and
`feeds.exclude_categories` keep a valid record out of every feed."""

from __future__ import annotations

import dataclasses

import pytest
from click.testing import CliRunner
from factories import category, make_article, make_config
from sites import Site

from feeds.cli import cli
from feeds.config import Config, ConfigError
from feeds.feedkinds import excluded_categories
from feeds.model import Level, Problem
from feeds.plan import plan_site
from tests.test_normalise import normalise, refused

NOW = "2026-11-26T12:00:00Z"


def with_feeds(config: Config, **feeds: object) -> Config:
    return dataclasses.replace(config, feeds=dataclasses.replace(config.feeds, **feeds))


def keys_and_slugs(config: Config, *articles: object) -> dict[str, list[str]]:
    plan = plan_site(articles, config)  # type: ignore[arg-type]
    return {feed.key: [a.slug for a in feed.entries] for feed in plan.feeds}


def test_feed_false_is_read_as_a_boolean() -> None:
    assert normalise(feed=False)[0].in_feeds is False
    assert normalise()[0].in_feeds is True
    assert normalise(feed=True)[0].in_feeds is True


def test_feed_as_text_is_refused() -> None:
    assert refused(feed="no") == Problem(
        "content/a.md",
        "feed",
        "no",
        "is text, not true or false; write feed: false to keep the article out of every feed "
        "(without quotes), or leave the key out",
        Level.ERROR,
    )


def test_feed_false_keeps_the_article_out_of_every_feed() -> None:
    errata = make_article("errata", categories=["Phones"], in_feeds=False)
    news = make_article("news", categories=["Phones"], published="2021-01-01T10:00:00+01:00")
    assert keys_and_slugs(make_config(), errata, news) == {"all": ["news"], "phones": ["news"]}


def test_feed_false_alone_in_a_category_leaves_no_category_feed() -> None:
    errata = make_article("errata", categories=["Corrections"], in_feeds=False)
    news = make_article("news", categories=["Phones"], published="2021-01-01T10:00:00+01:00")
    assert keys_and_slugs(make_config(), errata, news) == {"all": ["news"], "phones": ["news"]}


def test_an_excluded_category_and_those_below_it_are_in_no_feed() -> None:
    config = with_feeds(make_config(), exclude_categories=("sponsored",))
    ad = make_article("ad", categories=["Sponsored"])
    deep = make_article(
        "deep", categories=["Sponsored: Phones"], published="2021-01-02T10:00:00+01:00"
    )
    # an article also filed elsewhere is still out: it is sponsored
    both = make_article("both", categories=[category("Phones"), category("Sponsored")])
    news = make_article("news", categories=["Phones"], published="2021-01-01T10:00:00+01:00")
    assert keys_and_slugs(config, ad, deep, both, news) == {"all": ["news"], "phones": ["news"]}


def test_an_excluded_child_leaves_its_parent_in_the_feeds() -> None:
    config = with_feeds(make_config(), exclude_categories=("Phones: Deals",))
    deal = make_article("deal", categories=["Phones: Deals"])
    review = make_article(
        "review", categories=["Phones: Reviews"], published="2021-01-01T10:00:00+01:00"
    )
    assert keys_and_slugs(config, deal, review) == {
        "all": ["review"],
        "phones": ["review"],
        "phones/reviews": ["review"],
    }


def test_an_exclude_entry_that_is_no_category_path_is_a_config_error() -> None:
    config = with_feeds(make_config(), exclude_categories=("Phones", "?!"))
    with pytest.raises(ConfigError) as caught:
        excluded_categories(config)
    assert caught.value.key == "feeds.exclude_categories[1]"


def test_exclude_categories_must_be_a_list_exit_2(site: Site) -> None:
    site.settings["feeds"]["exclude_categories"] = "Sponsored"
    site.save_config()
    arguments = ["build", "--config", str(site.root / "config.yaml"), "--now", NOW]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 2
    assert "feeds.exclude_categories" in result.stderr
    assert "must be a list of strings" in result.stderr


def test_an_exclude_entry_of_only_punctuation_exit_2(site: Site) -> None:
    site.settings["feeds"]["exclude_categories"] = ["/"]
    site.save_config()
    arguments = ["build", "--config", str(site.root / "config.yaml"), "--now", NOW]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 2, result.output
    assert "feeds.exclude_categories[0]" in result.stderr
    assert not site.output.exists()
