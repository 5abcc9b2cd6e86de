"""The build cache (`feeds.cache`) and the answers it lets a build give fast: records pickled
by constructor, a store of shard files of which a change rewrites only a few, damage that
means a clean build with the same bytes, the round-trip memo kept for the next build, and a
build with nothing to do answered from the manifest alone, exactly as a full build would."""

from __future__ import annotations

import dataclasses
import errno
import os
import pickle
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from factories import make_article
from sites import (
    CHANGES,
    NOW,
    CleanOutput,
    Site,
    assert_same_output,
    snapshot,
    stats,
)

import feeds.build
import feeds.buildstate
import feeds.cache
import feeds.contentfiles
import feeds.validate.xml_reader
from feeds.body import EntryContent
from feeds.cache import (
    CACHE_FILE,
    STORE_DIR,
    FileState,
    Summary,
    load_cache,
    load_manifest,
    load_store,
)
from feeds.codec import dumps
from feeds.keys import content_key
from feeds.model import Author, Enclosure, Level, Problem
from feeds.storewrite import save_cache


def store_files(site: Site) -> dict[str, int]:
    """The store's shard files and their inode (a rewritten file is a new file)."""
    folder = site.root / ".feeds" / STORE_DIR
    return {path.name: path.stat().st_ino for path in folder.iterdir()}


# --- records ------------------------------------------------------------------------------


def test_records_pickled_by_constructor_come_back_equal() -> None:
    article = make_article(
        "full",
        body="",
        tags=("a", "b"),
        authors=(Author("Ann", "ann@example.org"),),
        summary="Short.",
        image="https://news.example.org/i.png",
        enclosure=Enclosure("https://news.example.org/a.mp3", "audio/mpeg", 12),
    )
    state = FileState(
        1, 2, 3, 4, "d", (Problem("s", "f", "v", "m", Level.WARNING),), (article,), ("k",), (), True
    )
    content = EntryContent(html="<p>x</p>", summary="x")

    back = pickle.loads(dumps((article, state, content)))

    assert back == (article, state, content)
    assert back[1].good[0].categories[0].names == ("Phones",)  # names are not compared by ==


def test_the_content_key_follows_what_entry_content_reads() -> None:
    article = make_article("one", body="Body.")
    key = content_key(article)
    assert content_key(dataclasses.replace(article, title="Other")) == key
    assert content_key(dataclasses.replace(article, body="Body!")) != key
    assert content_key(dataclasses.replace(article, summary="S")) != key
    assert content_key(dataclasses.replace(article, link=article.link + "x")) != key
    # the body's length is part of the head: no body/link confusion by concatenation
    assert content_key(dataclasses.replace(article, body="")) != key


@pytest.mark.parametrize(
    ("now", "covered"),
    [
        (datetime(2026, 1, 1, tzinfo=UTC), True),  # latest itself
        (datetime(2026, 1, 31, 23, 59, tzinfo=UTC), True),
        (datetime(2026, 2, 1, tzinfo=UTC), False),  # the next article is due
        (datetime(2025, 12, 31, 23, 59, tzinfo=UTC), False),  # the latest would not be due
    ],
)
def test_a_summary_covers_the_times_with_the_same_articles_due(
    now: datetime, covered: bool
) -> None:
    summary = Summary(
        files_total=1,
        articles=1,
        drafts=0,
        scheduled=(),
        problems=(),
        kept=(),
        cut=(),
        feeds_total=2,
        planned=(),
        latest=datetime(2026, 1, 1, tzinfo=UTC),
        next_due=datetime(2026, 2, 1, tzinfo=UTC),
    )
    assert summary.covers(now) is covered
    assert dataclasses.replace(summary, latest=None, next_due=None).covers(now)


# --- the store ------------------------------------------------------------------------------


