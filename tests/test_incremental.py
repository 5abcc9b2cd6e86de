"""Incremental rebuilds (issue 4): a rebuild after any change equals a clean build of the same
content byte for byte, a rebuild with no change touches nothing, a one-article change rewrites
only the feeds that hold it, and a published article that stops reading keeps its last good
version (the one, reported, difference from a clean build).

Every test builds the fixture site of tests/sites.py (the `site` fixture, or `make_site`):
three formats of article files in four categories, two levels deep in places, with
`feeds.max_items: 3` so that moving an article in or out of a feed's top three is a real
change. `CHANGES` (there) is every kind of change these tests put it through.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sites import (
    ARTICLES,
    CHANGES,
    FIRST_MTIME_NS,
    NEW_IDS,
    NOW,
    SITE_URL,
    CleanOutput,
    Site,
    add_newest,
    all_feeds,
    assert_same_output,
    config_no_pages,
    edit_body,
    edit_title,
    make_site,
    snapshot,
    stats,
)

import feeds.build
import feeds.cache
import feeds.contents
import feeds.reading
from feeds.body import EntryContent
from feeds.cache import CACHE_FILE
from feeds.cli import cli
from feeds.config import Config
from feeds.contentbytes import OpenFolder
from feeds.model import Article, Level


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_incremental_build_equals_clean_build(
    name: str, site: Site, clean_output: CleanOutput, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = site.build()
    assert first.complete, first.problems
    before = snapshot(site.output)

    CHANGES[name](site, monkeypatch)
    report = site.build(accept_new_ids=name in NEW_IDS)

    if name == "duplicate_slug":
        assert [p.field for p in report.problems] == ["slug"]
    else:
        assert report.complete, (report.problems, report.findings, report.kept)
    after = snapshot(site.output)
    if name.startswith("rename"):  # sources are not in the output: nothing to rewrite
        assert (report.publish.written, after) == ((), before)
    else:
        assert after != before  # the change is visible in the output
    assert_same_output(after, clean_output(site))
    # and the build after that has nothing left to do
    settled = stats(site.output)
    again = site.build()
    assert (again.files_read, again.publish.written, again.publish.removed) == (0, (), ())
    assert stats(site.output) == settled


# Other feed settings the changes must hold under: RFC 5005 archives (every article is in some
# feed, and pages shift), JSON Feed with a size budget that cuts feeds.
BASES: dict[str, dict[str, Any]] = {
    "archives": {"archive": True, "archive_page_size": 2},
    "json_max_bytes": {"formats": ["rss", "atom", "json"], "max_bytes": 2600},
    # issue 16: every tag and every author gets a feed
    "tag_and_author_feeds": {"tag_feeds": True, "tag_min_articles": 1, "author_feeds": True},
    "by_language": {"by_language": True},
}
BASE_CHANGES = (
    "add_newest",
    "add_in_new_category",
    "delete",
    "date_out_of_top",
    "jsonl_edit_middle_record",
    "edit_body",
    "config_max_items",
    "tag_added",
    "tag_edited",
    "tag_removed",
    "author_added",
    "author_edited",
    "author_removed",
    "feed_false",
    "lang_added",
    "lang_edited",
    "lang_removed",
)


@pytest.mark.parametrize("base", sorted(BASES))
@pytest.mark.parametrize("name", BASE_CHANGES)
def test_incremental_build_equals_clean_build_under_other_feed_settings(
    base: str, name: str, site: Site, clean_output: CleanOutput, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.settings["feeds"].update(BASES[base])
    site.save_config()
    first = site.build()
    assert not first.problems and not first.findings
    if base == "json_max_bytes":
        assert first.cut  # the budget is small enough to cut some feed
    elif base == "by_language":
        assert not any(path.startswith("feeds/en/") for path in first.publish.written)
    elif base == "tag_and_author_feeds":
        assert "feeds/tag/reviews.atom.xml" in first.publish.written
        assert "feeds/author/ann-example.rss.xml" in first.publish.written
    else:
        assert "feeds/archive/category/phones/1.atom.xml" in first.publish.written

    CHANGES[name](site, monkeypatch)
    report = site.build(accept_new_ids=name in NEW_IDS)

    assert not report.problems and not report.findings and not report.kept
    assert_same_output(snapshot(site.output), clean_output(site))
    settled = stats(site.output)
    again = site.build()
    assert (again.files_read, again.publish.written, again.cut) == (0, (), report.cut)
    assert stats(site.output) == settled


@pytest.mark.parametrize("name", ["cache_deleted", "cache_garbage", "cache_truncated"])
def test_a_lost_cache_rewrites_nothing(name: str, site: Site) -> None:
    site.build()
    before = stats(site.output)
    if name == "cache_deleted":
        site.cache_file.unlink()
    elif name == "cache_garbage":
        site.cache_file.write_bytes(b"garbage")
    else:
        site.cache_file.write_bytes(site.cache_file.read_bytes()[:-10])

    report = site.build()

    assert report.files_read == report.files_total == 10
    assert report.publish.written == ()
    assert stats(site.output) == before
    assert site.cache_file.exists()  # and a sound cache is written again


def test_two_files_swapping_names(tmp_path: Path, clean_output: CleanOutput) -> None:
    """Same size, same mtime, names swapped (mv a t; mv b a; mv t b): the stat alone would
    say nothing changed."""
    one = "---\ntitle: Swap One\ndate: 2026-11-21T10:00:00Z\ncategory: Phones\n---\nOne.\n"
    two = "---\ntitle: Swap Two\ndate: 2026-11-22T10:00:00Z\ncategory: Gaming\n---\nTwo.\n"
    assert len(one) == len(two)
    site = make_site(tmp_path / "site", {**ARTICLES, "swap/a.md": one, "swap/b.md": two})
    moment = FIRST_MTIME_NS - 86_400_000_000_000  # a day before the other files
    for name in ("a.md", "b.md"):
        os.utime(site.content / "swap" / name, ns=(moment, moment))
    site.build()

    site.move("swap/a.md", "swap/t.md")
    site.move("swap/b.md", "swap/a.md")
    site.move("swap/t.md", "swap/b.md")
    report = site.build()

    assert report.complete
    assert_same_output(snapshot(site.output), clean_output(site))
    gaming = (site.output / "feeds/category/gaming.atom.xml").read_text()
    assert f"{SITE_URL}articles/a/" in gaming and f"{SITE_URL}articles/b/" not in gaming


def test_a_file_written_just_before_a_build_is_hashed_again_next_time(site: Site) -> None:
    """Its stat may not show a second write within the same timestamp granule."""
    site.build()
    path = site.content / "phones/old-phone.md"
    path.write_text(site.read("phones/old-phone.md").replace("2016", "2015"), encoding="utf-8")
    assert site.build().files_read == 1

    again = site.build()

    assert again.files_read == 1  # hashed, found unchanged, nothing rewritten
    assert again.publish.written == ()
    os.utime(path, ns=(FIRST_MTIME_NS, FIRST_MTIME_NS))  # long ago: the stat is trusted again
    assert site.build().files_read == 1
    assert site.build().files_read == 0


def test_touch_reads_the_file_but_writes_nothing(site: Site) -> None:
    site.build()
    before = stats(site.output)
    path = site.content / "phones/pocket-review.md"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))

    report = site.build()

    assert report.files_read == 1
    assert report.publish.written == ()
    assert stats(site.output) == before


# --- 2. no change, no touch -------------------------------------------------------------


def test_rebuild_without_change_touches_nothing(site: Site) -> None:
    (site.output).mkdir()
    first = site.build()
    assert first.files_read == 10
    before = stats(site.output)
    cache_before = stats(site.cache_file.parent)[CACHE_FILE]

    report = site.build()

    assert report.files_read == 0
    assert report.files_total == 10
    assert report.publish.written == ()
    assert report.publish.removed == ()
    assert report.complete
    assert stats(site.output) == before
    assert stats(site.cache_file.parent)[CACHE_FILE] == cache_before  # not even saved again
    assert report.articles == 10 and report.drafts == 1 and len(report.scheduled) == 1


# --- 3. a one-article change rewrites only the feeds holding it ----------------------------


def test_body_edit_rewrites_only_the_feeds_holding_the_article(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.build()
    before = stats(site.output)

    edit_body(site, monkeypatch)  # cases-roundup: Phones: Accessories, in `all`'s top 3
    report = site.build()

    rewritten = all_feeds("all", "phones", "phones/accessories")
    assert set(report.publish.written) == rewritten
    assert report.files_read == 1
    after = stats(site.output)
    assert {path for path in after if after[path] != before[path]} == rewritten
    assert sorted(after) == sorted(before)


def test_body_edit_outside_every_top_n_rewrites_nothing(site: Site) -> None:
    site.build()
    before = stats(site.output)

    site.edit("phones/old-phone.md", "from 2016", "from 2015")  # 4th in Phones, max_items 3
    report = site.build()

    assert report.publish.written == ()
    assert stats(site.output) == before


def test_jsonl_record_edit_rewrites_only_its_feeds(site: Site) -> None:
    site.build()
    before = stats(site.output)

    site.edit("exports/wire.jsonl", "scarce & late", "scarce and late")  # driver-shortage
    report = site.build()

    assert set(report.publish.written) == all_feeds("computing")
    after = stats(site.output)
    assert {path for path in after if after[path] != before[path]} == all_feeds("computing")


def test_title_edit_rewrites_feeds_and_pages_that_show_it(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.build()

    edit_title(site, monkeypatch)  # chip-news: Computing, in `all`'s top 3
    report = site.build()

    pages = {"feeds/all.html", "feeds/category/computing.html"}
    assert set(report.publish.written) == all_feeds("all", "computing") | pages


# --- 4. the last good version of an article that stops reading -----------------------------

# (good text, broken text, the field the error names)
BROKEN_DATE = ("date: 2026-11-01T09:00:00+01:00", "date: Nov 41, 2026 09:00", "date")
BROKEN_FRONT_MATTER = ("tags: [reviews]", "tags: [reviews", "front matter")


@pytest.mark.parametrize("breakage", [BROKEN_DATE, BROKEN_FRONT_MATTER], ids=["date", "yaml"])
def test_a_broken_article_keeps_its_last_good_version(
    breakage: tuple[str, str, str], site: Site, clean_output: CleanOutput
) -> None:
    site.edit("phones/pocket-review.md", "2026-11-01T09:00", "2026-11-24T09:00")  # in `all`
    site.build()
    published = snapshot(site.output)
    source = "content/phones/pocket-review.md"
    site.edit("phones/pocket-review.md", breakage[0].replace("11-01", "11-24"), breakage[1])
    site.edit("phones/pocket-review.md", "small and", "tiny and")  # never published

    report = site.build()
    assert report.kept == (source,)
    assert not report.complete
    assert [(p.source, p.field) for p in report.errors] == [(source, breakage[2])]
    assert snapshot(site.output) == published

    # still kept, still reported, on every build until fixed
    again = site.build()
    assert (again.kept, again.files_read, again.publish.written) == ((source,), 0, ())

    # a config change that reads every file again: the last good version survives it
    site.settings["categories"]["Phones"]["description"] = "Phones, and only phones"
    site.save_config()
    reread = site.build()
    assert (reread.kept, reread.files_read) == ((source,), 10)
    feed = (site.output / "feeds/all.atom.xml").read_text()
    assert "Pocket Phone Review" in feed and "small and" in feed and "tiny" not in feed

    # fixing it publishes the fixed version: a clean build again
    site.edit("phones/pocket-review.md", breakage[1], breakage[0].replace("11-01", "11-24"))
    fixed = site.build()
    assert fixed.complete and fixed.kept == ()
    assert "tiny and" in (site.output / "feeds/all.atom.xml").read_text()
    assert_same_output(snapshot(site.output), clean_output(site))


def test_the_cli_says_loudly_that_a_last_good_version_stays(site: Site) -> None:
    arguments = ["build", "--config", str(site.root / "config.yaml"), "--now", NOW.isoformat()]
    assert CliRunner().invoke(cli, arguments).exit_code == 0
    published = snapshot(site.output)
    site.edit("computing/chip-news.md", "date: 2026-11-05T12:00:00+01:00", "date: Nov 35, 2026")

    result = CliRunner().invoke(cli, arguments)

    assert result.exit_code == 1
    assert (
        "error: content/computing/chip-news.md: no longer reads; its last good version stays "
        "published until it is fixed (this output differs from a clean build)"
    ) in result.stderr
    assert "error: content/computing/chip-news.md: date 'Nov 35, 2026': " in result.stderr
    assert snapshot(site.output) == published


def test_deleting_a_broken_article_unpublishes_it(site: Site, clean_output: CleanOutput) -> None:
    site.build()
    site.edit("computing/chip-news.md", "date: 2026-11-05T12:00:00+01:00", "date: Nov 35, 2026")
    assert site.build().kept == ("content/computing/chip-news.md",)

    site.remove("computing/chip-news.md")
    report = site.build()

    assert report.complete and report.kept == ()
    assert "A New Chip" not in (site.output / "feeds/all.rss.xml").read_text()
    assert_same_output(snapshot(site.output), clean_output(site))


def test_a_broken_record_among_others_keeps_its_last_good_version(site: Site) -> None:
    site.build()
    before = snapshot(site.output)
    site.edit("exports/wire.jsonl", '"2026-11-10T16:00:00-05:00"', '"yesterday-ish"')
    site.edit("exports/wire.jsonl", '"Driver Shortage"', '"Driver Shortage Ends"')

    report = site.build()

    assert report.kept == ("content/exports/wire.jsonl:1",)
    after = snapshot(site.output)
    assert after["feeds/all.atom.xml"] == before["feeds/all.atom.xml"]  # launch-week kept
    assert "Driver Shortage Ends" in after["feeds/category/computing.atom.xml"].decode()


def test_a_broken_list_file_keeps_every_record(tmp_path: Path) -> None:
    records = [
        {"slug": "export-one", "title": "Export One", "date": "2026-11-23T08:00:00Z",
         "category": "Phones", "body": "First."},
        {"slug": "export-two", "title": "Export Two", "date": "2026-11-22T08:00:00Z",
         "category": "Security", "body": "Second."},
    ]  # fmt: skip
    site = make_site(tmp_path / "site", {**ARTICLES, "exports/cms.json": json.dumps(records)})
    site.build()
    published = snapshot(site.output)
    site.write("exports/cms.json", site.read("exports/cms.json")[:-5])  # cut off: not JSON

    report = site.build()

    assert report.kept == ("content/exports/cms.json#1", "content/exports/cms.json#2")
    assert [(p.source, p.field) for p in report.errors] == [("content/exports/cms.json", "file")]
    assert snapshot(site.output) == published


def test_an_unreadable_file_keeps_its_last_good_version(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.build()
    published = snapshot(site.output)
    broken = site.content / "computing/chip-news.md"
    read_content = feeds.reading.read_content

    def refuse(config: Config, relative: str, folder: OpenFolder | None = None) -> bytes:
        if relative == "computing/chip-news.md":
            raise PermissionError(13, "Permission denied")
        return read_content(config, relative, folder)

    monkeypatch.setattr(feeds.reading, "read_content", refuse)
    os.utime(broken, ns=(FIRST_MTIME_NS, FIRST_MTIME_NS))  # a stat change makes it read

    report = site.build()

    assert report.kept == ("content/computing/chip-news.md",)
    assert [str(p) for p in report.errors] == [
        "content/computing/chip-news.md: file: cannot be read: Permission denied"
    ]
    assert snapshot(site.output) == published
    monkeypatch.undo()
    assert site.build().complete


def test_a_kept_version_never_rendered_is_published_without_body(site: Site) -> None:
    """old-phone is 4th in Phones (max_items 3): no feed ever rendered its body."""
    site.build()
    site.edit("phones/old-phone.md", "date: 2026-09-01T08:00:00Z", "date: Sep 31, 2026")
    assert site.build().kept == ("content/phones/old-phone.md",)

    site.remove("phones/pocket-review.md")  # old-phone moves into the Phones feed
    report = site.build()

    assert report.kept == ("content/phones/old-phone.md",)
    assert [(p.source, p.field, p.level) for p in report.problems] == [
        ("content/phones/old-phone.md", "date", Level.ERROR),
        ("content/phones/old-phone.md", "body", Level.WARNING),
    ]
    feed = (site.output / "feeds/category/phones.atom.xml").read_text()
    assert "The Old Phone, Ten Years On" in feed
    assert "We dug out" not in feed


def test_an_article_that_never_read_is_skipped(site: Site) -> None:
    site.build()
    before = stats(site.output)
    site.write("phones/broken.md", "---\ntitle: Broken\ndate: someday\ncategory: Phones\n---\nx\n")

    report = site.build()

    assert report.kept == ()
    assert [p.source for p in report.errors] == ["content/phones/broken.md"]
    assert not report.complete
    assert stats(site.output) == before


def test_unchanged_articles_are_not_rendered_again(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entry content outlives builds that did not need it: after a no-change build, an edit
    renders the edited article's body only, though its feeds hold six other entries."""
    site.build()
    site.build()
    rendered: list[str] = []
    entry_content = feeds.contents.entry_content

    def counting(article: Article, iframe_hosts: tuple[str, ...] = ()) -> EntryContent:
        rendered.append(article.source)
        return entry_content(article, iframe_hosts)

    monkeypatch.setattr(feeds.contents, "entry_content", counting)
    edit_body(site, monkeypatch)

    report = site.build()

    assert set(report.publish.written) == all_feeds("all", "phones", "phones/accessories")
    assert rendered == ["content/phones/accessories/cases-roundup.txt"]


