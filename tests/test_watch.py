"""`feeds build --watch`: a real process that rebuilds when content or config changes."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

NOW = "2026-11-26T12:00:00Z"


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
    """`feeds build --watch` in its own process group, its output read line by line."""

    def __init__(self, config: Path) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "feeds",
                "build",
                "--watch",
                "--config",
                str(config),
                "--now",
                NOW,
            ],
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
        watcher.wait_for("watching")
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
