"""The reader-side views: one feed and its entries as a feed reader got them back from the
written bytes (`feeds.validate` fills them; the build cache keeps them between builds as the
round-trip memo). Plain frozen records, no parser imported here.
"""

from __future__ import annotations

from dataclasses import dataclass

Tag = tuple[str, str | None, str | None]  # term, scheme, label
Link = tuple[str, str | None, str | None]  # href, type, length


@dataclass(frozen=True, slots=True)
class EntryView:
    """One entry as a reader got it. Times are Unix seconds (None: missing or unreadable,
    the text as written in `*_text`); `*_type` is the MIME type feedparser gave a text."""

    id: str | None
    title: str | None = None
    title_type: str = "text/plain"
    link: str | None = None
    published: int | None = None
    published_text: str | None = None
    updated: int | None = None
    updated_text: str | None = None
    author: tuple[str, str | None] | None = None
    author_text: str | None = None  # RSS: the author element's text as written
    tags: tuple[Tag, ...] = ()
    summary: str | None = None
    summary_type: str = "text/plain"
    content: str | None = None
    enclosures: tuple[Link, ...] = ()
    images: tuple[str, ...] = ()
    authors: tuple[tuple[str, str | None], ...] = ()  # every author element, in order
    language: str | None = None  # Atom: the entry's xml:lang in effect; JSON Feed `language`
    thumbnails: tuple[Link, ...] = ()  # Media RSS media:thumbnail: url, width, height
    credits: tuple[str, ...] = ()  # media:credit texts


@dataclass(frozen=True, slots=True)
class FeedView:
    title: str | None = None
    title_type: str = "text/plain"
    subtitle: str | None = None
    subtitle_type: str = "text/plain"
    link: str | None = None
    links: frozenset[tuple[str, str]] = frozenset()
    id: str | None = None
    updated: int | None = None
    updated_text: str | None = None
    language: str | None = None
    author: tuple[str, str | None] | None = None
    author_text: str | None = None  # RSS: managingEditor's text as written
    archive: bool = False  # RFC 5005 fh:archive
    problem: str | None = None
    image: str | None = None  # RSS <image> url, Atom logo, JSON Feed icon (issue 16)
    ttl: str | None = None  # RSS <ttl>
    schedule: tuple[str | None, str | None] = (None, None)  # sy:updatePeriod, updateFrequency


EntryMemo = dict[bytes, EntryView]
