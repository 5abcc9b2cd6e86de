"""Reading written RSS and Atom bytes back as a feed reader does: feedparser, from bytes, with
sanitising and relative-URI resolution off (neither may hide a bug), into `feeds.views`.

Speed: an entry is parsed once, whatever number of feeds carry it. feedparser costs ~0.3 ms
per entry, and an article appears byte for byte in the site feed and in the feed of every
category on its path. So a file is parsed whole by lxml (no entities, no network) to prove it
well-formed, then cut into its skeleton (everything but the entry elements) and the entries'
bytes. feedparser reads the skeleton every time. Each entry is memoised under `memo_key` =
SHA-1 of (feedparser version, the file's head, the entry's bytes), where the head is the XML
declaration and the root start tag (namespace declarations, xml:lang) and RSS `<channel>`:
pure bytes, so a build cache may keep the memo across builds. The entries not in the memo are
read by feedparser together in one envelope: the head, their bytes in file order, the closing
tags. So every written byte is read by feedparser, in the skeleton or as an entry whose exact
bytes were read in the same context; only the parse is memoised. The cut is used only when
unambiguous (no comments, CDATA, DOCTYPE or processing instruction after the prolog, and lxml
finds exactly the entries the cut found); otherwise, or when the envelope does not parse into
one entry per piece, the whole file is parsed in one piece.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import xml.sax.xmlreader
from dataclasses import dataclass
from typing import Any
from xml.sax import expatreader

import feedparser
import feedparser.api
from lxml import etree

from feeds.layout import ATOM_NS
from feeds.lint.report import Report
from feeds.views import EntryMemo, EntryView, FeedView


@dataclass(slots=True)
class Parsed:
    """A file as a reader got it: the feed, its entries in file order and their lines."""

    feed: FeedView
    entries: list[EntryView]
    lines: list[int | None]


def memo_key(head: bytes, entry: bytes) -> bytes:
    """The memo key of one entry's bytes in a document whose head is `head`."""
    digest = hashlib.sha1(_MEMO_SALT, usedforsecurity=False)
    digest.update(len(head).to_bytes(8, "big"))
    digest.update(head)
    digest.update(entry)
    return digest.digest()


_MEMO_SALT = f"feeds round trip 1; feedparser {feedparser.__version__}\0".encode()


_SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)


def _start_tag(name: bytes) -> re.Pattern[bytes]:
    # A start tag whose quoted attribute values may hold '>' (XML 1.0 §3.1 STag).
    return re.compile(rb"<" + name + rb"""(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*>""")


# Only the XML declaration, processing instructions and white space may precede the root.
_PROLOG = rb"(?:\s|<\?.*?\?>)*"
_RSS_HEAD = re.compile(
    _PROLOG + _start_tag(b"rss").pattern + rb"\s*" + _start_tag(b"channel").pattern, re.S
)
_ATOM_HEAD = re.compile(_PROLOG + _start_tag(b"feed").pattern, re.S)
_ENTRY_START = {"rss": _start_tag(b"item"), "atom": _start_tag(b"entry")}
_ENTRY_END = {"rss": re.compile(rb"</item\s*>"), "atom": re.compile(rb"</entry\s*>")}
_TAIL = {"rss": b"</channel></rss>", "atom": b"</feed>"}


def parse_xml(data: bytes, fmt: str, report: Report, memo: EntryMemo) -> Parsed | None:
    """The file as feedparser reads it, entries through `memo`; None when not well-formed."""
    try:
        root = etree.fromstring(data, _SAFE_PARSER)
    except etree.XMLSyntaxError as error:
        report.add("NotWellFormed", error.lineno, f"not well-formed XML: {error.msg}")
        return None
    cut = _cut(data, fmt, root)
    if cut is not None:
        head, skeleton, pieces = cut
        whole = read_with_feedparser(skeleton)
        keys = [memo_key(head, data[start:end]) for start, end, _line in pieces]
        if not whole.bozo and not whole.entries and _parse_new(data, fmt, head, pieces, keys, memo):
            return Parsed(
                _feed_view(whole), [memo[key] for key in keys], [line for *_, line in pieces]
            )
    whole = read_with_feedparser(data)  # the general path: one piece, no memo
    parsed = Parsed(
        _feed_view(whole), [entry_view(e) for e in whole.entries], [None] * len(whole.entries)
    )
    if parsed.feed.problem:
        report.add("NotWellFormed", None, f"feedparser: {parsed.feed.problem}")
    return parsed


