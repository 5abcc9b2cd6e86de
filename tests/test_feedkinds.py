"""Which articles go into feeds (issue 16): `feed: false` on an article and
`feeds.exclude_categories` keep a valid record out of every feed."""

from __future__ import annotations

import dataclasses

import pytest
from click.testing import CliRunner
from factories import category, make_article, make_config
from sites import Site, snapshot

from feeds.cli import cli
from feeds.config import Config, ConfigError
from feeds.feedkinds import excluded_categories, name_clashes
from feeds.model import Author, Level, Problem
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


# -- tag and author feeds ---------------------------------------------------------------------


def tagged(slug: str, day: int, *tags: str, **fields: object) -> object:
    return make_article(slug, published=f"2021-01-{day:02d}T10:00:00+01:00", tags=tags, **fields)


def feeds_of(config: Config, *articles: object) -> dict[str, tuple[str, str, list[str]]]:
    """Per feed key: the RSS path, the title, the entries' slugs."""
    plan = plan_site(articles, config)  # type: ignore[arg-type]
    return {
        feed.key: (feed.path("rss"), feed.title, [a.slug for a in feed.entries])
        for feed in plan.feeds
    }


def test_tag_and_author_feeds_are_off_by_default() -> None:
    found = feeds_of(make_config(), tagged("a", 1, "phones", authors=(Author("Ada"),)))
    assert sorted(found) == ["all", "phones"]


def test_a_tag_needs_tag_min_articles_articles() -> None:
    config = with_feeds(make_config(), tag_feeds=True, tag_min_articles=2)
    found = feeds_of(
        config, tagged("a", 1, "Batteries", "one-off"), tagged("b", 2, "batteries", "other")
    )
    # "Batteries" and "batteries" are one tag, shown in its first spelling in sort order
    assert found["tag/batteries"] == (
        "feeds/tag/batteries.rss.xml",
        "Example Tech News: Batteries (tag)",
        ["b", "a"],
    )
    assert [key for key in found if key.startswith("tag/")] == ["tag/batteries"]


def test_the_default_minimum_keeps_one_off_tags_out() -> None:
    config = with_feeds(make_config(), tag_feeds=True)
    articles = [tagged(f"a{n}", 1 + n % 28, f"one-off {n}", "common") for n in range(60)]
    found = feeds_of(config, *articles)
    assert [key for key in found if key.startswith("tag/")] == ["tag/common"]


def test_tag_slugs_follow_the_category_rules() -> None:
    config = with_feeds(make_config(), tag_feeds=True, tag_min_articles=1)
    found = feeds_of(config, tagged("a", 1, "../../etc", "C++", "Café au lait"))
    tag_paths = sorted(path for key, (path, _, _) in found.items() if key.startswith("tag/"))
    assert tag_paths == [
        "feeds/tag/c-cedb1bac.rss.xml",  # `+` lost: a hash keeps C++ apart from C
        "feeds/tag/cafe-au-lait.rss.xml",
        "feeds/tag/etc.rss.xml",
    ]


def test_two_tags_sharing_a_slug_get_no_feed_and_a_warning() -> None:
    config = with_feeds(make_config(), tag_feeds=True, tag_min_articles=1)
    articles = [tagged("a", 1, "Café"), tagged("b", 2, "Cafe", "coffee")]
    found = feeds_of(config, *articles)
    assert [key for key in found if key.startswith("tag/")] == ["tag/coffee"]
    assert name_clashes(articles, config) == [  # type: ignore[arg-type]
        Problem(
            "content/b.md",
            "tag",
            "Cafe",
            "and 'Café' (content/a.md) would share the feed feeds/tag/cafe; neither gets a tag "
            "feed (their articles are published): spell them the same",
            Level.WARNING,
        )
    ]


def test_an_article_with_two_authors_is_in_each_authors_feed() -> None:
    config = with_feeds(make_config(), author_feeds=True)
    ada, bob = Author("Ada Lovelace", "ada@example.org"), Author("Bob Example")
    found = feeds_of(
        config,
        tagged("both", 2, authors=(bob, ada)),
        tagged("ada-only", 1, authors=(ada,)),
        tagged("nobody", 3),  # the site's author stands in: no author feed
    )
    assert found["author/ada-lovelace"] == (
        "feeds/author/ada-lovelace.rss.xml",
        "Example Tech News: Ada Lovelace",
        ["both", "ada-only"],
    )
    assert found["author/bob-example"][2] == ["both"]
    assert sorted(found) == ["all", "author/ada-lovelace", "author/bob-example", "phones"]


