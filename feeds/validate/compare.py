"""Comparing what a reader got (`feeds.views`) with the records the feed was rendered from,
field by field (DEVELOPERS.md "Feed representation").

Compared: the entries' set and order; per entry id, title, link, published and (Atom, JSON
Feed) updated instants (instants, not strings), author, categories and tags, summary, content (HTML,
white-space runs collapsed), enclosure and image; per feed title, description, links
(alternate, self and `plan.extra_links`), Atom id, updated, language, author and the RFC 5005
archive marker. Each difference is a `RoundTrip` error naming the entry and the field. Text
is compared as a reader shows it: an RSS text feedparser types as HTML is shown unescaped.
Where the bytes are right but feedparser's own heuristics change what its users see (C1
controls or Latin-1-looking UTF-8 taken for mojibake, RSS `email (name)` split by pattern, an
RSS title holding an entity reference taken for HTML) the finding is a warning
(`ReaderAltersText`, `TextLooksLikeHtml`), so one odd title does not unpublish a feed.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from feeds.config import Config
from feeds.dateformat import rfc3339
from feeds.lint.report import Report
from feeds.model import Article, Author
from feeds.plan import FeedSpec, extra_links
from feeds.render.rules import (
    ContentFn,
    category_scheme,
    entry_authors,
    feed_author,
    feed_description,
    feed_language,
    feed_updated,
    in_site_zone,
    item_tags,
    self_url,
    tag_scheme,
)
from feeds.validate.byline import compare_byline
from feeds.validate.feedmeta import (
    entry_language_differences,
    entry_media_differences,
    feed_meta_differences,
)
from feeds.validate.xml_reader import Parsed
from feeds.views import EntryView, FeedView, Link, Tag

ROUND_TRIP = "RoundTrip"
_HTML_TYPES = ("text/html", "application/xhtml+xml")

# feedparser maps C1 code points to their Windows-1252 characters, as its `_cp1252` does.
_CP1252_UNDEFINED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_CP1252 = {c: bytes([c]).decode("cp1252") for c in range(0x80, 0xA0) if c not in _CP1252_UNDEFINED}


@dataclass(slots=True)
class _Where:
    """Where a comparison happens; `quirks`: the text was read by feedparser."""

    report: Report
    entry: str | None
    line: int | None
    article: Article | None = None
    quirks: bool = True

    def differs(self, field: str, expected: str | None, found: str | None, what: str) -> None:
        against = f"the article ({self.article.source})" if self.article else "the plan"
        self.report.add(
            ROUND_TRIP,
            self.line,
            f"{what} in the file does not match {against}",
            entry=self.entry,
            field=field,
            expected=expected,
            found=found,
        )

    def text(
        self, field: str, expected: str, found: str | None, found_type: str, what: str
    ) -> None:
        """Plain text as a reader shows it: unescaped when the reader takes it for HTML."""
        if found is None:
            if expected:
                self.differs(field, expected, None, what)
            return
        shown_text = html.unescape(found) if found_type in _HTML_TYPES else found
        if shown_text == expected:
            return
        if self.quirks and _reader_quirks(expected) == shown_text:
            self.altered(field, expected, shown_text, what)
        elif found == expected and found_type in _HTML_TYPES:
            self.warn(
                "TextLooksLikeHtml",
                f"{what}: readers that guess as feedparser does take this RSS text for HTML "
                f"(it holds an entity reference or an end tag) and show {shown_text!r}; "
                "rephrase it if that matters",
                field,
                expected,
                shown_text,
            )
        else:
            self.differs(field, expected, shown_text, what)

    def markup(self, field: str, expected: str, found: str | None, what: str) -> None:
        """HTML, compared with white-space runs collapsed (they render alike)."""
        if found == (expected or None) or (found or "").strip() == expected.strip():
            return  # the common cases, before the costlier white-space collapsing
        if _squeeze(found) == _squeeze(expected):
            return
        if self.quirks and _squeeze(found) == _squeeze(_reader_quirks(expected)):
            self.altered(field, expected, found, what)
        else:
            self.differs(field, expected or None, found, what)

    def altered(self, field: str, expected: str | None, found: str | None, what: str) -> None:
        self.warn(
            "ReaderAltersText",
            f"{what} is written as the article says, but feedparser-based readers show "
            "something else (a heuristic of theirs: C1 control characters or Latin-1-looking "
            "UTF-8 taken for mojibake, an `email (name)` split by pattern)",
            field,
            expected,
            found,
        )

    def warn(
        self, rule: str, message: str, field: str, expected: str | None, found: str | None
    ) -> None:
        source = f" (article {self.article.source})" if self.article else ""
        self.report.add(  # a warning: the rule's level (lint/rules.py)
            rule,
            self.line,
            message + source,
            entry=self.entry,
            field=field,
            expected=expected,
            found=found,
        )

    def instant(
        self, field: str, expected: datetime, found: int | None, found_text: str | None, what: str
    ) -> None:
        want = int(expected.replace(microsecond=0).timestamp())
        if found != want:
            suffix = "" if found is not None or found_text is None else " (unreadable)"
            self.differs(
                field, rfc3339(expected), None if found_text is None else found_text + suffix, what
            )


def _reader_quirks(text: str) -> str:
    """What feedparser makes of text parsed from a UTF-8 document (mixin.pop)."""
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        text = text.encode("iso-8859-1").decode("utf-8")
    return text.translate(_CP1252)


def _quirked(text: str) -> tuple[str, str]:
    return text, _reader_quirks(text)


def _quirk_or_none(text: str | None) -> str | None:
    return None if text is None else _reader_quirks(text)


def _quirk_pair(pair: tuple[str, str | None]) -> tuple[str, str | None]:
    return _reader_quirks(pair[0]), _quirk_or_none(pair[1])


def _squeeze(markup: str | None) -> str:
    return " ".join((markup or "").split())


def compare_feed(found: FeedView, fmt: str, feed: FeedSpec, config: Config, report: Report) -> None:
    where = _Where(report, None, None, quirks=fmt != "json")
    where.text("title", feed.title, found.title, found.title_type, "the feed title")
    where.text(
        "description",
        feed_description(feed),
        found.subtitle,
        found.subtitle_type,
        "the feed description",
    )
    if found.link != feed.html_url:
        where.differs("link", feed.html_url, found.link, "the feed's alternate link")
    expected_links = {("alternate", feed.html_url), ("self", self_url(config, feed, fmt))}
    expected_links.update(
        (rel, href)
        for rel, href in extra_links(feed, fmt, config)
        if fmt != "json" or rel == "hub"  # JSON Feed carries hubs only
    )
    if found.links != expected_links:
        where.differs(
            "links",
            _links_text(expected_links),
            _links_text(found.links),
            "the feed's links (rel, href)",
        )
    if fmt != "json" and found.archive != (feed.page is not None):  # RFC 5005 §4
        where.differs(
            "archive",
            str(feed.page is not None),
            str(found.archive),
            "the fh:archive marker of an archive page",
        )
    if fmt == "atom" and found.id != self_url(config, feed, fmt):
        where.differs("id", self_url(config, feed, fmt), found.id, "the feed id")
    if fmt != "json":
        where.instant(
            "updated",
            in_site_zone(feed_updated(feed), config.site.tzinfo),
            found.updated,
            found.updated_text,
            "the feed's update time",
        )
    for field, want, got, what in feed_meta_differences(found, fmt, feed, config):
        where.differs(field, want, got, what)  # image and polling hints (issue 16)
    language = feed_language(feed, config)
    if found.language != language:
        where.differs("language", language, found.language, "the feed language")
    _compare_feed_author(where, found, fmt, config)


def _compare_feed_author(where: _Where, found: FeedView, fmt: str, config: Config) -> None:
    author = feed_author(config)
    want = _author_pair(author) if fmt != "rss" or author.email else None
    if found.author == want:
        return
    # As for entries: written right, but feedparser's `email (name)` pattern misreads it
    # (a top-level domain over four letters), so only readers using feedparser differ.
    heuristic = (
        want is not None
        and fmt == "rss"
        and (
            found.author == _quirk_pair(want) or found.author_text in _quirked(_rss_author(author))
        )
    )
    (where.altered if heuristic else where.differs)(
        "author", _pair_text(want), _pair_text(found.author), "the feed author"
    )


def compare_entries(
    parsed: Parsed,
    fmt: str,
    feed: FeedSpec,
    config: Config,
    content: ContentFn,
    report: Report,
) -> None:
    """Every entry of `parsed` against the article `feed` plans for it, and the order."""
    language = feed_language(feed, config)
    positions, unknown = _positions(parsed, feed, report)
    # An entry whose id alone was changed or lost: pair it with the article planned there.
    paired: dict[int, Article] = {}
    for index, article in enumerate(feed.entries):
        if article.id not in positions and index in unknown:
            paired[index] = article
            unknown.remove(index)
    for article in feed.entries:
        if article.id not in positions and article not in paired.values():
            report.add(
                ROUND_TRIP,
                None,
                f"the entry for article {article.source} is missing",
                entry=article.id,
                field="entry",
                expected="present",
                found="missing",
            )
    for index in unknown:
        view = parsed.entries[index]
        report.add(
            ROUND_TRIP,
            parsed.lines[index],
            "an entry that no article of this feed accounts for"
            if view.id is not None
            else f"entry {index + 1} has no id",
            entry=view.id,
            field="entry" if view.id is not None else "id",
            expected="absent",
            found="present",
        )
    _compare_order(parsed, feed, positions, report)
    for index, article in paired.items():  # its id differs; everything else is compared below
        where = _Where(report, article.id, parsed.lines[index], article, quirks=fmt != "json")
        where.differs("id", article.id, parsed.entries[index].id, "the entry id")
    found = [(positions[a.id], a) for a in feed.entries if a.id in positions]
    for index, article in [*found, *paired.items()]:
        view, line = parsed.entries[index], parsed.lines[index]
        _compare_entry(view, line, article, fmt, config, content, report, language)


def _positions(parsed: Parsed, feed: FeedSpec, report: Report) -> tuple[dict[str, int], list[int]]:
    """The index of each planned article's first entry, and the entries no article accounts
    for (no id, or an id no article of the feed has); entries seen twice are reported."""
    expected = {article.id for article in feed.entries}
    positions: dict[str, int] = {}
    unknown: list[int] = []
    for index, view in enumerate(parsed.entries):
        if view.id is not None and view.id in positions:
            report.add(
                ROUND_TRIP,
                parsed.lines[index],
                "the entry appears more than once",
                entry=view.id,
                field="entry",
                expected="once",
                found="again",
            )
        elif view.id is not None and view.id in expected:
            positions[view.id] = index
        else:
            unknown.append(index)
    return positions, unknown


def _compare_order(
    parsed: Parsed, feed: FeedSpec, positions: dict[str, int], report: Report
) -> None:
    order_expected = [a.id for a in feed.entries if a.id in positions]
    order_found = sorted(order_expected, key=positions.__getitem__)
    for want, got in zip(order_expected, order_found, strict=True):
        if want != got:
            report.add(
                ROUND_TRIP,
                parsed.lines[positions[got]],
                "entries are out of order (newest first, then id, is the feed's order)",
                entry=got,
                field="order",
                expected=f"position {order_expected.index(got) + 1}",
                found=f"position {order_found.index(got) + 1}",
            )


def _compare_entry(
    view: EntryView,
    line: int | None,
    article: Article,
    fmt: str,
    config: Config,
    content: ContentFn,
    report: Report,
    feed_lang: str,
) -> None:
    """Each field of one entry as read back against its article, in the entry's order."""
    where = _Where(report, article.id, line, article, quirks=fmt != "json")
    zone = config.site.tzinfo
    entry = content(article)
    where.text("title", article.title, view.title, view.title_type, "the title")
    if view.link != article.link:
        where.differs("link", article.link, view.link, "the link")
    where.instant(
        "published",
        in_site_zone(article.published, zone),
        view.published,
        view.published_text,
        "the publication time",
    )
    if fmt != "rss":  # RSS 2.0 has no update time, so RSS items carry none (issue 13)
        where.instant(
            "updated",
            in_site_zone(article.updated, zone),
            view.updated,
            view.updated_text,
            "the update time",
        )
    _compare_author(where, view, article, fmt, config)
    _compare_tags(where, view, article, fmt, config)
    where.text("summary", entry.summary, view.summary, view.summary_type, "the summary")
    where.markup("content", entry.html, view.content, "the content HTML")
    _compare_media(where, view, article)
    for field, want, got, what in entry_media_differences(view, article, fmt):
        where.differs(field, want, got, what)  # media:thumbnail and media:credit (issue 16)
    for field, want, got, what in entry_language_differences(view, article, fmt, feed_lang):
        where.differs(field, want, got, what)  # Atom xml:lang, JSON Feed language (issue 16)


