"""Discovery files: `index.html` (with autodiscovery links), `feeds.opml`, and one small HTML
page per feed, so a person who opens a feed URL in a browser sees something readable.

Pure functions from the plan to bytes. The pages are self-contained (inline CSS, no script,
no font or image from anywhere) and link each other by relative URLs, so they work the same
on the site, behind `feeds serve` and from a copy of the output folder. No XSLT: browsers are
dropping it.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from datetime import datetime, tzinfo
from html import escape

from feeds.config import Config
from feeds.dateformat import rfc822, rfc3339
from feeds.feedkinds import FeedKind
from feeds.layout import INDEX_PATH, MEDIA_TYPES, OPML_PATH
from feeds.plan import FeedSpec, SitePlan, feed_url

FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}

_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem;"
    "color:#222;background:#fff;overflow-wrap:break-word}"
    "h1{font-size:1.5rem;line-height:1.25;margin:.2rem 0 1rem}"
    "h2{font-size:1.15rem;margin:1.5rem 0 .5rem}a{color:#0645ad}"
    "ul{padding-left:1.2rem}li{margin:.5rem 0}.meta{color:#595959;font-size:.9rem}"
    ".note{background:#fff8e1;border:1px solid #f0d98c;padding:.6rem .8rem;border-radius:4px}"
    ".urls{list-style:none;padding:0}"
    ".urls code{display:block;background:#f3f3f3;padding:.3rem .5rem;border-radius:3px;"
    "overflow-wrap:anywhere;user-select:all}"
    ".formats a{display:inline-block;min-width:2.75rem;padding:.25rem .5rem .25rem 0}"
    "@media (prefers-color-scheme:dark){body{color:#ddd;background:#161616}a{color:#8ab4f8}"
    ".urls code{background:#2a2a2a}.note{background:#2b2611;border-color:#5c4f1c}"
    ".meta{color:#aaa}}"
)


# -- HTML ------------------------------------------------------------------------------------


def _page(config: Config, title: str, head_links: str, main: str, footer: str) -> bytes:
    """One HTML5 document: UTF-8, phone viewport, light and dark colours, no external asset."""
    text = (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(config.site.language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f"<title>{escape(title)}</title>\n{head_links}<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{main}</main>\n<footer>\n{footer}</footer>\n</body>\n</html>\n"
    )
    return text.encode("utf-8")


def _relative(from_path: str, to_path: str) -> str:
    """The URL of output file `to_path` as written in output file `from_path`.

    A feed page is also served at its feed's URL (content negotiation), which is in the same
    folder, so the same relative URL works there.
    """
    return escape(posixpath.relpath(to_path, posixpath.dirname(from_path) or "."))


def _alternate_links(config: Config, feed: FeedSpec, formats: tuple[str, ...]) -> str:
    """HTML autodiscovery: one <link rel="alternate" type=...> per format of the feed
    (the RSS Advisory Board's autodiscovery profile; JSON Feed 1.1 names its own type)."""
    return "".join(
        f'<link rel="alternate" type="{MEDIA_TYPES[fmt]}" '
        f'title="{escape(feed.title)} ({FORMAT_NAMES[fmt]})" '
        f'href="{escape(feed_url(config, feed.path(fmt)))}">\n'
        for fmt in formats
    )


def _feed_name(feed: FeedSpec) -> str:
    return "All articles" if feed.kind is FeedKind.SITE else feed.name


def _count(number: int) -> str:
    return f"{number} article{'' if number == 1 else 's'}"


_Children = dict[tuple[str, ...], list[FeedSpec]]


def _index_item(feed: FeedSpec, children: _Children, plan: SitePlan, config: Config) -> str:
    name = escape(_feed_name(feed))
    formats = " ".join(
        f'<a href="{escape(feed_url(config, feed.path(fmt)))}" type="{MEDIA_TYPES[fmt]}" '
        f'aria-label="{name} ({FORMAT_NAMES[fmt]})">{FORMAT_NAMES[fmt]}</a>'
        for fmt in plan.formats_of(feed)
    )
    below = children.get(feed.category.slugs, []) if feed.category is not None else []
    nested = "".join(_index_item(child, children, plan, config) for child in below)
    return (
        f'<li><a href="{_relative(INDEX_PATH, feed.page_path())}">{name}</a> '
        f'<span class="meta">{_count(feed.total)}</span><br>'
        f'<span class="formats">{formats}</span>'
        + (f"\n<ul>\n{nested}</ul>\n" if nested else "")
        + "</li>\n"
    )


_LISTED_APART = {FeedKind.TAG: "Tags", FeedKind.AUTHOR: "Authors"}


def render_index(plan: SitePlan, config: Config) -> bytes:
    """The site's feed directory: the site feed, then every category feed nested under its
    parent, each with its article count and a link per format."""
    children: _Children = defaultdict(list)
    top: list[FeedSpec] = []
    present = {feed.category.slugs for feed in plan.feeds if feed.category is not None}
    by_name: dict[FeedKind, list[FeedSpec]] = defaultdict(list)  # tag and author feeds
    by_language: dict[str, list[FeedSpec]] = defaultdict(list)
    for feed in plan.feeds:  # the plan lists categories sorted by slugs: parents first
        if feed.full_copy:  # a `both` feed's full text is for the aggregators given it
            continue
        if feed.language is not None:  # a language set: listed apart, flat (issue 16)
            by_language[feed.language].append(feed)
            continue
        if feed.kind in _LISTED_APART:
            by_name[feed.kind].append(feed)
        elif feed.category is not None and feed.category.slugs[:-1] in present:
            children[feed.category.slugs[:-1]].append(feed)
        else:  # the site feed and top-level categories
            top.append(feed)
    site = config.site
    items = "".join(_index_item(feed, children, plan, config) for feed in top)
    for kind, heading in _LISTED_APART.items():  # issue 16: a list of its own per kind
        if by_name[kind]:
            listed = "".join(_index_item(feed, children, plan, config) for feed in by_name[kind])
            items += f"</ul>\n<h2>{heading}</h2>\n<ul>\n{listed}"
    for language in plan.languages:
        listed = "".join(_index_item(feed, {}, plan, config) for feed in by_language[language])
        tag = escape(language)
        items += f'</ul>\n<h2 lang="{tag}">Feeds in {tag}</h2>\n<ul lang="{tag}">\n{listed}'
    opml = _relative(INDEX_PATH, OPML_PATH)
    main = (
        f"<h1>{escape(site.title)}: feeds</h1>\n"
        f"<p>{escape(site.description)}</p>\n"
        '<p class="note">Copy a feed address into your feed reader to follow new articles. '
        f'To follow every category at once, import <a href="{opml}" type="text/x-opml">'
        "the OPML list</a>.</p>\n"
        f"<ul>\n{items}</ul>\n"
    )
    footer = f'<p class="meta"><a href="{escape(site.url)}">{escape(site.url)}</a></p>\n'
    # rel="outline": the usual way to announce an OPML subscription list in a page head.
    head = _alternate_links(config, plan.feeds[0], plan.formats_of(plan.feeds[0])) + (
        f'<link rel="outline" type="text/x-opml" title="{escape(site.title)}: all feeds (OPML)" '
        f'href="{escape(feed_url(config, OPML_PATH))}">\n'
    )
    return _page(config, f"{site.title}: feeds", head, main, footer)


def _wrappable(url: str) -> str:
    """An escaped URL with <wbr> after each `/` past the `scheme://`, so a phone breaks a long
    address at a slash; <wbr> adds no text, so a copied address stays whole."""
    text = escape(url)
    start = text.find("://")
    start = start + 3 if start >= 0 else 0
    return text[:start] + text[start:].replace("/", "/<wbr>")


def _local(moment: datetime, zone: tzinfo) -> datetime:
    try:
        return moment.astimezone(zone)
    except OverflowError:  # the zone would take it past year 9999: show it as written
        return moment


def _time(moment: datetime, zone: tzinfo) -> str:
    """A <time> element: `2026-11-24 18:00 CET` in the site zone, RFC 3339 for machines."""
    local = _local(moment, zone)
    shown = (
        f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"
    )
    name = local.tzname()
    if name:
        shown += f" {name}"
    try:
        machine = rfc3339(local)
    except ValueError:  # a year RFC 3339 cannot write; the feeds refuse it too
        return escape(shown)
    return f'<time datetime="{machine}">{escape(shown)}</time>'


_NO_ENTRIES = "<li>No articles yet.</li>\n"


def render_feed_page(feed: FeedSpec, plan: SitePlan, config: Config) -> bytes:
    """What a browser shows for a feed: how to subscribe, and the newest entries."""
    here = feed.page_path()
    zone = config.site.tzinfo
    urls = "".join(
        f"<li>{FORMAT_NAMES[fmt]}: "
        f"<code>{_wrappable(feed_url(config, feed.path(fmt)))}</code></li>\n"
        for fmt in plan.formats_of(feed)
    )
    entries = "".join(
        f'<li><a href="{escape(article.link)}">{escape(article.title)}</a><br>'
        f'<span class="meta">{_time(article.published, zone)}</span></li>\n'
        for article in feed.entries
    )
    shown = len(feed.entries)
    extent = (
        f'<p class="meta">The feed carries the newest {shown} of {_count(feed.total)}.</p>\n'
        if feed.total > shown
        else ""
    )
    main = (
        f"<h1>{escape(feed.title)}</h1>\n<p>{escape(feed.description)}</p>\n"
        '<p class="note">This is a web feed. To follow it, copy one of these addresses into '
        "your feed reader (news reader, podcast app or RSS reader):</p>\n"
        f'<ul class="urls">\n{urls}</ul>\n'
        f"<h2>Newest articles</h2>\n{extent}"
        f"<ul>\n{entries or _NO_ENTRIES}</ul>\n"
    )
    footer = (
        f'<p class="meta"><a href="{_relative(here, INDEX_PATH)}">'
        f"All feeds of {escape(config.site.title)}</a> · "
        f'<a href="{escape(config.site.url)}">{escape(config.site.url)}</a></p>\n'
    )
    links = _alternate_links(config, feed, plan.formats_of(feed))
    translations = plan.translations(feed)
    if translations:  # HTML `hreflang`: the same feed in the other language sets (issue 16)
        links += "".join(
            f'<link rel="alternate" hreflang="{escape(lang)}" type="text/html" '
            f'href="{_relative(here, path)}">\n'
            for lang, path in translations
        )
        others = " · ".join(
            f'<a href="{_relative(here, path)}" hreflang="{escape(lang)}">'
            f"{'all languages' if lang == 'x-default' else escape(lang)}</a>"
            for lang, path in translations
        )
        main += f'<p class="meta">This feed in other languages: {others}</p>\n'
    return _page(config, feed.title, links, main, footer)


# -- OPML 2.0 --------------------------------------------------------------------------------


def _xml_attr(value: str) -> str:
    """An XML attribute value in double quotes. Tabs and line breaks become character
    references, which attribute-value normalisation (XML 1.0 §3.3.3) keeps."""
    text = escape(value, quote=True)
    return '"' + text.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;") + '"'


def _outline(feed: FeedSpec, plan: SitePlan, config: Config, language: str) -> str:
    """One feed's outline; `xmlUrl` is its first format there to link (RSS, Atom, JSON Feed)."""
    formats = plan.formats_of(feed)
    fmt = next((f for f in ("rss", "atom", "json") if f in formats), None)
    if fmt is None:
        return ""
    # OPML 2.0: version is `RSS` for RSS 0.91, 0.92 and 2.0; no value is defined for Atom
    # or JSON Feed, so it is left out for them.
    version = ' version="RSS"' if fmt == "rss" else ""
    return (
        f'    <outline type="rss" text={_xml_attr(feed.title)} title={_xml_attr(feed.title)} '
        f"description={_xml_attr(feed.description)} language={language}{version} "
        f"xmlUrl={_xml_attr(feed_url(config, feed.path(fmt)))} "
        f"htmlUrl={_xml_attr(feed.html_url)}/>\n"
    )


def render_opml(plan: SitePlan, config: Config) -> bytes:
    """OPML 2.0 subscription list, one `type="rss"` outline per feed, flat (readers import a
    flat list as one folder). OPML 2.0 "Subscription lists": `type`, `text` and `xmlUrl` are
    required; `title`, `description`, `language`, `version` and `htmlUrl` are optional and
    given. `xmlUrl` is the first configured XML format (RSS, else Atom, else JSON Feed)."""
    language = _xml_attr(config.site.language)
    # XML-escaped once: readers' OPML import shows `text`/`title` as plain text, so an
    # escaped-twice `Café &amp;amp; Bars` showed as `Café &amp; Bars` (issue 13).
    outlines = "".join(
        _outline(feed, plan, config, language) for feed in plan.feeds if not feed.full_copy
    )
    head = [f"    <title>{escape(config.site.title)}: all feeds</title>\n"]
    updated = plan.feeds[0].updated
    if updated is not None:
        # OPML 2.0 <dateModified>: an RFC 822 date-time; the newest entry's update, never now.
        try:
            modified = rfc822(_local(updated, config.site.tzinfo))
        except ValueError:  # a year RFC 822 cannot write; the feeds refuse it too
            modified = None
        if modified is not None:
            head.append(f"    <dateModified>{modified}</dateModified>\n")
    owner = config.site.author
    if owner is not None:
        head.append(f"    <ownerName>{escape(owner.name)}</ownerName>\n")
        if owner.email:
            head.append(f"    <ownerEmail>{escape(owner.email)}</ownerEmail>\n")
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n  <head>\n'
        f"{''.join(head)}  </head>\n  <body>\n{outlines}  </body>\n</opml>\n"
    )
    return text.encode("utf-8")


def render_pages(plan: SitePlan, config: Config) -> dict[str, bytes]:
    """Every discovery file of the site, by output path."""
    pages = {INDEX_PATH: render_index(plan, config), OPML_PATH: render_opml(plan, config)}
    for feed in plan.feeds:
        pages[feed.page_path()] = render_feed_page(feed, plan, config)
    return pages