# --- 5. scheduled articles ------------------------------------------------------------------


def test_a_scheduled_article_appears_when_its_time_comes(
    site: Site, clean_output: CleanOutput
) -> None:
    site.build()
    later = datetime(2026, 12, 1, 8, 0, 1, tzinfo=UTC)

    report = site.build(now=later)

    assert report.files_read == 0
    assert report.scheduled == ()
    assert "Eclipse Preview" in (site.output / "feeds/category/science.atom.xml").read_text()
    assert "feeds/category/science.atom.xml" in report.publish.written
    assert_same_output(snapshot(site.output), clean_output(site, later))


# --- 6. stale feeds go; nothing else is touched -------------------------------------------


def test_a_category_that_no_longer_exists_loses_its_files(site: Site) -> None:
    site.build()
    (site.output / "robots.txt").write_text("User-agent: *\n")
    (site.output / "articles").mkdir()
    (site.output / "articles/index.html").write_text("<p>mine</p>\n")
    (site.output / "feeds/README.txt").write_text("not a feed\n")
    mine = {
        path: value
        for path, value in stats(site.output).items()
        if path in ("robots.txt", "articles/index.html", "feeds/README.txt")
    }
    assert len(mine) == 3

    site.remove("phones/accessories/cases-roundup.txt")  # the only Accessories article
    report = site.build()

    gone = all_feeds("phones/accessories") | {"feeds/category/phones/accessories.html"}
    assert set(report.publish.removed) == gone
    assert not (site.output / "feeds/category/phones").exists()  # the emptied folder too
    after = stats(site.output)
    assert {path: after[path] for path in mine} == mine
    assert (site.output / "robots.txt").read_text() == "User-agent: *\n"