def _compare_author(
    where: _Where, view: EntryView, article: Article, fmt: str, config: Config
) -> None:
    # Atom entries carry the feed author when the article names none (render.entry_authors).
    authors = entry_authors(article, fmt, config)
    if len(authors) > 1:
        compare_byline(where, view, authors, fmt, _quirk_pair)
        return
    author = authors[0] if authors else None
    want_author = None if author is None else _author_pair(author)
    if view.author == want_author:
        return
    # Written right but read otherwise: feedparser splits RSS `email (name)` by a pattern
    # (it misses a TLD over four letters and finds addresses in names), or its text
    # heuristics changed a character.
    heuristic = (
        where.quirks
        and author is not None
        and want_author is not None
        and (
            view.author == _quirk_pair(want_author)
            or (fmt == "rss" and view.author_text in _quirked(_rss_author(author)))
        )
    )
    (where.altered if heuristic else where.differs)(
        "author", _pair_text(want_author), _pair_text(view.author), "the author"
    )


def _compare_tags(
    where: _Where, view: EntryView, article: Article, fmt: str, config: Config
) -> None:
    want_tags = _expected_tags(article, fmt, config)
    if view.tags == want_tags:
        return
    heuristic = where.quirks and view.tags == tuple(
        (_reader_quirks(term), scheme, _quirk_or_none(label)) for term, scheme, label in want_tags
    )
    (where.altered if heuristic else where.differs)(
        "categories", _tags_text(want_tags), _tags_text(view.tags), "the categories and tags"
    )


