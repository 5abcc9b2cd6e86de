"""The feed's own metadata a reader gets (issue 16): its image and its polling hints, each
as the plan and the config say, for `compare.compare_feed` to report."""

from __future__ import annotations

from feeds.categories import category_settings
from feeds.config import Config
from feeds.feedkinds import FeedKind
from feeds.model import Article
from feeds.plan import FeedSpec
from feeds.render.rules import feed_image, update_schedule
from feeds.views import EntryView, FeedView

Difference = tuple[str, str | None, str | None, str]  # field, expected, found, what


def feed_meta_differences(
    found: FeedView, fmt: str, feed: FeedSpec, config: Config
) -> list[Difference]:
    """Each field where `found` differs: the image (RSS `<image>`, Atom `logo`, JSON Feed
    `icon`), and in RSS `<ttl>` with `sy:updatePeriod`/`sy:updateFrequency`."""
    differences: list[Difference] = []
    image = feed_image(config, feed, fmt)
    show = _show_image(feed, config) if fmt == "rss" else None
    if show is not None:  # feedparser takes a show's `itunes:image` for the channel image
        image = show
    if found.image != image:
        differences.append(("image", image, found.image, "the feed image"))
    if fmt == "rss":
        ttl = None if config.feeds.ttl is None else str(config.feeds.ttl)
        if found.ttl != ttl:
            differences.append(("ttl", ttl, found.ttl, "the feed's ttl (minutes)"))
        schedule: tuple[str | None, str | None] = (None, None)
        if config.feeds.ttl is not None:
            period, frequency = update_schedule(config.feeds.ttl)
            schedule = (period, str(frequency))
        if found.schedule != schedule:
            differences.append(
                ("schedule", " ".join(map(str, schedule)), " ".join(map(str, found.schedule)),
                 "the feed's sy:updatePeriod and sy:updateFrequency")
            )  # fmt: skip
    return differences


def _show_image(feed: FeedSpec, config: Config) -> str | None:
    """The artwork of the podcast show a feed is (issue 17), as `render.podcast.show_of`."""
    if feed.kind is FeedKind.SITE:
        show = config.site.podcast
    else:
        settings = None if feed.category is None else category_settings(config, feed.category)
        show = None if settings is None else settings.podcast
    return None if show is None else show.image


def entry_language_differences(
    view: EntryView, article: Article, fmt: str, feed_lang: str
) -> list[Difference]:
    """The entry's language when the article names one: Atom `xml:lang`, JSON Feed item
    `language` (an entry without inherits the feed's, compared as the feed's); RSS items
    carry none. `feed_lang` is the language the entry would otherwise have."""
    del feed_lang  # the feed language is compared by compare_feed
    if fmt == "rss" or (fmt == "atom" and article.lang is None):  # the feed's, checked there
        return []
    language = article.lang
    if view.language == language:
        return []
    return [("language", language, view.language, "the entry language")]


def entry_media_differences(view: EntryView, article: Article, fmt: str) -> list[Difference]:
    """The article image's Media RSS `media:thumbnail` (size when known) and `media:credit`
    (issue 16) in RSS and Atom; JSON Feed has `image` only. An episode in a show feed shows
    its image as `itunes:image` (issue 17) and has no thumbnail, which is taken as such."""
    if fmt == "json":
        return []
    info = article.image_info
    want: tuple[tuple[str, str | None, str | None], ...] = ()
    credits: tuple[str, ...] = ()
    episode_image = article.episode is not None and not view.thumbnails
    if article.image and not episode_image:
        width = None if info is None or info.width is None else str(info.width)
        height = None if info is None or info.height is None else str(info.height)
        want = ((article.image, width, height),)
        credits = (info.credit,) if info is not None and info.credit else ()
    found: list[Difference] = []
    if view.thumbnails != want:
        found.append(("thumbnail", repr(want), repr(view.thumbnails), "the media:thumbnail"))
    if view.credits != credits:
        found.append(("credit", repr(credits), repr(view.credits), "the media:credit"))
    return found
