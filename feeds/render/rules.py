"""The representation rules every writer and the validator share (DEVELOPERS.md "Feed
representation"): which URL is a feed's own, which author a feed and an entry carry, which
description and update time a feed shows, the category and tag schemes, how a moment is
written (`written_zone`, whole seconds) and what JSON Feed calls tags and authors.

Writers (`rss_atom`, `json_feed`) and `feeds.validate` import these; neither imports the
other. Pure functions of the config, the plan and the records.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from feeds.config import Config
from feeds.layout import JSON_FEED_VERSION
from feeds.model import Article, Author, ContentError, Problem
from feeds.plan import FeedSpec, feed_url

if TYPE_CHECKING:
    from feeds.body import EntryContent

ContentFn = Callable[[Article], "EntryContent"]

GENERATOR = "feeds"
EMPTY_FEED_UPDATED = datetime(1970, 1, 1, tzinfo=UTC)
JSON_VERSION = JSON_FEED_VERSION


def self_url(config: Config, feed: FeedSpec, fmt: str) -> str:
    """The feed file's public URL: `atom:link rel="self"`, the Atom id, JSON `feed_url`."""
    return feed_url(config, feed.path(fmt))


def feed_author(config: Config) -> Author:
    return config.site.author or Author(name=config.site.title)


def entry_authors(article: Article, fmt: str, config: Config) -> tuple[Author, ...]:
    """The authors an entry carries, in byline order: its own, else in Atom the feed's.
    RFC 4287 §4.2.1 lets entries inherit the feed author, but readers such as newsboat show
    none, so it is written out. RSS shows `managingEditor` and JSON Feed 1.1 items inherit
    the top-level `authors`, so their items carry only the article's own authors."""
    if article.authors or fmt != "atom":
        return article.authors
    return (feed_author(config),)


def rss_author(authors: tuple[Author, ...]) -> Author | None:
    """The one author RSS `<author>` names (RSS 2.0: an email address): the first with an
    email. Every author is also a `dc:creator` (issue 16), except a lone author that
    `<author>` already names (the bytes of one-author feeds as before)."""
    return next((author for author in authors if author.email), None)


def rss_creators(authors: tuple[Author, ...]) -> tuple[str, ...]:
    """The names written as `dc:creator`, in byline order (see `rss_author`)."""
    if len(authors) == 1 and authors[0].email:
        return ()
    return tuple(author.name for author in authors)


def feed_description(feed: FeedSpec) -> str:
    return feed.description or feed.title


def feed_updated(feed: FeedSpec) -> datetime:
    return feed.updated or EMPTY_FEED_UPDATED


def category_scheme(config: Config) -> str:
    return f"{config.site.url}categories"


def tag_scheme(config: Config) -> str:
    return f"{config.site.url}tags"


def written_zone(config: Config, fmt: str) -> tzinfo:
    """The zone a format writes times in: UTC (`Z`) in Atom and JSON Feed, which every reader
    takes right (some drop an RFC 3339 offset); the site zone in RSS `pubDate` (RFC 822)."""
    return config.site.tzinfo if fmt == "rss" else UTC


def zulu(written: str) -> str:
    """An RFC 3339 time written in UTC, with RFC 3339 §5.6's `Z` for the zero offset: the
    form every reader takes right (issue 13: one drops any numeric offset)."""
    return written[: -len("+00:00")] + "Z" if written.endswith("+00:00") else written


def in_site_zone(moment: datetime, zone: tzinfo) -> datetime:
    """`moment` as the feeds write it: in the site zone, whole seconds, and in UTC when the
    zone's offset then has seconds (RFC 822 §5 and RFC 3339 §5.6 offsets are hours:minutes)."""
    local = moment.astimezone(zone).replace(microsecond=0)
    offset = local.utcoffset()
    if offset is None or offset % timedelta(minutes=1):
        return local.astimezone(UTC)
    return local


def entry_time(moment: datetime, zone: tzinfo, source: str, field: str) -> datetime:
    """`in_site_zone(moment)`, or `ContentError` for the article `source` when a feed cannot
    carry it."""
    try:
        written: datetime | None = in_site_zone(moment, zone)
    except OverflowError:  # the site zone takes it past datetime's years 1-9999
        written = None
    if written is None or not 1000 <= written.year <= 9999:  # RFC 822 §5, RFC 3339 §5.6
        raise ContentError(
            Problem(
                source,
                field,
                moment.isoformat(),
                "cannot be written in a feed (its year, as written in the feed, is outside "
                "1000-9999); use a date between those years",
            )
        )
    return written


def author_object(author: Author) -> dict[str, str]:
    found = {"name": author.name}
    if author.email:
        found["url"] = f"mailto:{author.email}"
    return found


def item_tags(article: Article) -> list[str]:
    """Category display paths, then tags, each once, in that order."""
    return list(dict.fromkeys([c.label for c in article.categories] + list(article.tags)))


def feed_content(feed: FeedSpec, content: ContentFn) -> ContentFn:
    """The entry content `feed` carries by its policy (issue 16): everything, or for a
    `summary` feed the summary without the article HTML (readers click through to read it).
    Writers, the size budget and the validator all see a feed's entries through this."""
    if feed.content == "full":
        return content

    def summary_only(article: Article) -> EntryContent:
        return dataclasses.replace(content(article), html="")

    return summary_only


# RSS 1.0 Syndication module: `updatePeriod` is hourly, daily, weekly, monthly or yearly, and
# `updateFrequency` how many times per period (a positive whole number).
_PERIODS = (("hourly", 60), ("daily", 1_440), ("weekly", 10_080), ("yearly", 525_600))


def update_schedule(minutes: int) -> tuple[str, int]:
    """`sy:updatePeriod` and `sy:updateFrequency` for a `<ttl>` of `minutes` (issue 16): the
    shortest period that holds the interval a whole number of times, else the shortest that
    holds it at all, polled as often as fits (at least once)."""
    for period, length in _PERIODS:
        if length >= minutes and length % minutes == 0:
            return period, length // minutes
    period, length = next((p, n) for p, n in _PERIODS if n >= minutes)
    return period, max(1, length // minutes)


def feed_image(config: Config, feed: FeedSpec, fmt: str) -> str | None:
    """The image a feed shows: its category's `image`, else in RSS `<image>` the site logo or
    icon, in Atom the site logo (`icon` is written apart); JSON Feed `icon` only for a
    category image (its `favicon` is the site icon)."""
    if feed.image:
        return feed.image
    if fmt == "rss":
        return config.site.logo or config.site.icon
    return config.site.logo if fmt == "atom" else None


def feed_language(feed: FeedSpec, config: Config) -> str:
    """The language a feed declares: its language set's (`feeds.by_language`), else the
    site's (issue 16)."""
    return feed.language or config.site.language
