"""RSS 2.0 and Atom 1.0 bytes for one planned feed, through feedgen: the only module that
imports feedgen.

The bytes depend on the feed, the config and the entry content only (DEVELOPERS.md "Feed
representation"). feedgen would read the clock for every `updated`/`lastBuildDate` left
unset and prepends entries by default; here every time is set and entries are appended, so
the written order is exactly `feed.entries` (newest first). What feedgen cannot write (RSS
`atom:link`s other than self, RFC 5005 `fh:archive`, Atom enclosure
links, `content:encoded` without a description) comes from a small feedgen extension, never
from editing the XML text afterwards. Links beyond alternate and self (WebSub hub, RFC 5005
`current`/`prev-archive`) are `plan.extra_links`.

Decisions readers and the validator rely on:
- Times have whole seconds; Atom writes them in UTC (`Z`), which every reader takes right;
  RSS in the site zone, and in UTC when the zone's offset has seconds (Berlin before 1893:
  LMT +00:53:28), as RFC 822 needs.
- An empty feed's `updated`/`lastBuildDate` is the Unix epoch (`EMPTY_FEED_UPDATED`).
- The feed author is `site.author`, else the site title as a name (RFC 4287 §4.1.1 wants an
  author on the feed when entries may lack one). RSS `managingEditor` only with an email.
- An empty site description falls back to the feed title (RSS 2.0 requires description).
- RSS items carry no update time (RSS 2.0 has none; a PHP parser took `atom:updated` for
  the publication date); Atom and JSON Feed carry it.
- Atom writes the alternate link before self; category `term` is the display path.
- RSS `description` (item and channel) is HTML by RSS 2.0, so the plain-text summary goes
  in HTML-escaped: every reader shows the text exactly. RSS titles are written as plain text
  (escaped once, as the RSS Best Practices Profile advises); feedparser guesses that a title
  holding an entity reference such as "&amp;" is HTML, which validate reports as a warning.
- An article image is Media RSS `<media:content url=... medium="image"/>` in RSS and Atom.
- An entry whose summary is empty has no RSS description / Atom summary; one whose HTML is
  empty has no content element.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

from lxml import etree

# isort: split
# feedgen.util uses `lxml.etree` having only imported `lxml`: lxml.etree must come first.
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.ext.dc import DcEntryExtension, DcExtension
from feedgen.ext.media import MediaEntryExtension, MediaExtension
from feedgen.feed import FeedGenerator

from feeds.config import Config
from feeds.layout import ATOM_NS, CONTENT_NS, HISTORY_NS, MEDIA_NS, MEDIA_TYPES, SY_NS
from feeds.model import Article, Author, ContentError, Enclosure, ImageInfo, Problem, shorten
from feeds.plan import FeedSpec, extra_links
from feeds.render.podcast import ITUNES_NS, PODCAST_NS, extend_channel, extend_item, show_of
from feeds.render.rules import (
    GENERATOR,
    ContentFn,
    category_scheme,
    entry_authors,
    entry_time,
    feed_author,
    feed_description,
    feed_image,
    feed_language,
    feed_updated,
    in_site_zone,
    rss_author,
    rss_creators,
    self_url,
    tag_scheme,
    update_schedule,
    written_zone,
    zulu,
)
from feeds.textclean import xml_illegal_char
from feeds.version import __version__

if TYPE_CHECKING:
    from feeds.body import EntryContent
    from feeds.model import Episode
    from feeds.showconfig import ShowConfig

RSS_DOCS = "https://www.rssboard.org/rss-specification"
XML_NS = "http://www.w3.org/XML/1998/namespace"


def render_xml(feed: FeedSpec, fmt: str, config: Config, content: ContentFn) -> bytes:
    """The complete file for `feed` in `fmt` (`rss` or `atom`): UTF-8, deterministic.

    Raises `ContentError` naming the article and field when a text holds a character XML 1.0
    cannot carry, or a date cannot be written with a four-digit year (normalisation keeps
    both out; this is the last guard before the writer)."""
    zone = written_zone(config, fmt)
    times = [
        (
            entry_time(article.published, zone, article.source, "date"),
            entry_time(article.updated, zone, article.source, "updated"),
        )
        for article in feed.entries
    ]  # checked before the feed's own time, which is one of them
    generator = _feed_generator(feed, fmt, config)
    for article, (published, updated) in zip(feed.entries, times, strict=True):
        _add_entry(generator, article, fmt, config, published, updated, content(article))
    # feedgen's *_str() would serialise without our stylesheet PI; the tree is the same.
    root, document = generator._create_rss() if fmt == "rss" else generator._create_atom()
    if config.feeds.stylesheet:
        root.addprevious(stylesheet_instruction(config.feeds.stylesheet))
    data: bytes = etree.tostring(
        document, pretty_print=True, xml_declaration=True, encoding="UTF-8"
    )
    return _hex_references(data)


_MARKUP = re.compile(rb"(<[^>]*>)")  # a tag, PI or comment: lxml writes `>` in text as &gt;


def _hex_references(data: bytes) -> bytes:
    """RSS Best Practices Profile (RSS Advisory Board, "Encoding"): write `&` and `<` in
    element text as `&#x26;` and `&#x3C;`, which every parser decodes, rather than
    `&amp;`/`&lt;`; in Atom too, where a parser that decodes `type="html"` text twice would
    turn `&amp;lt;script&amp;gt;` into a live tag. Attribute values keep `&amp;`: a common
    JavaScript XML parser leaves numeric references in attributes undecoded (issue 13).
    The same characters in XML terms, so the document means exactly what lxml wrote; our
    feeds carry no CDATA section, where the swap would change the text (checked)."""
    if b"<![CDATA[" in data:
        return data
    return b"".join(
        part if index % 2 else part.replace(b"&amp;", b"&#x26;").replace(b"&lt;", b"&#x3C;")
        for index, part in enumerate(_MARKUP.split(data))
    )


def _feed_generator(feed: FeedSpec, fmt: str, config: Config) -> Any:
    site = config.site
    generator = FeedGenerator()
    # The same extensions for every feed of a format, so the root element (and its namespace
    # declarations) is byte-identical across feeds; validate's entry memo relies on it.
    generator.register_extension("media", MediaExtension, MediaEntryExtension)
    if fmt == "rss":
        generator.register_extension("dc", DcExtension, DcEntryExtension)
    generator.register_extension("house", _HouseFeed, _HouseEntry)
    generator.title(_checked(feed.title, feed.key, "title"))
    own_url = self_url(config, feed, fmt)
    show = show_of(feed, config) if fmt == "rss" else None
    if show is not None:  # a podcast show (issue 17): its own root element, as it should
        generator.register_extension("show", _ShowFeed, _ShowEntry)
        generator.show.show, generator.show.url = show, own_url
    generator.id(own_url)  # RFC 4287 §4.2.6: a permanent IRI; the feed's own URL is one
    if fmt == "atom":  # first: some parsers take the first <link> for the web page
        generator.link(href=feed.html_url, rel="alternate", type="text/html")
    generator.link(href=own_url, rel="self", type=MEDIA_TYPES[fmt])
    for rel, href in extra_links(feed, fmt, config):  # WebSub hub, RFC 5005 archive links
        if fmt == "atom":
            generator.link(href=href, rel=rel)
        else:  # feedgen writes only rel="self" as atom:link in RSS
            generator.house.links.append((rel, href))
    generator.house.archive = feed.page is not None
    if fmt == "rss":  # RSS <link> is the last link added (feedgen), so it goes last
        generator.link(href=feed.html_url, rel="alternate", type="text/html")
    description = _checked(feed_description(feed), feed.key, "description")
    # RSS 2.0 description holds HTML, so plain text goes in escaped (readers unescape it).
    generator.description(description if fmt == "atom" else _as_html(description))
    generator.language(feed_language(feed, config))
    updated = in_site_zone(feed_updated(feed), written_zone(config, fmt))
    generator.updated(updated)  # also RSS lastBuildDate; never feedgen's "now"
    author = feed_author(config)
    if fmt == "atom":
        generator.author(_author_fields(author))
        generator.generator(GENERATOR, version=__version__)
        if site.icon:
            generator.icon(site.icon)
        logo = feed_image(config, feed, fmt)
        if logo:
            generator.logo(logo)
    else:
        if author.email:  # RSS 2.0: managingEditor is an email address
            generator.managingEditor(f"{author.email} ({author.name})")
        generator.generator(f"{GENERATOR} {__version__}")
        generator.docs(RSS_DOCS)
        image = feed_image(config, feed, fmt)
        if image:  # RSS 2.0 <image>: url, title and link, the latter two as the channel's
            generator.image(url=image, title=feed.title, link=feed.html_url)
        if config.feeds.ttl is not None:  # RSS 2.0 <ttl>: minutes a reader may cache it
            generator.ttl(config.feeds.ttl)
            generator.register_extension("polling", _PollingHints, _NoEntryHints)
            generator.polling.schedule = update_schedule(config.feeds.ttl)
    return generator


def _add_entry(
    generator: Any,
    article: Article,
    fmt: str,
    config: Config,
    published: datetime,
    updated: datetime,
    entry: EntryContent,
) -> None:
    for field, value in (
        ("title", article.title),
        ("summary", entry.summary),
        ("body", entry.html),
        ("author", " ".join(author.name for author in article.authors)),
        ("categories", " ".join(c.label for c in article.categories)),
        ("tags", " ".join(article.tags)),
    ):
        _checked(value, article.source, field)
    item = generator.add_entry(order="append")  # feedgen prepends by default
    # RSS 2.0 guid: isPermaLink="true" only when the id is the link readers can open.
    item.guid(article.id, permalink=article.id == article.link)
    item.title(article.title)
    item.link(href=article.link, rel="alternate")
    item.published(published)
    item.updated(updated)  # Atom; never feedgen's "now"
    authors = entry_authors(article, fmt, config)
    if fmt == "atom":
        item.author([_author_fields(author) for author in authors])  # RFC 4287: one each
    elif authors:
        named = rss_author(authors)
        if named is not None:  # RSS 2.0 <author> is an email address, so only once
            item.author(_author_fields(named))
        for name in rss_creators(authors):
            item.dc.dc_creator(name, replace=False)
    # Atom term: the display path, as readers showing only `term` should show it; a path's
    # names are its canonical spellings, so the term is as stable as the slug (issue 13).
    categories = [
        {"term": c.label, "label": c.label, "scheme": category_scheme(config)}
        for c in article.categories
    ] + [{"term": tag, "scheme": tag_scheme(config)} for tag in article.tags]
    if categories:
        item.category(categories)
    if fmt == "rss":  # RSS 2.0 has no update time; Atom and JSON Feed carry it
        if entry.html and not entry.summary:  # feedgen would move the HTML into description
            item.house.content = entry.html
        elif entry.html:
            item.content(entry.html, type="html")
    elif entry.html:
        item.content(entry.html, type="html")
    if entry.summary:
        if fmt == "rss":
            item.summary(_as_html(entry.summary))
        else:
            item.summary(entry.summary, type="text")
    item.house.lang = article.lang  # Atom xml:lang (issue 16)
    if article.enclosure is not None:
        enclosure = article.enclosure
        if fmt == "rss":
            item.enclosure(url=enclosure.url, length=enclosure.length, type=enclosure.type)
        else:  # feedgen 1.0 drops rel/type/length from Atom entry links
            item.house.enclosure = enclosure
    show = getattr(item, "show", None)
    if show is not None:  # an episode: its image is itunes:image (apps take media:content
        show.episode, show.image = article.episode, article.image  # for a 2nd enclosure)
    elif article.image:
        item.media.content(url=article.image, medium="image", group=None)
        item.house.picture = (article.image, article.image_info)  # media:thumbnail, credit


def _as_html(text: str) -> str:
    return html.escape(text, quote=False)


def _author_fields(author: Author) -> dict[str, str]:
    return {"name": author.name, "email": author.email} if author.email else {"name": author.name}


def _checked(value: str, source: str, field: str) -> str:
    found = xml_illegal_char(value)  # XML 1.0 §2.2
    if found is not None:
        raise ContentError(
            Problem(
                source,
                field,
                shorten(value),
                f"contains U+{ord(found):04X}, which XML 1.0 cannot carry; "
                "remove the character from the source",
            )
        )
    return value


def stylesheet_instruction(href: str) -> Any:
    """The `xml-stylesheet` processing instruction for `href` (CSS or XSLT by its path)."""
    path = urlsplit(href).path.lower()
    kind = "text/css" if path.endswith(".css") else "text/xsl"
    # W3C "Associating Style Sheets with XML documents": pseudo-attributes, quoted.
    return etree.ProcessingInstruction("xml-stylesheet", f'type="{kind}" href={quoteattr(href)}')


# -- feedgen extension for what feedgen cannot express --------------------------------------


def _zulu_times(parent: Any) -> None:
    """Atom `updated`/`published` (UTC here) with `Z`, not feedgen's isoformat `+00:00`."""
    for child in parent:
        if child.tag in ("updated", "published", f"{{{ATOM_NS}}}updated") and child.text:
            child.text = zulu(child.text)