def _cut(
    data: bytes, fmt: str, root: Any
) -> tuple[bytes, bytes, list[tuple[int, int, int]]] | None:
    """(head, skeleton, [(start, end, line) per entry]) when the cut is unambiguous."""
    head_match = (_RSS_HEAD if fmt == "rss" else _ATOM_HEAD).match(data)
    if head_match is None or b"<!" in data:
        return None
    body = head_match.end()
    if b"<?" in data[body:]:
        return None
    pieces: list[tuple[int, int, int]] = []
    skeleton: list[bytes] = []
    position, line = body, data.count(b"\n", 0, body) + 1
    while (start := _ENTRY_START[fmt].search(data, position)) is not None:
        end = _ENTRY_END[fmt].search(data, start.end())
        if end is None:
            return None
        line += data.count(b"\n", position, start.start())
        pieces.append((start.start(), end.end(), line))
        skeleton.append(data[position : start.start()])
        line += data.count(b"\n", start.start(), end.end())
        position = end.end()
    skeleton.append(data[position:])
    if fmt == "rss":
        placed = root.findall("channel/item") if root.tag == "rss" else []
        anywhere = list(root.iter("item"))
    else:
        placed = root.findall(f"{{{ATOM_NS}}}entry") if root.tag == f"{{{ATOM_NS}}}feed" else []
        anywhere = list(root.iter(f"{{{ATOM_NS}}}entry"))
    if not len(placed) == len(anywhere) == len(pieces):
        return None
    return data[:body], data[:body] + b"".join(skeleton), pieces


def read_with_feedparser(data: bytes) -> Any:
    # From bytes, never a URL or a path; sanitising and URI resolution would hide bugs.
    return feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)


# Speed (issue 6): expat hands a text to its handler in pieces, one per entity reference
# (the escaped HTML of an entry is thousands of them), and feedparser's work per piece was
# most of the round trip's time. With `buffer_text` expat hands each run of text over in one
# piece; feedparser joins the pieces of an element anyway, so what it returns is the same.
# feedparser asks `xml.sax.make_parser` for the drivers in PREFERRED_XML_PARSERS first (this
# module is one: `create_parser` is the SAX driver entry point), then expat.
class _BufferedExpatParser(expatreader.ExpatParser):
    def reset(self) -> None:
        super().reset()
        expat: Any = getattr(self, "_parser")  # noqa: B009  # the pyexpat parser reset made
        expat.buffer_text = True
        expat.buffer_size = 1 << 16


def create_parser() -> xml.sax.xmlreader.XMLReader:
    """The SAX driver feedparser uses here: expat, text buffered (see above)."""
    parser: xml.sax.xmlreader.XMLReader = _BufferedExpatParser()
    return parser


if __name__ not in feedparser.api.PREFERRED_XML_PARSERS:
    feedparser.api.PREFERRED_XML_PARSERS.insert(0, __name__)


def _parse_new(
    data: bytes,
    fmt: str,
    head: bytes,
    pieces: list[tuple[int, int, int]],
    keys: list[bytes],
    memo: EntryMemo,
) -> bool:
    """Parse the entries not in `memo` (each once) in one envelope: the file's head, the
    entries' bytes in file order, the closing tags. False when that does not parse cleanly
    into one entry per piece (the caller then parses the file whole)."""
    new: dict[bytes, bytes] = {}
    for (start, end, _line), key in zip(pieces, keys, strict=True):
        if key not in memo:
            new.setdefault(key, data[start:end])
    if not new:
        return True
    parsed = read_with_feedparser(head + b"".join(new.values()) + _TAIL[fmt])
    if parsed.bozo or len(parsed.entries) != len(new):
        return False
    for key, entry in zip(new, parsed.entries, strict=True):
        memo[key] = entry_view(entry)
    return True


def _problem(parsed: Any) -> str | None:
    if not parsed.bozo:
        return None
    return str(parsed.get("bozo_exception", "")) or "not well-formed"


