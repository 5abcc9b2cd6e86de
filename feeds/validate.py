"""Round trip: read the written bytes back as a feed reader does (feedparser, from bytes, with
sanitising and relative-URI resolution off, so neither hides a bug) and compare field by field
with the records they were rendered from. The only module that imports feedparser.

Compared (DEVELOPERS.md "Feed representation"): the entries' set and order; per entry id,
title, link, published and updated instants (instants, not strings; RSS carries the update
time as `atom:updated`), author, categories and tags, summary, content (HTML, white-space runs
collapsed), enclosure and image; per feed title, description, links (alternate, self and
`plan.extra_links`), Atom id, updated, language, author and the RFC 5005 archive marker.
Each difference is an error `RoundTrip` finding naming the entry and the field. Text is
compared as a reader shows it: an RSS text feedparser types as HTML is shown unescaped.
Where the bytes are right but feedparser's own heuristics change what its users see (C1
controls or Latin-1-looking UTF-8 taken for mojibake, RSS `email (name)` split by pattern,
an RSS title holding an entity reference taken for HTML) the finding is a warning
(`ReaderAltersText`, `TextLooksLikeHtml`), so one odd title does not unpublish a feed.
JSON Feed files are read with `json`, checked against JSON Feed 1.1's required fields and
types (`JsonFeed*` rules), then compared the same way.

Speed: an entry is parsed once, whatever number of feeds carry it. feedparser costs ~0.3 ms
per entry, and an article appears byte for byte in the site feed and in the feed of every
category on its path. So an RSS/Atom file is parsed whole by lxml (no entities, no network)
to prove it well-formed, then cut into its skeleton (everything but the entry elements) and
the entries' bytes. feedparser reads the skeleton every time. Each entry is memoised under
`memo_key` = SHA-1 of (feedparser version, the file's head, the entry's bytes), where the head
is the XML declaration and the root start tag (namespace declarations, xml:lang) and RSS
`<channel>`: pure bytes, so a build cache may keep the memo across builds. The entries not in
the memo are read by feedparser together in one envelope: the head, their bytes in file
order, the closing tags. So every written byte is read by feedparser, in the skeleton or as
an entry whose exact bytes were read in the same context; only the parse is memoised, and the
parsed entry is compared with its article every time. The cut is used only when unambiguous
(no comments, CDATA, DOCTYPE or processing instruction after the prolog, and lxml finds
exactly the entries the cut found); otherwise, or when the envelope does not parse into one
entry per piece, the whole file is parsed in one piece.
"""

from __future__ import annotations

import calendar
import contextlib
import hashlib
import html
import json
import re
import xml.sax.xmlreader
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax import expatreader

import feedparser
import feedparser.api
from lxml import etree

from feeds.config import Config
from feeds.dates import rfc3339
from feeds.findings import Finding, Severity
from feeds.jsonfeed import VERSION as JSON_FEED_VERSION
from feeds.jsonfeed import item_tags
from feeds.lint import lint_feed
from feeds.model import Article, Author
from feeds.plan import SUFFIXES, FeedSpec, SitePlan, extra_links
from feeds.render import (
    ContentFn,
    category_scheme,
    entry_author,
    feed_author,
    feed_description,
    feed_updated,
    self_url,
    shown,
    tag_scheme,
)

ATOM_NS = "http://www.w3.org/2005/Atom"
ROUND_TRIP = "RoundTrip"
_HTML_TYPES = ("text/html", "application/xhtml+xml")

# feedparser maps C1 code points to their Windows-1252 characters, as its `_cp1252` does.
_CP1252_UNDEFINED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_CP1252 = {c: bytes([c]).decode("cp1252") for c in range(0x80, 0xA0) if c not in _CP1252_UNDEFINED}


# -- what a reader sees ---------------------------------------------------------------------

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


EntryMemo = dict[bytes, EntryView]


@dataclass(slots=True)
class _Parsed:
    feed: FeedView
    entries: list[EntryView]
    lines: list[int | None]


