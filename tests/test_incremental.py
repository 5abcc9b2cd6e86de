"""Incremental rebuilds (issue 4): a rebuild after any change equals a clean build of the same
content byte for byte, a rebuild with no change touches nothing, a one-article change rewrites
only the feeds that hold it, and a published article that stops reading keeps its last good
version (the one, reported, difference from a clean build).

Every test builds a small site in tmp_path (`make_site`): three formats of article files in
four categories, two levels deep in places, with `feeds.max_items: 3` so that moving an
article in or out of a feed's top three is a real change.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import feeds.build
import feeds.cache
import feeds.contents
from feeds.body import EntryContent
from feeds.build import BuildReport, build_site
from feeds.cache import CACHE_FILE
from feeds.cli import cli
from feeds.config import Config, load_config
from feeds.model import Article, Level

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
SITE_URL = "https://inc.example.org/"

SETTINGS: dict[str, Any] = {
    "site": {
        "title": "Incremental News",
        "url": SITE_URL,
        "description": "A fixture site for incremental builds",
        "language": "en",
        "timezone": "Europe/Berlin",
        "author": {"name": "The Desk", "email": "desk@inc.example.org"},
    },
    "content_dir": "content",
    "output_dir": "public",
    "feeds": {"max_items": 3},
    "categories": {
        "Phones": {"description": "Handsets and what goes with them", "aliases": ["Smartphones"]},
    },
    "text": {"drop_lines": [r"^More \S+ articles you might enjoy to read:"]},
}

# Newest first, the published articles are: launch-week (11-10, Science: Space), chip-news
# (11-05, Computing), cases-roundup (11-03, Phones: Accessories), pocket-review (11-01,
# Phones), phone-prices (10-20, Smartphones = Phones), old-phone (09-01, Phones), laptop-test
# (08-15, computing: Laptops), telescope (07-01, Science), driver-shortage (06-01, computing),
# patch-day (05-01, Security). Top three of `all`: launch-week, chip-news, cases-roundup.
# "computing" is spelled in lower case twice and capitalised once, so it shows in lower case.
ARTICLES: dict[str, str] = {
    "phones/pocket-review.md": """\
---
title: Pocket Phone Review
date: 2026-11-01T09:00:00+01:00
category: Phones
tags: [reviews]
---
The Pocket phone is small and **fast**.

See [the older model](../old-phone/).
""",
    "phones/phone-prices.md": """\
---
title: Smartphone Prices Fall
date: 2026-10-20 10:00
category: Smartphones
---
Prices of mid-range phones fell for the third quarter in a row.
""",
    "phones/old-phone.md": """\
---
title: The Old Phone, Ten Years On
date: 2026-09-01T08:00:00Z
category: Phones
---
We dug out a phone from 2016.
""",
    "phones/accessories/cases-roundup.txt": """\
Nov 3, 2026, 14:30 Phones: Accessories

Cases Roundup: Six Cases & a <Surprise>

Six cases went through a week of drops and scratches.

What We Tested
Every case fell from a table onto tiles ten times.

More inc.example articles you might enjoy to read:
""",
    "computing/chip-news.md": """\
---
title: A New Chip for Small Laptops
date: 2026-11-05T12:00:00+01:00
category: Computing
author: {name: Ann Example, email: ann@inc.example.org}
---
A chip maker announced a low-power processor.
""",
    "computing/laptops/laptop-test.txt": """\
Aug 15, 2026, 08:00 computing: Laptops

Three Laptops Under 800 Euros

Three laptops, one week, one winner.
""",
    "science/telescope.md": """\
---
title: A Telescope on the Roof
date: 2026-07-01T20:00:00+02:00
category: Science
---
The newsroom built a telescope.
""",
    "science/eclipse-preview.md": """\
---
title: Eclipse Preview
date: 2026-12-01T08:00:00Z
category: Science
---
Where to watch next year's eclipse.
""",
    "science/unfinished.md": """\