def _feed_view(parsed: Any) -> FeedView:
    feed = parsed.feed
    title = _detail(feed, "title")
    subtitle = _detail(feed, "subtitle")
    updated, updated_text = _instant(feed, "updated")
    return FeedView(
        title=title[0],
        title_type=title[1],
        subtitle=subtitle[0],
        subtitle_type=subtitle[1],
        link=dict.get(feed, "link"),
        links=frozenset(
            (link.get("rel", "alternate"), link.get("href", ""))
            for link in dict.get(feed, "links", [])
        ),
        id=dict.get(feed, "id"),
        updated=updated,
        updated_text=updated_text,
        language=dict.get(feed, "language"),
        author=_author(feed),
        author_text=dict.get(feed, "author"),
        archive=dict.__contains__(feed, "fh_archive"),
        problem=_problem(parsed),
        image=_feed_image(feed),
        ttl=dict.get(feed, "ttl"),
        schedule=(dict.get(feed, "sy_updateperiod"), dict.get(feed, "sy_updatefrequency")),
    )


def _feed_image(feed: Any) -> str | None:
    """RSS `<image><url>` (feedparser's `image.href`), else Atom `logo`."""
    image = dict.get(feed, "image")
    if isinstance(image, dict) and image.get("href"):
        return str(image["href"])
    logo = dict.get(feed, "logo")
    return None if logo is None else str(logo)


def entry_view(entry: Any) -> EntryView:
    """One entry feedparser returned, as a view."""
    title = _detail(entry, "title")
    summary = _detail(entry, "summary")
    published, published_text = _instant(entry, "published")
    updated, updated_text = _instant(entry, "updated")
    contents = dict.get(entry, "content") or []
    return EntryView(
        id=dict.get(entry, "id"),
        title=title[0],
        title_type=title[1],
        link=dict.get(entry, "link"),
        published=published,
        published_text=published_text,
        updated=updated,
        updated_text=updated_text,
        author=_author(entry),
        author_text=dict.get(entry, "author"),
        tags=tuple(
            (tag.get("term") or "", tag.get("scheme"), tag.get("label"))
            for tag in dict.get(entry, "tags", [])
        ),
        summary=summary[0],
        summary_type=summary[1],
        content=contents[0].get("value") if contents else None,
        enclosures=tuple(
            (link.get("href", ""), link.get("type"), link.get("length"))
            for link in dict.get(entry, "links", [])
            if link.get("rel") == "enclosure"
        ),
        images=tuple(
            media.get("url", "")
            for media in dict.get(entry, "media_content", [])
            if media.get("medium") == "image"
        )
        + _itunes_image(entry),
        authors=tuple(
            (author.get("name") or "", author.get("email"))
            for author in dict.get(entry, "authors", [])
            if author
        ),
        language=_language(entry),
        thumbnails=tuple(
            (media.get("url", ""), media.get("width"), media.get("height"))
            for media in dict.get(entry, "media_thumbnail", [])
        ),
        credits=tuple(credit.get("content", "") for credit in dict.get(entry, "media_credit", [])),
    )


def _language(entry: Any) -> str | None:
    """The xml:lang in effect on the entry (feedparser keeps it on each text's detail)."""
    detail = dict.get(entry, "title_detail")
    return None if detail is None else detail.get("language")


def _itunes_image(entry: Any) -> tuple[str, ...]:
    """An episode's `itunes:image href` (a show feed's entry image, issue 17)."""
    image = dict.get(entry, "image")
    return (image["href"],) if isinstance(image, dict) and image.get("href") else ()


def _detail(context: Any, name: str) -> tuple[str | None, str]:
    # feedparser keeps a `*_detail` only for an element that was there (RSS summary without
    # description is a copy of the content, with no detail).
    detail = dict.get(context, f"{name}_detail")
    if detail is None:
        return None, "text/plain"
    return detail.get("value", ""), detail.get("type", "text/plain")


def _instant(context: Any, name: str) -> tuple[int | None, str | None]:
    text = dict.get(context, name)
    parsed = dict.get(context, f"{name}_parsed")
    return (None if parsed is None else calendar.timegm(parsed)), text


def _author(context: Any) -> tuple[str, str | None] | None:
    detail = dict.get(context, "author_detail")
    if not detail:
        return None
    return detail.get("name") or "", detail.get("email")