# -- the front doors ------------------------------------------------------------------------


def check_round_trip(
    data: bytes,
    fmt: str,
    feed: FeedSpec,
    config: Config,
    content: ContentFn,
    *,
    file: str,
    memo: EntryMemo | None = None,
) -> list[Finding]:
    """Every difference between what a reader gets from `data` and what `feed` says.

    `memo` (keyed by `memo_key`) may be shared across feeds and builds; without one each
    entry is parsed here."""
    report = _Report(file)
    if fmt == "json":
        parsed = _parse_json(data, report)
    elif fmt in ("rss", "atom"):
        parsed = _parse_xml(data, fmt, report, {} if memo is None else memo)
    else:
        raise ValueError(f"unknown feed format {fmt!r}; use rss, atom or json")
    if parsed is not None:
        _compare_feed(parsed.feed, fmt, feed, config, report)
        _compare_entries(parsed, fmt, feed, config, content, report)
    return report.findings


def check_site(
    output_dir: Path,
    plan: SitePlan,
    config: Config,
    content: ContentFn,
    *,
    memo: EntryMemo | None = None,
    owned: Iterable[str] = (),
    fit: Callable[[FeedSpec, str], FeedSpec] | None = None,
) -> list[Finding]:
    """Site mode: every planned feed file exists, lints clean in strict mode and round-trips;
    a feed file under `output_dir/feeds/` that no planned feed (nor `owned`, paths relative
    to `output_dir` that other parts of the build write) accounts for is a `StrayFeed`.
    `fit` maps a planned feed and format to what the file should hold (the size budget)."""
    memo = {} if memo is None else memo
    cached: dict[str, Any] = {}

    def once(article: Article) -> Any:  # each article's content computed once per check
        if article.id not in cached:
            cached[article.id] = content(article)
        return cached[article.id]

    findings: list[Finding] = []
    jobs = [(feed, fmt) for feed in plan.feeds for fmt in plan.formats]
    for feed, fmt in jobs + list(plan.archive_jobs()):
        expected = feed if fit is None else fit(feed, fmt)
        findings.extend(_check_file(output_dir, expected, fmt, config, once, memo))
    planned = set(plan.paths()) | set(owned)
    for relative in _feed_files(output_dir):
        if relative not in planned:
            findings.append(
                Finding(
                    config.display_path(output_dir / relative),
                    "StrayFeed",
                    Severity.ERROR,
                    "no feed of the site owns this file (a removed category, or a format no "
                    "longer in feeds.formats); `feeds build` removes it",
                )
            )
    return findings


def _check_file(
    output_dir: Path,
    feed: FeedSpec,
    fmt: str,
    config: Config,
    content: ContentFn,
    memo: EntryMemo,
) -> list[Finding]:
    shown_path = config.display_path(output_dir / feed.path(fmt))
    try:
        data = (output_dir / feed.path(fmt)).read_bytes()
    except FileNotFoundError:
        message = (
            f"the {fmt} feed for {feed.key!r} ({feed.title}) is missing; "
            "run `feeds build` to write it"
        )
        return [Finding(shown_path, "MissingFeed", Severity.ERROR, message)]
    except OSError as error:
        message = f"cannot be read: {error.strerror}"
        return [Finding(shown_path, "Unreadable", Severity.ERROR, message)]
    findings = [] if fmt == "json" else lint_feed(data, shown_path, strict=True)
    return findings + check_round_trip(data, fmt, feed, config, content, file=shown_path, memo=memo)


def lint_json_feed(data: bytes, file: str) -> list[Finding]:
    """Lint mode for JSON Feed 1.1 files: the spec's required fields and value types."""
    report = _Report(file)
    _parse_json(data, report)
    return report.findings