---
title: Unfinished Draft
date: 2026-11-20T08:00:00Z
category: Science
draft: true
---
Not yet.
""",
    "exports/wire.jsonl": (
        '{"slug": "launch-week", "title": "Launch Week", "date": "2026-11-10T16:00:00-05:00",'
        ' "category": "Science: Space", "body_format": "markdown",'
        ' "body": "Three rockets, *two* delays."}\n'
        '{"slug": "driver-shortage", "title": "Driver Shortage", "date": "2026-06-01 10:18",'
        ' "category": "computing", "body_format": "text",'
        ' "body": "Display drivers are scarce & late."}\n'
        '{"slug": "patch-day", "title": "Patch Day", "date": "2026-05-01T09:00:00Z",'
        ' "category": "Security", "body_format": "html",'
        ' "body": "<p>Update <b>now</b>.</p>"}\n'
    ),
}


def all_feeds(*keys: str, formats: tuple[str, ...] = ("rss", "atom")) -> set[str]:
    """The feed files of `all` and of the categories named by slug path."""
    stems = ["feeds/all" if key == "all" else f"feeds/category/{key}" for key in keys]
    suffixes = {"rss": ".rss.xml", "atom": ".atom.xml", "json": ".json"}
    return {stem + suffixes[fmt] for stem in stems for fmt in formats}


# Content files get distinct modification times a second apart, long past: an edit is then
# always visible in the mtime (as it is for an editor), and no stat is too fresh to be
# trusted (see feeds.reading.RACY_NS), whatever the speed of the machine running the tests.
FIRST_MTIME_NS = 1_767_225_600_000_000_000  # 2026-01-01T00:00:00Z


@dataclass
class Site:
    """A site folder: config.yaml, content/, and after a build public/ and .feeds/."""

    root: Path
    settings: dict[str, Any] = field(default_factory=dict)
    clock_ns: int = FIRST_MTIME_NS

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def output(self) -> Path:
        return self.root / "public"

    @property
    def cache_file(self) -> Path:
        return self.root / ".feeds" / CACHE_FILE

    def save_config(self) -> None:
        text = yaml.safe_dump(self.settings, allow_unicode=True, sort_keys=False)
        (self.root / "config.yaml").write_text(text, encoding="utf-8")

    def config(self) -> Config:
        return load_config(self.root / "config.yaml")

    def build(self, now: datetime = NOW, **options: Any) -> BuildReport:
        return build_site(self.config(), now=now, **options)

    def write(self, relative: str, text: str) -> None:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.clock_ns += 1_000_000_000
        os.utime(path, ns=(self.clock_ns, self.clock_ns))

    def read(self, relative: str) -> str:
        return (self.content / relative).read_text(encoding="utf-8")

    def edit(self, relative: str, old: str, new: str) -> None:
        text = self.read(relative)
        assert text.count(old) == 1, (relative, old)
        self.write(relative, text.replace(old, new))

    def remove(self, relative: str) -> None:
        (self.content / relative).unlink()

    def move(self, relative: str, to: str) -> None:
        target = self.content / to
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.content / relative, target)


def make_site(root: Path, articles: dict[str, str] | None = None) -> Site:
    """The fixture site in `root` (created), with `articles` (default ARTICLES) in content/."""
    root.mkdir(parents=True, exist_ok=True)
    site = Site(root, settings=yaml.safe_load(yaml.safe_dump(SETTINGS)))  # a deep copy
    site.save_config()
    for relative, text in (ARTICLES if articles is None else articles).items():
        site.write(relative, text)
    return site


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, by relative POSIX path."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def stats(folder: Path) -> dict[str, tuple[int, int]]:
    """(st_mtime_ns, st_ino) of every file below `folder`."""
    result = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            result[path.relative_to(folder).as_posix()] = (stat.st_mtime_ns, stat.st_ino)
    return result


def clean_build(site: Site, root: Path, now: datetime = NOW) -> dict[str, bytes]:
    """Build a copy of the site's config and content in `root` (fresh output and cache)."""
    root.mkdir(parents=True)
    shutil.copy2(site.root / "config.yaml", root / "config.yaml")
    shutil.copytree(site.content, root / "content")
    build_site(load_config(root / "config.yaml"), now=now)
    return snapshot(root / "public")


def assert_same_output(incremental: dict[str, bytes], clean: dict[str, bytes]) -> None:
    assert sorted(incremental) == sorted(clean)
    differing = [path for path in sorted(clean) if incremental[path] != clean[path]]
    assert differing == [], "files differ from a clean build: " + ", ".join(differing)