def test_a_one_article_edit_rewrites_a_few_shards_and_reuses_the_others(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.build()
    before = store_files(site)
    assert len(before) > 20

    CHANGES["edit_body"](site, monkeypatch)  # cases-roundup: in all, phones, accessories
    site.build()

    after = store_files(site)
    kept = {name for name in after if before.get(name) == after[name]}
    new = set(after) - kept
    # one file shard, one content shard, six memo shards (3 feeds x 2 formats), feed memo
    assert 0 < len(new) <= 10
    assert len(kept) >= len(before) - len(new)
    assert set(before) - set(after) == set(before) - kept  # replaced files are removed


def test_a_touch_rewrites_only_the_manifest_and_one_shard(site: Site) -> None:
    site.build()
    before = store_files(site)
    path = site.content / "phones/old-phone.md"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))

    report = site.build()

    assert (report.files_read, report.publish.written) == (1, ())
    after = store_files(site)
    assert len(set(after.items()) - set(before.items())) == 1  # the shard with its stat
    assert site.build().files_read == 0  # the new stat is trusted


@pytest.mark.parametrize("damage", ["garbage", "missing"])
def test_a_damaged_shard_means_every_file_is_read_again(
    damage: str, site: Site, clean_output: CleanOutput
) -> None:
    site.build()
    published = stats(site.output)
    manifest = load_manifest(site.root / ".feeds")
    assert manifest is not None
    shard = site.root / ".feeds" / STORE_DIR / manifest.store["files/00"]
    if damage == "garbage":
        shard.write_bytes(b"\x80\x05not a pickle")
    else:
        shard.unlink()
    site.edit("phones/old-phone.md", "from 2016", "from 2015")  # not in any feed's top 3

    report = site.build()

    assert report.files_read == report.files_total == 10
    assert report.publish.written == () and stats(site.output) == published
    assert_same_output(snapshot(site.output), clean_output(site))


