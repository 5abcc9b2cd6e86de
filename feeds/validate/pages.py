"""The discovery files of a build checked before they are published (issue 11), as the feeds
are: every HTML page and the OPML list well-formed, every link a valid URL, no link to a feed
or page the build does not publish. A page with an error is not published; the version
already published stays."""

from __future__ import annotations

from collections.abc import Mapping

from feeds.config import Config
from feeds.findings import Finding
from feeds.layout import INDEX_PATH, OPML_PATH
from feeds.lint import lint_feed
from feeds.lint.document import parse
from feeds.lint.pages import lint_opml_links, lint_page
from feeds.plan import SitePlan, feed_url


def published_urls(plan: SitePlan, config: Config) -> frozenset[str]:
    """The URLs of every file the build publishes for `plan`: feeds, archives, pages."""
    paths = [p for p in plan.paths() if p not in plan.unpublished]
    if config.feeds.pages:
        paths += [INDEX_PATH, OPML_PATH, *(feed.page_path() for feed in plan.feeds)]
    return frozenset(feed_url(config, path) for path in paths)


def check_pages(files: Mapping[str, bytes], plan: SitePlan, config: Config) -> list[Finding]:
    """Every finding for the discovery files in `files` (path -> bytes) of `plan`."""
    published = published_urls(plan, config)
    base = feed_url(config, "")
    findings: list[Finding] = []
    for path, data in files.items():
        if path == OPML_PATH:
            findings += [f for f in lint_feed(data, path, strict=True) if not _name_as_text(f)]
            root, _ = parse(data)
            if root is not None:
                findings += lint_opml_links(root, path, base, published)
        else:
            findings += lint_page(data, path, feed_url(config, path), base, published)
    return findings


_MARKUP_RULES = frozenset({"SecurityRisk", "SecurityRiskAttr", "SecurityRiskURL", "ContainsHTML"})


def _name_as_text(finding: Finding) -> bool:
    """A site or category name that looks like markup (`<script>`) in an outline's text:
    the OPML list carries names as escaped plain text, as the feeds' titles do, so the
    markup-in-text rules are lint advice here, not a reason to hold the list back."""
    return finding.rule in _MARKUP_RULES and (finding.field or "").startswith("outline@")