# --- 1. every kind of change gives the bytes of a clean build ------------------------------

Change = Callable[[Site, pytest.MonkeyPatch], None]


def add_newest(site: Site, _: pytest.MonkeyPatch) -> None:
    site.write(
        "phones/fold-phone.md",
        "---\ntitle: A Folding Phone\ndate: 2026-11-20T10:00:00+01:00\ncategory: Phones\n---\n"
        "It folds.\n",
    )


def add_in_new_category(site: Site, _: pytest.MonkeyPatch) -> None:
    site.write(
        "gaming/retro.txt",
        "Jan 2, 2020, 10:00 Gaming: Retro\n\nRetro Consoles Return\n\nThey are back.\n",
    )


def edit_body(site: Site, _: pytest.MonkeyPatch) -> None:
    site.edit("phones/accessories/cases-roundup.txt", "a week of drops", "a month of drops")


def edit_title(site: Site, _: pytest.MonkeyPatch) -> None:
    site.edit("computing/chip-news.md", "title: A New Chip", "title: A Newer Chip")


def edit_keeping_size_and_mtime(site: Site, _: pytest.MonkeyPatch) -> None:
    """Same size, old mtime restored (as `cp -p`, rsync -t or an unpacked archive do)."""
    path = site.content / "phones/pocket-review.md"
    before = path.stat()
    site.edit("phones/pocket-review.md", "small and", "light and")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


def delete(site: Site, _: pytest.MonkeyPatch) -> None:
    site.remove("computing/chip-news.md")


def rename(site: Site, _: pytest.MonkeyPatch) -> None:
    site.move("phones/pocket-review.md", "archive/2026/pocket-review.md")


def rename_text(site: Site, _: pytest.MonkeyPatch) -> None:
    site.move("phones/accessories/cases-roundup.txt", "cases-roundup.txt")


def recategorise(site: Site, _: pytest.MonkeyPatch) -> None:
    site.edit("science/telescope.md", "category: Science", 'category: "Computing: Laptops"')


def recategorise_empties_category(site: Site, _: pytest.MonkeyPatch) -> None:
    site.edit("exports/wire.jsonl", '"category": "Security"', '"category": "Science"')


def date_into_top(site: Site, _: pytest.MonkeyPatch) -> None:
    site.edit("phones/old-phone.md", "2026-09-01T08:00:00Z", "2026-11-25T08:00:00Z")


def date_out_of_top(site: Site, _: pytest.MonkeyPatch) -> None:
    site.edit("computing/chip-news.md", "2026-11-05T12:00:00+01:00", "2019-11-05T12:00:00+01:00")


def jsonl_edit_middle_record(site: Site, _: pytest.MonkeyPatch) -> None:
    site.edit("exports/wire.jsonl", '"Driver Shortage"', '"Driver Shortage Ends"')


def jsonl_insert_first_record(site: Site, _: pytest.MonkeyPatch) -> None:
    text = site.read("exports/wire.jsonl")
    record = (
        '{"slug": "wire-first", "title": "Wire First", "date": "2026-03-01T09:00:00Z",'
        ' "category": "Security", "body": "Inserted."}\n'
    )
    site.write("exports/wire.jsonl", record + text)


def duplicate_slug(site: Site, _: pytest.MonkeyPatch) -> None:
    """Two files with one slug: neither is published (an error, as in a clean build)."""
    site.write(
        "elsewhere/pocket-review.md",
        "---\ntitle: Copy\ndate: 2026-11-02T10:00:00Z\ncategory: Science\n---\nCopy.\n",
    )


def made_draft(site: Site, _: pytest.MonkeyPatch) -> None:
    site.edit("computing/chip-news.md", "category: Computing", "category: Computing\ndraft: true")


def spelling_flips(site: Site, _: pytest.MonkeyPatch) -> None:
    """Only laptop-test changes, yet chip-news's category label changes in `all`."""
    site.edit("computing/laptops/laptop-test.txt", "computing: Laptops", "Computing: Laptops")


def config_site_title(site: Site, _: pytest.MonkeyPatch) -> None:
    site.settings["site"]["title"] = "Incremental News Daily"
    site.save_config()


