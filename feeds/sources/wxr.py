"""WordPress exports (WXR, `.xml` with the `wp:` namespace; issue 18): every post as a record.

WXR is RSS 2.0 plus WordPress's namespaces (export 1.0-1.2). Read: posts (`wp:post_type`
post), published or scheduled (`wp:status` publish, future) and the others as drafts; pages,
menu items and attachments are not articles. Per post: `title`, `link`, the old `guid`
(`https://example.org/?p=123`) kept as the id so subscribers see no duplicates,
`wp:post_date_gmt` (UTC; `wp:post_date` in the site zone when the GMT one is unset),
categories with their parents (`Parent: Child`), tags, the author's display name and email
(`wp:author`), `content:encoded` (HTML, paragraphs as WordPress's wpautop makes them) and
`excerpt:encoded`; an audio or video attachment of the post as its enclosure, its featured
image (`_thumbnail_id`) as its image. Parsed with lxml without entities, DTDs or network.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass

from lxml import etree

from feeds.model import BodyFormat, Level, Problem, RawRecord, ReadResult, shorten

_WP = re.compile(r"^http://wordpress\.org/export/1\.[0-9]+/$")
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
_UNSET = "0000-00-00 00:00:00"
_PUBLISHED = ("publish", "future")  # future: scheduled, published at its date
_BLOCK = re.compile(
    r"^\s*<(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|figure|hr|!--)[\s>/]", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class _Export:
    wp: str  # the `wp:` namespace, as braces for lxml
    excerpt: str
    categories: dict[str, tuple[str, str]]  # nicename -> (name, parent nicename)
    authors: dict[str, dict[str, str]]  # login -> {name, email}
    attachments: dict[str, list[tuple[str, str]]]  # post id -> [(url, type)]
    urls: dict[str, str]  # attachment id -> url


def read_wxr(source: str, data: bytes) -> ReadResult:
    """The posts of a WordPress export; a file that does not parse is one problem; a file
    without the WXR namespace is not an export (a warning: it is skipped)."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno else None
        return ReadResult(problems=(Problem(
            source, "file", None if line is None else f"line {line}",
            f"is not well-formed XML ({error.msg}); export it again from WordPress "
            "(Tools > Export) or fix the line",
        ),))  # fmt: skip
    wp = next((f"{{{uri}}}" for uri in (root.nsmap or {}).values() if uri and _WP.match(uri)), None)
    channel = root.find("channel")
    if wp is None or channel is None:
        return ReadResult(problems=(Problem(
            source, "file", None,
            "is an XML file but not a WordPress export (no wp: namespace of "
            "http://wordpress.org/export/1.x/); it is skipped: move it out of content_dir or "
            "exclude it with content.exclude", Level.WARNING,
        ),))  # fmt: skip
    export = _export_of(channel, wp)
    records: list[RawRecord] = []
    problems: list[Problem] = []
    for item in channel.iterfind("item"):
        if _text(item, wp + "post_type") != "post":
            continue  # pages, attachments, menu items: not articles
        made = _post(source, item, export)
        if isinstance(made, Problem):
            problems.append(made)
        else:
            records.append(made)
    return ReadResult(tuple(records), tuple(problems))


def _export_of(channel: etree._Element, wp: str) -> _Export:
    excerpt = wp.replace("/}", "/excerpt/}")
    categories = {
        _text(c, wp + "category_nicename"): (
            _text(c, wp + "cat_name"),
            _text(c, wp + "category_parent"),
        )
        for c in channel.iterfind(wp + "category")
    }
    authors = {
        _text(a, wp + "author_login"): {
            "name": _text(a, wp + "author_display_name") or _text(a, wp + "author_login"),
            "email": _text(a, wp + "author_email"),
        }
        for a in channel.iterfind(wp + "author")
    }
    attachments: dict[str, list[tuple[str, str]]] = {}
    urls: dict[str, str] = {}
    for item in channel.iterfind("item"):
        if _text(item, wp + "post_type") != "attachment":
            continue
        url = _text(item, wp + "attachment_url")
        mime = mimetypes.guess_type(url.split("?", 1)[0])[0] or ""
        urls[_text(item, wp + "post_id")] = url
        parent = _text(item, wp + "post_parent")
        if url and parent and parent != "0":
            attachments.setdefault(parent, []).append((url, mime))
    return _Export(wp, excerpt, categories, authors, attachments, urls)


