"""RSS 2.0: version, channel, items, guids, enclosures (and their atom: elements)."""

from __future__ import annotations

import re

from lxml import etree

from feeds.layout import CONTENT_NS
from feeds.lint.atom import atom_date, check_atom_links, implausible
from feeds.lint.dates import RFC822_EXAMPLE, check_rfc822, implausible_rfc822
from feeds.lint.elements import RSS_PARTS, check_parts
from feeds.lint.html import Where, html_field
from feeds.lint.podcast import is_show, lint_show_channel
from feeds.lint.report import Report, quote
from feeds.lint.tree import (
    ATOM,
    child_groups,
    display,
    duplicates,
    first,
    full_link,
    line_of,
    missing,
    text_of,
    uri_char,
)
from feeds.lint.urls import bad_uri_char, is_web_url, scheme_of

_CONTENT_ENCODED = f"{{{CONTENT_NS}}}encoded"
_RSS_VERSIONS = ("2.0", "0.91", "0.92")  # RSS 2.0 is compatible with 0.91 and 0.92
_CHANNEL_SINGLE = ("title", "link", "description", "language", "pubDate", "lastBuildDate",
                   "ttl", "image", "docs", "generator", "copyright", "managingEditor",
                   "webMaster", "cloud", "textInput", "skipHours",
                   "skipDays")  # fmt: skip
_ITEM_SINGLE = ("title", "link", "description", "guid", "pubDate", "author", "comments",
                "source", _CONTENT_ENCODED, f"{ATOM}updated", f"{ATOM}published")  # fmt: skip
_MIME = re.compile(r"[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\s*;.*)?")


def lint_rss(rss: etree._Element, report: Report) -> None:
    version = rss.get("version")
    if version is None:
        report.add(
            "MissingAttribute",
            line_of(rss),
            '<rss> has no version attribute; write <rss version="2.0">',
            field="version",
        )
    elif version.strip() not in _RSS_VERSIONS:
        report.add(
            "InvalidRSSVersion",
            line_of(rss),
            f'<rss version={quote(version)}> is not RSS 2.0; write version="2.0"',
            field="version",
        )
    channels = [c for c in rss.iterchildren(etree.Element) if c.tag == "channel"]
    if not channels:
        missing(report, line_of(rss), "rss", "channel", "an RSS 2.0 feed has one channel")
        return
    for extra in channels[1:]:
        report.add(
            "DuplicateElement",
            line_of(extra),
            "<rss> contains more than one <channel>; an RSS 2.0 feed has exactly one",
            field="channel",
        )
    _lint_channel(channels[0], report)


def _lint_channel(channel: etree._Element, report: Report) -> None:
    groups = child_groups(channel)
    # RSS 2.0 "Required channel elements": title, link, description.
    for name in ("title", "link", "description"):
        if name not in groups:
            missing(
                report, line_of(channel), "channel", name,
                "RSS 2.0 requires title, link and description on the channel: add it",
            )  # fmt: skip
    duplicates(groups, _CHANNEL_SINGLE, "channel", report)
    check_parts(channel, RSS_PARTS, report)
    link = first(groups, "link")
    if link is not None:
        full_link(link, report, "the channel link")
    for name in ("pubDate", "lastBuildDate"):
        el = first(groups, name)
        if el is not None:
            rss_date(el, report)
    # The atom:link rel=self and guid advice is RSS 2.0's (the W3C validator gives neither
    # for RSS 0.91/0.92, which predate them).
    if not check_atom_links(groups, report) and not _legacy(channel):
        report.add(
            "MissingAtomSelfLink",
            line_of(channel),
            '<channel> has no <atom:link rel="self">; add <atom:link href="URL of this feed" '
            'rel="self" type="application/rss+xml"/> (xmlns:atom="http://www.w3.org/2005/Atom")',
            field="atom:link",
        )
    guids: dict[str, int | None] = {}
    show = is_show(channel)  # its guid rules are the Podcast* ones (lint/podcast.py)
    for item in groups.get("item", []):
        _lint_item(item, guids, report, show)
    if show:
        lint_show_channel(channel, report)


def _legacy(el: etree._Element) -> bool:
    """True inside an RSS 0.91 or 0.92 document."""
    version = el.getroottree().getroot().get("version") or ""
    return version.strip() in ("0.91", "0.92")


def rss_date(el: etree._Element, report: Report, entry: str | None = None) -> None:
    """An RFC 822 date-time (RSS 2.0 pubDate, lastBuildDate; OPML 2.0 head dates)."""
    value = text_of(el)
    found = check_rfc822(value)
    if found is None:
        implausible(el, implausible_rfc822(value), report, entry)
    else:
        rule, problem = found
        advice = (
            f"write an RFC 822 date-time with a numeric or GMT zone, e.g. {RFC822_EXAMPLE}"
            if rule != "IncorrectDOW"
            else "correct the weekday or drop it"
        )
        report.add(
            rule,
            line_of(el),
            f"<{el.tag}> {problem}; {advice}",
            entry=entry,
            field=str(el.tag),
        )


