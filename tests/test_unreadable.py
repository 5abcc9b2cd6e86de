"""A content folder the build cannot list (no permission, an I/O error) is named in a
warning, and what the last build read below it stays published as it was: one folder's
permissions never stop the build or take its articles out of the feeds.

As root every folder is readable, so most tests here deny one by replacing `os.open` (and
`os.scandir`, for a listing that fails part-way); the last test takes the permission away
for real and runs only as another user.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sites import NOW, CleanOutput, Site, assert_same_output, snapshot

import feeds.scanshares
from feeds.build import validate_site
from feeds.config import ConfigError
from feeds.contentfiles import Skipped, scan_content, with_unread_kept
from feeds.model import FileStat, Level
from feeds.resident import Resident

DENIED = "phones/accessories"  # cases-roundup: third newest, in the top three of `all`


def deny(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Opening `folder`, or anything below it, fails as it does without permission."""
    real_open = os.open
    below = os.fspath(folder)

    def refused(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        where = os.fspath(path) if not isinstance(path, int) else ""
        if where == below or where.startswith(below + os.sep):
            raise PermissionError(errno.EACCES, "Permission denied", where)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refused)


def warnings_of(problems: Any) -> list[tuple[str, str]]:
    return [(p.source, p.message) for p in problems if p.level is Level.WARNING]