def test_feed_false_articles_are_in_no_tag_or_author_feed() -> None:
    config = with_feeds(make_config(), tag_feeds=True, tag_min_articles=1, author_feeds=True)
    found = feeds_of(config, tagged("errata", 1, "fixes", authors=(Author("Ada"),), in_feeds=False))
    assert sorted(found) == ["all"]


def test_a_tag_feed_is_no_podcast_show_even_when_the_site_is_one() -> None:
    from feeds.render.podcast import show_of  # the show of the site feed only

    config = with_feeds(make_config(), tag_feeds=True, tag_min_articles=1)
    plan = plan_site([tagged("a", 1, "audio")], config)  # type: ignore[list-item]
    tag_feed = next(feed for feed in plan.feeds if feed.key == "tag/audio")
    show_config = dataclasses.replace(
        config, site=dataclasses.replace(config.site, podcast=object())
    )
    assert show_of(tag_feed, show_config) is None  # type: ignore[arg-type]
    assert show_of(plan.feeds[0], show_config) is not None  # type: ignore[arg-type]


def build_cli(site: Site) -> tuple[int, str]:
    arguments = ["build", "--config", str(site.root / "config.yaml"), "--now", NOW]
    result = CliRunner().invoke(cli, arguments)
    return result.exit_code, result.stdout


def test_turning_tag_feeds_on_and_off_adds_and_removes_exactly_those_files(site: Site) -> None:
    assert build_cli(site)[0] == 0
    before = set(snapshot(site.output))
    site.settings["feeds"].update(tag_feeds=True, tag_min_articles=1)
    site.save_config()
    code, _ = build_cli(site)
    assert code == 0
    with_tags = set(snapshot(site.output))
    tag_files = {
        "feeds/tag/reviews.rss.xml",
        "feeds/tag/reviews.atom.xml",
        "feeds/tag/reviews.html",
    }
    assert with_tags - before == tag_files
    assert before <= with_tags
    index = (site.output / "index.html").read_text()
    assert "<h2>Tags</h2>" in index and 'href="feeds/tag/reviews.html">reviews</a>' in index
    opml = (site.output / "feeds.opml").read_text()
    assert 'xmlUrl="https://inc.example.org/feeds/tag/reviews.rss.xml"' in opml
    # the tag feed's web page is its own page, and it holds the one tagged article
    rss = (site.output / "feeds/tag/reviews.rss.xml").read_text()
    assert "<link>https://inc.example.org/feeds/tag/reviews.html</link>" in rss
    assert rss.count("<item>") == 1 and "pocket-review" in rss

    site.settings["feeds"]["tag_feeds"] = False
    site.save_config()
    code, out = build_cli(site)
    assert code == 0
    assert set(snapshot(site.output)) == before
    assert (
        "feeds: feeds/tag/reviews.rss.xml was removed (its tag has too few published "
        "articles, or tag feeds are off)"
    ) in out


def test_author_feeds_are_listed_apart_on_the_index(site: Site) -> None:
    site.settings["feeds"]["author_feeds"] = True
    site.save_config()
    assert build_cli(site)[0] == 0
    index = (site.output / "index.html").read_text()
    assert (
        '<h2>Authors</h2>\n<ul>\n<li><a href="feeds/author/ann-example.html">Ann Example</a>'
        in (index)
    )
    page = (site.output / "feeds/author/ann-example.html").read_text()
    assert "<h1>Incremental News: Ann Example</h1>" in page


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("tag_feeds", "yes", "must be true or false"),
        ("author_feeds", 1, "must be true or false"),
        ("tag_min_articles", 0, "feeds.tag_min_articles"),
    ],
)
def test_bad_feed_kind_settings_exit_2_naming_the_key(
    site: Site, key: str, value: object, message: str
) -> None:
    site.settings["feeds"][key] = value
    site.save_config()
    arguments = ["build", "--config", str(site.root / "config.yaml"), "--now", NOW]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 2
    assert f"feeds.{key}" in result.stderr and message in result.stderr
    assert not site.output.exists()
