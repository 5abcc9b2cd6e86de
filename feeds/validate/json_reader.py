"""Reading written JSON Feed bytes back into `feeds.views`, after the JSON Feed lint
(`feeds.lint.jsonfeed`) has reported what the spec refuses: a member of the wrong type reads
as missing here. An author must read the same through 1.1 `authors` and 1.0 `author`.
"""

from __future__ import annotations

from typing import Any

from feeds.lint.jsonfeed import object_members, rfc3339_seconds, text_member
from feeds.validate.xml_reader import Parsed
from feeds.views import EntryView, FeedView


def json_views(document: dict[str, Any]) -> Parsed:
    """The feed and its items as a JSON Feed reader gets them."""
    hubs = object_members(document, "hubs")
    links = [
        ("alternate", text_member(document, "home_page_url")),
        ("self", text_member(document, "feed_url")),
    ] + [("hub", text_member(hub, "url")) for hub in hubs]
    feed = FeedView(
        title=text_member(document, "title"),
        subtitle=text_member(document, "description"),
        link=text_member(document, "home_page_url"),
        links=frozenset((rel, href) for rel, href in links if href is not None),
        language=text_member(document, "language"),
        author=_authors(document),
        image=text_member(document, "icon"),
    )
    entries = [_entry(item) for item in object_members(document, "items")]
    return Parsed(feed, entries, [None] * len(entries))


def _entry(item: dict[str, Any]) -> EntryView:
    attachments = object_members(item, "attachments")
    tags = item["tags"] if isinstance(item.get("tags"), list) else []
    image = text_member(item, "image")
    return EntryView(
        id=text_member(item, "id"),
        title=text_member(item, "title"),
        link=text_member(item, "url"),
        published=_date(item, "date_published"),
        published_text=text_member(item, "date_published"),
        updated=_date(item, "date_modified"),
        updated_text=text_member(item, "date_modified"),
        author=_authors(item),
        tags=tuple((str(tag), None, None) for tag in tags),
        summary=text_member(item, "summary"),
        content=text_member(item, "content_html"),
        enclosures=tuple(
            (
                str(attachment.get("url", "")),
                text_member(attachment, "mime_type"),
                None
                if attachment.get("size_in_bytes") is None
                else str(attachment["size_in_bytes"]),
            )
            for attachment in attachments
        ),
        images=() if image is None else (image,),
        authors=tuple(_author(author) for author in object_members(item, "authors")),
        language=text_member(item, "language"),
    )


def _authors(parent: dict[str, Any]) -> tuple[str, str | None] | None:
    """The author both kinds of reader show: JSON Feed 1.1 `authors[0]` and 1.0 `author`.
    When they differ (or one is missing) the pair names both, so the comparison fails."""
    authors = object_members(parent, "authors")
    modern = _author(authors[0]) if authors else None
    old = parent.get("author")
    legacy = _author(old) if isinstance(old, dict) else None
    if modern == legacy:
        return modern
    return f"authors: {modern}; author (JSON Feed 1.0): {legacy}", None


def _author(author: dict[str, Any]) -> tuple[str, str | None]:
    url = author.get("url")
    email = url[len("mailto:") :] if isinstance(url, str) and url.startswith("mailto:") else None
    return str(author.get("name", "")), email


def _date(item: dict[str, Any], key: str) -> int | None:
    value = item.get(key)
    return rfc3339_seconds(value) if isinstance(value, str) else None