def config_max_items(site: Site, _: pytest.MonkeyPatch) -> None:
    site.settings["feeds"]["max_items"] = 2
    site.save_config()


def config_drop_lines(site: Site, _: pytest.MonkeyPatch) -> None:
    site.settings["text"]["drop_lines"] = []
    site.save_config()


def config_alias_removed(site: Site, _: pytest.MonkeyPatch) -> None:
    site.settings["categories"]["Phones"]["aliases"] = []
    site.save_config()


def config_category_description(site: Site, _: pytest.MonkeyPatch) -> None:
    site.settings["categories"]["Phones"]["description"] = "Phones, and only phones"
    site.save_config()


def config_timezone(site: Site, _: pytest.MonkeyPatch) -> None:
    site.settings["site"]["timezone"] = "America/New_York"
    site.save_config()


def config_permalink(site: Site, _: pytest.MonkeyPatch) -> None:
    site.settings["site"]["permalink"] = "{url}{year}/{slug}.html"
    site.save_config()


def config_formats(site: Site, _: pytest.MonkeyPatch) -> None:
    site.settings["feeds"]["formats"] = ["atom", "json"]
    site.save_config()


def config_archive(site: Site, _: pytest.MonkeyPatch) -> None:
    site.settings["feeds"].update(archive=True, archive_page_size=2)
    site.save_config()


def config_hub(site: Site, _: pytest.MonkeyPatch) -> None:
    site.settings["websub"] = {"hub": "https://hub.example.net/"}
    site.save_config()


def config_stylesheet(site: Site, _: pytest.MonkeyPatch) -> None:
    site.settings["feeds"]["stylesheet"] = "/feed.xsl"
    site.save_config()


def config_feeds_url(site: Site, _: pytest.MonkeyPatch) -> None:
    site.settings["site"]["feeds_url"] = "https://feeds.inc.example.org/"
    site.save_config()


def config_no_pages(site: Site, _: pytest.MonkeyPatch) -> None:
    site.settings["feeds"]["pages"] = False
    site.save_config()


def config_dayfirst(site: Site, _: pytest.MonkeyPatch) -> None:
    site.settings["dates"] = {"dayfirst": True}
    site.save_config()
    site.edit("phones/old-phone.md", "2026-09-01T08:00:00Z", "03/11/2026 08:00")


def cache_deleted(site: Site, _: pytest.MonkeyPatch) -> None:
    site.cache_file.unlink()
    edit_body(site, _)


def cache_garbage(site: Site, _: pytest.MonkeyPatch) -> None:
    site.cache_file.write_bytes(b"\x00\xffnot a pickle at all\n" * 50)
    edit_body(site, _)


