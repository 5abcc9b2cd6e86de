"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1) for one planned feed, from the same records
and the same rules as the RSS and Atom files (`feeds.render.rules`): same ids, links, times
(RFC 3339 in UTC), authors and content.

Mapping decisions:
- `author` (JSON Feed 1.0) beside `authors` (1.1), at feed and item level: the 1.1 spec
  keeps `author` for readers that know only 1.0.
- `authors` carry a `url` of `mailto:EMAIL` when an email is known (JSON Feed 1.1 §author
  allows a mailto: URL); JSON Feed has no email field.
- `tags` are the article's category display paths, then its tags, each once.
- `favicon` is `site.icon` (small and square, as Atom's icon); a logo has no JSON Feed field.
- An item without HTML carries `content_text` (its summary), as one of the two is required.
- `hubs` lists the WebSub hub when one is configured.
Keys are written in the spec's order, two-space indented, UTF-8 (not ASCII-escaped), with a
final newline.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from feeds.config import Config
from feeds.dateformat import rfc3339
from feeds.model import Article
from feeds.plan import extra_links
from feeds.render.rules import (
    JSON_VERSION,
    ContentFn,
    author_object,
    entry_time,
    feed_author,
    feed_description,
    feed_image,
    feed_language,
    item_tags,
    self_url,
    written_zone,
    zulu,
)

if TYPE_CHECKING:
    from datetime import tzinfo

    from feeds.plan import FeedSpec


def render_json(feed: FeedSpec, config: Config, content: ContentFn) -> bytes:
    """The JSON Feed 1.1 document for `feed`, as UTF-8 bytes."""
    site = config.site
    document: dict[str, object] = {
        "version": JSON_VERSION,
        "title": feed.title,
        "home_page_url": feed.html_url,
        "feed_url": self_url(config, feed, "json"),
        "description": feed_description(feed),
    }
    if site.icon:
        document["favicon"] = site.icon
    image = feed_image(config, feed, "json")
    if image:  # JSON Feed 1.1 `icon`: a category's image (issue 16)
        document["icon"] = image
    # JSON Feed 1.1 keeps 1.0's `author` for readers that know only 1.0: both, alike.
    document["author"] = author_object(feed_author(config))
    document["authors"] = [author_object(feed_author(config))]
    document["language"] = feed_language(feed, config)
    hubs = [href for rel, href in extra_links(feed, "json", config) if rel == "hub"]
    if hubs:
        document["hubs"] = [{"type": "WebSub", "url": href} for href in hubs]
    zone = written_zone(config, "json")
    document["items"] = [_item(article, config, zone, content) for article in feed.entries]
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _item(article: Article, config: Config, zone: tzinfo, content: ContentFn) -> dict[str, object]:
    entry = content(article)
    item: dict[str, object] = {"id": article.id, "url": article.link, "title": article.title}
    if entry.html:
        item["content_html"] = entry.html
    else:
        item["content_text"] = entry.summary
    if entry.summary:
        item["summary"] = entry.summary
    if article.image:
        item["image"] = article.image
    published = entry_time(article.published, zone, article.source, "date")
    item["date_published"] = zulu(rfc3339(published))
    item["date_modified"] = zulu(
        rfc3339(entry_time(article.updated, zone, article.source, "updated"))
    )
    if article.authors:  # JSON Feed 1.0 `author` is one person: the first of the byline
        item["author"] = author_object(article.authors[0])
        item["authors"] = [author_object(author) for author in article.authors]
    tags = item_tags(article)
    if tags:
        item["tags"] = tags
    if article.lang is not None:  # JSON Feed 1.1 item `language` (issue 16)
        item["language"] = article.lang
    if article.enclosure is not None:
        enclosure = article.enclosure
        item["attachments"] = [
            {"url": enclosure.url, "mime_type": enclosure.type, "size_in_bytes": enclosure.length}
        ]
    return item
