"""The podcast representation of a show feed (issue 17): pure text of `itunes:`/`podcast:` values.

Kept apart from rss_atom.py so the feedgen-facing code stays small.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

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