def _post(source: str, item: etree._Element, export: _Export) -> RawRecord | Problem:
    wp = export.wp
    post_id = _text(item, wp + "post_id")
    where = f"{source}#post-{post_id or '?'}"
    fields: dict[str, object] = {}
    title = _text(item, "title")
    if title:
        fields["title"] = title
    gmt, local = _text(item, wp + "post_date_gmt"), _text(item, wp + "post_date")
    if gmt and gmt != _UNSET:
        fields["date"] = gmt.replace(" ", "T") + "Z"  # wp:post_date_gmt is UTC
    elif local and local != _UNSET:
        fields["date"] = local  # the blog's local time: the site zone
    guid = _text(item, "guid")
    if guid:
        fields["id"] = guid  # the old RSS guid, `?p=123`: no duplicates for subscribers
    elif post_id:
        fields["id"] = f"wordpress-post-{post_id}"
    link = _text(item, "link")
    if link:
        fields["link"] = link
    slug = _text(item, wp + "post_name")
    fields["slug"] = slug or f"post-{post_id}"
    if _text(item, wp + "status") not in _PUBLISHED:
        fields["draft"] = True  # draft, pending, private, trash: never published
    categories, tags = _terms(item, export)
    if categories:
        fields["categories"] = categories
    if tags:
        fields["tags"] = tags
    author = export.authors.get(_text(item, _DC_CREATOR))
    if author is not None:
        fields["author"] = {k: v for k, v in author.items() if v}
    elif _text(item, _DC_CREATOR):
        fields["author"] = _text(item, _DC_CREATOR)
    summary = _text(item, export.excerpt + "encoded")
    if summary.strip():
        fields["summary"] = summary
    media = [
        (url, mime)
        for url, mime in export.attachments.get(post_id, ())
        if mime.split("/")[0] in ("audio", "video")
    ]
    if media:
        fields["enclosure"] = {"url": media[0][0], "type": media[0][1], "length": 0}
    thumbnail = _meta(item, wp, "_thumbnail_id")
    if thumbnail and thumbnail in export.urls:
        fields["image"] = export.urls[thumbnail]
    if post_id and not post_id.isdigit():
        return Problem(
            where, "wp:post_id", shorten(post_id), "is not a number; export the site again"
        )
    return RawRecord(where, fields, autop(_text(item, _CONTENT)), BodyFormat.HTML, None)


def _terms(item: etree._Element, export: _Export) -> tuple[list[str], list[str]]:
    categories: list[str] = []
    tags: list[str] = []
    for term in item.iterfind("category"):
        name = (term.text or "").strip()
        domain, nicename = term.get("domain"), term.get("nicename", "")
        if domain == "post_tag" and name:
            tags.append(name)
        elif domain == "category" and name:
            categories.append(": ".join(_lineage(nicename, name, export.categories)))
    return categories, tags


def _lineage(nicename: str, name: str, known: dict[str, tuple[str, str]]) -> list[str]:
    """The category's names, root first, through `wp:category_parent` (cycles cut)."""
    names = [name]
    seen = {nicename}
    parent = known.get(nicename, (name, ""))[1]
    while parent and parent not in seen and parent in known:
        seen.add(parent)
        parent_name, parent = known[parent]
        names.insert(0, parent_name)
    return names


def _meta(item: etree._Element, wp: str, key: str) -> str:
    for meta in item.iterfind(wp + "postmeta"):
        if _text(meta, wp + "meta_key") == key:
            return _text(meta, wp + "meta_value")
    return ""


def _text(element: etree._Element, tag: str) -> str:
    found = element.find(tag)
    return "" if found is None or found.text is None else found.text.strip()


def autop(html: str) -> str:
    """Paragraphs as WordPress's wpautop makes them when a post is shown: text separated by
    blank lines becomes `<p>`s, single line breaks `<br />`; block elements stay as written."""
    chunks = [c.strip() for c in re.split(r"\n\s*\n", html.replace("\r\n", "\n")) if c.strip()]
    out = []
    for chunk in chunks:
        if _BLOCK.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br />\n") + "</p>")
    return "\n".join(out)
