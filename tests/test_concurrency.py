"""Concurrent builds and failing disks (issue 5).

Two builds of one site: the one holding the lock (an `flock` on `cache_dir/lock`) wins; the
other exits with code 3 and says why, or with `--wait` builds after it. The output is never a
mix: it equals a clean build. A disk that is full or read-only (ENOSPC, EROFS injected through
the writer's seam, since CI runs as root and permission bits stop nothing) is a clear error with
exit code 1, and the published feeds stay exactly as they were.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import BinaryIO

import pytest
from click.testing import CliRunner

import feeds.publish
from feeds import build as build_module
from feeds import buildstate
from feeds.cli import cli

NOW = "2026-11-26T12:00:00Z"
CONFIG = """\
site:
  title: Concurrency News
  url: https://news.example.org/
  description: Two builds at once
  language: en
  timezone: Europe/Berlin
  author: {name: Example Newsroom, email: newsroom@example.org}
"""
RECORDS = 2000  # enough that a build holds the lock for a while


def make_site(folder: Path, version: str = "first") -> Path:
    """A site of RECORDS articles in one JSONL file, in 5 categories."""
    (folder / "content").mkdir(parents=True)
    (folder / "config.yaml").write_text(CONFIG)
    write_content(folder, version)
    return folder


def write_content(site: Path, version: str) -> None:
    lines = [
        json.dumps(
            {
                "slug": f"a-{n}",
                "title": f"Article {n}, {version} version",
                "date": f"2021-{1 + n % 12:02d}-{1 + n % 28:02d} 10:{n % 60:02d}",
                "category": f"Topic {n % 5}",
                "body": f"Body of article {n}.",
            }
        )
        for n in range(RECORDS)
    ]
    # Saved the way a CMS should: a whole new file renamed over the old one, so a running build
    # reads one version or the other, never half of each.
    temporary = site / "content" / ".articles.jsonl.tmp"
    temporary.write_text("\n".join(lines) + "\n")
    os.replace(temporary, site / "content" / "articles.jsonl")


def command(site: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "feeds", "build", "--config", str(site / "config.yaml"),
        "--now", NOW, "--quiet", *extra,
    ]  # fmt: skip


def output(site: Path) -> dict[str, bytes]:
    """Every file in the output folder, hidden ones included."""
    folder = site / "public"
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def clean_output(folder: Path, version: str = "first") -> dict[str, bytes]:
    site = make_site(folder, version)
    subprocess.run(command(site), check=True, capture_output=True, timeout=120)
    return output(site)


def hold_lock_then_stop(site: Path) -> subprocess.Popen[bytes]:
    """Start a build and freeze it (SIGSTOP) once it holds the lock (its pid is in the file)."""
    process = subprocess.Popen(command(site), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    lock = site / ".feeds" / "lock"
    deadline = time.monotonic() + 60
    while not (lock.is_file() and lock.read_text() == f"{process.pid}\n"):
        assert process.poll() is None, "the first build ended before it was caught holding the lock"
        assert time.monotonic() < deadline, "the first build never took the lock"
        time.sleep(0.001)
    os.kill(process.pid, signal.SIGSTOP)
    assert process.poll() is None
    return process


def resume(process: subprocess.Popen[bytes]) -> int:
    os.kill(process.pid, signal.SIGCONT)
    _, stderr = process.communicate(timeout=120)
    assert b"Traceback" not in stderr
    return process.returncode


LOCKED = (
    "feeds: another build is running (lock in {cache}); try again when it ends, or pass --wait\n"
)


def test_a_second_build_exits_3_while_the_first_holds_the_lock(tmp_path: Path) -> None:
    expected = clean_output(tmp_path / "clean")
    site = make_site(tmp_path / "site")
    first = hold_lock_then_stop(site)
    try:
        second = subprocess.run(command(site), capture_output=True, text=True, timeout=120)
    finally:
        code = resume(first)
    assert second.returncode == 3
    assert second.stderr == LOCKED.format(cache=site / ".feeds")
    assert second.stdout == ""
    assert code == 0
    assert output(site) == expected


def test_a_second_build_with_wait_runs_after_the_first(tmp_path: Path) -> None:
    expected = clean_output(tmp_path / "clean", "second")
    site = make_site(tmp_path / "site")
    first = hold_lock_then_stop(site)
    write_content(site, "second")  # the waiting build must publish this version
    second = subprocess.Popen(command(site, "--wait"), stderr=subprocess.PIPE)
    try:
        time.sleep(0.5)
        assert second.poll() is None  # blocked on the lock, not failed
    finally:
        code = resume(first)
    _, stderr = second.communicate(timeout=120)
    assert (code, second.returncode) == (0, 0), stderr
    assert output(site) == expected


def test_a_killed_lock_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    expected = clean_output(tmp_path / "clean")
    site = make_site(tmp_path / "site")
    first = hold_lock_then_stop(site)
    first.kill()
    first.wait(timeout=60)
    result = subprocess.run(command(site), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert output(site) == expected


def test_two_builds_started_at_once_never_mix_their_output(tmp_path: Path) -> None:
    expected = clean_output(tmp_path / "clean")
    site = make_site(tmp_path / "site")
    for _ in range(3):
        builds = [
            subprocess.Popen(
                command(site), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        results = [(b.wait(timeout=120), b.stderr.read() if b.stderr else "") for b in builds]
        codes = sorted(code for code, _ in results)
        assert codes in ([0, 0], [0, 3]), results  # 0, 0: the second came after the first
        for code, stderr in results:
            assert stderr == (LOCKED.format(cache=site / ".feeds") if code == 3 else "")
        assert output(site) == expected
        for build in builds:
            if build.stdout:
                build.stdout.close()
            if build.stderr:
                build.stderr.close()


# --- a full or read-only disk -------------------------------------------------------------


def run_build(site: Path) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(cli, ["build", "--config", str(site / "config.yaml"), "--now", NOW])
    return result.exit_code, result.stderr, result.exception


def listing(site: Path) -> dict[str, tuple[bytes, int]]:
    folder = site / "public"
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "No space left on device (ENOSPC): the disk is full; free some space and "
         "build again"),
        (errno.EROFS, "Read-only file system (EROFS): the file system is read-only; remount it "
         "read-write or point output_dir at a writable folder, then build again"),
    ],
)  # fmt: skip
def test_a_full_or_read_only_disk_is_a_clear_error_and_the_feeds_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    site = make_site(tmp_path / "site")
    assert run_build(site)[0] == 0
    before = listing(site)
    write_content(site, "second")

    def failing_opener(path: Path) -> BinaryIO:
        raise OSError(code, os.strerror(code), str(path))

    # build_site has no opener parameter: the build publishes through publish_files with it.
    with_opener = functools.partial(feeds.publish.publish_files, opener=failing_opener)
    monkeypatch.setattr(build_module, "publish_files", with_opener)
    exit_code, stderr, exception = run_build(site)
    assert exit_code == 1
    assert isinstance(exception, SystemExit)
    feed = site / "public" / "feeds" / "all.atom.xml"
    assert (
        f"error: feeds/all.atom.xml: cannot write {feed}: {words}. The published file is "
        "unchanged.\n"
    ) in stderr
    assert listing(site) == before  # bytes and modification times; no temporary file left

    monkeypatch.undo()
    assert run_build(site)[0] == 0
    assert output(site) == clean_output(tmp_path / "clean", "second")


def test_a_full_disk_under_the_cache_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(tmp_path / "site")

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(site / ".feeds"))

    monkeypatch.setattr(buildstate, "save_cache", full)
    exit_code, stderr, exception = run_build(site)
    assert isinstance(exception, SystemExit)
    assert exit_code == 1
    assert "No space left on device (ENOSPC)" in stderr
