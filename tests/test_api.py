"""The Python API (issue 18): `feeds.build_site(config, now=..., records=...)` publishes records
handed to it beside content_dir's files, incrementally by record digest, and reports bad
records by source and key; `RecordSource` names a source."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import feedparser
from sites import NOW, SITE_URL, assert_same_output, make_site, snapshot

import feeds
from feeds.config import load_config
from feeds.model import Level, Problem


def cms_rows(count: int = 5) -> list[dict[str, Any]]:
    """Records as a CMS hands them over: ids, slugs, datetimes, HTML bodies."""
    return [
        {
            "id": 100 + n,
            "slug": f"cms-story-{n}",
            "title": f"CMS story {n}",
            "date": datetime(2026, 10, n + 1, 9, 0),
            "categories": ["Newsroom"],
            "body": f"<p>Story {n} from the <b>CMS</b>.</p>",
            "body_format": "html",
        }
        for n in range(count)
    ]


def ids_in(site_output: Path) -> list[str]:
    parsed = feedparser.parse(
        (site_output / "feeds" / "category" / "newsroom.atom.xml").read_bytes()
    )
    return [entry.id for entry in parsed.entries]


def links_in(site_output: Path) -> list[str]:
    parsed = feedparser.parse(
        (site_output / "feeds" / "category" / "newsroom.atom.xml").read_bytes()
    )
    return [entry.link for entry in parsed.entries]


def test_a_record_id_is_a_stable_local_id(tmp_path: Path) -> None:
    """`id: 104` is a local id: `urn:uuid:` + uuid5(NAMESPACE_URL, site.url + "#104")
    (uuid.uuid5(uuid.NAMESPACE_URL, "https://inc.example.org/#104")), in every build."""
    site = make_site(tmp_path / "site")
    feeds.build_site(site.config(), now=NOW, records=cms_rows())
    assert ids_in(site.output)[0] == "urn:uuid:bfdfa11a-7cba-58fc-a554-51b263353006"


def test_records_are_published_beside_the_files(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    report = feeds.build_site(site.config(), now=NOW, records=cms_rows())
    assert report.errors == ()
    files_only = make_site(tmp_path / "files").build()
    assert report.articles == files_only.articles + 5
    entries = feedparser.parse(
        (site.output / "feeds" / "category" / "newsroom.rss.xml").read_bytes()
    ).entries
    assert [e.link for e in entries] == [SITE_URL + f"articles/cms-story-{n}/" for n in (4, 3, 2)]
    assert entries[0].title == "CMS story 4"
    assert entries[0].published == "Mon, 05 Oct 2026 09:00:00 +0200"  # naive: site zone
    assert "Story 4 from the <b>CMS</b>." in entries[0].content[0].value


def test_only_changed_records_are_read_again(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    rows = cms_rows()
    first = feeds.build_site(site.config(), now=NOW, records=rows)
    second = feeds.build_site(site.config(), now=NOW, records=rows)
    assert second.files_read == 0 < first.files_read
    rows[2] = {**rows[2], "title": "CMS story 2, corrected"}
    third = feeds.build_site(site.config(), now=NOW, records=rows)
    assert third.files_read == 1
    assert third.changed == ("records:102: CMS story 2, corrected",)
    # byte for byte what a clean build of the same records gives
    clean = make_site(tmp_path / "clean")
    shutil.copy2(site.root / "config.yaml", clean.root / "config.yaml")
    shutil.rmtree(clean.content)
    shutil.copytree(site.content, clean.content)
    feeds.build_site(load_config(clean.root / "config.yaml"), now=NOW, records=rows)
    assert_same_output(snapshot(site.output), snapshot(clean.output))


def test_a_deleted_record_leaves_the_feeds(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    rows = cms_rows()
    feeds.build_site(site.config(), now=NOW, records=rows)
    report = feeds.build_site(site.config(), now=NOW, records=rows[:4])
    assert report.removed == ("records:104: CMS story 4",)
    assert links_in(site.output) == [SITE_URL + f"articles/cms-story-{n}/" for n in (3, 2, 1)]
    # story 1 was in no feed before: its content comes from the record, not from nowhere
    assert report.warnings == ()
    path = site.output / "feeds" / "category" / "newsroom.atom.xml"
    oldest = feedparser.parse(path.read_bytes()).entries[2]
    assert oldest.content[0].value == "<p>Story 1 from the <b>CMS</b>.</p>"


def test_bad_records_are_named_by_source_and_key(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    rows = cms_rows()
    rows[1] = {**rows[1], "title": None}  # a NULL title
    rows[3] = {**rows[3], "date": "2026-13-45"}  # a wrong value
    rows.append({"title": "No key", "date": "2026-10-01", "body": "x"})
    rows.append({**rows[0], "title": "Same id"})
    report = feeds.build_site(site.config(), now=NOW, sources=[feeds.RecordSource("cms", rows)])
    assert [(p.source, p.field, p.value, p.level) for p in report.errors] == [
        ("cms:101", "title", None, Level.ERROR),
        ("cms:103", "date", "2026-13-45", Level.ERROR),
        ("cms#6", "id", None, Level.ERROR),
        ("cms:100", "id", "100", Level.ERROR),
    ]
    assert report.errors[2] == Problem(
        "cms#6", "id", None, "is missing; every record of a source needs a unique id (or slug)"
    )
    assert report.errors[3].message == (
        "is the id of two records of this source; the second is left out: give every record "
        "its own id"
    )
    # stories 0, 2 and 4: the rest of the site builds
    assert links_in(site.output) == [SITE_URL + f"articles/cms-story-{n}/" for n in (4, 2, 0)]


def test_a_published_record_that_breaks_keeps_its_last_good_version(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    rows = cms_rows()
    feeds.build_site(site.config(), now=NOW, records=rows)
    before = ids_in(site.output)
    rows[4] = {**rows[4], "title": 42}
    report = feeds.build_site(site.config(), now=NOW, records=rows)
    assert [(p.source, p.field) for p in report.errors] == [("records:104", "title")]
    assert report.kept == ("records:104",)
    assert ids_in(site.output) == before


def test_a_build_without_the_records_publishes_without_them(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    feeds.build_site(site.config(), now=NOW, records=cms_rows())
    report = site.build()  # a CLI build: only content_dir
    assert len(report.removed) == 5
    assert not (site.output / "feeds" / "category" / "newsroom.atom.xml").exists()


def test_record_digest() -> None:
    from feeds.recordsource import record_digest

    when = datetime(2026, 10, 1, 9, 0)
    one = record_digest({"id": 1, "title": "A", "date": when})
    assert one == record_digest({"date": when, "title": "A", "id": 1})  # key order
    assert one != record_digest({"id": 1, "title": "A", "date": when.replace(minute=1)})
    assert one != record_digest({"id": 1, "title": "A ", "date": when})
    assert len({record_digest({"x": v}) for v in (1, 1.0, True, "1", None)}) == 5
    unpicklable = {"id": 1, "f": lambda: None}  # falls back to repr, never raises
    assert len(record_digest(unpicklable)) == 64