def memo_key(head: bytes, entry: bytes) -> bytes:
    """The memo key of one entry's bytes in a document whose head is `head`."""
    digest = hashlib.sha1(_MEMO_SALT, usedforsecurity=False)
    digest.update(len(head).to_bytes(8, "big"))
    digest.update(head)
    digest.update(entry)
    return digest.digest()


_MEMO_SALT = f"feeds round trip 1; feedparser {feedparser.__version__}\0".encode()


def _feed_files(output_dir: Path) -> list[str]:
    root = output_dir / "feeds"
    if not root.is_dir():
        return []
    suffixes = tuple(SUFFIXES.values())
    return sorted(
        path.relative_to(output_dir).as_posix()
        for path in root.rglob("*")
        if path.name.endswith(suffixes) and not path.name.startswith(".") and path.is_file()
    )


# -- reading RSS and Atom -------------------------------------------------------------------

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


def _parse_xml(data: bytes, fmt: str, report: _Report, memo: EntryMemo) -> _Parsed | None:
    try:
        root = etree.fromstring(data, _SAFE_PARSER)
    except etree.XMLSyntaxError as error:
        report.add("NotWellFormed", f"not well-formed XML: {error.msg}", line=error.lineno)
        return None
    cut = _cut(data, fmt, root)
    if cut is not None:
        head, skeleton, pieces = cut
        whole = _feedparser(skeleton)
        keys = [memo_key(head, data[start:end]) for start, end, _line in pieces]
        if not whole.bozo and not whole.entries and _parse_new(data, fmt, head, pieces, keys, memo):
            return _Parsed(
                _feed_view(whole), [memo[key] for key in keys], [line for *_, line in pieces]
            )
    whole = _feedparser(data)  # the general path: one piece, no memo
    parsed = _Parsed(
        _feed_view(whole), [_entry_view(e) for e in whole.entries], [None] * len(whole.entries)
    )
    if parsed.feed.problem:
        report.add("NotWellFormed", f"feedparser: {parsed.feed.problem}")
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


def _feedparser(data: bytes) -> Any:
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
    parsed = _feedparser(head + b"".join(new.values()) + _TAIL[fmt])
    if parsed.bozo or len(parsed.entries) != len(new):
        return False
    for key, entry in zip(new, parsed.entries, strict=True):
        memo[key] = _entry_view(entry)
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
    )


def _entry_view(entry: Any) -> EntryView:
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
        ),
    )


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


# -- reading JSON Feed ----------------------------------------------------------------------

_STR, _LIST, _OBJ, _NUM, _BOOL = "a string", "an array", "an object", "a number", "true or false"
_JSON_TOP = {
    "version": _STR, "title": _STR, "home_page_url": _STR, "feed_url": _STR,
    "description": _STR, "user_comment": _STR, "next_url": _STR, "icon": _STR,
    "favicon": _STR, "authors": _LIST, "language": _STR, "expired": _BOOL, "hubs": _LIST,
    "items": _LIST,
}  # fmt: skip
_JSON_ITEM = {
    "id": _STR, "url": _STR, "external_url": _STR, "title": _STR, "content_html": _STR,
    "content_text": _STR, "summary": _STR, "image": _STR, "banner_image": _STR,
    "date_published": _STR, "date_modified": _STR, "authors": _LIST, "tags": _LIST,
    "language": _STR, "attachments": _LIST,
}  # fmt: skip
_JSON_AUTHOR = {"name": _STR, "url": _STR, "avatar": _STR}
_JSON_ATTACHMENT = {
    "url": _STR, "mime_type": _STR, "title": _STR, "size_in_bytes": _NUM,
    "duration_in_seconds": _NUM,
}  # fmt: skip
_JSON_HUB = {"type": _STR, "url": _STR}
_KINDS: Mapping[str, tuple[type, ...]] = {
    _STR: (str,),
    _LIST: (list,),
    _OBJ: (dict,),
    _NUM: (int, float),
    _BOOL: (bool,),
}