def test_a_damaged_memo_shard_is_parsed_again(
    site: Site, clean_output: CleanOutput, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.build()
    for path in (site.root / ".feeds" / STORE_DIR).iterdir():
        path.write_bytes(b"\x80\x05junk")  # every shard: files too, so all is read again
    CHANGES["edit_body"](site, monkeypatch)

    report = site.build()

    assert report.complete
    assert_same_output(snapshot(site.output), clean_output(site))


def test_the_store_written_by_another_version_is_ignored(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.build()
    monkeypatch.setattr(feeds.cache, "CACHE_VERSION", "feeds-cache-0.0.0-1")

    report = site.build()

    assert report.files_read == 10
    assert load_cache(site.root / ".feeds").files.keys() == {
        relative for relative, _ in feeds.contentfiles.scan_content(site.content)
    }


def test_leftovers_of_killed_builds_go_at_the_next_save(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.build()
    leftovers = [
        site.root / ".feeds" / ".cache-abc123.tmp",
        site.root / ".feeds" / STORE_DIR / ".cache-def456.tmp",
        site.root / ".feeds" / STORE_DIR / "0123456789abcdef.pickle",  # named by no manifest
    ]
    for path in leftovers:
        path.write_bytes(b"half written")
    unrelated = site.root / ".feeds" / "notes.txt"
    unrelated.write_text("mine\n")

    CHANGES["edit_title"](site, monkeypatch)
    site.build()

    assert [path for path in leftovers if path.exists()] == []
    assert unrelated.read_text() == "mine\n"


def test_a_cache_that_cannot_be_saved_is_an_error_in_the_report(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_args: Any, **_kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(feeds.buildstate, "save_cache", full)
    report = site.build()

    assert [str(p) for p in report.errors] == [
        ".feeds: cache: cannot be saved: No space left on device (ENOSPC): the disk is full; "
        "free some space and build again (the feeds are published; the next build does this "
        "one's work again)"
    ]
    assert not report.complete
    assert "feeds/all.atom.xml" in report.publish.written
    assert (site.output / "feeds/all.atom.xml").exists()


# --- the round-trip memo kept for the next build -------------------------------------------


def test_a_body_edit_parses_only_the_edited_entry(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.build()
    parsed: list[object] = []
    entry_view = feeds.validate.xml_reader.entry_view

    def counting(entry: object) -> object:
        parsed.append(entry)
        return entry_view(entry)

    monkeypatch.setattr(feeds.validate.xml_reader, "entry_view", counting)
    CHANGES["edit_body"](site, monkeypatch)  # in 3 feeds x 2 formats, 3 entries each

    report = site.build()

    assert len(report.publish.written) == 6
    assert len(parsed) == 2  # its new entry, once per format; the other entries are memoised


# --- nothing to do ------------------------------------------------------------------------------


def forget_last_summary(site: Site) -> None:
    """Take the last build's summary out of the cache, through the cache's own load and save:
    with no summary to answer from, the next build does the full work, with everything else
    the cache holds (the summary is read by the nothing-changed answer only)."""
    folder = site.root / ".feeds"
    before = load_cache(folder)
    save_cache(folder, dataclasses.replace(before, summary=None), before)
    assert before.manifest is not None and before.manifest.summary is not None
    assert load_manifest(folder) == dataclasses.replace(before.manifest, summary=None)


def comparable(report: feeds.build.BuildReport) -> tuple[object, ...]:
    return dataclasses.astuple(report)


@pytest.mark.parametrize("name", ["plain", "a broken article kept", "cut by max_bytes", "draft"])
def test_the_answer_to_nothing_changed_is_what_a_full_build_reports(
    name: str, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    if name == "cut by max_bytes":
        site.settings["feeds"].update(formats=["rss", "atom", "json"], max_bytes=2600)
        site.save_config()
    site.build()
    if name == "a broken article kept":
        site.edit("computing/chip-news.md", "date: 2026-11-05T12:00:00+01:00", "date: Nov 35")
        site.build()
    if name == "draft":
        CHANGES["made_draft"](site, monkeypatch)
        site.build()
    cache_file = site.root / ".feeds" / CACHE_FILE
    cache_before = (cache_file.stat().st_mtime_ns, cache_file.read_bytes())

    def no_store(*_args: Any) -> None:
        raise AssertionError("the store was read")

    with monkeypatch.context() as patched:
        patched.setattr(feeds.build, "load_store", no_store)
        fast = site.build()
    assert (cache_file.stat().st_mtime_ns, cache_file.read_bytes()) == cache_before
    forget_last_summary(site)
    stores_read: list[object] = []

    def counted_store(*args: Any) -> feeds.cache.BuildCache:
        stores_read.append(args)
        return load_store(*args)

    monkeypatch.setattr(feeds.build, "load_store", counted_store)
    full = site.build()

    assert len(stores_read) == 1  # the full build, not the answer from the manifest
    assert comparable(fast) == comparable(full)
    assert fast.files_read == 0 and fast.publish.written == ()
    assert cache_file.read_bytes() == cache_before[1]  # the full build saved the same summary


@pytest.mark.parametrize(
    "change",
    ["feed file deleted", "feed file edited", "stray feed file", "page deleted", "strict"],
)
def test_what_the_answer_to_nothing_changed_checks(
    change: str, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.build()
    published = snapshot(site.output)
    if change == "feed file deleted":
        (site.output / "feeds/category/science.rss.xml").unlink()
    elif change == "feed file edited":
        (site.output / "feeds/all.atom.xml").write_bytes(b"<feed/>")
    elif change == "stray feed file":
        (site.output / "feeds/category/old.rss.xml").write_bytes(b"<rss/>")
    elif change == "page deleted":
        (site.output / "index.html").unlink()

    report = site.build(strict=change == "strict")

    if change == "strict":  # nothing wrong: strict changes nothing
        assert (report.strict_blocked, report.publish.written) == (False, ())
    elif change == "stray feed file":  # feeds did not write it: left in place (issue 11)
        assert report.publish.removed == ()
        assert [w.source.endswith("feeds/category/old.rss.xml") for w in report.warnings] == [True]
        assert (site.output / "feeds/category/old.rss.xml").read_bytes() == b"<rss/>"
        (site.output / "feeds/category/old.rss.xml").unlink()
    else:
        assert len(report.publish.written) == 1
    assert snapshot(site.output) == published


def test_the_clock_going_back_before_the_newest_article_is_not_nothing(
    site: Site, clean_output: CleanOutput
) -> None:
    """launch-week is dated 2026-11-10 21:00 UTC: built as of the 9th it is scheduled."""
    site.build()
    earlier = datetime(2026, 11, 9, 12, tzinfo=UTC)

    report = site.build(now=earlier)

    assert [a.slug for a in report.scheduled] == ["launch-week", "eclipse-preview"]
    assert "Launch Week" not in (site.output / "feeds/all.atom.xml").read_text()
    assert_same_output(snapshot(site.output), clean_output(site, earlier))
    # and back to now: the article is published again
    site.build(now=NOW + timedelta(seconds=1))
    assert "Launch Week" in (site.output / "feeds/all.atom.xml").read_text()
