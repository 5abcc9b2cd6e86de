"""Podcast show feeds (issue 17): an RSS 2.0 channel that declares the itunes namespace is
held to Apple Podcasts' RSS requirements and the Podcast Index namespace as well as RSS 2.0.

Sources: Apple, "A Podcaster's Guide to RSS" and "Apple Podcasts categories"
(podcasters.apple.com/support/823 and /support/1691); Podcast Index namespace 1.0,
`<podcast:guid>` (github.com/Podcastindex-org/podcast-namespace, docs/1.0.md).
"""

from __future__ import annotations

import re

from lxml import etree

from feeds.lint.report import Report, quote
from feeds.lint.tree import child_groups, first, line_of, text_of
from feeds.lint.urls import is_web_url

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
_IT = f"{{{ITUNES_NS}}}"
_PI = f"{{{PODCAST_NS}}}"

# Apple Podcasts categories (podcasters.apple.com/support/1691), top level -> subcategories.
# Names are case-sensitive; "&" is written &amp; in the feed.
APPLE_CATEGORIES: dict[str, frozenset[str]] = {
    "Arts": frozenset({"Books", "Design", "Fashion & Beauty", "Food", "Performing Arts",
                       "Visual Arts"}),
    "Business": frozenset({"Careers", "Entrepreneurship", "Investing", "Management",
                           "Marketing", "Non-Profit"}),
    "Comedy": frozenset({"Comedy Interviews", "Improv", "Stand-Up"}),
    "Education": frozenset({"Courses", "How To", "Language Learning", "Self-Improvement"}),
    "Fiction": frozenset({"Comedy Fiction", "Drama", "Science Fiction"}),
    "Government": frozenset(),
    "History": frozenset(),
    "Health & Fitness": frozenset({"Alternative Health", "Fitness", "Medicine",
                                   "Mental Health", "Nutrition", "Sexuality"}),
    "Kids & Family": frozenset({"Education for Kids", "Parenting", "Pets & Animals",
                                "Stories for Kids"}),
    "Leisure": frozenset({"Animation & Manga", "Automotive", "Aviation", "Crafts", "Games",
                          "Hobbies", "Home & Garden", "Video Games"}),
    "Music": frozenset({"Music Commentary", "Music History", "Music Interviews"}),
    "News": frozenset({"Business News", "Daily News", "Entertainment News", "News Commentary",
                       "Politics", "Sports News", "Tech News"}),
    "Religion & Spirituality": frozenset({"Buddhism", "Christianity", "Hinduism", "Islam",
                                          "Judaism", "Religion", "Spirituality"}),
    "Science": frozenset({"Astronomy", "Chemistry", "Earth Sciences", "Life Sciences",
                          "Mathematics", "Natural Sciences", "Nature", "Physics",
                          "Social Sciences"}),
    "Society & Culture": frozenset({"Documentary", "Personal Journals", "Philosophy",
                                    "Places & Travel", "Relationships"}),
    "Sports": frozenset({"Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football",
                         "Golf", "Hockey", "Rugby", "Running", "Soccer", "Swimming", "Tennis",
                         "Volleyball", "Wilderness", "Wrestling"}),
    "Technology": frozenset(),
    "True Crime": frozenset(),
    "TV & Film": frozenset({"After Shows", "Film History", "Film Interviews", "Film Reviews",
                            "TV Reviews"}),
}  # fmt: skip

_ARTWORK = re.compile(r"\.(jpe?g|png)$", re.IGNORECASE)  # Apple: JPEG or PNG artwork
# Apple: itunes:duration in seconds, or HH:MM:SS / H:MM:SS / MM:SS / M:SS.
_DURATION = re.compile(r"\d+|(\d+:)?[0-5]?\d:[0-5]\d")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_EXPLICIT = ("true", "false")  # Apple: "true" or "false" (older yes/no/clean are rejected)


def is_show(channel: etree._Element) -> bool:
    """A show feed: the channel has the itunes namespace in scope."""
    return ITUNES_NS in channel.nsmap.values()


