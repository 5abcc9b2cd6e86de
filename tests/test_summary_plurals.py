"""Issue 11: the summary's counts agree with their nouns and verbs ("1 error", "2 errors",
"1 old file was removed"), in `feeds build` and `feeds validate`."""

from __future__ import annotations

import errno
import functools
import os
from pathlib import Path
from typing import BinaryIO

import pytest
from click.testing import CliRunner
from sites import make_site

import feeds.build
import feeds.publish
from feeds.cli import cli

NOW = "2026-11-26T12:00:00Z"
ONE = "---\ntitle: Only One\ndate: 2026-11-01 10:00\ncategory: News\n---\nText.\n"


def test_validate_counts_one_error_in_the_singular(tmp_path: Path) -> None:
    broken = tmp_path / "broken.rss.xml"
    broken.write_text("<rss version='2.0'><channel><title>x</title>", encoding="utf-8")

    result = CliRunner().invoke(cli, ["validate", str(broken)])

    assert result.exit_code == 1
    assert result.stderr == "feeds: 1 error, 0 warnings\n"


def test_build_summary_of_a_one_article_site_is_singular_where_it_counts_one(
    tmp_path: Path,
) -> None:
    site = make_site(tmp_path / "site", {"news/only.md": ONE})
    config = str(site.root / "config.yaml")
    first = CliRunner().invoke(cli, ["build", "--config", config, "--now", NOW])
    assert first.exit_code == 0, first.stderr
    assert "feeds: 1 file (1 read), 1 article published, 0 drafts, 0 scheduled\n" in first.stdout

    # the article moves to another category: the News feeds (RSS, Atom) and page go
    site.write("news/only.md", ONE.replace("category: News", "category: Sport"))
    site.write("news/extra.md", ONE.replace("Only One", "Extra").replace("News", "Sport"))
    second = CliRunner().invoke(cli, ["build", "--config", config, "--now", NOW])

    assert second.exit_code == 0, second.stderr
    assert "feeds: 2 files (2 read), 2 articles published" in second.stdout
    assert "feeds: 0 errors, 0 warnings -> public/\n" in second.stdout
    assert "3 old files were removed" in second.stdout
    assert "1 errors" not in second.stdout and "1 warnings" not in second.stdout


def test_one_removed_file_is_counted_in_the_singular(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"news/only.md": ONE})
    site.settings["feeds"]["formats"] = ["rss"]
    site.settings["feeds"]["pages"] = False
    site.save_config()
    config = str(site.root / "config.yaml")
    assert CliRunner().invoke(cli, ["build", "--config", config, "--now", NOW]).exit_code == 0

    site.write("news/only.md", ONE.replace("category: News", "category: Sport"))
    result = CliRunner().invoke(cli, ["build", "--config", config, "--now", NOW])

    assert result.exit_code == 0, result.stderr
    assert "1 old file was removed" in result.stdout
    assert "feeds: feeds/category/news.rss.xml was removed" in result.stdout


def test_the_summary_counts_articles_added_changed_removed_and_names_them_verbose(
    tmp_path: Path,
) -> None:
    site = make_site(
        tmp_path / "site",
        {"news/one.md": ONE, "news/two.md": ONE.replace("Only One", "Second")},
    )
    config = str(site.root / "config.yaml")
    first = CliRunner().invoke(cli, ["build", "--config", config, "--now", NOW])
    assert first.exit_code == 0, first.stderr
    assert "feeds: articles" not in first.stdout  # a first build: nothing to compare with

    (site.content / "news" / "two.md").unlink()
    site.write("news/one.md", ONE.replace("Only One", "Only One, Updated"))
    site.write("news/three.md", ONE.replace("Only One", "Third"))
    dry = CliRunner().invoke(cli, ["build", "--config", config, "--now", NOW, "--dry-run"])

    assert dry.exit_code == 0, dry.stderr
    assert "feeds: articles this build would publish: 1 added, 1 changed, 1 removed\n" in (
        dry.stdout
    )
    assert "content/news/three.md" not in dry.stdout  # names only with --verbose

    verbose = CliRunner().invoke(cli, ["build", "--config", config, "--now", NOW, "--verbose"])

    assert verbose.exit_code == 0, verbose.stderr
    assert (
        "feeds: articles since the last build: 1 added, 1 changed, 1 removed\n"
        "feeds:   added: content/news/three.md: Third\n"
        "feeds:   changed: content/news/one.md: Only One, Updated\n"
        "feeds:   removed: content/news/two.md: Second\n"
    ) in verbose.stdout
    assert "feeds:   written: feeds/all.rss.xml\n" in verbose.stdout


def test_every_file_that_fails_to_publish_is_counted_as_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(tmp_path / "site", {"news/only.md": ONE})
    config = str(site.root / "config.yaml")

    def full_disk(path: Path) -> BinaryIO:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    with_opener = functools.partial(feeds.publish.publish_files, opener=full_disk)
    monkeypatch.setattr(feeds.build, "publish_files", with_opener)
    result = CliRunner().invoke(cli, ["build", "--config", config, "--now", NOW])

    assert result.exit_code == 1
    # 4 feeds and 4 pages (index, OPML, two feed pages) could not be written
    assert result.stderr.count("No space left on device (ENOSPC)") == 8
    assert "feeds: 8 errors, 0 warnings -> public/\n" in result.stdout