def test_turning_pages_off_removes_the_pages_the_build_wrote(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.build()
    assert (site.output / "index.html").exists()
    config_no_pages(site, monkeypatch)

    report = site.build()

    assert "index.html" in report.publish.removed and "feeds.opml" in report.publish.removed
    assert not any(path.endswith(".html") for path in snapshot(site.output))


def test_turning_pages_off_keeps_a_page_someone_else_replaced(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.build()
    (site.output / "index.html").write_text("<p>the newsroom's own front page</p>\n")
    config_no_pages(site, monkeypatch)

    report = site.build()

    assert "index.html" not in report.publish.removed
    assert "feeds.opml" in report.publish.removed
    assert (site.output / "index.html").read_text() == "<p>the newsroom's own front page</p>\n"


# --- 7. dry run ------------------------------------------------------------------------------


def test_dry_run_reports_and_writes_nothing(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    site.build()
    before = stats(site.output)
    cache_before = (site.cache_file.stat().st_mtime_ns, site.cache_file.read_bytes())
    add_newest(site, monkeypatch)
    site.remove("phones/accessories/cases-roundup.txt")

    report = site.build(dry_run=True)

    assert report.dry_run
    assert set(report.publish.written) == all_feeds("all", "phones") | {
        "index.html",
        "feeds.opml",
        "feeds/all.html",
        "feeds/category/phones.html",
    }
    assert set(report.publish.removed) == all_feeds("phones/accessories") | {
        "feeds/category/phones/accessories.html"
    }
    assert stats(site.output) == before
    assert (site.cache_file.stat().st_mtime_ns, site.cache_file.read_bytes()) == cache_before
    # the real build then does what the dry run said
    real = site.build()
    assert (real.publish.written, real.publish.removed) == (
        report.publish.written,
        report.publish.removed,
    )


def test_dry_run_of_a_new_site_creates_no_output_and_no_cache(site: Site) -> None:
    report = site.build(dry_run=True)

    assert "feeds/all.atom.xml" in report.publish.written
    assert not site.output.exists()
    assert not site.cache_file.exists()
