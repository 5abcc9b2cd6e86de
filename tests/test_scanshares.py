"""The content scan shared by processes (issue 14): the same files, skipped and excluded
names as one process's scan, on trees with nested folders, hidden and excluded names and
symbolic links of every kind; and the counts a build with nothing to do goes by."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import feeds.build
import feeds.scanshares
from feeds.build import build_site
from feeds.buildwork import changed_stats
from feeds.cache import load_manifest
from feeds.config import Config, load_config
from feeds.contentfiles import Skipped, scan_content
from feeds.scanshares import Scanned, _received, shared_scan

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
CONFIG = """site:
  title: Shared Scan
  url: https://news.example.org/
  description: Folders enough for a scan in shares
  language: en
  timezone: UTC
  author: {name: Example Newsroom, email: newsroom@example.org}
content_dir: content
output_dir: public
"""
DESKS = ["Phones", "Science", "Culture"]
LONG_AGO_NS = 1_600_000_000 * 10**9  # a stat the build trusts (not written just now)


def write(path: Path, text: str) -> None:
    path.write_text(text, "utf-8")
    os.utime(path, ns=(LONG_AGO_NS, LONG_AGO_NS))


def article(number: int) -> str:
    day, minute = 1 + number % 28, number % 60
    return (
        f"---\ntitle: Report number {number}\ndate: 2021-03-{day:02d} 10:{minute:02d}\n"
        f"category: {DESKS[number % 3]}\n---\nThe {number}th report of the desk.\n"
    )


def make_site(root: Path, links: bool) -> Config:
    (root / "config.yaml").write_text(CONFIG, "utf-8")
    content = root / "content"
    for number in range(120):  # names hash to every share in any run
        folder = content / DESKS[number % 3].lower() / f"week-{number % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        write(folder / f"report-{number}.md", article(number))
    write(content / "phones" / ".hidden.md", article(500))
    (content / "phones" / "README.md").write_text("notes for editors\n", "utf-8")
    write(content / "science" / "draft.draft.md", article(501))
    (content / "_private").mkdir()
    write(content / "_private" / "plans.md", article(502))
    (content / "culture" / "photo.png").write_bytes(b"\x89PNG")
    if links:
        (content / "again").symlink_to("phones")  # a second path to a folder
        (content / "culture" / "loop").symlink_to("..")
        (content / "pinned.md").symlink_to("science/week-0/report-1.md")  # read already
        (root / "elsewhere.md").write_text(article(503), "utf-8")
        (content / "outside.md").symlink_to(root / "elsewhere.md")
        (content / "broken.md").symlink_to("nowhere.md")
        (root / "shelf").mkdir()
        (content / "shelf").symlink_to(root / "shelf")
        (content / ".archive").mkdir()  # hidden: read only through the link to it
        for number in (504, 505):
            write(content / ".archive" / f"old-{number}.md", article(number))
        write(content / ".archive" / "_notes.md", article(506))  # excluded, through the link
        (content / "archive").symlink_to(".archive")
        (content / "featured.md").symlink_to("phones/.hidden.md")
    return load_config(root / "config.yaml")


def one_process(config: Config) -> tuple[list[str], Skipped, list[str]]:
    skipped: Skipped = []
    excluded: list[str] = []
    files = scan_content(config.content_dir, skipped, config.content_exclude, excluded)
    return [relative for relative, _ in files], skipped, excluded


def in_shares(config: Config, processes: int) -> tuple[Scanned, Skipped, list[str]]:
    manifest = load_manifest(config.cache_dir)
    assert manifest is not None
    skipped: Skipped = []
    excluded: list[str] = []
    return shared_scan(config, manifest, processes, skipped, excluded), skipped, excluded


@pytest.mark.parametrize("links", [False, True], ids=["real-folders", "with-links"])
@pytest.mark.parametrize("processes", [2, 3])
def test_a_shared_scan_finds_what_one_process_finds(
    tmp_path: Path, links: bool, processes: int
) -> None:
    config = make_site(tmp_path, links)
    build_site(config, now=NOW)
    scanned, skipped, excluded = in_shares(config, processes)
    paths, one_skipped, one_excluded = one_process(config)
    assert [relative for relative, _ in scanned.files()] == paths
    assert skipped == one_skipped
    assert excluded == one_excluded == ["_private/plans.md"] + ["archive/_notes.md"] * links + [
        "phones/README.md", "science/draft.draft.md"]  # fmt: skip
    linked = ["archive/old-504.md", "archive/old-505.md", "featured.md"]
    assert len(paths) == 120 + (len(linked) if links else 0)
    assert set(linked) <= set(paths) if links else not set(linked) & set(paths)
    assert [relative for relative, _ in skipped] == (
        ["again", "broken.md", "culture/loop", "outside.md", "pinned.md", "shelf"] if links else []
    )
    stats = {relative: os.lstat(config.content_dir / relative) for relative in paths[:5]}
    for relative, stat in scanned.files()[:5]:
        assert (stat.st_size, stat.st_ino) == (stats[relative].st_size, stats[relative].st_ino)


def test_the_count_and_digest_come_without_the_files_and_say_whether_anything_changed(
    tmp_path: Path,
) -> None:
    config = make_site(tmp_path, links=False)
    build_site(config, now=NOW)
    scanned, _, _ = in_shares(config, 2)
    assert (scanned.count, scanned.changed) == (120, 0)
    assert [relative for relative, _ in scanned.files()] == one_process(config)[0]  # again
    edited = config.content_dir / "science" / "week-1" / "report-13.md"
    write(edited, article(13) + "A line more.\n")
    (config.content_dir / "phones" / "week-0" / "report-0.md").unlink()
    write(config.content_dir / "phones" / "week-0" / "report-900.md", article(900))
    scanned, _, _ = in_shares(config, 2)
    assert (scanned.count, scanned.changed) == (120, None)  # the digests differ: not counted
    manifest = load_manifest(config.cache_dir)
    assert changed_stats(manifest, scanned.files()) == 2  # one edited, one new; one gone
    paths = [relative for relative, _ in scanned.files()]
    assert paths == one_process(config)[0]
    assert "phones/week-0/report-900.md" in paths and "phones/week-0/report-0.md" not in paths


def test_a_build_shares_its_scan_and_publishes_what_one_process_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    alone = tmp_path / "alone"
    shared.mkdir()
    alone.mkdir()
    configs = {"shared": make_site(shared, links=False), "alone": make_site(alone, links=False)}
    for config in configs.values():
        build_site(config, now=NOW)
    calls: list[int] = []
    real = feeds.scanshares.shared_scan
    stages = feeds.build._build_stages
    built: list[int] = []

    def building(*args: object) -> object:
        built.append(1)
        return stages(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(feeds.build, "_build_stages", building)

    def counted(*args: object, **kwargs: object) -> Scanned:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(feeds.scanshares, "shared_scan", counted)
    monkeypatch.setattr(feeds.scanshares, "MIN_FILES_FOR_SHARED_SCAN", 1)
    monkeypatch.setattr(feeds.scanshares, "worker_count", lambda: 2)
    report = build_site(configs["shared"], now=NOW)
    assert calls == [1] and built == []  # nothing to do, known from the counts alone
    for root in (shared, alone):
        path = root / "content" / "phones" / "week-3" / "report-111.md"  # among the latest
        write(path, article(111).replace("number 111", "one hundred eleven"))
    report = build_site(configs["shared"], now=NOW)
    assert (
        calls == [1, 1]
        and built == [1]
        and report.changed == ("content/phones/week-3/report-111.md: Report one hundred eleven",)
    )
    monkeypatch.setattr(feeds.scanshares, "MIN_FILES_FOR_SHARED_SCAN", 10**9)
    build_site(configs["alone"], now=NOW)
    assert calls == [1, 1]
    for name in ("all.atom.xml", "all.rss.xml", "category/phones.atom.xml"):
        ours = (shared / "public" / "feeds" / name).read_bytes()
        assert b"Report one hundred eleven" in ours
        assert ours == (alone / "public" / "feeds" / name).read_bytes()


def test_the_shares_cover_every_file_once_and_a_lost_share_is_walked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site(tmp_path, links=False)
    build_site(config, now=NOW)
    manifest = load_manifest(config.cache_dir)
    monkeypatch.setattr(feeds.scanshares, "_SCAN", (config, manifest, 3))
    own = feeds.scanshares._walk_share(0).walk
    assert own is not None
    # shares 1 and 2 as a worker that failed after walking leaves them: not kept here
    others = [list(_received(feeds.scanshares._send_share(index))) for index in (1, 2)]
    assert feeds.scanshares._KEPT == {}
    shares = [[relative for relative, _ in found] for found in (own.found, *others)]
    assert all(len(found) > 10 for found in shares)  # 120 names between 3: none empty
    assert sorted(relative for found in shares for relative in found) == one_process(config)[0]


def test_a_settings_change_with_no_file_changed_builds_from_the_shared_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site(tmp_path, links=False)
    build_site(config, now=NOW)
    monkeypatch.setattr(feeds.scanshares, "MIN_FILES_FOR_SHARED_SCAN", 1)
    monkeypatch.setattr(feeds.scanshares, "worker_count", lambda: 2)
    sends: list[bool] = []
    real = feeds.scanshares.shared_scan

    def counted(*args: Any, send: bool = False, **kwargs: Any) -> Scanned:
        sends.append(send)
        return real(*args, send=send, **kwargs)

    monkeypatch.setattr(feeds.scanshares, "shared_scan", counted)
    text = (tmp_path / "config.yaml").read_text("utf-8")
    (tmp_path / "config.yaml").write_text(text.replace("title: Shared Scan", "title: Renamed"))
    report = build_site(load_config(tmp_path / "config.yaml"), now=NOW)
    assert sends == [False, True]  # the counts said unchanged; the files were asked for
    assert report.files_total == 120 and not report.problems
    feed = (tmp_path / "public" / "feeds" / "all.atom.xml").read_text("utf-8")
    assert "<title>Renamed</title>" in feed and feed.count("<entry>") == 50  # max_items


def test_file_stats_are_made_again_from_plain_tuples() -> None:
    """What a worker sends (plain tuples) becomes `FileStat`s again, field for field."""
    from feeds.model import FileStat, file_stats

    sent = [(10, 5, 6, 7, 8), (0, 1, 1, 2, 3)]
    made = list(file_stats(sent))
    assert [type(stat) for stat in made] == [FileStat, FileStat]
    assert made[0].st_size == 10 and made[0].st_ctime_ns == 6 and made[1].st_dev == 3


BUILD_PROCESS = os.getpid()


def send_or_die(index: int) -> bytes:
    """`_send_share`, but a worker that runs it dies first (its share's files with it)."""
    if os.getpid() != BUILD_PROCESS:
        os._exit(1)
    return SEND_SHARE(index)


SEND_SHARE = feeds.scanshares._send_share


@pytest.mark.parametrize("edited", [False, True], ids=["asked-for", "counts-changed"])
def test_a_worker_that_dies_between_the_walk_and_the_send_costs_only_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edited: bool
) -> None:
    """A real forked worker walks its share, answers the counts, then dies: the build
    process walks that share again and the files are those of one process."""
    config = make_site(tmp_path, links=False)
    build_site(config, now=NOW)
    if edited:
        write(config.content_dir / "culture" / "week-2" / "report-2.md", article(2) + "More.\n")
    monkeypatch.setattr(feeds.scanshares, "_send_share", send_or_die)
    manifest = load_manifest(config.cache_dir)
    assert manifest is not None
    scanned = shared_scan(config, manifest, 3, [], [], send=not edited)
    assert (scanned.count, scanned.changed) == (120, None if edited else 0)
    assert changed_stats(manifest, scanned.files()) == (1 if edited else 0)
    assert [relative for relative, _ in scanned.files()] == one_process(config)[0]