class _HouseFeed(BaseExtension):  # type: ignore[misc]  # feedgen is untyped
    """RSS channel `atom:link`s beyond rel="self" (W3C WebSub §4, RFC 5005 §4); Atom's come
    from feedgen. The RFC 5005 §4 `fh:archive` marker of an archive page, in both formats."""

    def __init__(self) -> None:
        self.links: list[tuple[str, str]] = []
        self.archive = False

    def extend_rss(self, feed: Any) -> Any:
        channel = feed[0]
        for rel, href in self.links:
            etree.SubElement(channel, f"{{{ATOM_NS}}}link", href=href, rel=rel)
        self._mark(channel)
        return feed

    def extend_atom(self, feed: Any) -> Any:
        _zulu_times(feed)
        self._mark(feed)
        return feed

    def _mark(self, parent: Any) -> None:
        if self.archive:  # declared here, so subscription feeds keep their root element
            etree.SubElement(parent, f"{{{HISTORY_NS}}}archive", nsmap={"fh": HISTORY_NS})


class _HouseEntry(BaseEntryExtension):  # type: ignore[misc]
    """RSS `content:encoded` for an item that has HTML but no summary; the Atom enclosure link
    (RFC 4287 §4.2.7.2), which feedgen 1.0 writes without its rel, type and length."""

    def __init__(self) -> None:
        self.content: str | None = None
        self.enclosure: Enclosure | None = None
        self.lang: str | None = None
        self.picture: tuple[str, ImageInfo | None] | None = None

    def extend_atom(self, entry: Any) -> Any:
        _zulu_times(entry)
        _media_extras(entry, self.picture)
        if self.lang is not None:  # XML 1.0 §2.12: the entry's language, over the feed's
            entry.set(f"{{{XML_NS}}}lang", self.lang)
        if self.enclosure is not None:
            # feedgen builds Atom elements without a namespace under a literal xmlns attribute
            etree.SubElement(
                entry,
                "link",
                href=self.enclosure.url,
                rel="enclosure",
                type=self.enclosure.type,
                length=str(self.enclosure.length),
            )
        return entry

    def extend_rss(self, item: Any) -> Any:
        if self.content is not None:
            etree.SubElement(item, f"{{{CONTENT_NS}}}encoded").text = self.content
        _media_extras(item, self.picture)
        return item


