"""Which articles go into feeds at all, and the kinds of feed a site has (issue 16): the site
feed, category feeds, tag feeds and author feeds, each kind one row of data that the plan
loops over (`KINDS`), never a branch of its own.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from feeds.categories import make_category
from feeds.config import Config, ConfigError
from feeds.model import Article


class FeedKind(enum.Enum):
    """What a feed collects; its value is the folder under `feeds/` (the site feed has none)."""

    SITE = "all"
    CATEGORY = "category"
    TAG = "tag"
    AUTHOR = "author"


def excluded_categories(config: Config) -> frozenset[tuple[str, ...]]:
    """The slug paths of `feeds.exclude_categories` (aliases applied, as articles name them).

    Raises ConfigError naming the entry for a name that is not a category path."""
    found = set()
    for index, name in enumerate(config.feeds.exclude_categories):
        try:
            category, _ = make_category(name, config)
        except ValueError as error:
            raise ConfigError(f"feeds.exclude_categories[{index}]", name, str(error)) from None
        found.add(category.slugs)
    return frozenset(found)


def in_feeds(articles: Iterable[Article], config: Config) -> list[Article]:
    """The articles that feeds may hold: not `feed: false`, and in no excluded category (nor
    below one). They stay published records (ids kept), only out of every feed."""
    excluded = excluded_categories(config)
    if not excluded:
        return [article for article in articles if article.in_feeds]
    return [
        article
        for article in articles
        if article.in_feeds
        and not any(
            category.slugs[:depth] in excluded
            for category in article.categories
            for depth in range(1, len(category.slugs) + 1)
        )
    ]
