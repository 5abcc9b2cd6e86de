"""The fixture site shared by the build, cache, incremental and parallel tests, and the
helpers that compare its output with a clean build's.

`make_site(root)` writes a small site in `root`: three formats of article files in four
categories, two levels deep in places, with `feeds.max_items: 3` so that moving an article
in or out of a feed's top three is a real change. `CHANGES` is every kind of change the
incremental build must get right, each a function of the site (and a monkeypatch, for the
changes that need one). The `site` and `clean_output` fixtures of conftest.py use these.
`refuse_in_lint` makes the validation gate refuse chosen feed files.
"""

from __future__ import annotations

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

import feeds.cache
import feeds.validate.check
from feeds.build import BuildReport, build_site
from feeds.cache import CACHE_FILE
from feeds.config import Config, load_config
from feeds.findings import Finding, Severity

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
    clean_report(site, root, now)
    return snapshot(root / "public")


def clean_report(site: Site, root: Path, now: datetime = NOW) -> BuildReport:
    """`clean_build`'s build, its report."""
    root.mkdir(parents=True)
    shutil.copy2(site.root / "config.yaml", root / "config.yaml")
    shutil.copytree(site.content, root / "content")
    return build_site(load_config(root / "config.yaml"), now=now)


# The `clean_output` fixture (conftest.py): `clean_output(site, now=NOW)` is `clean_build` of
# the site in a new folder below tmp_path.
CleanOutput = Callable[..., dict[str, bytes]]


def assert_same_output(incremental: dict[str, bytes], clean: dict[str, bytes]) -> None:
    assert sorted(incremental) == sorted(clean)
    differing = [path for path in sorted(clean) if incremental[path] != clean[path]]
    assert differing == [], "files differ from a clean build: " + ", ".join(differing)


# --- every kind of change (an incremental build must give the bytes of a clean build) -------

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


def author_added(site: Site, _: pytest.MonkeyPatch) -> None:
    """A second author on chip-news (issue 16), without an email."""
    site.edit(
        "computing/chip-news.md",
        "author: {name: Ann Example, email: ann@inc.example.org}",
        # Bo first: feedparser would give Bo Ann's email after her (a reader warning)
        "authors: [Bo Example, {name: Ann Example, email: ann@inc.example.org}]",
    )


def author_edited(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    author_added(site, monkeypatch)
    site.build()
    site.edit("computing/chip-news.md", "[Bo Example,", "[Bo Exemplar,")


def author_removed(site: Site, _: pytest.MonkeyPatch) -> None:
    site.edit(
        "computing/chip-news.md", "author: {name: Ann Example, email: ann@inc.example.org}\n", ""
    )


def tag_added(site: Site, _: pytest.MonkeyPatch) -> None:
    """pocket-review gains a tag; chip-news gets its first (issue 16)."""
    site.edit("phones/pocket-review.md", "tags: [reviews]", "tags: [reviews, hands-on]")
    site.edit("computing/chip-news.md", "category: Computing", "category: Computing\ntags: [chips]")


def tag_edited(site: Site, _: pytest.MonkeyPatch) -> None:
    site.edit("phones/pocket-review.md", "tags: [reviews]", "tags: [Reviews of phones]")


def tag_removed(site: Site, _: pytest.MonkeyPatch) -> None:
    site.edit("phones/pocket-review.md", "tags: [reviews]\n", "")


def lang_added(site: Site, _: pytest.MonkeyPatch) -> None:
    """telescope is in German (issue 16): with feeds.by_language, two language sets appear."""
    site.edit("science/telescope.md", "category: Science", "category: Science\nlang: de")


def lang_edited(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    lang_added(site, monkeypatch)
    site.build()
    site.edit("science/telescope.md", "lang: de", "lang: fr-CA")


def lang_removed(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two German articles, then one is English again (the German set shrinks)."""
    lang_added(site, monkeypatch)
    site.edit("phones/pocket-review.md", "category: Phones", "category: Phones\nlang: de")
    site.build()
    site.edit("science/telescope.md", "\nlang: de", "")


def config_allow_iframes(site: Site, _: pytest.MonkeyPatch) -> None:
    """An embed in a new article, then its host allowed (issue 16): the entry HTML changes."""
    site.write(
        "science/embed.md",
        "---\ntitle: Watch the launch\ndate: 2026-11-25T10:00:00Z\ncategory: Science\n---\n"
        '<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>\n',
    )
    site.build()
    site.settings["html"] = {"allow_iframes": ["www.youtube-nocookie.com"]}
    site.save_config()


def feed_false(site: Site, _: pytest.MonkeyPatch) -> None:
    """chip-news leaves every feed, still a valid record (issue 16)."""
    site.edit("computing/chip-news.md", "category: Computing", "category: Computing\nfeed: false")


def config_exclude_categories(site: Site, _: pytest.MonkeyPatch) -> None:
    site.settings["feeds"]["exclude_categories"] = ["Science"]
    site.save_config()


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


# Changes that give published articles new ids on purpose: their builds pass
# `accept_new_ids=True` (issue 11: otherwise the build stops before re-sending them).
NEW_IDS = {"config_permalink"}


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
        author_added,
        author_edited,
        author_removed,
        tag_added,
        tag_edited,
        tag_removed,
        lang_added,
        lang_edited,
        lang_removed,
        config_allow_iframes,
        feed_false,
        config_exclude_categories,
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


# --- the validation gate ----------------------------------------------------------------------


def refuse_in_lint(monkeypatch: pytest.MonkeyPatch, *fragments: str) -> None:
    """Make the linter fail every feed file whose name contains one of `fragments` with an
    error (rule `Injected`); other files are linted as usual. The build checks each feed file
    with `feeds.validate.check.check_file`, which looks the linter up as
    `feeds.validate.check.lint_feed`, the one name patched."""
    real = feeds.validate.check.lint_feed

    def lint(
        data: bytes, file: str, *, strict: bool = False, iframe_hosts: tuple[str, ...] = ()
    ) -> list[Finding]:
        if any(fragment in file for fragment in fragments):
            return [Finding(file, "Injected", Severity.ERROR, "refused by the test")]
        return real(data, file, strict=strict, iframe_hosts=iframe_hosts)

    monkeypatch.setattr(feeds.validate.check, "lint_feed", lint)


def feed_findings(findings: list[Finding]) -> list[Finding]:
    """`validate_site`'s findings about the published files, without the content problems it
    repeats from the build (`ContentProblem`, `KeptLastGood`)."""
    return [f for f in findings if f.rule not in ("ContentProblem", "KeptLastGood")]


def resident_counts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int | None, int]]:
    """Each build's changed-stat count as a resident gives it (None: not known) beside a pass
    over every stat (`buildwork.changed_stats`), as the builds ask for them (issue 14)."""
    from feeds.buildwork import Stats, changed_stats
    from feeds.cache import Manifest
    from feeds.resident import Resident

    answers: list[tuple[int | None, int]] = []
    counted = Resident.changed_count

    def checked(self: Resident, manifest: Manifest | None, files: Stats) -> int | None:
        answers.append((counted(self, manifest, files), changed_stats(manifest, files)))
        return answers[-1][0]

    monkeypatch.setattr(Resident, "changed_count", checked)
    return answers