def _media_extras(parent: Any, picture: tuple[str, ImageInfo | None] | None) -> None:
    """Media RSS `media:thumbnail` (the article image, with its size when known) and
    `media:credit` (issue 16). No `media:description` for a caption: feedparser 6 reads it,
    wherever it stands, as the entry's description (RSS) or content (Atom)."""
    if picture is None:
        return
    url, info = picture
    thumbnail = etree.SubElement(parent, f"{{{MEDIA_NS}}}thumbnail", url=url)
    if info is not None and info.width is not None:
        thumbnail.set("width", str(info.width))
    if info is not None and info.height is not None:
        thumbnail.set("height", str(info.height))
    if info is not None and info.credit:
        etree.SubElement(parent, f"{{{MEDIA_NS}}}credit").text = info.credit


class _PollingHints(BaseExtension):  # type: ignore[misc]
    """RSS 1.0 Syndication module `sy:updatePeriod` and `sy:updateFrequency` beside `<ttl>`
    (issue 16); feedgen's own syndication extension writes `sy:UpdatePeriod`, which is not
    the module's element name."""

    def __init__(self) -> None:
        self.schedule: tuple[str, int] | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"sy": SY_NS}

    def extend_rss(self, feed: Any) -> Any:
        if self.schedule is not None:
            period, frequency = self.schedule
            channel = feed[0]
            etree.SubElement(channel, f"{{{SY_NS}}}updatePeriod").text = period
            etree.SubElement(channel, f"{{{SY_NS}}}updateFrequency").text = str(frequency)
        return feed


class _NoEntryHints(BaseEntryExtension):  # type: ignore[misc]
    """Items carry no polling hints."""


class _ShowFeed(BaseExtension):  # type: ignore[misc]
    """A podcast show's `itunes:`/`podcast:` channel tags (feeds.render.podcast, issue 17)."""

    def __init__(self) -> None:
        self.show: ShowConfig | None = None
        self.url = ""

    def extend_ns(self) -> dict[str, str]:
        return {"itunes": ITUNES_NS, "podcast": PODCAST_NS}

    def extend_rss(self, feed: Any) -> Any:
        if self.show is not None:
            extend_channel(feed[0], self.show, self.url)
        return feed


class _ShowEntry(BaseEntryExtension):  # type: ignore[misc]
    """An episode's `itunes:`/`podcast:` item tags (feeds.render.podcast, issue 17)."""

    def __init__(self) -> None:
        self.episode: Episode | None = None
        self.image: str | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"itunes": ITUNES_NS, "podcast": PODCAST_NS}

    def extend_rss(self, item: Any) -> Any:
        extend_item(item, self.episode, self.image)
        return item