def test_a_folder_that_cannot_be_listed_is_named_and_nothing_below_it_is_found(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    deny(monkeypatch, site.content / DENIED)
    skipped: Skipped = []
    unreadable: list[str] = []
    found = scan_content(site.content, skipped, unreadable=unreadable)
    paths = [relative for relative, _ in found]
    assert "phones/pocket-review.md" in paths and "science/telescope.md" in paths
    assert [p for p in paths if p.startswith("phones/accessories")] == []
    assert unreadable == ["phones/accessories/"]
    assert len(skipped) == 1 and skipped[0][0] == DENIED
    assert "cannot be read (Permission denied)" in skipped[0][1]
    assert "chmod u+rx" in skipped[0][1]


def test_a_listing_that_fails_part_way_takes_back_all_it_found(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_scandir = os.scandir
    phones = os.fspath(site.content / "phones")

    class Failing:
        """The listing of phones/: two entries, then an I/O error."""

        def __init__(self, entries: list[os.DirEntry[str]]) -> None:
            self.entries = entries

        def __enter__(self) -> Iterator[os.DirEntry[str]]:
            yield from self.entries[:2]
            raise OSError(errno.EIO, "Input/output error")

        def __exit__(self, *_: object) -> None:
            return None

    def listing(where: Any) -> Any:
        path = os.readlink(f"/proc/self/fd/{where}") if isinstance(where, int) else where
        if os.fspath(path) == phones:
            return Failing(sorted(real_scandir(where), key=lambda e: e.name))
        return real_scandir(where)

    monkeypatch.setattr(os, "scandir", listing)
    skipped: Skipped = []
    unreadable: list[str] = []
    paths = [r for r, _ in scan_content(site.content, skipped, unreadable=unreadable)]
    # accessories/ (a folder) and the first file came before the error: both taken back
    assert [p for p in paths if p.startswith("phones/")] == []
    assert "science/telescope.md" in paths and "computing/chip-news.md" in paths
    assert unreadable == ["phones/"]
    assert [relative for relative, _ in skipped] == ["phones"]
    assert "Input/output error" in skipped[0][1]


@pytest.mark.parametrize("shared", [False, True], ids=["one-process", "shared-scan"])
def test_a_build_keeps_what_the_last_build_read_below_a_folder_it_cannot_read(
    site: Site, clean_output: CleanOutput, monkeypatch: pytest.MonkeyPatch, shared: bool
) -> None:
    assert site.build().complete
    if shared:
        monkeypatch.setattr(feeds.scanshares, "MIN_FILES_FOR_SHARED_SCAN", 1)
        monkeypatch.setattr(feeds.scanshares, "worker_count", lambda: 2)
    site.edit("science/telescope.md", "A Telescope on the Roof", "A Telescope Above Us")
    expected = clean_output(site)  # the edit, and everything else as it is
    deny(monkeypatch, site.content / DENIED)
    report = site.build()
    assert report.removed == ()
    assert report.changed == ("content/science/telescope.md: A Telescope Above Us",)
    assert [source for source, _ in warnings_of(report.problems)] == ["content/" + DENIED]
    assert report.errors == ()
    assert_same_output(snapshot(site.output), expected)
    assert b"Six Cases" in (site.output / "feeds" / "all.atom.xml").read_bytes()
    again = site.build()  # the warning stands while the folder stays unreadable
    assert again.removed == () and len(warnings_of(again.problems)) == 1
    assert_same_output(snapshot(site.output), expected)


@pytest.mark.parametrize("shared", [False, True], ids=["one-process", "shared-scan"])
def test_content_dir_itself_unreadable_stops_the_build_and_publishes_nothing(
    site: Site, monkeypatch: pytest.MonkeyPatch, shared: bool
) -> None:
    """Without its build state, a build that went on would publish every feed empty."""
    assert site.build().complete
    before = snapshot(site.output)
    if shared:
        monkeypatch.setattr(feeds.scanshares, "MIN_FILES_FOR_SHARED_SCAN", 1)
        monkeypatch.setattr(feeds.scanshares, "worker_count", lambda: 2)
    shutil.rmtree(site.root / ".feeds")  # the state lost too
    site.edit("science/telescope.md", "A Telescope on the Roof", "A Telescope Above Us")
    deny(monkeypatch, site.content)
    with pytest.raises(ConfigError, match=r"content_dir .*cannot be read \(Permission denied\)"):
        site.build()
    assert snapshot(site.output) == before


def test_a_first_build_leaves_out_what_it_cannot_read_and_builds_the_rest(
    site: Site, tmp_path: Path, clean_output: CleanOutput, monkeypatch: pytest.MonkeyPatch
) -> None:
    without = Site(tmp_path / "without")
    shutil.copytree(site.root, without.root)
    shutil.rmtree(without.content / DENIED)
    expected = clean_output(without)
    deny(monkeypatch, site.content / DENIED)
    report = site.build()
    assert [source for source, _ in warnings_of(report.problems)] == ["content/" + DENIED]
    assert report.errors == ()
    assert_same_output(snapshot(site.output), expected)


def test_a_resident_keeps_them_and_reads_the_folder_again_once_it_can(
    site: Site, clean_output: CleanOutput, monkeypatch: pytest.MonkeyPatch
) -> None:
    resident = Resident()
    resident.watching()
    assert site.build(resident=resident).complete
    with monkeypatch.context() as denied:
        deny(denied, site.content / DENIED)
        site.edit("science/telescope.md", "A Telescope on the Roof", "A Telescope Above Us")
        resident.changed([site.content / "science" / "telescope.md"])
        resident.changed([site.content / DENIED])  # its permissions changed: an event
        first = site.build(resident=resident)
        second = site.build(resident=resident)
        for report in (first, second):
            assert report.removed == () and len(warnings_of(report.problems)) == 1
        assert_same_output(snapshot(site.output), clean_output(site))
        site.edit(f"{DENIED}/cases-roundup.txt", "Six Cases", "Seven Cases")  # unseen yet
        assert b"Seven Cases" not in (site.output / "feeds" / "all.atom.xml").read_bytes()
    resident.changed([site.content / DENIED])  # readable again: chmod is an event
    report = site.build(resident=resident)
    assert warnings_of(report.problems) == []
    title = "Cases Roundup: Seven Cases & a <Surprise>"
    assert report.changed == (f"content/{DENIED}/cases-roundup.txt: {title}",)
    assert_same_output(snapshot(site.output), clean_output(site))


def test_validate_reads_the_site_as_the_build_did(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert site.build().complete
    deny(monkeypatch, site.content / DENIED)
    findings = validate_site(site.config(), now=NOW)
    assert [f.file for f in findings] == ["content/" + DENIED]
    assert "cannot be read" in findings[0].message


def test_the_files_kept_are_the_last_builds_below_each_folder_with_its_stats() -> None:
    found = [("a.md", FileStat(1, 2, 2, 3, 9)), ("z/y.md", FileStat(4, 5, 5, 6, 9))]
    last = {
        "a.md": (1, 2, 2, 3),
        "n/one.md": (7, 8, 9, 10),
        "n/deeper/two.md": None,  # a stat the last build did not trust
        "n/_notes.md": (1, 1, 1, 1),
        "nb/three.md": (2, 2, 2, 2),  # beside n/, not below it
    }
    excluded: list[str] = []
    kept = with_unread_kept(found, ["n/"], last, ("_*",), excluded)
    assert [path for path, _ in kept] == ["a.md", "n/deeper/two.md", "n/one.md", "z/y.md"]
    assert kept[2][1][:4] == (7, 8, 9, 10)
    assert kept[1][1][:4] == (-1, -1, -1, -1)  # matches no stat: read again, and refused
    assert excluded == ["n/_notes.md"]
    assert with_unread_kept(found, [], last) is found
    assert with_unread_kept(found, ["n/"], None) is found


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder: chmod cannot deny it")
def test_a_folder_without_permission_for_real(site: Site, clean_output: CleanOutput) -> None:
    assert site.build().complete
    expected = clean_output(site)
    folder = site.content / DENIED
    folder.chmod(0)
    try:
        report = site.build()
    finally:
        folder.chmod(0o755)
    assert report.removed == () and len(warnings_of(report.problems)) == 1
    assert_same_output(snapshot(site.output), expected)
