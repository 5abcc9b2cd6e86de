"""Issue 19: RFC 5005 archives under a size budget keep the complete history. A site with
archives and `feeds.max_bytes` gains articles over several builds; a reader that walks
`prev-archive` links from the subscription feed with feedparser (as an archive client
does, RFC 5005 §4) must see every published article, each on exactly one archive page."""

from __future__ import annotations

from pathlib import Path

import feedparser
from test_reach import build, make_site, write

LONG = "A long paragraph of reporting that makes every entry weigh something. " * 12


def walk(public: Path, name: str) -> tuple[list[str], list[str]]:
    """The titles in the subscription feed, and those on the archive pages reached by
    following prev-archive links from it (oldest page last)."""
    base = "https://news.example.org/feeds/"
    parsed = feedparser.parse((public / name).read_bytes())
    current = [entry.title for entry in parsed.entries]
    archived: list[str] = []
    seen_pages: set[str] = set()
    links = {link.rel: link.href for link in parsed.feed.get("links", [])}
    while "prev-archive" in links:
        url = links["prev-archive"]
        assert url.startswith(base) and url not in seen_pages, url
        seen_pages.add(url)
        page = feedparser.parse((public / url[len(base) :]).read_bytes())
        assert not page.bozo, (url, page.bozo_exception)
        archived += [entry.title for entry in page.entries]
        links = {link.rel: link.href for link in page.feed.get("links", [])}
    return current, archived


def test_history_under_a_budget_holds_every_article_once(tmp_path: Path) -> None:
    config = make_site(tmp_path, 4, archive=True, archive_page_size=2, max_bytes=2500)
    for n in range(1, 5):
        write(tmp_path, n, f"Body {n}. {LONG}")
    public = tmp_path / "public" / "feeds"
    published = 4
    for added in (3, 1, 4):  # three more builds, adding articles each time
        build(config)
        expected = {f"Article {n}" for n in range(1, published + 1)}
        for name in ("all.rss.xml", "all.atom.xml"):
            current, archived = walk(public, name)
            assert len(current) < 3, (name, current)  # the budget really cuts the feed
            assert sorted(archived) == sorted(expected), (name, published, archived)
            assert len(archived) == len(set(archived))  # exactly once across the pages
        for n in range(published + 1, published + added + 1):
            write(tmp_path, n, f"Body {n}. {LONG}")
        published += added


def test_an_entry_alone_over_the_budget_is_kept_and_named(tmp_path: Path) -> None:
    config = make_site(tmp_path, 3, max_bytes=2500)
    write(tmp_path, 3, "Huge. " + LONG * 4)  # the newest entry alone is over 2,500 bytes
    report = build(config)
    warnings = [f for f in report.findings if f.rule == "max-bytes"]
    assert {f.file for f in warnings} >= {"feeds/all.rss.xml", "feeds/all.atom.xml"}
    for finding in warnings:
        assert "'Article 3' (content/a03.md)" in finding.message, finding.message
        assert "over feeds.max_bytes (2,500)" in finding.message
        size = (tmp_path / "public" / finding.file).stat().st_size
        assert f"the feed {size:,} bytes" in finding.message and size > 2500
    parsed = feedparser.parse((tmp_path / "public/feeds/all.atom.xml").read_bytes())
    assert [entry.title for entry in parsed.entries] == ["Article 3"]  # kept, not emptied