def test_two_files_that_swap_names_keeping_size_and_times_are_both_seen_changed(
    tmp_path: Path,
) -> None:
    """Only their inodes (and ctimes) tell: the digest binds each path to its stat."""
    config = make_site(tmp_path, links=False)
    first = config.content_dir / "science" / "week-1" / "report-13.md"
    second = config.content_dir / "science" / "week-1" / "report-25.md"
    write(second, article(13).replace("13", "25"))  # the same size as report-13
    build_site(config, now=NOW)
    assert first.stat().st_size == second.stat().st_size
    held = first.with_name("held.tmp")
    first.rename(held)
    second.rename(first)
    held.rename(second)
    for path in (first, second):
        os.utime(path, ns=(LONG_AGO_NS, LONG_AGO_NS))
    scanned, _, _ = in_shares(config, 2)
    assert (scanned.count, scanned.changed) == (120, None)
    assert changed_stats(load_manifest(config.cache_dir), scanned.files()) == 2


@pytest.mark.parametrize(
    "patterns",
    [
        ["sci*-1[0-9].md"],
        ["*/week-2/*", "culture"],
        ["week-3"],
        ["*"],
        ["phones/week-0/report-0.md"],
        ["report-?.md", "*/*/report-1??.md"],
    ],
    ids=["whole-path", "folder-glob", "folder-name", "everything", "one-file", "one-character"],
)
def test_the_walk_excludes_as_one_process_does_with_any_glob(
    tmp_path: Path, patterns: list[str]
) -> None:
    """The shares leave excluded files out as they walk; one process after it (`kept_in`):
    the same files either way, for globs on whole paths, folders and names."""
    config = make_site(tmp_path, links=False)
    build_site(config, now=NOW)  # the manifest a shared scan needs
    lines = "".join(f"    - '{pattern}'\n" for pattern in patterns)
    (tmp_path / "config.yaml").write_text(CONFIG + f"content:\n  exclude:\n{lines}", "utf-8")
    config = load_config(tmp_path / "config.yaml")
    assert config.content_exclude == tuple(patterns)
    scanned, _, excluded = in_shares(config, 2)
    paths, _, one_excluded = one_process(config)
    assert [relative for relative, _ in scanned.files()] == paths
    assert excluded == one_excluded and len(excluded) > 0


