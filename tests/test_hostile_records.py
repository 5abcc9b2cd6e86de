"""Hostile records, round two (issue 12): bounded work per record. A field, category list or
tag list over its limit refuses that record by name, and the site's feeds still publish; the
values normalisation accepts render to feeds that validate (.NET GUIDs, full-width names,
64-bit enclosure sizes).
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from sites import feed_findings

from feeds.build import BuildReport, build_site, validate_site
from feeds.config import load_config
from feeds.findings import Severity
from feeds.model import Problem

CORPUS = Path(__file__).parent / "corpus" / "hostile"
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
HEAD = "---\ntitle: {title}\ndate: 2021-03-24 10:18\n{extra}---\nBody.\n"


def build(root: Path, files: dict[str, str]) -> BuildReport:
    shutil.copy(CORPUS / "config.yaml", root / "config.yaml")
    (root / "content").mkdir()
    shutil.copy(CORPUS / "content" / "good.md", root / "content" / "good.md")
    for name, text in files.items():
        (root / "content" / name).write_text(text, "utf-8")
    config = load_config(root / "config.yaml")
    report = build_site(config, now=NOW)
    assert [
        str(f) for f in feed_findings(validate_site(config, now=NOW)) if f.level is Severity.ERROR
    ] == []
    assert report.refused == () and report.findings == ()
    return report


def site_feed(root: Path, fmt: str = "atom") -> feedparser.FeedParserDict:
    return feedparser.parse((root / "public" / "feeds" / f"all.{fmt}.xml").read_bytes())


def article(title: str, extra: str) -> str:
    return HEAD.format(title=title, extra=extra)


def test_a_12_mb_summary_and_a_10_mb_author_refuse_their_records_only(tmp_path: Path) -> None:
    summary = "category: Phones\nsummary: " + "word " * 2_400_000 + "\n"
    author = "category: Phones\nauthor: " + "N" * 10_000_000 + "\n"
    report = build(
        tmp_path,
        {
            "summary.md": article("Long summary", summary),
            "author.md": article("Long author", author),
        },
    )
    assert [(p.source, p.field, p.message) for p in report.problems] == [
        (
            "content/author.md",
            "author",
            "is 10,000,000 characters long; at most 500 are allowed here: shorten it (the "
            "article is left out until then)",
        ),
        (
            "content/summary.md",
            "summary",
            "is 11,999,999 characters long; at most 10,000 are allowed here: shorten it (the "
            "article is left out until then)",
        ),
    ]
    assert [e.title for e in site_feed(tmp_path).entries] == ["An ordinary article"]


def test_at_most_50_categories_and_100_tags_per_article(tmp_path: Path) -> None:
    many_categories = "categories: [" + ", ".join(f"C{n}" for n in range(1000)) + "]\n"
    many_tags = "category: Phones\ntags: [" + ", ".join(f"t{n}" for n in range(20_000)) + "]\n"
    fifty = "categories: [" + ", ".join(f"K{n}" for n in range(50)) + "]\n"
    hundred = "category: Phones\ntags: [" + ", ".join(f"u{n}" for n in range(100)) + "]\n"
    report = build(
        tmp_path,
        {
            "categories.md": article("Many categories", many_categories),
            "tags.md": article("Many tags", many_tags),
            "fifty.md": article("Fifty categories", fifty),
            "hundred.md": article("Hundred tags", hundred),
        },
    )
    assert report.problems == (
        Problem(
            "content/categories.md",
            "categories",
            "(a list of 1000 items)",
            "has 1,000 categories; an article has at most 50: keep the ones that matter",
        ),
        Problem(
            "content/tags.md",
            "tags",
            "(a list of 20000 items)",
            "has 20,000 tags; an article has at most 100: keep the ones that matter",
        ),
    )
    entries = {e.title: e for e in site_feed(tmp_path).entries}
    assert sorted(entries) == ["An ordinary article", "Fifty categories", "Hundred tags"]
    assert len(entries["Fifty categories"].tags) == 50
    assert len(entries["Hundred tags"].tags) == 101  # the category and the 100 tags


def test_full_width_letters_name_the_same_category(tmp_path: Path) -> None:
    report = build(tmp_path, {"wide.md": article("Wide", "category: Ｐｈｏｎｅｓ\n")})
    assert report.problems == ()
    entries = {e.title: e for e in site_feed(tmp_path).entries}
    assert [t.term for t in entries["Wide"].tags] == ["Phones"]
    phones = feedparser.parse(
        (tmp_path / "public" / "feeds" / "category" / "phones.atom.xml").read_bytes()
    )
    assert sorted(e.title for e in phones.entries) == ["An ordinary article", "Wide"]


def test_a_dotnet_guid_is_published_as_its_rfc_4122_urn(tmp_path: Path) -> None:
    guid = "id: urn:uuid:{6B29FC40-CA47-1067-B31D-00DD010662DA}\ncategory: Phones\n"
    report = build(tmp_path, {"guid.md": article("GUID", guid)})
    assert report.problems == ()
    for fmt in ("atom", "rss"):
        entries = {e.title: e for e in site_feed(tmp_path, fmt).entries}
        assert entries["GUID"].id == "urn:uuid:6b29fc40-ca47-1067-b31d-00dd010662da"


def test_an_enclosure_length_beyond_64_bits_is_refused(tmp_path: Path) -> None:
    enclosure = "category: Phones\nenclosure: {{url: /a.mp3, type: audio/mpeg, length: {}}}\n"
    report = build(
        tmp_path,
        {
            "huge.md": article("Huge", enclosure.format(10**30)),
            "edge.md": article("Edge", enclosure.format(2**63 - 1)),
        },
    )
    assert [(p.source, p.field, p.value) for p in report.problems] == [
        ("content/huge.md", "enclosure.length", "1000000000000000000000000000000")
    ]
    entries = {e.title: e for e in site_feed(tmp_path, "rss").entries}
    assert entries["Edge"].enclosures[0].length == "9223372036854775807"
    assert "Huge" not in entries


def test_a_table_padded_to_1000_columns_is_refused_alone(tmp_path: Path) -> None:
    # 6 KB of Markdown: a 1,000-column header, then rows of one cell that GFM pads to 1,000.
    header = "|" + "|".join(f"c{n}" for n in range(1000)) + "|\n"
    rule = "|" + "|".join("-" for _ in range(1000)) + "|\n"
    table = header + rule + "|x|\n" * 1500
    report = build(
        tmp_path,
        {"table.md": "---\ntitle: Wide\ndate: 2021-03-24 10:18\ncategory: Phones\n---\n" + table},
    )
    assert [(p.source, p.field) for p in report.problems] == [("content/table.md", "body")]
    assert report.problems[0].message.endswith(
        "bytes of entry HTML; a feed entry carries at most 2,000,000, so that feeds stay small "
        "enough to poll: shorten it, split a very wide table, or publish a summary that links "
        "to the full text"
    )
    assert [e.title for e in site_feed(tmp_path).entries] == ["An ordinary article"]
    assert (tmp_path / "public" / "feeds" / "all.atom.xml").stat().st_size < 100_000


def test_a_json_record_read_last_wins_before_is_read_again_and_kept_as_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A site built before a JSON name given twice was refused (reading rules 1, last wins):
    # the next build parses the file again although its bytes are the ones it read (their
    # digest is known), names the key, and keeps the record as it was published.
    import feeds.keys
    import feeds.sources.records

    twice = '{"title": "First", "title": "Second", "date": "2021-03-24 10:18", "body": "B."}'
    with monkeypatch.context() as before:
        before.setattr(feeds.keys, "READING_RULES", 1)
        before.setattr(feeds.sources.records, "_unique", dict)
        first = build(tmp_path, {"twice.json": twice})
    assert first.errors == () and "Second" in [e.title for e in site_feed(tmp_path).entries]
    config = load_config(tmp_path / "config.yaml")
    again = build_site(config, now=NOW)
    assert [(p.source, p.message) for p in again.errors] == [
        (
            "content/twice.json",
            "gives the key 'title' twice in one object, and JSON readers differ on which "
            "value counts (RFC 8259 §4): keep one",
        )
    ]
    assert again.kept == ("content/twice.json",)
    assert sorted(e.title for e in site_feed(tmp_path).entries) == [
        "An ordinary article",
        "Second",
    ]
