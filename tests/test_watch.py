"""`feeds build --watch`: a real process that rebuilds when content or config changes."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

NOW = "2026-11-26T12:00:00Z"
READY = "feeds: watching "  # the watcher is running: a change made now is seen


def make_site(root: Path) -> Path:
    (root / "content").mkdir()
    (root / "config.yaml").write_text(
        "site:\n  title: Watched\n  url: https://news.example.org/\n  description: D\n"
        "  language: en\n  timezone: UTC\n",
        encoding="utf-8",
    )
    write(root, "first", "First Story")
    return root / "config.yaml"


def write(root: Path, slug: str, title: str) -> None:
    (root / "content" / f"{slug}.md").write_text(
        f"---\ntitle: {title}\ndate: 2026-01-02 10:00\ncategory: News\n---\nBody.\n",
        encoding="utf-8",
    )


class Watcher:
    """`feeds build --watch` (or `command`) in its own process group, its output read line by
    line."""

    def __init__(self, config: Path, command: list[str] | None = None) -> None:
        command = command or ["build", "--watch", "--now", NOW]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "feeds", *command, "--config", str(config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 20.0) -> list[str]:
        seen: list[str] = []
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            seen.append(line)
            if text in line:
                return seen
        raise AssertionError(f"{text!r} not printed within {timeout} s; saw {seen}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def test_watch_rebuilds_after_a_new_article_and_a_config_change(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    feed = tmp_path / "public" / "feeds" / "all.atom.xml"
    watcher = Watcher(config)
    try:
        watcher.wait_for(READY)
        assert b"First Story" in feed.read_bytes()

        write(tmp_path, "second", "Second Story")
        seen = watcher.wait_for("feed files:")
        assert any("changed:" in line and "second.md" in line for line in seen)
        assert b"Second Story" in feed.read_bytes()

        config.write_text(config.read_text().replace("Watched", "Rewatched"), encoding="utf-8")
        seen = watcher.wait_for("feed files:")
        assert any("changed:" in line and "config.yaml" in line for line in seen)
        assert b"<title>Rewatched</title>" in feed.read_bytes()
    finally:
        watcher.stop()
    assert watcher.process.returncode is not None


# A half-saved config: the YAML stops in the middle of a value (issue 11).
HALF_SAVED = "site:\n  title: Watched\n  url: https://news.example.org/\n  description: [unfinis"


def test_a_half_saved_config_is_reported_and_the_watcher_goes_on(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    good = config.read_text()
    feed = tmp_path / "public" / "feeds" / "all.atom.xml"
    watcher = Watcher(config)
    try:
        watcher.wait_for(READY)
        config.write_text(HALF_SAVED, encoding="utf-8")
        seen = watcher.wait_for("still watching")
        assert any("config error" in line and "config.yaml" in line for line in seen)
        assert watcher.process.poll() is None
        assert b"First Story" in feed.read_bytes()  # the published feeds are untouched

        config.write_text(good.replace("Watched", "Repaired"), encoding="utf-8")
        watcher.wait_for("feed files:")
        assert b"<title>Repaired</title>" in feed.read_bytes()
        write(tmp_path, "second", "Second Story")  # content is still watched
        watcher.wait_for("feed files:")
        assert b"Second Story" in feed.read_bytes()
    finally:
        watcher.stop()


def test_a_broken_article_is_reported_and_the_next_save_publishes(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    feed = tmp_path / "public" / "feeds" / "all.atom.xml"
    watcher = Watcher(config)
    try:
        watcher.wait_for(READY)
        (tmp_path / "content" / "second.md").write_text("---\ntitle: [Second\n---\nBody.\n")
        seen = watcher.wait_for("still watching")
        assert any("second.md" in line and "error" in line for line in seen)
        write(tmp_path, "second", "Second Story")
        watcher.wait_for("feed files:")
        assert b"Second Story" in feed.read_bytes()
    finally:
        watcher.stop()


def test_a_watcher_started_on_a_broken_config_builds_once_it_is_fixed(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    good = config.read_text()
    config.write_text(HALF_SAVED, encoding="utf-8")
    watcher = Watcher(config)
    try:
        seen = watcher.wait_for(READY)
        assert any("config error" in line for line in seen)
        assert not (tmp_path / "public").exists()
        config.write_text(good, encoding="utf-8")
        watcher.wait_for("feed files:")
        assert b"First Story" in (tmp_path / "public/feeds/all.atom.xml").read_bytes()
    finally:
        watcher.stop()


def test_a_config_naming_another_content_folder_moves_the_watch(tmp_path: Path) -> None:
    config = make_site(tmp_path)
    (tmp_path / "desk").mkdir()
    (tmp_path / "desk" / "moved.md").write_text(
        "---\ntitle: Moved Story\ndate: 2026-01-03 10:00\ncategory: News\n---\nBody.\n"
    )
    watcher = Watcher(config)
    try:
        watcher.wait_for(READY)
        config.write_text(config.read_text() + "content_dir: desk\n", encoding="utf-8")
        watcher.wait_for("the watched folders changed")
        watcher.wait_for(READY)
        (tmp_path / "desk" / "later.md").write_text(
            "---\ntitle: Later Story\ndate: 2026-01-04 10:00\ncategory: News\n---\nBody.\n"
        )
        watcher.wait_for("feed files:")
        assert b"Later Story" in (tmp_path / "public/feeds/all.atom.xml").read_bytes()
    finally:
        watcher.stop()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str) -> bytes:
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return bytes(response.read())


def test_serve_watch_keeps_serving_and_rebuilding_through_a_broken_config(
    tmp_path: Path,
) -> None:
    config = make_site(tmp_path)
    good = config.read_text()
    port = _free_port()
    watcher = Watcher(config, ["serve", "--watch", "--port", str(port)])
    try:
        watcher.wait_for(READY)
        assert b"First Story" in _get(port, "/feeds/all.atom.xml")
        config.write_text(HALF_SAVED, encoding="utf-8")
        seen = watcher.wait_for("still watching")
        assert any("config error" in line for line in seen)
        assert b"First Story" in _get(port, "/feeds/all.atom.xml")  # still served

        config.write_text(good, encoding="utf-8")
        watcher.wait_for("feed files:")
        write(tmp_path, "second", "Second Story")  # and it rebuilds again after that
        watcher.wait_for("feed files:")
        assert b"Second Story" in _get(port, "/feeds/all.atom.xml")
    finally:
        watcher.stop()


def test_edits_saved_the_ways_editors_save_are_published(tmp_path: Path) -> None:
    """The watcher keeps the site between builds (issue 14) and looks again only at the paths
    it is told of: an edit in place, an atomic save (a temporary file renamed over the
    article), a save that leaves a hidden swap file and a `~` backup beside it, and a
    deleted article all reach the feed; a fresh build afterwards has nothing to change."""
    config = make_site(tmp_path)
    write(tmp_path, "second", "Second Story")
    article = tmp_path / "content" / "first.md"
    feed = tmp_path / "public" / "feeds" / "all.atom.xml"
    watcher = Watcher(config)

    def saved(title: str) -> str:
        return article.read_text().replace(article.read_text().split("\n")[1], f"title: {title}")

    try:
        watcher.wait_for(READY)
        article.write_text(saved("Edited In Place"), encoding="utf-8")
        watcher.wait_for("feed files:")
        assert b"Edited In Place" in feed.read_bytes()

        temporary = tmp_path / "content" / ".first.md.tmp-1234"
        temporary.write_text(saved("Saved Atomically"), encoding="utf-8")
        os.replace(temporary, article)
        watcher.wait_for("feed files:")
        assert b"Saved Atomically" in feed.read_bytes()

        (tmp_path / "content" / ".first.md.swp").write_bytes(b"swap")
        (tmp_path / "content" / "first.md~").write_text(article.read_text(), encoding="utf-8")
        article.write_text(saved("Saved With A Backup"), encoding="utf-8")
        watcher.wait_for("feed files:")
        assert b"Saved With A Backup" in feed.read_bytes()

        (tmp_path / "content" / "second.md").unlink()
        watcher.wait_for("feed files:")
        assert b"Second Story" not in feed.read_bytes()
    finally:
        watcher.stop()
    fresh = subprocess.run(
        [sys.executable, "-m", "feeds", "build", "--now", NOW, "--config", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert "feed files: 0 were written" in fresh.stdout
    assert "0 old files were removed, 0 pages were written" in fresh.stdout


class _Told:
    """A stand-in for a `Resident` that writes down what the watcher tells it, in turn."""

    def __init__(self, calls: list[str], times: list[float]) -> None:
        self.calls, self.times = calls, times

    def _told(self, what: str) -> None:
        self.calls.append(what)
        self.times.append(time.monotonic())

    def watching(self) -> None:
        self._told("watching")

    def changed(self, paths: object) -> None:
        self._told("changed")

    def idle(self) -> None:
        self._told("idle")


def arrive(scratch: Path, path: Path) -> None:
    """A file written beside the watched folder and renamed into it: one event, so one
    batch, however slowly the machine runs."""
    temp = scratch / f"{path.name}.part"
    temp.write_text(path.stem, encoding="utf-8")
    os.replace(temp, path)


class _Stop(BaseException):
    """Ends the watch from inside a build (a build's own errors are reported, not raised)."""


def test_the_watcher_gives_the_resident_its_quiet_time_between_builds(tmp_path: Path) -> None:
    from typing import cast

    from feeds.resident import Resident
    from feeds.watch import QUIET_SECONDS, watch_and_rebuild

    content = tmp_path / "content"
    content.mkdir()
    calls: list[str] = []
    times: list[float] = []
    told = _Told(calls, times)

    def rebuild() -> int:
        told._told("build")
        if calls.count("build") == 2:
            raise _Stop  # before any idle time after this build
        return 0

    def watch() -> None:
        try:
            watch_and_rebuild(
                lambda: [content], rebuild, echo=lambda _: None,
                resident=cast(Resident, told), debounce_ms=50,
            )  # fmt: skip
        except _Stop:
            calls.append("stopped")

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    end = time.monotonic() + 15

    def wait(done: Callable[[], bool]) -> None:
        while not done() and time.monotonic() < end:
            time.sleep(0.02)

    wait(lambda: "watching" in calls)
    arrive(tmp_path, content / "one.md")
    wait(lambda: "build" in calls and calls[-1] == "idle")
    arrive(tmp_path, content / "two.md")
    thread.join(timeout=max(0.0, end - time.monotonic()))
    # once quiet for a while (and not before), after each build; repeated while it stays so
    after = calls[calls.index("build") :]
    told_once = [c for i, c in enumerate(after) if c != "idle" or after[i - 1] != "idle"]
    assert told_once == ["build", "idle", "changed", "build", "stopped"], calls
    first_idle = calls.index("idle", calls.index("build"))
    assert times[first_idle] - times[calls.index("build")] >= QUIET_SECONDS
