"""The RFC 9110 header rules of the preview server: the media type of a path, content
negotiation (`Accept`, `Accept-Encoding`) and the conditional-GET validators.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Sequence
from datetime import UTC

# Longest suffix first: `.rss.xml` before `.xml`. Feed JSON lives under feeds/ (see below).
_TYPES: tuple[tuple[str, str], ...] = (
    (".rss.xml", "application/rss+xml; charset=utf-8"),
    (".atom.xml", "application/atom+xml; charset=utf-8"),
    (".opml", "text/x-opml; charset=utf-8"),
    (".html", "text/html; charset=utf-8"),
    (".htm", "text/html; charset=utf-8"),
    (".xml", "application/xml; charset=utf-8"),
    (".xsl", "text/xsl; charset=utf-8"),
    (".json", "application/json; charset=utf-8"),
    (".css", "text/css; charset=utf-8"),
    (".js", "text/javascript; charset=utf-8"),
    (".txt", "text/plain; charset=utf-8"),
    (".svg", "image/svg+xml; charset=utf-8"),
    (".png", "image/png"),
    (".jpg", "image/jpeg"),
    (".jpeg", "image/jpeg"),
    (".gif", "image/gif"),
    (".webp", "image/webp"),
    (".avif", "image/avif"),
    (".ico", "image/vnd.microsoft.icon"),
    (".woff2", "font/woff2"),
    (".pdf", "application/pdf"),
    (".mp3", "audio/mpeg"),
    (".mp4", "video/mp4"),
)
_FEED_JSON = "application/feed+json; charset=utf-8"  # JSON Feed 1.1 §"Suggestions"
_DEFAULT_TYPE = "application/octet-stream"

# Media types that mean "I can read a feed". The specific ones, when named at all, always
# get the feed; the generic ones only when the client ranks them at least as high as HTML,
# because every browser names `application/xml;q=0.9` in its navigation Accept header.
_SPECIFIC_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
_GENERIC_FEED_TYPES = ("application/xml", "text/xml", "application/json")

_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MEDIA_RANGE = re.compile(rf"^({_TOKEN})/({_TOKEN})$")
_QVALUE = re.compile(r"^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")  # RFC 9110 §12.4.2
_ENTITY_TAG = re.compile(r'\s*(W/)?"([^"]*)"\s*(?:,|$)')  # RFC 9110 §8.8.3


def content_type(relative: str) -> str:
    """The `Content-Type` for a served path (relative to the output folder, `/`-separated)."""
    name = relative.rsplit("/", 1)[-1].lower()
    if name.endswith(".json") and relative.startswith("feeds/"):
        return _FEED_JSON
    for suffix, media_type in _TYPES:
        if name.endswith(suffix):
            return media_type
    return _DEFAULT_TYPE


def parse_accept(header: str | None) -> tuple[tuple[str, float], ...]:
    """Media ranges and their weights (RFC 9110 §12.5.1), lower-cased; malformed ones dropped.

    No header at all means `*/*`.
    """
    if header is None:
        return (("*/*", 1.0),)
    ranges: list[tuple[str, float]] = []
    for item in header.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        if not _MEDIA_RANGE.match(media):
            continue
        weight = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                value = value.strip()
                weight = float(value) if _QVALUE.match(value) else -1.0
        if weight >= 0:
            ranges.append((media.lower(), weight))
    return tuple(ranges)


def quality(media_type: str, ranges: Sequence[tuple[str, float]]) -> float:
    """The weight `ranges` give `media_type`: the most specific matching range decides."""
    kind = media_type.split("/", 1)[0] + "/*"
    for candidate in (media_type, kind, "*/*"):
        weights = [weight for media, weight in ranges if media == candidate]
        if weights:
            return max(weights)
    return 0.0


def wants_page(accept: str | None) -> bool:
    """True for a browser's navigation: HTML ranked above every feed type, none named."""
    ranges = parse_accept(accept)
    html = quality("text/html", ranges)
    if html <= 0:
        return False
    if any(media in _SPECIFIC_FEED_TYPES and weight > 0 for media, weight in ranges):
        return False
    feed_types = _SPECIFIC_FEED_TYPES + _GENERIC_FEED_TYPES
    return all(html > quality(media, ranges) for media in feed_types)


def accepts_gzip(header: str | None) -> bool:
    """Whether `Accept-Encoding` allows gzip (RFC 9110 §12.5.3); `q=0` means no.

    Without the header the server sends identity, as nginx does.
    """
    if header is None:
        return False
    weights: dict[str, float] = {}
    for item in header.split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        weight = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                value = value.strip()
                weight = float(value) if _QVALUE.match(value) else 0.0
        if coding:
            weights[coding.lower()] = max(weight, weights.get(coding.lower(), 0.0))
    for name in ("gzip", "x-gzip"):
        if name in weights:
            return weights[name] > 0
    return weights.get("*", 0.0) > 0


def etag_matches(if_none_match: str, opaque: str) -> bool:
    """RFC 9110 §13.1.2: `*`, or any listed tag equal to `opaque` by weak comparison."""
    if if_none_match.strip() == "*":
        return True
    position = 0
    text = if_none_match.strip()
    while position < len(text):
        match = _ENTITY_TAG.match(text, position)
        if match is None:
            return False
        if match.group(2) == opaque:
            return True
        position = match.end()
    return False


def modified_since(if_modified_since: str, mtime: float) -> bool:
    """False when the file's mtime (whole seconds) is not after the given HTTP date.

    An unparseable date counts as modified (RFC 9110 §13.1.3: the header is then ignored).
    """
    try:
        since = email.utils.parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError, IndexError):
        return True
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return int(mtime) > since.timestamp()


def is_compressible(media_type: str) -> bool:
    """Whether gzip is worth sending for this media type: text, XML and JSON."""
    essence = media_type.split(";", 1)[0]
    return (
        essence.startswith("text/")
        or essence.endswith(("+xml", "+json"))
        or essence in ("application/xml", "application/json")
    )
