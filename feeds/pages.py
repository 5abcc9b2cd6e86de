"""Discovery files: `index.html` (with autodiscovery links), `feeds.opml`, and one small HTML
page per feed, so a person who opens a feed URL in a browser sees something readable.

Pure functions from the plan to bytes; no external assets (a phone on a slow link gets one
small self-contained page). No XSLT: browsers are dropping it.
"""

from __future__ import annotations

from html import escape
from xml.sax.saxutils import quoteattr

from feeds.config import Config
from feeds.dates import rfc822
from feeds.plan import MEDIA_TYPES, FeedSpec, SitePlan, feed_url

INDEX_PATH = "index.html"
OPML_PATH = "feeds.opml"
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}

_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem;"
    "color:#222;background:#fff}h1{font-size:1.5rem;margin:.2rem 0 1rem}"
    "h2{font-size:1.15rem;margin:1.5rem 0 .5rem}a{color:#0645ad}"
    "code{background:#f3f3f3;padding:.1rem .3rem;border-radius:3px;word-break:break-all}"
    "ul{padding-left:1.2rem}li{margin:.35rem 0}.meta{color:#666;font-size:.9rem}"
    ".note{background:#fff8e1;border:1px solid #f0d98c;padding:.6rem .8rem;border-radius:4px}"
    "@media (prefers-color-scheme:dark){body{color:#ddd;background:#161616}a{color:#8ab4f8}"
    "code{background:#2a2a2a}.note{background:#2b2611;border-color:#5c4f1c}.meta{color:#aaa}}"
)


def _page(config: Config, title: str, head_links: str, body: str) -> bytes:
    text = (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(config.site.language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n{head_links}<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n{body}</body>\n</html>\n"
    )
    return text.encode("utf-8")


def _alternate_links(config: Config, feed: FeedSpec, formats: tuple[str, ...]) -> str:
    """HTML autodiscovery: one <link rel="alternate"> per format of the feed."""
    return "".join(
        f'<link rel="alternate" type="{MEDIA_TYPES[fmt]}" '
        f'title="{escape(feed.title)} ({FORMAT_NAMES[fmt]})" '
        f'href="{escape(feed_url(config, feed.path(fmt)))}">\n'
        for fmt in formats
    )


def _format_links(config: Config, feed: FeedSpec, formats: tuple[str, ...]) -> str:
    return " · ".join(
        f'<a href="{escape(feed_url(config, feed.path(fmt)))}" '
        f'type="{MEDIA_TYPES[fmt]}">{FORMAT_NAMES[fmt]}</a>'
        for fmt in formats
    )


def render_index(plan: SitePlan, config: Config) -> bytes:
    """The site's feed directory: every feed with its formats and article count."""
    site = plan.feeds[0]
    rows = []
    for feed in plan.feeds:
        name = "All articles" if feed.category is None else feed.category.label
        depth = 0 if feed.category is None else len(feed.category.slugs)
        page = escape(feed_url(config, feed.page_path()))
        rows.append(
            f'<li style="margin-left:{max(depth - 1, 0) * 1.2}rem">'
            f'<a href="{page}">{escape(name)}</a> '
            f'<span class="meta">{feed.total} article{"s" if feed.total != 1 else ""}</span>'
            f"<br>{_format_links(config, feed, plan.formats)}</li>\n"
        )
    opml = escape(feed_url(config, OPML_PATH))
    body = (
        f"<h1>{escape(config.site.title)}: feeds</h1>\n"
        f"<p>{escape(config.site.description)}</p>\n"
        '<p class="note">Copy a feed address into your feed reader to follow new articles. '
        f'To follow every category at once, import <a href="{opml}">the OPML list</a>.</p>\n'
        f"<ul>\n{''.join(rows)}</ul>\n"
        f'<p class="meta"><a href="{escape(config.site.url)}">{escape(config.site.url)}</a></p>\n'
    )
    opml_link = f'<link rel="outline" type="text/x-opml" title="All feeds (OPML)" href="{opml}">\n'
    return _page(
        config,
        f"{config.site.title}: feeds",
        _alternate_links(config, site, plan.formats) + opml_link,
        body,
    )


def render_feed_page(feed: FeedSpec, plan: SitePlan, config: Config) -> bytes:
    """What a browser shows for a feed: how to subscribe, and the newest entries."""
    urls = "".join(
        f"<li>{FORMAT_NAMES[fmt]}: <code>{escape(feed_url(config, feed.path(fmt)))}</code></li>\n"
        for fmt in plan.formats
    )
    entries = "".join(
        f'<li><a href="{escape(article.link)}">{escape(article.title)}</a><br>'
        f'<span class="meta"><time datetime="{article.published.isoformat()}">'
        f"{escape(rfc822(article.published))}</time></span></li>\n"
        for article in feed.entries
    )
    index = escape(feed_url(config, INDEX_PATH))
    body = (
        f"<h1>{escape(feed.title)}</h1>\n<p>{escape(feed.description)}</p>\n"
        '<p class="note">This is a web feed. To follow it, copy one of these addresses into '
        "your feed reader (news reader, podcast app or RSS reader):</p>\n"
        f"<ul>\n{urls}</ul>\n"
        f"<h2>Newest articles</h2>\n<ul>\n{entries or '<li>No articles yet.</li>'}</ul>\n"
        f'<p class="meta"><a href="{index}">All feeds of {escape(config.site.title)}</a></p>\n'
    )
    return _page(config, feed.title, _alternate_links(config, feed, plan.formats), body)


def render_opml(plan: SitePlan, config: Config) -> bytes:
    """OPML 2.0 subscription list: one outline per feed (type, text, xmlUrl required;
    htmlUrl and title added), in the first configured XML format."""
    fmt = next((f for f in plan.formats if f != "json"), plan.formats[0])
    outlines = "".join(
        f'    <outline type="rss" version={quoteattr(_opml_version(fmt))} '
        f"text={quoteattr(feed.title)} title={quoteattr(feed.title)} "
        f"xmlUrl={quoteattr(feed_url(config, feed.path(fmt)))} "
        f"htmlUrl={quoteattr(feed.html_url)}/>\n"
        for feed in plan.feeds
    )
    updated = plan.feeds[0].updated
    modified = f"    <dateModified>{rfc822(updated)}</dateModified>\n" if updated else ""
    owner = config.site.author
    owner_lines = ""
    if owner is not None:
        owner_lines = f"    <ownerName>{escape(owner.name)}</ownerName>\n"
        if owner.email:
            owner_lines += f"    <ownerEmail>{escape(owner.email)}</ownerEmail>\n"
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n  <head>\n'
        f"    <title>{escape(config.site.title)}: all feeds</title>\n{modified}{owner_lines}"
        "  </head>\n  <body>\n"
        f"{outlines}  </body>\n</opml>\n"
    )
    return text.encode("utf-8")


def _opml_version(fmt: str) -> str:
    return {"rss": "RSS2", "atom": "ATOM1", "json": "JSONFEED1.1"}[fmt]


def render_pages(plan: SitePlan, config: Config) -> dict[str, bytes]:
    """Every discovery file of the site, by output path."""
    pages = {INDEX_PATH: render_index(plan, config), OPML_PATH: render_opml(plan, config)}
    for feed in plan.feeds:
        pages[feed.page_path()] = render_feed_page(feed, plan, config)
    return pages