def _parse_json(data: bytes, report: _Report) -> _Parsed | None:
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        report.add("NotWellFormed", f"not UTF-8 (JSON Feed files are UTF-8): {error.reason}")
        return None
    except json.JSONDecodeError as error:
        report.add("NotWellFormed", f"not valid JSON: {error.msg}", line=error.lineno)
        return None
    if not _json_object(document, _JSON_TOP, "feed", report):
        return None
    if document.get("version") != JSON_FEED_VERSION:
        report.add(
            "JsonFeedBadVersion",
            f"`version` must be {JSON_FEED_VERSION!r}",
            field="version",
            expected=JSON_FEED_VERSION,
            found=str(document.get("version")),
        )
    for key in ("version", "title", "items"):  # JSON Feed 1.1: required at the top
        if key not in document:
            report.add("JsonFeedMissingField", f"the feed has no `{key}`", field=key)
    authors = _json_list(document, "authors", _JSON_AUTHOR, "feed", report)
    hubs = _json_list(document, "hubs", _JSON_HUB, "feed", report, required=("type", "url"))
    links = [
        (rel, _text(document, key)) for rel, key in (("alternate", "home_page_url"),
                                                     ("self", "feed_url"))
    ] + [("hub", _text(hub, "url")) for hub in hubs]  # fmt: skip
    feed_view = FeedView(
        title=_text(document, "title"),
        subtitle=_text(document, "description"),
        link=_text(document, "home_page_url"),
        links=frozenset((rel, href) for rel, href in links if href is not None),
        language=_text(document, "language"),
        author=_json_author(authors[0]) if authors else None,
    )
    items = document.get("items")
    entries = [
        _json_entry(item, f"items[{index}]", report)
        for index, item in enumerate(items if isinstance(items, list) else [])
        if _json_object(item, _JSON_ITEM, f"items[{index}]", report)
    ]
    return _Parsed(feed_view, entries, [None] * len(entries))


def _json_entry(item: dict[str, Any], where: str, report: _Report) -> EntryView:
    entry = _text(item, "id")
    if "id" not in item:
        report.add("JsonFeedMissingField", f"{where} has no `id`", field="id")
    if "content_html" not in item and "content_text" not in item:
        report.add(
            "JsonFeedMissingField",
            f"{where} has neither `content_html` nor `content_text` (one is required)",
            entry=entry,
            field="content_html",
        )
    authors = _json_list(item, "authors", _JSON_AUTHOR, where, report)
    attachments = _json_list(
        item, "attachments", _JSON_ATTACHMENT, where, report, required=("url", "mime_type")
    )
    tags = item["tags"] if isinstance(item.get("tags"), list) else []
    if not all(isinstance(tag, str) for tag in tags):
        report.add(
            "JsonFeedWrongType", f"{where}.tags must hold strings only", entry=entry, field="tags"
        )
    image = _text(item, "image")
    return EntryView(
        id=entry,
        title=_text(item, "title"),
        link=_text(item, "url"),
        published=_json_date(item, "date_published", where, report),
        published_text=_text(item, "date_published"),
        updated=_json_date(item, "date_modified", where, report),
        updated_text=_text(item, "date_modified"),
        author=_json_author(authors[0]) if authors else None,
        tags=tuple((str(tag), None, None) for tag in tags),
        summary=_text(item, "summary"),
        content=_text(item, "content_html"),
        enclosures=tuple(
            (
                str(attachment.get("url", "")),
                _text(attachment, "mime_type"),
                None
                if attachment.get("size_in_bytes") is None
                else str(attachment["size_in_bytes"]),
            )
            for attachment in attachments
        ),
        images=() if image is None else (image,),
    )


def _json_object(value: object, fields: Mapping[str, str], where: str, report: _Report) -> bool:
    if not isinstance(value, dict):
        report.add("JsonFeedWrongType", f"{where} must be an object")
        return False
    for key, kind in fields.items():
        if key in value and not _is(value[key], kind):
            report.add(
                "JsonFeedWrongType",
                f"{where}.{key} must be {kind}",
                field=key,
                entry=_text(value, "id") if where != "feed" else None,
            )
    return True


