"""Per-feed content policy (issue 16): `full`, `summary` or `both`, per feed kind
(`feeds.content`) and per category (`categories.NAME.content`); the writers, the size budget
and the validator follow it."""

from __future__ import annotations

import dataclasses
import json

import pytest
from click.testing import CliRunner
from factories import make_article, make_config, static_content
from sites import Site, snapshot

from feeds.cli import cli
from feeds.config import CategoryConfig, Config
from feeds.plan import FeedSpec, plan_site
from feeds.render import fit_feed, render_feed
from feeds.validate import check_round_trip

NOW = "2026-11-26T12:00:00Z"
BODY = "<p>Full text of the article, paragraph one.</p><p>And a second paragraph.</p>"


def configured(content: dict[str, str] | None = None, **categories: str) -> Config:
    config = make_config(formats=("rss", "atom", "json"))
    policies = dict.fromkeys(("site", "category", "tag", "author"), "full") | (content or {})
    return dataclasses.replace(
        config,
        feeds=dataclasses.replace(config.feeds, content=policies),
        categories={name: CategoryConfig(content=policy) for name, policy in categories.items()},
    )


def feeds_by_path(config: Config) -> dict[str, FeedSpec]:
    articles = [
        make_article("deal", categories=["Business"], body=BODY, summary="A summary."),
        make_article("phone", categories=["Phones"], published="2021-01-01T10:00:00+01:00"),
    ]
    return {feed.path("rss"): feed for feed in plan_site(articles, config).feeds}


def test_a_summary_category_carries_no_article_html_in_any_format() -> None:
    config = configured(Business="summary")
    feed = feeds_by_path(config)["feeds/category/business.rss.xml"]
    rss = render_feed(feed, "rss", config, static_content).decode()
    assert "<description>A summary.</description>" in rss
    assert "content:encoded" not in rss and "Full text" not in rss
    atom = render_feed(feed, "atom", config, static_content).decode()
    assert '<summary type="text">A summary.</summary>' in atom
    assert "<content" not in atom and "Full text" not in atom
    item = json.loads(render_feed(feed, "json", config, static_content))["items"][0]
    assert (item.get("content_html"), item["content_text"]) == (None, "A summary.")
    # the site feed keeps the full text
    site = render_feed(feeds_by_path(config)["feeds/all.rss.xml"], "rss", config, static_content)
    assert b"Full text of the article" in site


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_a_summary_feed_round_trips_clean_and_full_text_in_it_is_an_error(fmt: str) -> None:
    config = configured(Business="summary")
    feed = feeds_by_path(config)["feeds/category/business.rss.xml"]
    data = render_feed(feed, fmt, config, static_content)
    assert check_round_trip(data, fmt, feed, config, static_content, file="x") == []
    # the full feed's bytes, checked as the summary feed: the validator follows the policy
    full = render_feed(dataclasses.replace(feed, content="full"), fmt, config, static_content)
    found = check_round_trip(full, fmt, feed, config, static_content, file="x")
    assert [(f.rule, f.field) for f in found] == [("RoundTrip", "content")]


def test_feeds_content_sets_the_policy_per_kind() -> None:
    config = configured({"site": "summary"})
    feeds = feeds_by_path(config)
    assert feeds["feeds/all.rss.xml"].content == "summary"
    assert feeds["feeds/category/business.rss.xml"].content == "full"


def test_both_gives_a_summary_feed_and_a_full_text_copy_under_feeds_full() -> None:
    config = configured(Business="both")
    feeds = feeds_by_path(config)
    summary = feeds["feeds/category/business.rss.xml"]
    copy = feeds["feeds/full/category/business.rss.xml"]
    assert (summary.content, copy.content) == ("summary", "full")
    assert copy.title == "Example Tech News: Business (full text)"
    assert b"Full text of the article" in render_feed(copy, "rss", config, static_content)
    atom = render_feed(copy, "atom", config, static_content).decode()
    self_link = 'href="https://news.example.org/feeds/full/category/business.atom.xml" rel="self"'
    assert self_link in atom
    assert check_round_trip(atom.encode(), "atom", copy, config, static_content, file="x") == []


def test_the_size_budget_follows_the_policy() -> None:
    big = "<p>" + "word " * 400 + "</p>"
    articles = [
        make_article(f"a{n}", body=big, published=f"2021-01-{n + 1:02d}T10:00:00+01:00")
        for n in range(8)
    ]
    for policy, kept in (("full", 3), ("summary", 8)):
        config = configured({"site": policy})
        config = dataclasses.replace(
            config, feeds=dataclasses.replace(config.feeds, max_bytes=10_000)
        )
        feed = plan_site(articles, config).feeds[0]
        fitted, data = fit_feed(feed, "rss", config, static_content)
        assert len(data) <= 10_000
        assert len(fitted.entries) == kept, policy


@pytest.mark.parametrize(
    ("settings", "key"),
    [
        ({"feeds": {"content": "excerpt"}}, "feeds.content"),
        ({"feeds": {"content": {"tag": "short"}}}, "feeds.content.tag"),
        ({"feeds": {"content": {"tags": "summary"}}}, "feeds.content"),
        ({"categories": {"Phones": {"content": "none"}}}, "categories.Phones.content"),
    ],
)
def test_a_bad_policy_exits_2_naming_the_key(site: Site, settings: dict, key: str) -> None:  # type: ignore[type-arg]
    for section, values in settings.items():
        site.settings.setdefault(section, {})
        for name, value in values.items():
            site.settings[section][name] = value
    site.save_config()
    arguments = ["build", "--config", str(site.root / "config.yaml"), "--now", NOW]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 2, result.output
    assert key in result.stderr


def test_both_is_built_and_the_copy_is_not_listed_for_the_public(site: Site) -> None:
    site.settings["categories"]["Phones"]["content"] = "both"
    site.save_config()
    arguments = ["build", "--config", str(site.root / "config.yaml"), "--now", NOW]
    assert CliRunner().invoke(cli, arguments).exit_code == 0
    files = snapshot(site.output)
    assert b"<content:encoded>" not in files["feeds/category/phones.rss.xml"]
    assert b"<content:encoded>" in files["feeds/full/category/phones.rss.xml"]
    assert b"feeds/full/" not in files["index.html"]
    assert b"feeds/full/" not in files["feeds.opml"]
