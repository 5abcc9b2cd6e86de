"""Everything published is validated (issue 11): the HTML pages and the OPML list a build
writes are checked like its feeds before they go live. A page with an error is not
published (the version already published stays), the build exits 1 naming it, and the next
good build writes it. The pages and lists below are written by hand, as a broken renderer or
template could write them."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from sites import NOW, Site

import feeds.feedfiles
import feeds.pages
from feeds.cli import cli
from feeds.lint.pages import lint_opml_links, lint_page

FILES = "https://news.example.org/"
PAGE = FILES + "feeds/all.html"
PUBLISHED = frozenset({FILES + "feeds/all.rss.xml", FILES + "feeds/all.html", FILES + "index.html"})


def _page(body: str) -> bytes:
    head = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
    return f"{head}<body><main>{body}</main></body></html>".encode()


def _rules(data: bytes) -> list[tuple[str, str]]:
    return [
        (f.rule, f.level.value) for f in lint_page(data, "feeds/all.html", PAGE, FILES, PUBLISHED)
    ]


def test_a_good_page_with_relative_and_outside_links_has_no_finding() -> None:
    body = (
        '<a href="all.rss.xml" type="application/rss+xml">RSS</a> '
        '<a href="../index.html">all feeds</a> <a href="https://news.example.org/2026/a.html">'
        'an article</a> <a href="https://elsewhere.example.com/">elsewhere</a>'
    )
    assert _rules(_page(body)) == []


@pytest.mark.parametrize(
    "body",
    ["<p>one <b>two</p>", "<p>text</i></p>", "<table><tr><td>x</table></p>"],
    ids=["overlapping", "stray-end-tag", "end-tag-after-table"],
)
def test_a_page_with_parse_errors_is_refused(body: str) -> None:
    assert ("PageNotWellFormed", "error") in _rules(_page(body))


@pytest.mark.parametrize(
    "href",
    [
        "https://news example.org/feeds/all.rss.xml",
        "https://news.example.org:99999/feeds/all.rss.xml",
        "javascript:alert(1)",
        "https://[::1/feeds/all.rss.xml",
    ],
    ids=["space-in-host", "bad-port", "javascript", "broken-ipv6"],
)
def test_a_link_that_is_not_a_valid_web_url_is_refused(href: str) -> None:
    assert _rules(_page(f'<a href="{href}">x</a>')) == [("InvalidPageLink", "error")]


@pytest.mark.parametrize(
    "href",
    ["category/gone.rss.xml", "https://news.example.org/feeds/category/gone.atom.xml",
     "category/gone.html", "../feeds.opml"],
)  # fmt: skip
def test_a_link_to_a_feed_or_page_the_build_does_not_publish_is_refused(href: str) -> None:
    assert _rules(_page(f'<a href="{href}">x</a>')) == [("UnpublishedLink", "error")]


def test_an_alternate_link_in_the_head_is_checked_too() -> None:
    data = _page("").replace(
        b"</head>", b'<link rel="alternate" type="application/atom+xml" href="all.atom.xml"></head>'
    )
    assert _rules(data) == [("UnpublishedLink", "error")]


def _opml(*urls: str) -> etree._Element:
    outlines = "".join(f'<outline type="rss" text="x" xmlUrl="{url}"/>' for url in urls)
    return etree.fromstring(f'<opml version="2.0"><head/><body>{outlines}</body></opml>')


def test_an_opml_outline_must_name_a_published_feed() -> None:
    root = _opml(FILES + "feeds/all.rss.xml", FILES + "feeds/category/gone.rss.xml")
    findings = lint_opml_links(root, "feeds.opml", FILES, PUBLISHED)
    assert [(f.rule, f.line) for f in findings] == [("UnpublishedLink", 1)]
    assert "feeds/category/gone.rss.xml" in findings[0].message


def test_an_opml_outline_to_another_site_is_not_ours_to_check() -> None:
    root = _opml("https://elsewhere.example.com/feed.xml")
    assert lint_opml_links(root, "feeds.opml", FILES, PUBLISHED) == []


# The build: a renderer that writes a broken page for one category.
BROKEN = "feeds/category/phones.html"


def _break_phones(monkeypatch: pytest.MonkeyPatch) -> None:
    real: Callable[..., bytes] = feeds.pages.render_feed_page

    def broken(feed: object, plan: object, config: object) -> bytes:
        data = real(feed, plan, config)
        if feed.page_path() == BROKEN:  # type: ignore[attr-defined]
            return data.replace(b"<main>", b"<main><p><b>unclosed</p>", 1)
        return data

    monkeypatch.setattr(feeds.pages, "render_feed_page", broken)
    monkeypatch.setattr(feeds.feedfiles, "render_feed_page", broken)


def _build(site: Site) -> tuple[int, str]:
    arguments = ["build", "--config", str(site.root / "config.yaml"), "--now", NOW.isoformat()]
    result = CliRunner().invoke(cli, arguments)
    return result.exit_code, result.stderr


def test_a_broken_page_is_never_published_and_the_old_one_stays(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _build(site)[0] == 0
    before = (site.output / BROKEN).read_bytes()
    site.write(
        "phones/new-phone.md",
        "---\ntitle: A New Phone\ndate: 2026-11-20T09:00:00Z\ncategory: Phones\n---\nNew.\n",
    )
    _break_phones(monkeypatch)

    code, stderr = _build(site)

    assert code == 1
    assert re.search(rf"{BROKEN}:\d+: error PageNotWellFormed: Opening and ending tag", stderr)
    assert f"error: {BROKEN}: failed validation; the previously published file stays" in stderr
    assert (site.output / BROKEN).read_bytes() == before
    assert b"A New Phone" in (site.output / "feeds/category/phones.rss.xml").read_bytes()
    monkeypatch.undo()  # the renderer fixed: the next build writes the page

    assert _build(site) == (0, "")
    assert (site.output / BROKEN).read_bytes() != before
    assert b"<b>unclosed" not in (site.output / BROKEN).read_bytes()


def test_a_broken_page_on_a_first_build_is_not_written_at_all(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_phones(monkeypatch)

    code, stderr = _build(site)

    assert code == 1 and BROKEN in stderr
    assert not (site.output / BROKEN).exists()
    assert (site.output / "feeds/category/phones.rss.xml").exists()
    assert (site.output / "index.html").exists()


def test_no_validate_publishes_pages_unchecked(
    site: Site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _break_phones(monkeypatch)
    arguments = ["build", "--config", str(site.root / "config.yaml"), "--now", NOW.isoformat()]
    result = CliRunner().invoke(cli, [*arguments, "--no-validate"])
    assert result.exit_code == 0
    assert b"<b>unclosed" in (site.output / BROKEN).read_bytes()