def _lint_item(
    item: etree._Element, guids: dict[str, int | None], report: Report, show: bool
) -> None:
    groups = child_groups(item)
    guid = first(groups, "guid")
    link = first(groups, "link")
    guid_text = text_of(guid) if guid is not None else None
    entry = guid_text or (text_of(link) if link is not None else None) or None
    line = line_of(item)

    # RSS 2.0 "Elements of <item>": at least one of title or description must be present.
    if "title" not in groups and "description" not in groups:
        report.add(
            "ItemMustContainTitleOrDescription",
            line,
            "<item> has neither <title> nor <description>; RSS 2.0 requires at least one",
            entry=entry,
            field="item",
        )
    duplicates(groups, _ITEM_SINGLE, "item", report, entry)
    check_parts(item, RSS_PARTS, report, entry)
    if link is not None:
        full_link(link, report, "the item link", entry)
    if guid is None and not show and not _legacy(item):
        report.add(
            "MissingGuid",
            line,
            "<item> has no <guid>; add a permanent unique id so readers do not show the item "
            "again when it changes",
            entry=entry,
            field="guid",
        )
    elif guid is not None:
        _lint_guid(guid, link, {} if show else guids, report)
    date = first(groups, "pubDate")
    if date is not None:
        rss_date(date, report, entry)
    for tag in (f"{ATOM}updated", f"{ATOM}published"):
        el = first(groups, tag)
        if el is not None:
            atom_date(el, report, entry)
    for tag in ("description", _CONTENT_ENCODED):
        # RSS 2.0: description may hold entity-encoded HTML; content:encoded holds HTML.
        el = first(groups, tag)
        if el is not None:
            html_field(
                el, Where(line_of(el), display(el), entry, base_ok=False, atom=False), report
            )
    enclosures = groups.get("enclosure", [])
    for enclosure in enclosures:
        _lint_enclosure(enclosure, report, entry, show)
    for extra in enclosures[1:]:
        # RSS Best Practices Profile: at most one enclosure; readers and apps take the first.
        report.add(
            "DuplicateEnclosure",
            line_of(extra),
            "<item> has more than one <enclosure>; podcast apps and readers take only the "
            "first: keep one (link the others in the description)",
            entry=entry,
            field="enclosure",
        )


def _lint_guid(
    guid: etree._Element,
    link: etree._Element | None,
    guids: dict[str, int | None],
    report: Report,
) -> None:
    value = text_of(guid)
    entry = value or None
    line = line_of(guid)
    if value in guids:
        report.add(
            "DuplicateValue",
            line,
            f"guid {quote(value)} is already used by the item on line {guids[value]}; "
            "every item needs its own guid",
            entry=entry,
            field="guid",
        )
    else:
        guids[value] = line
    flag = guid.get("isPermaLink")
    if flag is not None and flag not in ("true", "false"):
        report.add(
            "InvalidBooleanAttribute",
            line,
            f'isPermaLink={quote(flag)} must be "true" or "false"',
            entry=entry,
            field="guid",
        )
    # RSS 2.0: isPermaLink defaults to true, and then the guid is "a url that can be opened
    # in a Web browser".
    if flag not in (None, "true"):
        return
    if not is_web_url(value):
        has_scheme = scheme_of(value) is not None
        report.add(
            "InvalidPermalink" if has_scheme else "InvalidHttpGUID",
            line,
            f"guid {quote(value)} is a permalink (isPermaLink "
            f"{'is true' if flag else 'defaults to true'}) but not a full http(s) URL; "
            'add isPermaLink="false" or use the item\'s URL',
            entry=entry,
            field="guid",
        )
    elif link is not None and text_of(link) != value:
        report.add(
            "PermalinkMismatch",
            line,
            f"guid {quote(value)} is a permalink but the item link is {quote(text_of(link))}; "
            'our feeds mark a guid isPermaLink="true" only when it equals the link',
            entry=entry,
            field="guid",
        )


def _lint_enclosure(
    enclosure: etree._Element, report: Report, entry: str | None, show: bool
) -> None:
    # RSS 2.0 <enclosure>: three required attributes, url (http), length (bytes), type (MIME).
    # A show feed's missing length is PodcastMissingEnclosureLength (lint/podcast.py).
    line = line_of(enclosure)
    for attr in ("url", "type") if show else ("url", "length", "type"):
        if enclosure.get(attr) is None:
            report.add(
                "MissingAttribute",
                line,
                f"<enclosure> has no {attr} attribute; RSS 2.0 requires url, length and type",
                entry=entry,
                field=f"enclosure@{attr}",
            )
    url, length, mime = enclosure.get("url"), enclosure.get("length"), enclosure.get("type")
    if url is not None and bad_uri_char(url) is not None:
        uri_char(enclosure, url, report, "enclosure url", entry, field="enclosure@url")
    elif url is not None and not is_web_url(url):
        report.add(
            "InvalidURLAttribute",
            line,
            f"enclosure url {quote(url)} is not a full http(s) URL; write the media file's "
            "absolute address",
            entry=entry,
            field="enclosure@url",
        )
    if length is not None and not re.fullmatch(r"\s*\d+\s*", length):
        report.add(
            "InvalidIntegerAttribute",
            line,
            f"enclosure length {quote(length)} is not a whole number of bytes; write the file "
            "size, or 0 when unknown",
            entry=entry,
            field="enclosure@length",
        )
    if mime is not None and not _MIME.fullmatch(mime.strip()):
        report.add(
            "InvalidMIMEAttribute",
            line,
            f"enclosure type {quote(mime)} is not a MIME type; write e.g. 'audio/mpeg'",
            entry=entry,
            field="enclosure@type",
        )