def _json_list(
    parent: dict[str, Any],
    key: str,
    fields: Mapping[str, str],
    where: str,
    report: _Report,
    required: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    value = parent.get(key)
    if not isinstance(value, list):
        return []
    found = []
    for index, element in enumerate(value):
        place = f"{where}.{key}[{index}]"
        if _json_object(element, fields, place, report):
            for name in required:
                if name not in element:
                    report.add("JsonFeedMissingField", f"{place} has no `{name}`", field=name)
            found.append(element)
    return found


def _is(value: object, kind: str) -> bool:
    if kind != _BOOL and isinstance(value, bool):
        return False
    return isinstance(value, _KINDS[kind])


def _json_author(author: dict[str, Any]) -> tuple[str, str | None]:
    url = author.get("url")
    email = url[len("mailto:") :] if isinstance(url, str) and url.startswith("mailto:") else None
    return str(author.get("name", "")), email


def _json_date(item: dict[str, Any], key: str, where: str, report: _Report) -> int | None:
    value = item.get(key)
    if not isinstance(value, str):
        return None
    # RFC 3339 §5.6 date-time: a full date, a time with seconds and an offset (or Z).
    if _RFC3339.fullmatch(value):
        with contextlib.suppress(ValueError, OverflowError):  # e.g. 30 February
            return int(datetime.fromisoformat(value.upper()).timestamp())
    report.add(
        "JsonFeedBadDate",
        f"{where}.{key} is not an RFC 3339 date-time",
        entry=_text(item, "id"),
        field=key,
        found=value,
    )
    return None


_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def _text(parent: dict[str, Any], key: str) -> str | None:
    """A string member; a member of another type was reported by `_json_object`."""
    value = parent.get(key)
    return value if isinstance(value, str) else None


# -- comparing ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Report:
    file: str
    findings: list[Finding] = field(default_factory=list)

    def add(
        self,
        rule: str,
        message: str,
        *,
        level: Severity = Severity.ERROR,
        line: int | None = None,
        entry: str | None = None,
        field: str | None = None,
        expected: str | None = None,
        found: str | None = None,
    ) -> None:
        self.findings.append(
            Finding(
                self.file,
                rule,
                level,
                message,
                line=line,
                entry=entry,
                field=field,
                expected=expected,
                found=found,
            )
        )


@dataclass(slots=True)
class _Where:
    """Where a comparison happens; `quirks`: the text was read by feedparser."""

    report: _Report
    entry: str | None
    line: int | None
    article: Article | None = None
    quirks: bool = True

    def differs(self, field: str, expected: str | None, found: str | None, what: str) -> None:
        against = f"the article ({self.article.source})" if self.article else "the plan"
        self.report.add(
            ROUND_TRIP,
            f"{what} in the file does not match {against}",
            line=self.line,
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
        self.report.add(
            rule,
            message + source,
            level=Severity.WARNING,
            line=self.line,
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


def _compare_feed(
    found: FeedView, fmt: str, feed: FeedSpec, config: Config, report: _Report
) -> None:
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
            shown(feed_updated(feed), config.site.tzinfo),
            found.updated,
            found.updated_text,
            "the feed's update time",
        )
    if found.language != config.site.language:
        where.differs("language", config.site.language, found.language, "the feed language")
    author = feed_author(config)
    want = _author_pair(author) if fmt != "rss" or author.email else None
    if found.author != want:
        # As for entries: written right, but feedparser's `email (name)` pattern misreads it
        # (a top-level domain over four letters), so only readers using feedparser differ.
        heuristic = (
            want is not None
            and fmt == "rss"
            and (
                found.author == _quirk_pair(want)
                or found.author_text in _quirked(_rss_author(author))
            )
        )
        (where.altered if heuristic else where.differs)(
            "author", _pair_text(want), _pair_text(found.author), "the feed author"
        )


def _compare_entries(
    parsed: _Parsed,
    fmt: str,
    feed: FeedSpec,
    config: Config,
    content: ContentFn,
    report: _Report,
) -> None:
    expected = {article.id: article for article in feed.entries}
    positions: dict[str, int] = {}  # id -> index of its first entry
    unknown: list[int] = []  # entries with no id, or an id no article of the feed has
    for index, view in enumerate(parsed.entries):
        if view.id is not None and view.id in positions:
            report.add(
                ROUND_TRIP,
                "the entry appears more than once",
                line=parsed.lines[index],
                entry=view.id,
                field="entry",
                expected="once",
                found="again",
            )
        elif view.id is not None and view.id in expected:
            positions[view.id] = index
        else:
            unknown.append(index)
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
                f"the entry for article {article.source} is missing",
                entry=article.id,
                field="entry",
                expected="present",
                found="missing",
            )
    for index in unknown:
        report.add(
            ROUND_TRIP,
            "an entry that no article of this feed accounts for"
            if parsed.entries[index].id is not None
            else f"entry {index + 1} has no id",
            line=parsed.lines[index],
            entry=parsed.entries[index].id,
            field="entry" if parsed.entries[index].id is not None else "id",
            expected="absent",
            found="present",
        )
    order_expected = [a.id for a in feed.entries if a.id in positions]
    order_found = sorted(order_expected, key=positions.__getitem__)
    for want, got in zip(order_expected, order_found, strict=True):
        if want != got:
            report.add(
                ROUND_TRIP,
                "entries are out of order (newest first, then id, is the feed's order)",
                line=parsed.lines[positions[got]],
                entry=got,
                field="order",
                expected=f"position {order_expected.index(got) + 1}",
                found=f"position {order_found.index(got) + 1}",
            )
    for article in feed.entries:
        if article.id in positions:
            index = positions[article.id]
            _compare_entry(
                parsed.entries[index], parsed.lines[index], article, fmt, config, content, report
            )
    for index, article in paired.items():
        view = parsed.entries[index]
        where = _Where(report, article.id, parsed.lines[index], article, quirks=fmt != "json")
        where.differs("id", article.id, view.id, "the entry id")
        _compare_entry(view, parsed.lines[index], article, fmt, config, content, report)


def _compare_entry(
    view: EntryView,
    line: int | None,
    article: Article,
    fmt: str,
    config: Config,
    content: ContentFn,
    report: _Report,
) -> None:
    where = _Where(report, article.id, line, article, quirks=fmt != "json")
    zone = config.site.tzinfo
    entry = content(article)
    where.text("title", article.title, view.title, view.title_type, "the title")
    if view.link != article.link:
        where.differs("link", article.link, view.link, "the link")
    where.instant(
        "published",
        shown(article.published, zone),
        view.published,
        view.published_text,
        "the publication time",
    )
    where.instant(
        "updated", shown(article.updated, zone), view.updated, view.updated_text, "the update time"
    )
    # Atom entries carry the feed author when the article names none (render.entry_author).
    author = entry_author(article, fmt, config)
    want_author = None if author is None else _author_pair(author)
    if view.author != want_author:
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
    want_tags = _expected_tags(article, fmt, config)
    if view.tags != want_tags:
        heuristic = where.quirks and view.tags == tuple(
            (_reader_quirks(term), scheme, _quirk_or_none(label))
            for term, scheme, label in want_tags
        )
        (where.altered if heuristic else where.differs)(
            "categories", _tags_text(want_tags), _tags_text(view.tags), "the categories and tags"
        )
    where.text("summary", entry.summary, view.summary, view.summary_type, "the summary")
    where.markup("content", entry.html, view.content, "the content HTML")
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
    if fmt == "atom":  # RFC 4287 §4.2.2: term = slug path, label = display path
        found: list[Tag] = [(c.term, categories, c.label) for c in article.categories]
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