def lint_show_channel(channel: etree._Element, report: Report) -> None:
    """Apple's required channel tags and the Podcast Index guid (items: `lint_episodes`)."""
    groups = child_groups(channel)
    _artwork(first(groups, f"{_IT}image"), channel, report, None, episode=False)
    _categories(groups.get(f"{_IT}category", []), channel, report)
    explicit = first(groups, f"{_IT}explicit")
    if explicit is None:
        report.add(
            "PodcastMissingExplicit",
            line_of(channel),
            "<channel> has no <itunes:explicit>; Apple requires it: add "
            "<itunes:explicit>false</itunes:explicit> (or true)",
            field="itunes:explicit",
        )
    else:
        _explicit(explicit, report, None)
    guid = first(groups, f"{_PI}guid")
    if guid is not None and not _UUID.fullmatch(text_of(guid)):
        report.add(
            "PodcastInvalidGuid",
            line_of(guid),
            f"<podcast:guid> {quote(text_of(guid))} is not a UUID; write the UUIDv5 the "
            "Podcast Index namespace derives from the feed URL (or leave the tag out)",
            field="podcast:guid",
        )
    lint_episodes(groups.get("item", []), report)


def _artwork(
    image: etree._Element | None,
    parent: etree._Element,
    report: Report,
    entry: str | None,
    *,
    episode: bool,
) -> None:
    if image is None or image.get("href") is None:
        if episode:
            return  # episode artwork is optional; the show's is required
        report.add(
            "PodcastMissingArtwork",
            line_of(parent if image is None else image),
            '<channel> has no <itunes:image href="...">; Apple requires show artwork: add the '
            "URL of a square JPEG or PNG, 1400 to 3000 pixels",
            field="itunes:image",
        )
        return
    href = image.get("href", "").strip()
    if not is_web_url(href) or not _ARTWORK.search(href.split("?")[0].split("#")[0]):
        report.add(
            "PodcastInvalidArtwork",
            line_of(image),
            f"itunes:image href {quote(href)} is not an http(s) URL of a .jpg, .jpeg or .png "
            "file; Apple reads only JPEG and PNG artwork at a full web address",
            entry=entry,
            field="itunes:image@href",
        )


def _categories(found: list[etree._Element], channel: etree._Element, report: Report) -> None:
    if not found:
        report.add(
            "PodcastMissingCategory",
            line_of(channel),
            "<channel> has no <itunes:category>; Apple requires one: add e.g. "
            '<itunes:category text="Technology"/>',
            field="itunes:category",
        )
    for category in found:
        name = category.get("text")
        subs = [c for c in category.iterchildren(etree.Element) if c.tag == f"{_IT}category"]
        allowed = APPLE_CATEGORIES.get(name or "")
        bad = [s.get("text") or "" for s in subs if allowed is None or s.get("text") not in allowed]
        if allowed is not None and not bad:
            continue
        shown = name if name is not None else text_of(category)
        what = (
            f"subcategory {quote(bad[0])} is not one of Apple's under {quote(shown)}"
            if allowed is not None
            else f"{quote(shown)} is not one of Apple's category names (case-sensitive)"
            if name is not None
            else f"has no text attribute (its content {quote(shown)} is ignored)"
        )
        report.add(
            "PodcastInvalidCategory",
            line_of(category),
            f'<itunes:category> {what}; write <itunes:category text="NAME"/> with a name '
            "from Apple's list (Arts, Business, ..., Technology, True Crime, TV & Film)",
            field="itunes:category",
        )


def _explicit(el: etree._Element, report: Report, entry: str | None) -> None:
    value = text_of(el)
    if value not in _EXPLICIT:
        report.add(
            "PodcastInvalidExplicit",
            line_of(el),
            f"<itunes:explicit> {quote(value)} is not true or false; Apple reads only "
            "those two values",
            entry=entry,
            field="itunes:explicit",
        )