def cache_truncated(site: Site, _: pytest.MonkeyPatch) -> None:
    data = site.cache_file.read_bytes()
    site.cache_file.write_bytes(data[: len(data) // 2])
    edit_body(site, _)


def cache_of_another_shape(site: Site, _: pytest.MonkeyPatch) -> None:
    site.cache_file.write_bytes(pickle.dumps((feeds.cache.CACHE_VERSION, {"files": {}})))
    edit_body(site, _)


def cache_of_another_version(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feeds.cache, "CACHE_VERSION", "feeds-cache-9.9.9-1")
    edit_body(site, monkeypatch)


CHANGES: dict[str, Change] = {
    change.__name__: change
    for change in (
        add_newest,
        add_in_new_category,
        edit_body,
        edit_title,
        edit_keeping_size_and_mtime,
        delete,
        rename,
        rename_text,
        recategorise,
        recategorise_empties_category,
        date_into_top,
        date_out_of_top,
        jsonl_edit_middle_record,
        jsonl_insert_first_record,
        duplicate_slug,
        made_draft,
        spelling_flips,
        config_site_title,
        config_max_items,
        config_drop_lines,
        config_alias_removed,
        config_category_description,
        config_timezone,
        config_permalink,
        config_formats,
        config_archive,
        config_hub,
        config_stylesheet,
        config_feeds_url,
        config_no_pages,
        config_dayfirst,
        cache_deleted,
        cache_garbage,
        cache_truncated,
        cache_of_another_shape,
        cache_of_another_version,
    )
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_incremental_build_equals_clean_build(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(tmp_path / "site")
    first = site.build()
    assert first.complete, first.problems
    before = snapshot(site.output)

    CHANGES[name](site, monkeypatch)
    report = site.build()

    if name == "duplicate_slug":
        assert [p.field for p in report.problems] == ["slug"]
    else:
        assert report.complete, (report.problems, report.findings, report.kept)
    after = snapshot(site.output)
    if name.startswith("rename"):  # sources are not in the output: nothing to rewrite
        assert (report.publish.written, after) == ((), before)
    else:
        assert after != before  # the change is visible in the output
    assert_same_output(after, clean_build(site, tmp_path / "clean"))
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
}
BASE_CHANGES = (
    "add_newest",
    "add_in_new_category",
    "delete",
    "date_out_of_top",
    "jsonl_edit_middle_record",
    "edit_body",
    "config_max_items",
)


@pytest.mark.parametrize("base", sorted(BASES))
@pytest.mark.parametrize("name", BASE_CHANGES)
def test_incremental_build_equals_clean_build_under_other_feed_settings(
    base: str, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(tmp_path / "site")
    site.settings["feeds"].update(BASES[base])
    site.save_config()
    first = site.build()
    assert not first.problems and not first.findings
    if base == "json_max_bytes":
        assert first.cut  # the budget is small enough to cut some feed
    else:
        assert "feeds/archive/category/phones/1.atom.xml" in first.publish.written

    CHANGES[name](site, monkeypatch)
    report = site.build()

    assert not report.problems and not report.findings and not report.kept
    assert_same_output(snapshot(site.output), clean_build(site, tmp_path / "clean"))
    settled = stats(site.output)
    again = site.build()
    assert (again.files_read, again.publish.written, again.cut) == (0, (), report.cut)
    assert stats(site.output) == settled


@pytest.mark.parametrize("name", ["cache_deleted", "cache_garbage", "cache_truncated"])
def test_a_lost_cache_rewrites_nothing(name: str, tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
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


def test_two_files_swapping_names(tmp_path: Path) -> None:
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
    assert_same_output(snapshot(site.output), clean_build(site, tmp_path / "clean"))
    gaming = (site.output / "feeds/category/gaming.atom.xml").read_text()
    assert f"{SITE_URL}articles/a/" in gaming and f"{SITE_URL}articles/b/" not in gaming


def test_a_file_written_just_before_a_build_is_hashed_again_next_time(tmp_path: Path) -> None:
    """Its stat may not show a second write within the same timestamp granule."""
    site = make_site(tmp_path / "site")
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


def test_touch_reads_the_file_but_writes_nothing(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    site.build()
    before = stats(site.output)
    path = site.content / "phones/pocket-review.md"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))

    report = site.build()

    assert report.files_read == 1
    assert report.publish.written == ()
    assert stats(site.output) == before


# --- 2. no change, no touch -------------------------------------------------------------


def test_rebuild_without_change_touches_nothing(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
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
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(tmp_path / "site")
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


def test_body_edit_outside_every_top_n_rewrites_nothing(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    site.build()
    before = stats(site.output)

    site.edit("phones/old-phone.md", "from 2016", "from 2015")  # 4th in Phones, max_items 3
    report = site.build()

    assert report.publish.written == ()
    assert stats(site.output) == before


def test_jsonl_record_edit_rewrites_only_its_feeds(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    site.build()
    before = stats(site.output)

    site.edit("exports/wire.jsonl", "scarce & late", "scarce and late")  # driver-shortage
    report = site.build()

    assert set(report.publish.written) == all_feeds("computing")
    after = stats(site.output)
    assert {path for path in after if after[path] != before[path]} == all_feeds("computing")


def test_title_edit_rewrites_feeds_and_pages_that_show_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(tmp_path / "site")
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
    breakage: tuple[str, str, str], tmp_path: Path
) -> None:
    site = make_site(tmp_path / "site")
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
    assert_same_output(snapshot(site.output), clean_build(site, tmp_path / "clean"))


def test_the_cli_says_loudly_that_a_last_good_version_stays(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
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


def test_deleting_a_broken_article_unpublishes_it(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    site.build()
    site.edit("computing/chip-news.md", "date: 2026-11-05T12:00:00+01:00", "date: Nov 35, 2026")
    assert site.build().kept == ("content/computing/chip-news.md",)

    site.remove("computing/chip-news.md")
    report = site.build()

    assert report.complete and report.kept == ()
    assert "A New Chip" not in (site.output / "feeds/all.rss.xml").read_text()
    assert_same_output(snapshot(site.output), clean_build(site, tmp_path / "clean"))


def test_a_broken_record_among_others_keeps_its_last_good_version(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
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
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(tmp_path / "site")
    site.build()
    published = snapshot(site.output)
    broken = site.content / "computing/chip-news.md"
    read_bytes = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path == broken:
            raise PermissionError(13, "Permission denied")
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    os.utime(broken, ns=(FIRST_MTIME_NS, FIRST_MTIME_NS))  # a stat change makes it read

    report = site.build()

    assert report.kept == ("content/computing/chip-news.md",)
    assert [str(p) for p in report.errors] == [
        "content/computing/chip-news.md: file: cannot be read: Permission denied"
    ]
    assert snapshot(site.output) == published
    monkeypatch.undo()
    assert site.build().complete


def test_a_kept_version_never_rendered_is_published_without_body(tmp_path: Path) -> None:
    """old-phone is 4th in Phones (max_items 3): no feed ever rendered its body."""
    site = make_site(tmp_path / "site")
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


def test_an_article_that_never_read_is_skipped(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    site.build()
    before = stats(site.output)
    site.write("phones/broken.md", "---\ntitle: Broken\ndate: someday\ncategory: Phones\n---\nx\n")

    report = site.build()

    assert report.kept == ()
    assert [p.source for p in report.errors] == ["content/phones/broken.md"]
    assert not report.complete
    assert stats(site.output) == before


def test_unchanged_articles_are_not_rendered_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entry content outlives builds that did not need it: after a no-change build, an edit
    renders the edited article's body only, though its feeds hold six other entries."""
    site = make_site(tmp_path / "site")
    site.build()
    site.build()
    rendered: list[str] = []
    entry_content = feeds.contents.entry_content

    def counting(article: Article) -> EntryContent:
        rendered.append(article.source)
        return entry_content(article)

    monkeypatch.setattr(feeds.contents, "entry_content", counting)
    edit_body(site, monkeypatch)

    report = site.build()

    assert set(report.publish.written) == all_feeds("all", "phones", "phones/accessories")
    assert rendered == ["content/phones/accessories/cases-roundup.txt"]


# --- 5. scheduled articles ------------------------------------------------------------------


def test_a_scheduled_article_appears_when_its_time_comes(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    site.build()
    later = datetime(2026, 12, 1, 8, 0, 1, tzinfo=UTC)

    report = site.build(now=later)

    assert report.files_read == 0
    assert report.scheduled == ()
    assert "Eclipse Preview" in (site.output / "feeds/category/science.atom.xml").read_text()
    assert "feeds/category/science.atom.xml" in report.publish.written
    assert_same_output(snapshot(site.output), clean_build(site, tmp_path / "clean", later))


# --- 6. stale feeds go; nothing else is touched -------------------------------------------


def test_a_category_that_no_longer_exists_loses_its_files(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
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
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(tmp_path / "site")
    site.build()
    assert (site.output / "index.html").exists()
    config_no_pages(site, monkeypatch)

    report = site.build()

    assert "index.html" in report.publish.removed and "feeds.opml" in report.publish.removed
    assert not any(path.endswith(".html") for path in snapshot(site.output))


def test_turning_pages_off_keeps_a_page_someone_else_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(tmp_path / "site")
    site.build()
    (site.output / "index.html").write_text("<p>the newsroom's own front page</p>\n")
    config_no_pages(site, monkeypatch)

    report = site.build()

    assert "index.html" not in report.publish.removed
    assert "feeds.opml" in report.publish.removed
    assert (site.output / "index.html").read_text() == "<p>the newsroom's own front page</p>\n"


# --- 7. dry run ------------------------------------------------------------------------------


def test_dry_run_reports_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(tmp_path / "site")
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


def test_dry_run_of_a_new_site_creates_no_output_and_no_cache(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")

    report = site.build(dry_run=True)

    assert "feeds/all.atom.xml" in report.publish.written
    assert not site.output.exists()
    assert not site.cache_file.exists()
