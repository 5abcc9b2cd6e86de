"""Issue 7 features through real builds: RFC 5005 archives, JSON Feed beside RSS and Atom,
the size budget, and hub links; every feed they write must still validate."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import yaml
from sites import feed_findings

from feeds.build import BuildReport, build_site, validate_site
from feeds.config import load_config
from feeds.findings import Severity

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
OLD = 1_600_000_000  # a fixed mtime well before the build, outside any "racy" window


def make_site(root: Path, count: int, **feeds: Any) -> Path:
    settings = {
        "site": {
            "title": "Reach Test",
            "url": "https://news.example.org/",
            "description": "D",
            "language": "en",
            "timezone": "UTC",
            "author": {"name": "Desk", "email": "desk@example.org"},
        },
        "feeds": {"max_items": 3, **feeds},
        "websub": {"hub": "https://hub.example.net/"},
    }
    (root / "config.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    (root / "content").mkdir(exist_ok=True)
    for n in range(1, count + 1):
        write(root, n, f"Body of article {n}.")
    return root / "config.yaml"


def write(root: Path, n: int, body: str) -> None:
    path = root / "content" / f"a{n:02d}.md"
    path.write_text(
        f"---\ntitle: Article {n}\ndate: 2026-01-{n:02d} 10:00\ncategory: Phones\n---\n{body}\n",
        encoding="utf-8",
    )
    os.utime(path, (OLD + n, OLD + n))


def build(config: Path) -> BuildReport:
    report = build_site(load_config(config), now=NOW)
    assert report.complete, report
    errors = [
        f
        for f in feed_findings(validate_site(load_config(config), now=NOW))
        if f.level is Severity.ERROR
    ]
    assert errors == []
    return report


def test_archive_pages_hold_the_history_and_validate(tmp_path: Path) -> None:
    config = make_site(tmp_path, 10, archive=True, archive_page_size=3)
    report = build(config)
    public = tmp_path / "public" / "feeds"
    # current: 10, 9, 8; archived oldest first: [1,2,3] [4,5,6] [7]
    pages = sorted(p for p in report.publish.written if p.startswith("feeds/archive/all/"))
    assert pages == [
        f"feeds/archive/all/{n}.{fmt}.xml" for n in (1, 2, 3) for fmt in ("atom", "rss")
    ]
    first = feedparser.parse((public / "archive/all/1.atom.xml").read_bytes())
    assert [e.title for e in first.entries] == ["Article 3", "Article 2", "Article 1"]
    links = {link.rel: link.href for link in first.feed.links}
    assert links["current"] == "https://news.example.org/feeds/all.atom.xml"
    assert "prev-archive" not in links and "next-archive" not in links
    assert b"<fh:archive" in (public / "archive/all/1.atom.xml").read_bytes()
    current = feedparser.parse((public / "all.atom.xml").read_bytes())
    current_links = {link.rel: link.href for link in current.feed.links}
    assert current_links["prev-archive"] == "https://news.example.org/feeds/archive/all/3.atom.xml"
    assert current_links["hub"] == "https://hub.example.net/"
    rss = feedparser.parse((public / "archive/all/2.rss.xml").read_bytes())
    assert {link.rel: link.href for link in rss.feed.links}["prev-archive"] == (
        "https://news.example.org/feeds/archive/all/1.rss.xml"
    )


def test_a_new_article_never_rewrites_a_full_archive_page(tmp_path: Path) -> None:
    config = make_site(tmp_path, 10, archive=True, archive_page_size=3)
    build(config)
    write(tmp_path, 11, "Fresh news.")
    report = build(config)
    archive = sorted(p for p in report.publish.written if p.startswith("feeds/archive/all/"))
    # article 8 moves into the partial page 3; pages 1 and 2 are full and stay untouched
    assert archive == ["feeds/archive/all/3.atom.xml", "feeds/archive/all/3.rss.xml"]


def test_editing_an_old_article_rewrites_only_its_archive_page(tmp_path: Path) -> None:
    config = make_site(tmp_path, 10, archive=True, archive_page_size=3)
    build(config)
    write(tmp_path, 5, "A correction to an old story.")
    report = build(config)
    assert sorted(report.publish.written) == [
        "feeds/archive/all/2.atom.xml",
        "feeds/archive/all/2.rss.xml",
        "feeds/archive/category/phones/2.atom.xml",
        "feeds/archive/category/phones/2.rss.xml",
    ]


def test_json_feed_carries_the_same_ids_as_rss_and_atom(tmp_path: Path) -> None:
    config = make_site(tmp_path, 4, formats=["rss", "atom", "json"])
    build(config)
    public = tmp_path / "public" / "feeds"
    document = json.loads((public / "all.json").read_text(encoding="utf-8"))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == "https://news.example.org/feeds/all.json"
    json_ids = [item["id"] for item in document["items"]]
    atom_ids = [e.id for e in feedparser.parse((public / "all.atom.xml").read_bytes()).entries]
    rss_ids = [e.id for e in feedparser.parse((public / "all.rss.xml").read_bytes()).entries]
    assert (
        json_ids
        == atom_ids
        == rss_ids
        == [
            "https://news.example.org/articles/a04/",
            "https://news.example.org/articles/a03/",
            "https://news.example.org/articles/a02/",
        ]
    )


def test_a_feed_over_the_size_budget_drops_its_oldest_entries(tmp_path: Path) -> None:
    config = make_site(tmp_path, 6, max_items=6, max_bytes=4000)
    for n in range(1, 7):
        write(tmp_path, n, ("Long paragraph of reporting. " * 12 + "\n\n") * 3)
    report = build(config)
    cut = {path: (kept, planned) for path, kept, planned in report.cut}
    assert "feeds/all.atom.xml" in cut
    kept, planned = cut["feeds/all.atom.xml"]
    assert planned == 6 and 1 <= kept < 6
    data = (tmp_path / "public/feeds/all.atom.xml").read_bytes()
    assert len(data) <= 4000
    titles = [e.title for e in feedparser.parse(data).entries]
    assert titles == [f"Article {n}" for n in range(6, 6 - kept, -1)]  # the newest survive


def test_an_email_feedparser_misreads_does_not_block_rss(tmp_path: Path) -> None:
    # feedparser reads `email (name)` with a 2-4 letter TLD pattern; `.online` is valid.
    config = make_site(tmp_path, 2)
    text = config.read_text(encoding="utf-8").replace("desk@example.org", "desk@daily.online")
    config.write_text(text, encoding="utf-8")
    report = build_site(load_config(config), now=NOW)
    assert report.refused == ()
    assert {f.rule for f in report.findings} <= {"ReaderAltersText"}
    rss = (tmp_path / "public/feeds/all.rss.xml").read_text(encoding="utf-8")
    assert "<managingEditor>desk@daily.online (Desk)</managingEditor>" in rss