def lint_episodes(items: list[etree._Element], report: Report) -> None:
    """Apple's episode rules: one enclosure with audio or video type and length, a unique guid,
    a well-formed duration, episode numbers unique within a season."""
    guids: dict[str, int | None] = {}
    numbers: dict[tuple[str, str], int | None] = {}
    for item in items:
        groups = child_groups(item)
        guid = first(groups, "guid")
        entry = text_of(guid) if guid is not None and text_of(guid) else None
        _episode_guid(item, guid, guids, report)
        _enclosure(item, first(groups, "enclosure"), report, entry)
        _artwork(first(groups, f"{_IT}image"), item, report, entry, episode=True)
        explicit = first(groups, f"{_IT}explicit")
        if explicit is not None:
            _explicit(explicit, report, entry)
        duration = first(groups, f"{_IT}duration")
        if duration is not None and not _DURATION.fullmatch(text_of(duration)):
            report.add(
                "PodcastInvalidDuration",
                line_of(duration),
                f"<itunes:duration> {quote(text_of(duration))} is neither seconds nor "
                "[HH:]MM:SS; write e.g. 2400 or 00:40:00",
                entry=entry,
                field="itunes:duration",
            )
        _episode_number(groups, numbers, report, entry)


def _episode_guid(
    item: etree._Element,
    guid: etree._Element | None,
    guids: dict[str, int | None],
    report: Report,
) -> None:
    # Apple and podcast apps key episodes by guid: a missing or shared one loses episodes.
    value = "" if guid is None else text_of(guid)
    if not value:
        report.add(
            "PodcastMissingGuid",
            line_of(item if guid is None else guid),
            "episode <item> has no <guid>; podcast apps key episodes by it: add a permanent "
            "unique id and never change it",
            field="guid",
        )
    elif value in guids:
        report.add(
            "PodcastDuplicateGuid",
            line_of(guid) if guid is not None else None,
            f"episode guid {quote(value)} is already used by the item on line {guids[value]}; "
            "podcast apps would show only one of them: give every episode its own guid",
            entry=value,
            field="guid",
        )
    else:
        guids[value] = line_of(item)


def _enclosure(
    item: etree._Element, enclosure: etree._Element | None, report: Report, entry: str | None
) -> None:
    if enclosure is None:
        report.add(
            "PodcastMissingEnclosure",
            line_of(item),
            "episode <item> has no <enclosure>; Apple requires the media file: add "
            '<enclosure url="..." length="BYTES" type="audio/mpeg"/>',
            entry=entry,
            field="enclosure",
        )
        return
    mime = (enclosure.get("type") or "").strip().lower()
    if not mime.startswith(("audio/", "video/")):
        report.add(
            "PodcastInvalidEnclosureType",
            line_of(enclosure),
            f"enclosure type {quote(mime)} is not audio/* or video/*; podcast apps play only "
            "audio and video: write e.g. audio/mpeg, audio/x-m4a, video/mp4",
            entry=entry,
            field="enclosure@type",
        )
    if enclosure.get("length") is None:  # an empty or bad one is InvalidIntegerAttribute
        report.add(
            "PodcastMissingEnclosureLength",
            line_of(enclosure),
            'enclosure has no length; Apple requires the file size in bytes: write length="BYTES"',
            entry=entry,
            field="enclosure@length",
        )


def _episode_number(
    groups: dict[str, list[etree._Element]],
    numbers: dict[tuple[str, str], int | None],
    report: Report,
    entry: str | None,
) -> None:
    number = first(groups, f"{_IT}episode")
    if number is None:
        return
    season = first(groups, f"{_IT}season")
    key = (text_of(season) if season is not None else "", text_of(number))
    if key in numbers:
        where = f"season {key[0]}" if key[0] else "the show (no itunes:season)"
        report.add(
            "PodcastEpisodeNumberReused",
            line_of(number),
            f"itunes:episode {quote(key[1])} is already used in {where} by the item on line "
            f"{numbers[key]}; number each episode once per season",
            entry=entry,
            field="itunes:episode",
        )
    else:
        numbers[key] = line_of(number)
