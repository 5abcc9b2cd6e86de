"""SQL sources (issue 18): `sources:` queries whose rows are articles. SQLite here (a real
database file written by the test with the stdlib driver); PostgreSQL in test_sqlpostgres.py.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import feedparser
import pytest
from sites import SITE_URL, Site, make_site, snapshot

from feeds.config import ConfigError, parse_config
from feeds.model import Level, Problem
from feeds.request import BuildError

QUERY = (
    "SELECT id, slug, title, published_at AS date, section, labels, body, 'html' AS body_format "
    "FROM articles WHERE status = 'published' ORDER BY id"
)
ROWS = [
    # 1764000000 is 2025-11-24 16:00:00 UTC
    (1, "sql-one", "First from SQL", 1764000000, "Newsroom", "a, b", "<p>One.</p>", "published"),
    (2, "sql-two", "Second from SQL", 1764003600, "Newsroom", "b", "<p>Two.</p>", "published"),
    (3, "sql-draft", "A draft", 1764007200, "Newsroom", "", "<p>No.</p>", "draft"),
]


def database(path: Path, rows: list[tuple[Any, ...]] = ROWS) -> Path:
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE articles (id INTEGER PRIMARY KEY, slug TEXT, title TEXT, "
            "published_at INTEGER, section TEXT, labels TEXT, body TEXT, status TEXT)"
        )
        db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.close()
    return path


def sql_site(root: Path, **source: Any) -> Site:
    site = make_site(root)
    database(root / "cms.db")
    site.settings["sources"] = [
        {
            "name": "cms",
            "sql": "sqlite:///cms.db",
            "query": QUERY,
            "fields": {"category": "section", "tags": {"from": "labels", "split": ","}},
            **source,
        }
    ]
    site.save_config()
    return site


def execute(site: Site, statement: str, *args: Any) -> None:
    with sqlite3.connect(site.root / "cms.db") as db:
        db.execute(statement, args)
    db.close()


def newsroom(site: Site) -> list[Any]:
    path = site.output / "feeds" / "category" / "newsroom.atom.xml"
    return feedparser.parse(path.read_bytes()).entries if path.exists() else []


def test_rows_are_articles(tmp_path: Path) -> None:
    site = sql_site(tmp_path)
    report = site.build()
    assert report.errors == ()
    entries = newsroom(site)
    assert [(e.link, e.title, e.published) for e in entries] == [
        (SITE_URL + "articles/sql-two/", "Second from SQL", "2025-11-24T17:00:00Z"),
        (SITE_URL + "articles/sql-one/", "First from SQL", "2025-11-24T16:00:00Z"),
    ]
    assert sorted(t.term for t in entries[1].tags) == ["Newsroom", "a", "b"]  # split at ","
    assert entries[1].content[0].value == "<p>One.</p>"


def test_one_inserted_row_is_the_only_one_read_again(tmp_path: Path) -> None:
    site = sql_site(tmp_path)
    first = site.build()
    again = site.build()
    assert again.files_read == 0 < first.files_read
    execute(
        site,
        "INSERT INTO articles VALUES (4, 'sql-four', 'Fourth', 1764010800, 'Newsroom', '', "
        "'<p>4</p>', 'published')",
    )
    report = site.build()
    assert report.files_read == 1
    assert report.added == ("cms:4: Fourth",)
    assert next(e.title for e in newsroom(site)) == "Fourth"
    execute(site, "UPDATE articles SET title = 'First, corrected' WHERE id = 1")
    assert site.build().changed == ("cms:1: First, corrected",)
    execute(site, "DELETE FROM articles WHERE id = 2")
    assert site.build().removed == ("cms:2: Second from SQL",)


def test_bad_rows_are_named_by_source_key_and_field(tmp_path: Path) -> None:
    site = sql_site(tmp_path)
    execute(site, "UPDATE articles SET title = NULL WHERE id = 1")  # a NULL title
    execute(site, "UPDATE articles SET published_at = 'soon' WHERE id = 2")  # a wrong value
    report = site.build()
    assert report.errors == (
        Problem("cms:1", "title", None, "is missing; give the article a title"),
        Problem(
            "cms:2",
            "date",
            "soon",
            "is not a date feeds can read; write it like 2021-03-23 10:18 or "
            "Tue, 23 Mar 2021 10:18:00 +0100",
        ),
    )
    assert report.errors[0].level is Level.ERROR
    assert newsroom(site) == []  # the files of content_dir still publish
    assert (site.output / "feeds" / "all.atom.xml").exists()


def test_a_row_of_the_wrong_type(tmp_path: Path) -> None:
    site = sql_site(tmp_path)
    """SQLite's TEXT affinity makes a number text; a BLOB stays bytes, which no field takes."""
    execute(site, "UPDATE articles SET title = X'4869' WHERE id = 1")
    report = site.build()
    assert [(p.source, p.field, p.value) for p in report.errors] == [
        ("cms:1", "title", "(a bytes)")
    ]
    assert report.errors[0].message.startswith("is a bytes, not text;")


