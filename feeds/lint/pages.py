"""The discovery files a build publishes beside its feeds (issue 11): the HTML pages and the
OPML list are checked like the feeds before they go live. A page must parse without errors
(HTML Living Standard §13.2 parse errors, as libxml2 reports them), every link in it must
resolve to a valid URL (RFC 3986), and a link into the site's feeds must name a published
feed or page; an OPML outline's `xmlUrl` must be a published feed (OPML 2.0).
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urljoin, urlsplit

from lxml import etree

from feeds.findings import Finding
from feeds.layout import FEEDS_DIR, INDEX_PATH, MANAGED_SUFFIXES, OPML_PATH
from feeds.lint.report import Report
from feeds.lint.tree import line_of
from feeds.lint.urls import is_web_url

# libxml2's HTML parser predates HTML5: tags it does not know are not errors in HTML5.
_NOT_ERRORS = frozenset({"HTML_UNKNOWN_TAG"})
_LINKS = (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"))


def lint_page(
    data: bytes, file: str, page_url: str, files_url: str, published: Collection[str]
) -> list[Finding]:
    """Every finding for one HTML page the build wrote at `page_url`. A link to one of the
    files the build manages below `files_url` (feeds, feed pages, the index, the OPML list)
    must be in `published`; links elsewhere (articles, the home page) must only be valid."""
    report = Report(file=file, strict=True)
    parser = etree.HTMLParser(recover=True, no_network=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.LxmlError as error:  # empty or undecodable document
        report.add("PageNotWellFormed", None, f"the page does not parse as HTML: {error}")
        return report.findings
    for problem in parser.error_log:
        if problem.type_name not in _NOT_ERRORS:
            report.add("PageNotWellFormed", problem.line, problem.message.strip())
    if root is None:
        return report.findings
    for tag, attribute in _LINKS:
        for element in root.iter(tag):
            value = element.get(attribute)
            if value is not None:
                _check_link(element, value, page_url, files_url, published, report)
    return report.findings


def _check_link(
    element: etree._Element,
    value: str,
    page_url: str,
    files_url: str,
    published: Collection[str],
    report: Report,
) -> None:
    line = line_of(element)
    try:
        url = urljoin(page_url, value)
        urlsplit(url).port  # noqa: B018  (a bad port raises)
    except ValueError:
        url = ""
    if not is_web_url(url):
        report.add("InvalidPageLink", line, f"{element.tag} {value!r} is not a valid http(s) URL")
        return
    target = url.split("#", 1)[0]
    if is_managed_url(target, files_url) and target not in published:
        report.add(
            "UnpublishedLink",
            line,
            f"{element.tag} links to {url!r}, which this build does not publish; readers "
            "following it get 404",
        )


def is_managed_url(url: str, files_url: str) -> bool:
    """True for the URL of a file the build manages in the output folder at `files_url`."""
    if not url.startswith(files_url):
        return False
    relative = url[len(files_url) :].split("?", 1)[0]
    if relative in (INDEX_PATH, OPML_PATH):
        return True
    return relative.startswith(FEEDS_DIR + "/") and relative.endswith(MANAGED_SUFFIXES)


def lint_opml_links(
    root: etree._Element, file: str, files_url: str, published: Collection[str]
) -> list[Finding]:
    """An outline's `xmlUrl` or `htmlUrl` naming a file the build manages must be one this
    build publishes."""
    report = Report(file=file, strict=True)
    for outline in root.iter("outline"):
        for attribute in ("xmlUrl", "htmlUrl"):
            url = outline.get(attribute)
            if url is not None and is_managed_url(url, files_url) and url not in published:
                report.add(
                    "UnpublishedLink",
                    line_of(outline),
                    f"outline {attribute} {url!r} is not a file this build publishes; "
                    "subscribers importing the list would get 404",
                )
    return report.findings
