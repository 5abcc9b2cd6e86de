"""`feeds build --format json` (issue 11): the whole report as one JSON object on stdout,
every name the text summary only counts; the articles added, changed (any field readers
get, not only the title) and removed; problems with their file, field and value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from sites import make_site

from feeds.cli import cli

NOW = "2026-11-26T12:00:00Z"
ONE = "---\ntitle: Only One\ndate: 2026-11-01 10:00\ncategory: News\n---\nText.\n"
TWO = "---\ntitle: Second\ndate: 2026-11-02 10:00\ncategory: News\n---\nMore text.\n"


def _build(config: Path, *extra: str) -> tuple[int, dict[str, Any], str]:
    arguments = ["build", "--config", str(config), "--now", NOW, "--format", "json", *extra]
    result = CliRunner().invoke(cli, arguments)
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_a_first_build_names_every_file_it_wrote(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"news/one.md": ONE})

    code, report, stderr = _build(site.root / "config.yaml")

    assert (code, stderr) == (0, "")
    assert report["complete"] is True and report["errors"] == 0
    assert report["articles"] == {"published": 1, "drafts": 0}
    assert sorted(report["feeds"]["written"]) == [
        "feeds/all.atom.xml", "feeds/all.rss.xml",
        "feeds/category/news.atom.xml", "feeds/category/news.rss.xml",
    ]  # fmt: skip
    assert report["feeds"]["total"] == 4 and report["feeds"]["unchanged"] == 0
    assert sorted(report["pages_written"]) == [
        "feeds.opml", "feeds/all.html", "feeds/category/news.html", "index.html"
    ]  # fmt: skip
    assert report["added"] == [] and report["problems"] == []


def test_articles_added_changed_and_removed_are_named(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"news/one.md": ONE, "news/two.md": TWO})
    config = site.root / "config.yaml"
    assert _build(config)[0] == 0

    site.write("news/one.md", ONE.replace("Text.", "Text, corrected."))  # the body only
    (site.content / "news" / "two.md").unlink()
    site.write("news/three.md", TWO.replace("Second", "Third"))
    code, report, _ = _build(config)

    assert code == 0
    assert report["added"] == ["content/news/three.md: Third"]
    assert report["changed"] == ["content/news/one.md: Only One"]
    assert report["removed"] == ["content/news/two.md: Second"]
    assert "feeds/category/news.rss.xml" in report["feeds"]["written"]

    code, report, _ = _build(config)  # nothing changed: nothing named
    assert (report["added"], report["changed"], report["removed"]) == ([], [], [])
    assert report["feeds"] == {"total": 4, "written": [], "unchanged": 4}


def test_a_category_or_tag_change_is_a_change_too(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"news/one.md": ONE, "news/two.md": TWO})
    config = site.root / "config.yaml"
    assert _build(config)[0] == 0
    site.write("news/two.md", TWO.replace("category: News", "category: News\ntags: [late]"))

    assert _build(config)[1]["changed"] == ["content/news/two.md: Second"]


def test_a_refused_article_is_a_problem_with_its_file_field_and_value(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"news/one.md": ONE})
    site.write("news/bad.md", ONE.replace("2026-11-01 10:00", "the day after"))

    code, report, stderr = _build(site.root / "config.yaml")

    assert (code, stderr) == (1, "")
    assert report["complete"] is False and report["errors"] == 1
    [problem] = report["problems"]
    assert problem["source"] == "content/news/bad.md"
    assert (problem["field"], problem["value"], problem["level"]) == (
        "date", "the day after", "error"
    )  # fmt: skip
