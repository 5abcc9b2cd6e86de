"""Record bodies on disk (feeds/recordbodies.py, issue 18): a build from records makes the
entry content of the records the plan puts in feeds only, like files, and keeps the bodies of
the others in `cache_dir`'s store instead of in memory, so a record entering a feed later has
its body although its row is never read again.

Every build here is compared byte for byte with a clean build of the same records.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sites import snapshot

import feeds.body
import feeds.contents
from feeds.build import build_site, validate_site
from feeds.config import load_config
from feeds.model import RecordSource
from feeds.recordbodies import STORE_FILE

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
CONFIG = """\
site:
  title: Record Bodies
  url: https://rows.example.org/
  description: Rows from a CMS
  language: en
  timezone: UTC
  author: {name: Rows Desk, email: rows@example.org}
content_dir: content
output_dir: public
feeds:
  max_items: 3
  formats: [rss, atom, json]
"""


def row(number: int, body: str | None = None) -> dict[str, Any]:
    published = datetime(2026, 11, 1, 8, 0, tzinfo=UTC) + timedelta(hours=number)
    return {
        "id": number,
        "slug": f"row-{number}",
        "title": f"Row {number}",
        "date": published.isoformat(),
        "category": "News",
        "body": body or f"<p>The body of row {number}, written once.</p>",
        "body_format": "html",
    }


def site(root: Path, config: str = CONFIG) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "config.yaml").write_text(config, encoding="utf-8")
    return root


def build(root: Path, rows: list[dict[str, Any]]) -> dict[str, bytes]:
    report = build_site(load_config(root / "config.yaml"), now=NOW, records=rows)
    assert report.findings == (), report.findings
    return snapshot(root / "public")


def clean(tmp_path: Path, rows: list[dict[str, Any]], config: str = CONFIG) -> dict[str, bytes]:
    folder = tmp_path / f"clean-{len(list(tmp_path.iterdir()))}"
    return build(site(folder, config), rows)


def stored(root: Path) -> set[str]:
    with sqlite3.connect(root / ".feeds" / STORE_FILE) as db:
        bodies = {body for (body,) in db.execute("SELECT body FROM bodies")}
    db.close()
    return bodies


def test_only_the_records_in_feeds_get_entry_content_the_rest_are_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    real = feeds.body.entry_content

    def counting(article: Any, *args: Any) -> Any:
        made.append(article.source)
        return real(article, *args)

    monkeypatch.setattr(feeds.contents, "entry_content", counting)
    root = site(tmp_path / "site")
    rows = [row(n) for n in range(1, 41)]
    build(root, rows)
    # the site feed and News hold the same newest three: rows 38-40, made once each
    assert sorted(made) == ["records:38", "records:39", "records:40"]
    # as they were read, before the plan: every body; then only those no build has made
    assert stored(root) == {row(n)["body"] for n in range(1, 41)}
    build(root, rows)
    assert stored(root) == {row(n)["body"] for n in range(1, 38)}  # the 37 not in a feed


def test_a_record_entering_a_feed_later_gets_its_stored_body(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    rows = [row(n) for n in range(1, 11)]
    build(root, rows)
    fewer = rows[:6]  # the four newest deleted: rows 4-6 enter the feeds
    output = build(root, fewer)
    assert output == clean(tmp_path, fewer)
    assert b"The body of row 4, written once." in output["feeds/all.atom.xml"]
    # the deleted rows' bodies are dropped; rows 4-6 are made now, dropped next build
    assert stored(root) == {row(n)["body"] for n in range(1, 7)}
    build(root, fewer)
    assert stored(root) == {row(n)["body"] for n in range(1, 4)}


def test_a_deleted_store_is_filled_again_from_the_rows(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    rows = [row(n) for n in range(1, 11)]
    build(root, rows)
    (root / ".feeds" / STORE_FILE).unlink()
    build(root, rows)  # nothing changed, but the bodies not in feeds are stored again
    assert stored(root) == {row(n)["body"] for n in range(1, 8)}
    assert build(root, rows[:6]) == clean(tmp_path, rows[:6])


def test_a_store_that_is_not_a_database_is_replaced(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    rows = [row(n) for n in range(1, 11)]
    build(root, rows)
    (root / ".feeds" / STORE_FILE).write_bytes(b"not a database at all " * 100)
    assert build(root, rows[:6]) == clean(tmp_path, rows[:6])
    assert stored(root) == {row(n)["body"] for n in range(1, 7)}  # all, as read


def test_a_damaged_body_is_never_published_and_the_next_build_heals(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    rows = [row(n) for n in range(1, 11)]
    build(root, rows)
    with sqlite3.connect(root / ".feeds" / STORE_FILE) as db:
        db.execute("UPDATE bodies SET body = '<p>Not what row 5 said.</p>'")
    db.close()
    report = build_site(load_config(root / "config.yaml"), now=NOW, records=rows[:6])
    all_atom = (root / "public" / "feeds" / "all.atom.xml").read_bytes()
    assert b"Not what row 5 said" not in all_atom
    warned = sorted(p.source for p in report.problems if p.field == "body")
    assert warned == ["records:4", "records:5", "records:6"]
    assert all(STORE_FILE in p.message for p in report.problems if p.field == "body")
    # the rows are read again: the next build publishes their bodies as a clean build does
    assert build(root, rows[:6]) == clean(tmp_path, rows[:6])


def test_validate_writes_no_store_and_reads_the_builds(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    rows = [row(n) for n in range(1, 11)]
    config = load_config(root / "config.yaml")
    build(root, rows)
    before = (root / ".feeds" / STORE_FILE).read_bytes()
    findings = validate_site(config, now=NOW, sources=(RecordSource("records", rows),))
    assert findings == []
    assert (root / ".feeds" / STORE_FILE).read_bytes() == before


def test_a_site_without_records_gets_no_store(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    (root / "content" / "one.md").write_text(
        "---\ntitle: One\ndate: 2026-11-01T08:00:00Z\ncategory: News\n---\nA file.\n"
    )
    build_site(load_config(root / "config.yaml"), now=NOW)
    assert not (root / ".feeds" / STORE_FILE).exists()


def test_allowed_embed_hosts_apply_to_records_already_built(tmp_path: Path) -> None:
    """A record's content key covers html.allow_iframes as a file's does: allowing a host
    makes the record's entry again (it was kept made without the embed)."""
    embed = '<iframe src="https://video.example.net/embed/1"></iframe>'
    rows = [row(n, f"<p>Row {n}.</p>{embed}") for n in range(1, 4)]
    root = site(tmp_path / "site")
    assert b"video.example.net" not in build(root, rows)["feeds/all.atom.xml"]
    allowing = CONFIG + "html:\n  allow_iframes: [video.example.net]\n"
    (root / "config.yaml").write_text(allowing, encoding="utf-8")
    output = build(root, rows)
    assert b"video.example.net" in output["feeds/all.atom.xml"]
    assert output == clean(tmp_path, rows, allowing)