def test_a_published_row_that_breaks_is_kept(tmp_path: Path) -> None:
    site = sql_site(tmp_path)
    site.build()
    execute(site, "UPDATE articles SET title = NULL WHERE id = 1")
    report = site.build()
    assert report.kept == ("cms:1",)
    assert [e.title for e in newsroom(site)] == ["Second from SQL", "First from SQL"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"sql": "sqlite:///missing.db"},
            "the database file does not exist; check sources' sql: URL (nothing was "
            "published, so every feed stays as it was)",
        ),
        (
            {"query": "SELECT * FROM no_such_table"},
            "the query failed: no such table: no_such_table (nothing was published, so every "
            "feed stays as it was)",
        ),
        (
            {"query": "DELETE FROM articles"},  # mode=ro: never written
            "the query failed: attempt to write a readonly database (nothing was published, "
            "so every feed stays as it was)",
        ),
        (
            {  # a query that would run for hours, stopped after one second
                "query": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                "SELECT count(*) FROM n",
                "timeout": 1,
            },
            "the query ran over its timeout of 1 seconds and was stopped; make it faster or "
            "raise sources' timeout (nothing was published, so every feed stays as it was)",
        ),
        (
            {"fields": {"category": "sectoin"}},
            "fields.category is taken from the column 'sectoin', which the query does not give "
            "(it gives id, slug, title, date, section, labels, body, body_format); fix the column "
            "name or the query (nothing was published, so every feed stays as it was)",
        ),
    ],
)
def test_a_source_that_cannot_be_read_keeps_every_feed(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    site = sql_site(tmp_path)
    site.build()
    before = snapshot(site.output)
    site.settings["sources"][0].update(change)
    site.save_config()
    with pytest.raises(BuildError) as caught:
        site.build()
    database_name = "missing.db" if "missing" in change.get("sql", "") else "cms.db"
    assert str(caught.value) == (f"source cms (sqlite {site.root / database_name}): {message}")
    assert snapshot(site.output) == before
    with sqlite3.connect(site.root / "cms.db") as db:  # a DELETE query changed nothing
        assert db.execute("SELECT count(*) FROM articles").fetchone() == (3,)
    db.close()


def test_the_command_line_exits_1_and_says_why(tmp_path: Path) -> None:
    site = sql_site(tmp_path)
    site.build()
    before = snapshot(site.output)
    (site.root / "cms.db").unlink()
    done = subprocess.run(
        [sys.executable, "-m", "feeds", "build", "--config", str(site.root / "config.yaml")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "source cms (sqlite " in done.stderr
    assert "the database file does not exist" in done.stderr
    assert snapshot(site.output) == before


def test_sources_instead_of_a_content_folder(tmp_path: Path) -> None:
    site = sql_site(tmp_path)
    for path in sorted(site.content.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    site.content.rmdir()
    report = site.build()
    assert report.errors == ()
    assert report.articles == 2


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            {"sql": "postgresql://editor:secret@db.example.org/cms", "query": "SELECT 1"},
            "sources[0].sql 'postgresql://editor:***@db.example.org/cms': holds a password; "
            "never write one in config.yaml: give it in the environment (PGPASSWORD) or in "
            "~/.pgpass, and write the URL without it",
        ),
        (
            {"sql": "mysql://db/cms", "query": "SELECT 1"},
            "sources[0].sql 'mysql://db/cms': must start with sqlite:/// (a file) or "
            "postgresql:// (a server)",
        ),
        ({"sql": "sqlite:///cms.db"}, "sources[0].query: is required"),
        (
            {"sql": "sqlite:///cms.db", "query": "SELECT 1", "name": "my source"},
            "sources[0].name 'my source': must be letters, digits, '-' or '_' (it names the "
            "source in messages)",
        ),
        (
            {"sql": "sqlite:///cms.db", "query": "SELECT 1", "timeout": 0},
            "sources[0].timeout 0: must be from 1 to 3600",
        ),
    ],
)
def test_bad_source_settings(source: dict[str, Any], message: str) -> None:
    site = {
        "title": "T", "url": "https://example.org/", "description": "D", "language": "en",
        "timezone": "UTC",
    }  # fmt: skip
    with pytest.raises(ConfigError) as caught:
        parse_config({"site": site, "sources": [source]}, Path("/site"))
    assert str(caught.value) == message


def test_validate_reads_the_sources_too(tmp_path: Path) -> None:
    """`feeds validate` (site mode) plans from the same rows: a built site validates clean."""
    from sites import NOW

    from feeds.build import validate_site

    site = sql_site(tmp_path)
    site.build()
    assert validate_site(site.config(), now=NOW) == []
    execute(site, "UPDATE articles SET title = 'Changed since the build' WHERE id = 1")
    findings = validate_site(site.config(), now=NOW)
    # the published feeds no longer say what the rows say: the row was read
    assert findings
    assert {f.file.rsplit("/", 1)[-1] for f in findings} <= {
        "all.rss.xml", "all.atom.xml", "newsroom.rss.xml", "newsroom.atom.xml",
    }  # fmt: skip