def _compare_media(where: _Where, view: EntryView, article: Article) -> None:
    """The enclosure (url, type, length) and the image."""
    want_enclosures: tuple[Link, ...] = ()
    if article.enclosure is not None:
        enclosure = article.enclosure
        want_enclosures = ((enclosure.url, enclosure.type, str(enclosure.length)),)
    if view.enclosures != want_enclosures:
        where.differs(
            "enclosure",
            _links_text(want_enclosures),
            _links_text(view.enclosures),
            "the enclosure (url, type, length)",
        )
    want_images = (article.image,) if article.image else ()
    if view.images != want_images:
        where.differs("image", article.image, ", ".join(view.images) or None, "the image")


def _expected_tags(article: Article, fmt: str, config: Config) -> tuple[Tag, ...]:
    if fmt == "json":
        return tuple((tag, None, None) for tag in item_tags(article))
    categories = category_scheme(config)
    if fmt == "atom":  # RFC 4287 §4.2.2: term and label both the display path (issue 13)
        found: list[Tag] = [(c.label, categories, c.label) for c in article.categories]
    else:  # RSS 2.0 category: the display path, domain = scheme
        found = [(c.label, categories, None) for c in article.categories]
    return tuple(found + [(tag, tag_scheme(config), None) for tag in article.tags])


def _author_pair(author: Author) -> tuple[str, str | None]:
    return author.name, author.email


def _rss_author(author: Author) -> str:
    # RSS 2.0 <author> is an email address, by convention followed by the name in parentheses.
    return f"{author.email} ({author.name})" if author.email else author.name


def _pair_text(pair: tuple[str, str | None] | None) -> str | None:
    if pair is None:
        return None
    return pair[0] if pair[1] is None else f"{pair[0]} <{pair[1]}>"


def _tags_text(tags: Iterable[Tag]) -> str:
    return "; ".join(
        term + (f" [{label}]" if label else "") + (f" ({scheme})" if scheme else "")
        for term, scheme, label in tags
    )


def _links_text(links: Iterable[tuple[Any, ...]]) -> str:
    return "; ".join(" ".join(str(part) for part in link if part) for link in sorted(links))
