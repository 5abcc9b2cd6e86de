"""The discovery files of a build beside its feeds: the index, the feed pages, the OPML list
(rendered when their feed changed, checked before they are published) and the Google News
sitemap (issue 16). A file that fails its check is refused: the published version stays."""

from __future__ import annotations

import hashlib

from feeds.cache import BuildCache
from feeds.config import Config
from feeds.feedfiles import Rendered, render_changed_pages
from feeds.findings import Severity
from feeds.keys import page_fingerprints
from feeds.newssitemap import (
    NEWS_SITEMAP_PATH,
    check_news_sitemap,
    news_articles,
    render_news_sitemap,
)
from feeds.site import Prepared, advertised
from feeds.validate.pages import check_pages


def add_pages(
    config: Config, site: Prepared, rendered: Rendered, cache: BuildCache, validate: bool
) -> dict[str, str]:
    """The discovery pages' paths and fingerprints; those that changed go into
    `rendered.files`. They describe the plan without a feed that never got published."""
    if not config.feeds.pages:
        return {}
    shown = advertised(site.plan, set(rendered.refused), config.output_dir)
    pages = page_fingerprints(shown, rendered.fingerprints)
    files = render_changed_pages(shown, config, pages, cache)
    findings = check_pages(files, shown, config) if validate else []
    for path in sorted({f.file for f in findings if f.level is Severity.ERROR}):
        del files[path]  # refused: the published version stays, no state (redone next time)
        rendered.refused.append(path)
    rendered.findings.extend(findings)
    rendered.files.update(files)
    return pages


def add_news_sitemap(config: Config, site: Prepared, rendered: Rendered) -> dict[str, str]:
    """`news-sitemap.xml` with `feeds.news_sitemap` (its path and fingerprint, like a page),
    read back and checked before it goes into `rendered.files`; refused, it is not published
    (the version already published stays) and its findings are reported."""
    if not config.feeds.news_sitemap:
        return {}
    articles = news_articles(site.articles, config)
    data = render_news_sitemap(articles, config)
    findings = check_news_sitemap(data, articles, config)
    if findings:  # the published one stays (planned, so not removed; no state saved)
        rendered.findings.extend(findings)
        rendered.refused.append(NEWS_SITEMAP_PATH)
        return {NEWS_SITEMAP_PATH: ""}
    rendered.files[NEWS_SITEMAP_PATH] = data
    return {NEWS_SITEMAP_PATH: "news " + hashlib.sha256(data).hexdigest()}
