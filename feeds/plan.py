"""Which feeds the site has, which entries each holds, and where each file goes.

A pure function of the published articles and the config: the same input gives the same
plan, whatever order the files were read in, so incremental and clean builds agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from feeds.config import Config
from feeds.model import Article, Category

# File name suffix per format; the layout is public (readers subscribe to these URLs).
SUFFIXES = {"rss": ".rss.xml", "atom": ".atom.xml", "json": ".json"}
MEDIA_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One subscription feed (in every configured format).

    `key` is `all` for the site feed or the category's slug path (`phones/accessories`).
    `entries` are newest first (published descending, then id), at most `feeds.max_items`.
    `updated` is the newest entry's update time, never the build time (None only when empty).
    """

    key: str
    category: Category | None
    title: str
    description: str
    html_url: str
    entries: tuple[Article, ...]
    updated: datetime | None
    total: int  # how many published articles belong to the feed (before max_items)

    @property
    def stem(self) -> str:
        """Output path without suffix, relative to the output folder."""
        return "feeds/all" if self.category is None else f"feeds/category/{self.key}"

    def path(self, fmt: str) -> str:
        return self.stem + SUFFIXES[fmt]

    def page_path(self) -> str:
        return self.stem + ".html"


@dataclass(frozen=True, slots=True)
class SitePlan:
    feeds: tuple[FeedSpec, ...]
    formats: tuple[str, ...]

    def paths(self) -> tuple[str, ...]:
        return tuple(feed.path(fmt) for feed in self.feeds for fmt in self.formats)


def feed_url(config: Config, relative_path: str) -> str:
    """The public URL of a file in the output folder."""
    return config.feeds_url + relative_path


def plan_site(articles: Iterable[Article], config: Config) -> SitePlan:
    """The site feed plus one feed per category at every level that has an article.

    `articles` must already be the published set (no drafts, nothing scheduled later).
    A parent category's feed holds its children's articles too.
    """
    ordered = sorted(articles, key=Article.sort_key)
    members: dict[tuple[str, ...], list[Article]] = defaultdict(list)
    categories: dict[tuple[str, ...], Category] = {}
    for article in ordered:
        seen: set[tuple[str, ...]] = set()
        for category in article.categories:
            for level in category.lineage():
                if level.slugs not in seen:
                    seen.add(level.slugs)
                    members[level.slugs].append(article)
                    categories.setdefault(level.slugs, level)

    feeds = [_feed(config, None, ordered)]
    for slugs in sorted(members):
        feeds.append(_feed(config, categories[slugs], members[slugs]))
    return SitePlan(feeds=tuple(feeds), formats=config.feeds.formats)


def _feed(config: Config, category: Category | None, members: list[Article]) -> FeedSpec:
    entries = tuple(members[: config.feeds.max_items])
    site = config.site
    if category is None:
        key, title, description = "all", site.title, site.description
    else:
        key = category.term
        title = f"{site.title}: {category.label}"
        settings = config.categories.get(category.names[-1])
        description = (
            settings.description
            if settings is not None and settings.description
            else f"{category.label}: {site.description}"
        )
    stem = "feeds/all" if category is None else f"feeds/category/{key}"
    html_url = feed_url(config, stem + ".html") if config.feeds.pages else site.url
    updated = max((a.updated for a in entries), default=None)
    return FeedSpec(
        key=key,
        category=category,
        title=title,
        description=description,
        html_url=html_url,
        entries=entries,
        updated=updated,
        total=len(members),
    )
