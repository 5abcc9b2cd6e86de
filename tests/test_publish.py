"""Atomic publishing, write-if-changed, stale removal, injected disk errors, the build lock
(with real processes), and a SIGKILL test of the writer."""

from __future__ import annotations

import errno
import io
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feeds.buildlock import LockHeld, build_lock
from feeds.layout import managed_files
from feeds.publish import (
    PublishError,
    PublishReport,
    publish_files,
    remove_temp_files,
    safe_target,
)

REPO = Path(__file__).resolve().parents[1]


def listing(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` (hidden ones too) with its bytes and mtime_ns."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            found[path.relative_to(folder).as_posix()] = (
                path.read_bytes(),
                path.stat().st_mtime_ns,
            )
    return found


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.tmp"))


# --- safe_target -------------------------------------------------------------------------


def test_safe_target_joins_plain_segments(tmp_path: Path) -> None:
    assert safe_target(tmp_path, "feeds/category/phones/accessories.atom.xml") == (
        tmp_path / "feeds" / "category" / "phones" / "accessories.atom.xml"
    )
    assert safe_target(tmp_path, "index.html") == tmp_path / "index.html"
    assert safe_target(tmp_path, "feeds/kategorie/čaj/日本.rss.xml") == (
        tmp_path / "feeds" / "kategorie" / "čaj" / "日本.rss.xml"
    )


@pytest.mark.parametrize(
    ("relative", "message"),
    [
        ("", "'': is empty: a published file needs a name"),
        ("/etc/passwd", "'/etc/passwd': is absolute: published paths are relative to output_dir"),
        ("../x.rss.xml", "'../x.rss.xml': has a '..' segment: it could leave output_dir"),
        ("feeds/../../x", "'feeds/../../x': has a '..' segment: it could leave output_dir"),
        (
            "feeds/./all.rss.xml",
            "'feeds/./all.rss.xml': has a '.' segment: it could leave output_dir",
        ),
        (
            "feeds//all.rss.xml",
            "'feeds//all.rss.xml': has an empty segment ('//' or a trailing '/')",
        ),
        ("feeds/", "'feeds/': has an empty segment ('//' or a trailing '/')"),
        (
            ".htaccess",
            "'.htaccess': has a hidden segment '.htaccess': names must not start with '.'",
        ),
        (
            "feeds/.all.rss.xml.0123456789ab.tmp",
            "'feeds/.all.rss.xml.0123456789ab.tmp': has a hidden segment "
            "'.all.rss.xml.0123456789ab.tmp': names must not start with '.'",
        ),
        ("a\x00b", "'a\\x00b': contains a NUL character: check the slug that produced it"),
        ("feeds\\..\\x", "'feeds\\\\..\\\\x': contains a backslash: use '/' between folders"),
    ],
)
def test_safe_target_refuses(tmp_path: Path, relative: str, message: str) -> None:
    with pytest.raises(PublishError) as caught:
        safe_target(tmp_path, relative)
    assert str(caught.value) == message


def test_safe_target_refuses_a_segment_longer_than_name_max(tmp_path: Path) -> None:
    longest = "é" * 126 + "abc"  # 255 bytes in UTF-8
    assert safe_target(tmp_path, longest) == tmp_path / longest
    with pytest.raises(PublishError, match="has a segment longer than 255 bytes"):
        safe_target(tmp_path, "feeds/" + "é" * 128)  # 256 bytes in UTF-8


def test_safe_target_refuses_a_symlink_leading_outside(tmp_path: Path) -> None:
    out, outside = tmp_path / "public", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    (out / "feeds").symlink_to(outside)
    with pytest.raises(PublishError) as caught:
        safe_target(out, "feeds/all.rss.xml")
    assert str(caught.value) == (
        f"'feeds/all.rss.xml': leads outside {out} through a symbolic link: remove the link"
    )
    (out / "inside").mkdir()
    (out / "alias").symlink_to(out / "inside")
    assert safe_target(out, "alias/all.rss.xml") == out / "alias" / "all.rss.xml"


@given(st.text(alphabet=st.sampled_from(["a", "/", ".", "\\", "\x00", "é", "-"]), max_size=12))
def test_safe_target_never_escapes(relative: str) -> None:
    root = Path("/nonexistent-feeds-test/public")  # nothing on the way can be a link
    try:
        target = safe_target(root, relative)
    except PublishError:
        return
    assert os.path.commonpath([root, os.path.normpath(target)]) == str(root)
    assert target != root
    assert all(part not in ("", ".", "..") for part in target.relative_to(root).parts)


# --- publish_files -----------------------------------------------------------------------


def test_publish_writes_new_files_and_their_folders(tmp_path: Path) -> None:
    out = tmp_path / "public"
    report = publish_files(
        out,
        {
            "feeds/category/phones/accessories.rss.xml": b"<rss>a</rss>",
            "feeds/all.rss.xml": b"<rss>all</rss>",
            "index.html": b"<!doctype html>",
        },
    )
    assert report == PublishReport(
        written=("feeds/all.rss.xml", "feeds/category/phones/accessories.rss.xml", "index.html"),
    )
    assert (out / "feeds/category/phones/accessories.rss.xml").read_bytes() == b"<rss>a</rss>"
    assert (out / "feeds/all.rss.xml").read_bytes() == b"<rss>all</rss>"
    assert (out / "index.html").read_bytes() == b"<!doctype html>"
    assert temp_files(out) == []


def test_published_files_are_readable_by_the_web_server(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        publish_files(tmp_path, {"feeds/all.rss.xml": b"x"})
    finally:
        os.umask(old)
    assert (tmp_path / "feeds/all.rss.xml").stat().st_mode & 0o777 == 0o644


def test_unchanged_bytes_leave_the_file_untouched(tmp_path: Path) -> None:
    publish_files(tmp_path, {"feeds/all.rss.xml": b"same", "feeds/all.atom.xml": b"old"})
    for name in ("feeds/all.rss.xml", "feeds/all.atom.xml"):
        os.utime(tmp_path / name, ns=(1_500_000_000_000_000_000, 1_500_000_000_000_000_000))
    inode = (tmp_path / "feeds/all.rss.xml").stat().st_ino

    report = publish_files(tmp_path, {"feeds/all.rss.xml": b"same", "feeds/all.atom.xml": b"new"})

    assert report == PublishReport(
        written=("feeds/all.atom.xml",), unchanged=("feeds/all.rss.xml",)
    )
    kept = (tmp_path / "feeds/all.rss.xml").stat()
    assert kept.st_mtime_ns == 1_500_000_000_000_000_000
    assert kept.st_ino == inode
    assert (tmp_path / "feeds/all.atom.xml").read_bytes() == b"new"
    assert (tmp_path / "feeds/all.atom.xml").stat().st_mtime_ns != 1_500_000_000_000_000_000


def test_a_same_size_rewrite_moves_the_mtime_to_a_later_second(tmp_path: Path) -> None:
    # nginx's ETag is "mtime-size" with whole seconds: same size + same second = same ETag.
    target = tmp_path / "feeds/all.rss.xml"
    publish_files(tmp_path, {"feeds/all.rss.xml": b"version-1"})
    os.utime(target, ns=(2_000_000_000_500_000_000, 2_000_000_000_500_000_000))  # in 2033

    publish_files(tmp_path, {"feeds/all.rss.xml": b"version-2"})

    assert target.read_bytes() == b"version-2"
    assert target.stat().st_mtime_ns == 2_000_000_001_000_000_000


def test_a_rewrite_after_an_old_file_keeps_the_current_time(tmp_path: Path) -> None:
    target = tmp_path / "feeds/all.rss.xml"
    publish_files(tmp_path, {"feeds/all.rss.xml": b"version-1"})
    os.utime(target, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))  # in 2001

    publish_files(tmp_path, {"feeds/all.rss.xml": b"version-2"})

    assert target.stat().st_mtime_ns > 1_000_000_001_000_000_000


def test_stale_files_and_their_empty_folders_are_removed(tmp_path: Path) -> None:
    publish_files(
        tmp_path,
        {
            "feeds/all.rss.xml": b"a",
            "feeds/category/gone/deeper.rss.xml": b"b",
            "feeds/category/gone/deeper.html": b"c",
            "feeds/category/kept.rss.xml": b"d",
        },
    )
    report = publish_files(
        tmp_path,
        {"feeds/all.rss.xml": b"a", "feeds/category/kept.rss.xml": b"d"},
        stale=[
            "feeds/category/gone/deeper.rss.xml",
            "feeds/category/gone/deeper.html",
            "feeds/category/never-was.rss.xml",
        ],
    )
    assert report == PublishReport(
        unchanged=("feeds/all.rss.xml", "feeds/category/kept.rss.xml"),
        removed=("feeds/category/gone/deeper.html", "feeds/category/gone/deeper.rss.xml"),
    )
    assert not (tmp_path / "feeds/category/gone").exists()
    assert (tmp_path / "feeds/category/kept.rss.xml").read_bytes() == b"d"


def test_removing_the_last_feed_stops_at_the_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "public"
    publish_files(out, {"feeds/category/a/b.rss.xml": b"x"})
    report = publish_files(out, {}, stale=["feeds/category/a/b.rss.xml"])
    assert report.removed == ("feeds/category/a/b.rss.xml",)
    assert out.is_dir()
    assert list(out.iterdir()) == []


def test_a_path_both_published_and_stale_is_kept(tmp_path: Path) -> None:
    report = publish_files(tmp_path, {"feeds/a.rss.xml": b"x"}, stale=["feeds/a.rss.xml"])
    assert report == PublishReport(written=("feeds/a.rss.xml",))
    assert (tmp_path / "feeds/a.rss.xml").read_bytes() == b"x"


def test_unsafe_paths_fail_alone_and_write_nothing_outside(tmp_path: Path) -> None:
    out = tmp_path / "public"
    report = publish_files(
        out, {"../escape.rss.xml": b"x", "feeds/ok.rss.xml": b"y"}, stale=["/etc/passwd"]
    )
    assert report == PublishReport(
        written=("feeds/ok.rss.xml",),
        failed=(
            (
                "../escape.rss.xml",
                "'../escape.rss.xml': has a '..' segment: it could leave output_dir",
            ),
            (
                "/etc/passwd",
                "'/etc/passwd': is absolute: published paths are relative to output_dir",
            ),
        ),
    )
    assert not (tmp_path / "escape.rss.xml").exists()


def test_dry_run_reports_and_touches_nothing(tmp_path: Path) -> None:
    publish_files(
        tmp_path,
        {"feeds/same.rss.xml": b"s", "feeds/old.rss.xml": b"o", "feeds/gone.rss.xml": b"g"},
    )
    before = listing(tmp_path)

    report = publish_files(
        tmp_path,
        {"feeds/same.rss.xml": b"s", "feeds/old.rss.xml": b"changed", "feeds/new/x.rss.xml": b"n"},
        stale=["feeds/gone.rss.xml", "feeds/absent.rss.xml"],
        dry_run=True,
    )

    assert report == PublishReport(
        written=("feeds/new/x.rss.xml", "feeds/old.rss.xml"),
        unchanged=("feeds/same.rss.xml",),
        removed=("feeds/gone.rss.xml",),
    )
    assert listing(tmp_path) == before
    assert not (tmp_path / "feeds/new").exists()


# --- injected disk errors ----------------------------------------------------------------


class FailingWrite(io.FileIO):
    """A real temp file whose write fails the way a full or read-only disk makes it fail."""

    code = errno.ENOSPC

    def write(self, data: object) -> int:
        super().write(b"partial")  # some bytes reached the temp file before the error
        raise OSError(self.code, os.strerror(self.code))


def failing_opener(fail_name: str, code: int, *, at: str) -> Callable[[Path], BinaryIO]:
    def opener(path: Path) -> BinaryIO:
        if fail_name not in path.name:
            return open(path, "xb")
        if at == "open":
            raise OSError(code, os.strerror(code), str(path))
        stream = FailingWrite(path, "xb")
        stream.code = code
        return stream

    return opener


@pytest.mark.parametrize(
    ("code", "at", "words"),
    [
        (
            errno.ENOSPC,
            "write",
            "No space left on device (ENOSPC): the disk is full; free some space and build again",
        ),
        (
            errno.EDQUOT,
            "write",
            "Disk quota exceeded (EDQUOT): the disk quota is used up; free "
            "some space and build again",
        ),
        (
            errno.EROFS,
            "open",
            "Read-only file system (EROFS): the file system is read-only; "
            "remount it read-write or point output_dir at a writable folder, then build again",
        ),
        (
            errno.EACCES,
            "open",
            "Permission denied (EACCES): permission denied; give the user "
            "running the build write access, then build again",
        ),
        (
            errno.EIO,
            "write",
            "Input/output error (EIO): the disk reported an I/O error; check "
            "the disk, then build again",
        ),
    ],
)
def test_a_disk_error_keeps_the_published_file_and_the_rest_goes_on(
    tmp_path: Path, code: int, at: str, words: str
) -> None:
    publish_files(tmp_path, {"feeds/all.rss.xml": b"<old/>", "feeds/all.atom.xml": b"<old/>"})
    os.utime(tmp_path / "feeds/all.rss.xml", ns=(1_600_000_000_000_000_000,) * 2)

    report = publish_files(
        tmp_path,
        {"feeds/all.rss.xml": b"<new/>", "feeds/all.atom.xml": b"<new/>"},
        opener=failing_opener("all.rss.xml", code, at=at),
    )

    target = tmp_path / "feeds/all.rss.xml"
    assert report == PublishReport(
        written=("feeds/all.atom.xml",),
        failed=(
            (
                "feeds/all.rss.xml",
                f"cannot write {target}: {words}. The published file is unchanged.",
            ),
        ),
    )
    assert target.read_bytes() == b"<old/>"
    assert target.stat().st_mtime_ns == 1_600_000_000_000_000_000
    assert (tmp_path / "feeds/all.atom.xml").read_bytes() == b"<new/>"
    assert temp_files(tmp_path) == []


def test_a_new_file_that_cannot_be_written_is_reported_as_not_published(tmp_path: Path) -> None:
    report = publish_files(
        tmp_path,
        {"feeds/all.rss.xml": b"<new/>"},
        opener=failing_opener("all.rss.xml", errno.ENOSPC, at="write"),
    )
    target = tmp_path / "feeds/all.rss.xml"
    assert report.failed == (
        (
            "feeds/all.rss.xml",
            f"cannot write {target}: No space left on device (ENOSPC): the disk is full; free "
            "some space and build again. The file was not published.",
        ),
    )
    assert list((tmp_path / "feeds").iterdir()) == []


def test_a_file_where_a_folder_belongs_is_reported(tmp_path: Path) -> None:
    (tmp_path / "feeds").write_bytes(b"not a folder")
    report = publish_files(tmp_path, {"feeds/all.rss.xml": b"x", "index.html": b"i"})
    target = tmp_path / "feeds/all.rss.xml"
    assert report == PublishReport(
        written=("index.html",),
        failed=(
            (
                "feeds/all.rss.xml",
                f"cannot write {target}: File exists (EEXIST): a file is in the way where a "
                "folder is needed; remove it and build again. The file was not published.",
            ),
        ),
    )


def test_a_folder_where_a_file_belongs_is_reported(tmp_path: Path) -> None:
    (tmp_path / "feeds/all.rss.xml").mkdir(parents=True)
    report = publish_files(tmp_path, {"feeds/all.rss.xml": b"x"})
    target = tmp_path / "feeds/all.rss.xml"
    assert report.failed == (
        (
            "feeds/all.rss.xml",
            f"cannot write {target}: Is a directory (EISDIR): a folder is in the way where a "
            "file is needed; remove it and build again. The published file is unchanged.",
        ),
    )
    assert temp_files(tmp_path) == []


# --- managed_files, remove_temp_files ---------------------------------------------------


def test_managed_files_lists_ours_and_remove_temp_files_cleans_leftovers(
    tmp_path: Path,
) -> None:
    for name in (
        "feeds/all.rss.xml",
        "feeds/all.atom.xml",
        "feeds/all.json",
        "feeds/all.html",
        "feeds/category/a/b.rss.xml",
        "feeds/notes.txt",  # not ours
        "feeds/.hidden.rss.xml",  # hidden: never ours
        "feeds/.git/config.json",  # hidden folder: not walked
        "feeds/.all.rss.xml.0123456789ab.tmp",  # a killed build's leftover
        "feeds/category/a/.b.rss.xml.ffffffffffff.tmp",
        ".index.html.abcdefabcdef.tmp",  # top-level leftover
        ".well-known/x.json",
        "index.html",
        "feeds.opml",
        ".notes.tmp",  # not our pattern at the top level: kept
    ):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")

    remove_temp_files(tmp_path)
    assert managed_files(tmp_path) == [
        "feeds/all.atom.xml",
        "feeds/all.html",
        "feeds/all.json",
        "feeds/all.rss.xml",
        "feeds/category/a/b.rss.xml",
    ]
    assert temp_files(tmp_path) == [".notes.tmp"]
    assert (tmp_path / "feeds/.git/config.json").exists()


def test_managed_files_of_an_empty_or_missing_folder(tmp_path: Path) -> None:
    assert managed_files(tmp_path) == []
    assert managed_files(tmp_path / "missing") == []
    remove_temp_files(tmp_path / "missing")  # nothing to clean: no error


# --- build_lock --------------------------------------------------------------------------


def test_the_lock_is_exclusive_within_one_process(tmp_path: Path) -> None:
    cache = tmp_path / "state" / ".feeds"
    with build_lock(cache):
        assert (cache / "lock").read_text() == f"{os.getpid()}\n"
        with pytest.raises(LockHeld) as caught, build_lock(cache):
            pass
        assert str(caught.value) == (
            f"another build (process {os.getpid()}) is running and holds the lock "
            f"{cache / 'lock'}: wait for it to finish, then build again"
        )
        assert caught.value.pid == os.getpid()
    with build_lock(cache):  # released on exit
        pass
    assert (cache / "lock").read_text() == ""


def test_the_lock_is_released_when_the_build_raises(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), build_lock(tmp_path):
        raise RuntimeError("build failed")
    with build_lock(tmp_path):
        pass


def test_a_lock_that_cannot_be_created_is_a_publish_error(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_bytes(b"")
    cache = tmp_path / "blocker" / ".feeds"
    with pytest.raises(PublishError) as caught, build_lock(cache):
        pass
    assert str(caught.value) == (
        f"{cache / 'lock'}: cannot create the build lock: Not a directory (ENOTDIR): a file is "
        "in the way where a folder is needed; remove it and build again"
    )


HOLDER = """
import sys, time
from pathlib import Path
from feeds.buildlock import build_lock
with build_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    if sys.argv[2] == "stdin":
        sys.stdin.readline()
    else:
        time.sleep(60)
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[Callable[[str], subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []

    def start(release: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(tmp_path / "cache"), release],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        assert process.stdout is not None
        assert process.stdout.readline() == "locked\n"
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def test_a_second_build_gets_lock_held_naming_the_first(
    tmp_path: Path, holder: Callable[[str], subprocess.Popen[str]]
) -> None:
    first = holder("sleep")
    with pytest.raises(LockHeld) as caught, build_lock(tmp_path / "cache"):
        pass
    assert caught.value.pid == first.pid
    assert f"(process {first.pid})" in str(caught.value)


def test_a_killed_build_leaves_no_stale_lock(
    tmp_path: Path, holder: Callable[[str], subprocess.Popen[str]]
) -> None:
    first = holder("sleep")
    with pytest.raises(LockHeld), build_lock(tmp_path / "cache"):
        pass
    first.send_signal(signal.SIGKILL)
    assert first.wait(timeout=10) == -signal.SIGKILL
    with build_lock(tmp_path / "cache"):  # the kernel dropped the dead process's lock
        assert (tmp_path / "cache" / "lock").read_text() == f"{os.getpid()}\n"


def test_a_waiting_build_gets_the_lock_once_the_first_finishes(
    tmp_path: Path, holder: Callable[[str], subprocess.Popen[str]]
) -> None:
    first = holder("stdin")
    acquired = threading.Event()

    def second_build() -> None:
        with build_lock(tmp_path / "cache", wait=True):
            acquired.set()

    thread = threading.Thread(target=second_build, daemon=True)
    thread.start()
    assert not acquired.wait(0.3)  # can only fail if the lock let two builds in
    assert first.stdin is not None
    first.stdin.write("done\n")
    first.stdin.flush()
    assert acquired.wait(20)
    thread.join(10)
    assert first.wait(timeout=10) == 0


# --- crash safety ------------------------------------------------------------------------

WRITER = """
import sys
from pathlib import Path
from feeds.publish import publish_files
out, versions, turn = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
sets = [
    {p.relative_to(v).as_posix(): p.read_bytes() for p in sorted(v.rglob("*")) if p.is_file()}
    for v in (versions / "a", versions / "b")
]
print("ready", flush=True)
while True:
    publish_files(out, sets[turn % 2])
    turn += 1
"""


def make_versions(folder: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Two versions of 30 feeds; every file differs in size and bytes between them."""
    names = ["feeds/all.rss.xml", "feeds/all.atom.xml"] + [
        f"feeds/category/c{i // 4}/f{i}.{'rss' if i % 2 else 'atom'}.xml" for i in range(28)
    ]
    versions: tuple[dict[str, bytes], dict[str, bytes]] = ({}, {})
    for v, label in enumerate("ab"):
        for i, name in enumerate(names):
            repeat = 40 + ((i * 7919 + v * 3571) % 3000)
            versions[v][name] = f"<{label}:{name}:{i}>".encode() * repeat
            path = folder / label / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(versions[v][name])
    return versions


@pytest.mark.slow
def test_sigkill_at_any_moment_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    out = tmp_path / "public"
    a, b = make_versions(tmp_path / "versions")
    assert publish_files(out, a).written == tuple(sorted(a))
    rng = random.Random(20260126)
    seen = {"a": 0, "b": 0}
    mixed = 0  # runs killed in the middle of a publish: some files old, some new
    for run in range(60):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(out), str(tmp_path / "versions"), str(run)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert writer.stdout is not None
            assert writer.stdout.readline() == "ready\n"
            time.sleep(rng.uniform(0.0, 0.08))  # varied moments, not a timing assertion
        finally:
            writer.send_signal(signal.SIGKILL)
            writer.wait(timeout=10)
        for name in a:
            data = (out / name).read_bytes()  # never missing
            assert data in (a[name], b[name]), f"run {run}: {name} is neither version"
            seen["a" if data == a[name] else "b"] += 1
        mixed += len({(out / name).read_bytes() == a[name] for name in a}) == 2
    assert seen["a"] > 0 and seen["b"] > 0  # the writer really ran between kills
    assert mixed > 0  # and some kills landed in the middle of a publish
    remove_temp_files(out)  # what the next build does first
    assert set(managed_files(out)) == set(a)
    assert temp_files(out) == []
    assert set(publish_files(out, b).failed) == set()  # the next build completes the job
    assert {name: (out / name).read_bytes() for name in b} == b


def test_write_file_atomically_in_chunks_leaves_an_equal_file_and_replaces_a_link(
    tmp_path: Path,
) -> None:
    from feeds.publish import write_file_atomically

    state = tmp_path / "state.json"
    assert write_file_atomically(state, iter([b"on", b"e"])) is True
    assert state.read_bytes() == b"one"
    os.utime(state, ns=(1_000_000_000, 1_000_000_000))
    inode = state.stat().st_ino
    assert write_file_atomically(state, [b"o", b"ne"]) is False  # same bytes: untouched
    assert (state.stat().st_mtime_ns, state.stat().st_ino) == (1_000_000_000, inode)
    assert write_file_atomically(state, [b"one", b"!"]) is True  # longer
    assert state.read_bytes() == b"one!"
    assert write_file_atomically(state, [b"onf!"]) is True  # same size, other bytes
    assert state.read_bytes() == b"onf!"
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"two")
    link = tmp_path / "linked.json"
    link.symlink_to(victim)
    assert write_file_atomically(link, [b"t", b"wo"]) is True  # equal, but a link: replaced
    assert not link.is_symlink() and victim.read_bytes() == b"two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["linked.json", "state.json", "victim.txt"]


def test_write_file_atomically_leaves_an_equal_file_and_never_writes_through_a_link(
    tmp_path: Path,
) -> None:
    from feeds.publish import write_file_atomically

    state = tmp_path / "state.json"
    assert write_file_atomically(state, b"one") is True
    os.utime(state, ns=(1_000_000_000, 1_000_000_000))
    assert write_file_atomically(state, b"one") is False  # same bytes: untouched
    assert state.stat().st_mtime_ns == 1_000_000_000
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"one")
    link = tmp_path / "linked.json"
    link.symlink_to(victim)
    assert write_file_atomically(link, b"two") is True  # the link is replaced, not followed
    assert victim.read_bytes() == b"one" and not link.is_symlink()
    assert link.read_bytes() == b"two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["linked.json", "state.json", "victim.txt"]