def test_a_stat_the_last_build_did_not_trust_keeps_the_scan_from_calling_it_unchanged(
    tmp_path: Path,
) -> None:
    """A file written just before the build has a racy stat (None in the manifest): the
    manifest then has no digest, and the shared scan counts files one by one."""
    config = make_site(tmp_path, links=False)
    fresh = config.content_dir / "culture" / "week-2" / "report-2.md"
    fresh.write_text(article(2) + "Written just now.\n", "utf-8")  # mtime: now
    build_site(config, now=NOW)
    manifest = load_manifest(config.cache_dir)
    assert manifest is not None and manifest.stats["culture/week-2/report-2.md"] is None
    scanned, _, _ = in_shares(config, 2)
    assert (scanned.count, scanned.changed) == (120, None)
    assert changed_stats(manifest, scanned.files()) == 1


# -- content that changes while the walk runs ---------------------------------------------


def _tree(root: Path) -> Path:
    content = root / "content"
    for relative in ("a/one.md", "a/deep/two.md", "b/three.md", "b/four.md", "five.md"):
        (content / relative).parent.mkdir(parents=True, exist_ok=True)
        write(content / relative, "---\ntitle: T\n---\nText.\n")
    return content


def test_a_folder_deleted_after_its_parent_was_listed_is_gone_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    content = _tree(tmp_path)
    real_open = os.open
    doomed = [os.fspath(content / "a")]

    def deleted_first(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if os.fspath(path) in doomed:  # listed in content/, gone now
            doomed.clear()
            shutil.rmtree(path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", deleted_first)
    skipped: Skipped = []
    found = [relative for relative, _ in scan_content(content, skipped=skipped)]
    assert found == ["b/four.md", "b/three.md", "five.md"]
    assert skipped == [] and not (content / "a").exists()


def test_a_file_deleted_after_its_folder_was_listed_is_gone_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contextlib import nullcontext

    content = _tree(tmp_path)
    real_scandir = os.scandir

    def listed_then_deleted(where: Any) -> Any:
        entries = list(real_scandir(where))  # the names, before any stat is taken
        for entry in entries:
            if entry.name == "three.md":
                os.unlink(entry.path if isinstance(where, str) else content / "b" / entry.name)
        return nullcontext(entries)

    monkeypatch.setattr(os, "scandir", listed_then_deleted)
    found = [relative for relative, _ in scan_content(content, skipped=[])]
    assert found == ["a/deep/two.md", "a/one.md", "b/four.md", "five.md"]
