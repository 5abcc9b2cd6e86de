"""The Google News sitemap (issue 16, `feeds.news_sitemap: true`): `news-sitemap.xml` with
the newest articles, written and then read back and checked like the feeds.

Google's "News sitemap" rules: a `urlset` (Sitemaps 0.9) of at most 1,000 `url`s, each with
`loc` and `news:news` holding `news:publication` (`news:name`, `news:language`),
`news:publication_date` (W3C Datetime) and `news:title`, for articles of the last two days.
Bytes depend on the content only: the two days run back from the newest article's
publication time, never from the clock, so the same content gives the same file.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from feeds.config import Config
from feeds.dateformat import rfc3339
from feeds.feedkinds import feed_order
from feeds.findings import Finding, Severity
from feeds.model import Article

NEWS_SITEMAP_PATH = "news-sitemap.xml"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
MAX_URLS = 1000
WINDOW = timedelta(days=2)
RULE = "NewsSitemap"


def news_articles(articles: Iterable[Article], config: Config) -> list[Article]:
    """The articles the sitemap lists: those feeds hold, published within two days of the
    newest, newest first, at most 1,000."""
    ordered = feed_order(articles, config)
    if not ordered:
        return []
    start = ordered[0].published - WINDOW
    return [a for a in ordered if a.published >= start][:MAX_URLS]


def news_language(article: Article, config: Config) -> str:
    """Google's `news:language`: an ISO 639 code, `zh-cn`/`zh-tw` for Chinese scripts."""
    tag = (article.lang or config.site.language).lower()
    if tag.startswith("zh-"):
        return "zh-tw" if "hant" in tag or tag.endswith("-tw") else "zh-cn"
    return tag.split("-")[0]


def render_news_sitemap(articles: list[Article], config: Config) -> bytes:
    """The sitemap's bytes for `news_articles(...)` (UTF-8, deterministic)."""
    name = escape(config.site.title)
    urls = "".join(
        f"  <url>\n    <loc>{escape(a.link)}</loc>\n    <news:news>\n"
        f"      <news:publication>\n        <news:name>{name}</news:name>\n"
        f"        <news:language>{escape(news_language(a, config))}</news:language>\n"
        f"      </news:publication>\n"
        f"      <news:publication_date>{rfc3339(a.published)}</news:publication_date>\n"
        f"      <news:title>{escape(a.title)}</news:title>\n    </news:news>\n  </url>\n"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<urlset xmlns={quoteattr(SITEMAP_NS)} xmlns:news={quoteattr(NEWS_NS)}>\n"
        f"{urls}</urlset>\n"
    ).encode()


def check_news_sitemap(data: bytes, articles: list[Article], config: Config) -> list[Finding]:
    """Read the written bytes back (a safe parse) and compare each URL with its article:
    every difference, or a breach of Google's rules, is an error naming the URL."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        return [_error(f"is not well-formed XML: {error}")]
    if root.tag != f"{{{SITEMAP_NS}}}urlset":
        return [_error(f"the root element is {root.tag}, not the Sitemaps 0.9 urlset")]
    found = [_read_url(url) for url in root.findall(f"{{{SITEMAP_NS}}}url")]
    findings = []
    if len(found) > MAX_URLS:
        findings.append(_error(f"lists {len(found):,} URLs; Google reads at most {MAX_URLS:,}"))
    want = [
        (
            a.link,
            config.site.title,
            news_language(a, config),
            a.published.replace(microsecond=0),
            a.title,
        )
        for a in articles
    ]
    for index, (got, expected) in enumerate(zip(found, want, strict=False)):
        if got != expected:
            findings.append(
                _error(f"URL {index + 1} reads back as {got!r}, not {expected!r}", expected[0])
            )
    if len(found) != len(want):
        findings.append(_error(f"holds {len(found)} URLs where {len(want)} were written"))
    return findings


def _read_url(url: etree._Element) -> tuple[object, ...]:
    news = f"{{{NEWS_NS}}}"
    date_text = url.findtext(f"{news}news/{news}publication_date") or ""
    try:
        published: datetime | None = datetime.fromisoformat(date_text)
    except ValueError:
        published = None
    return (
        url.findtext(f"{{{SITEMAP_NS}}}loc"),
        url.findtext(f"{news}news/{news}publication/{news}name"),
        url.findtext(f"{news}news/{news}publication/{news}language"),
        published,
        url.findtext(f"{news}news/{news}title"),
    )


def _error(message: str, entry: str | None = None) -> Finding:
    return Finding(NEWS_SITEMAP_PATH, RULE, Severity.ERROR, message, entry=entry)
