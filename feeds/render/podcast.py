"""The podcast representation of a show feed (issue 17): pure text of `itunes:`/`podcast:` values.

Kept apart from rss_atom.py so the feedgen-facing code stays small: rss_atom's show
extension calls `extend_channel` and `extend_item` on the lxml tree feedgen builds.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from feeds.categories import category_settings
from feeds.config import Config
from feeds.feedkinds import FeedKind
from feeds.model import Episode
from feeds.plan import FeedSpec
from feeds.showconfig import ShowConfig

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
# Podcast Index namespace, `<podcast:guid>`: UUIDv5 with this fixed namespace UUID.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")


def podcast_guid(feed_url: str) -> str:
    """`podcast:guid` of a show: UUIDv5 of its feed URL without scheme and trailing slashes."""
    parts = urlsplit(feed_url.strip())
    bare = parts.netloc + parts.path
    if parts.query:
        bare += "?" + parts.query
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare.rstrip("/")))


def itunes_duration(seconds: int) -> str:
    """`itunes:duration` text: HH:MM:SS (Apple accepts seconds or this clock form)."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def itunes_flag(value: bool) -> str:
    """`itunes:explicit` / `itunes:block` text: Apple asks for true|false (block: Yes)."""
    return "true" if value else "false"


def show_of(feed: FeedSpec, config: Config) -> ShowConfig | None:
    """The show a feed is: its category's `podcast:` settings, or the site's for the site feed."""
    if feed.kind is FeedKind.SITE:
        return config.site.podcast
    if feed.category is None:  # a tag or author feed is no show (issue 16)
        return None
    settings = category_settings(config, feed.category)
    return None if settings is None else settings.podcast


def show_guid(show: ShowConfig, feed_url: str) -> str:
    """The configured `guid`, else the one the namespace derives from the feed URL."""
    return show.guid or podcast_guid(feed_url)


def _sub(parent: Any, ns: str, name: str, text: str | None = None, **attrs: str) -> Any:
    element = etree.SubElement(parent, f"{{{ns}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def extend_channel(channel: Any, show: ShowConfig, feed_url: str) -> None:
    """Apple's channel tags (image, category, explicit required; author, owner, type) and the
    Podcast Index `guid`, `locked`, `funding`; appended to the RSS `<channel>`."""
    _sub(channel, ITUNES_NS, "image", href=show.image)
    for name in show.categories:  # Apple: the name is the text attribute, not the content
        etree.SubElement(channel, f"{{{ITUNES_NS}}}category", {"text": name})
    _sub(channel, ITUNES_NS, "explicit", itunes_flag(show.explicit))
    _sub(channel, ITUNES_NS, "author", show.author)
    owner = _sub(channel, ITUNES_NS, "owner")
    _sub(owner, ITUNES_NS, "name", show.owner_name)
    _sub(owner, ITUNES_NS, "email", show.owner_email)
    _sub(channel, ITUNES_NS, "type", show.type)
    _sub(channel, PODCAST_NS, "guid", show_guid(show, feed_url))
    _sub(channel, PODCAST_NS, "locked", "yes" if show.locked else "no", owner=show.owner_email)
    for funding in show.funding:
        _sub(channel, PODCAST_NS, "funding", funding.text, url=funding.url)


def extend_item(item: Any, episode: Episode | None, image: str | None) -> None:
    """An episode's `itunes:` and `podcast:` tags, appended to its RSS `<item>`; `image` is the
    article's, used when the episode names none."""
    artwork = image if episode is None or episode.image is None else episode.image
    if artwork is not None:
        _sub(item, ITUNES_NS, "image", href=artwork)
    if episode is None:
        return
    if episode.duration is not None:
        _sub(item, ITUNES_NS, "duration", itunes_duration(episode.duration))
    if episode.explicit is not None:
        _sub(item, ITUNES_NS, "explicit", itunes_flag(episode.explicit))
    if episode.number is not None:
        _sub(item, ITUNES_NS, "episode", str(episode.number))
    if episode.season is not None:
        _sub(item, ITUNES_NS, "season", str(episode.season))
    _sub(item, ITUNES_NS, "episodeType", episode.type)
    if episode.block:
        _sub(item, ITUNES_NS, "block", "Yes")  # Apple: "Yes" removes the episode
    if episode.transcript is not None:
        url, mime, language = episode.transcript
        attrs = {"url": url, "type": mime} | ({"language": language} if language else {})
        _sub(item, PODCAST_NS, "transcript", **attrs)
    if episode.chapters is not None:
        _sub(item, PODCAST_NS, "chapters", url=episode.chapters, type="application/json+chapters")
