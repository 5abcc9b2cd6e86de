"""Crash safety of whole builds (issue 5): `feeds build` killed with SIGKILL at moments spread over
a build's duration, again and again, while the content flips between two versions. After every
kill each published file is byte for byte the old or the new version (never a mix, never cut
short), every feed lints clean, and nothing once published goes missing. One ordinary build
afterwards leaves exactly what a clean build of the final content gives.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from feeds.findings import Severity
from feeds.lint import lint_feed

NOW = "2026-11-26T12:00:00Z"
CONFIG = """\
site:
  title: Kill Test News
  url: https://news.example.org/
  description: Built and killed, over and over
  language: en
  timezone: Europe/Berlin
  author: {name: Example Newsroom, email: newsroom@example.org}
"""
CATEGORIES = ("Phones", "Laptops: Gaming", "Science", "Security")
ARTICLES = 40
KILLS = 100


def write_content(site: Path, state: str) -> None:
    """Content version `A` or `B`: the same 40 articles in the same 4 categories (so the same
    files are published), with other titles and bodies (so every feed's bytes differ). B's
    files are longer, so a build can never take them for A's by size and mtime."""
    content = site / "content"
    content.mkdir(exist_ok=True)
    for n in range(ARTICLES):
        if state == "A":
            title, body = f"Article {n}", f"First version of article {n}."
        else:
            title = f"Article {n}, corrected"
            body = f"Second version of article {n}, with a correction.\n\nAnd a new paragraph."
        (content / f"article-{n:02d}.md").write_text(
            f"---\ntitle: {title}\ndate: 2021-03-{1 + n % 28:02d} {n % 24:02d}:15\n"
            f"category: '{CATEGORIES[n % len(CATEGORIES)]}'\n---\n{body}\n"
        )


def make_site(folder: Path, state: str) -> Path:
    folder.mkdir()
    (folder / "config.yaml").write_text(CONFIG)
    write_content(folder, state)
    return folder


def command(site: Path) -> list[str]:
    return [
        sys.executable, "-m", "feeds", "build", "--config", str(site / "config.yaml"),
        "--now", NOW, "--quiet",
    ]  # fmt: skip


def published(site: Path) -> dict[str, bytes]:
    """The published files: everything in the output folder but hidden (temporary) files."""
    output = site / "public"
    return {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in sorted(output.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(output).parts)
    }


def everything(site: Path) -> dict[str, bytes]:
    output = site / "public"
    return {
        p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()
    }


def clean_build(folder: Path, state: str) -> tuple[dict[str, bytes], float]:
    site = make_site(folder, state)
    started = time.monotonic()
    result = subprocess.run(command(site), capture_output=True, text=True, timeout=120)
    took = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    return everything(site), took


@pytest.mark.slow
def test_a_build_killed_at_any_moment_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    expected: dict[str, dict[str, bytes]] = {}
    durations = []
    for state in "AB":
        expected[state], took = clean_build(tmp_path / f"clean-{state}", state)
        durations.append(took)
    assert set(expected["A"]) == set(expected["B"])  # the same files ...
    feeds = sorted(path for path in expected["A"] if path.endswith(".xml"))
    assert len(feeds) == 2 * 6  # site, Phones, Laptops, Laptops/Gaming, Science, Security
    assert all(expected["A"][p] != expected["B"][p] for p in feeds)  # ... with other bytes

    site = make_site(tmp_path / "site", "A")
    duration = max(durations)
    rng = random.Random(20261126)
    delays = [duration * k / (KILLS - 1) for k in range(KILLS)]
    rng.shuffle(delays)
    seen: set[str] = set()
    killed = mixed = 0
    state = "A"
    for delay in delays:
        state = "B" if state == "A" else "A"
        write_content(site, state)
        process = subprocess.Popen(command(site), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        _, stderr = process.communicate(timeout=120)
        assert process.returncode in (0, -signal.SIGKILL), stderr.decode()

        files = published(site)
        assert seen <= set(files), f"vanished after a kill at {delay:.3f} s: {seen - set(files)}"
        seen |= set(files)
        versions = set()
        for path, data in files.items():
            assert path in expected["A"], f"stray file {path}"
            if data == expected["A"][path]:
                versions.add("A")
            elif data == expected["B"][path]:
                versions.add("B")
            else:
                pytest.fail(f"{path} is neither version after a kill at {delay:.3f} s")
            if path.endswith(".xml"):
                errors = [f for f in lint_feed(data, path) if f.level is Severity.ERROR]
                assert errors == [], (path, errors)
        mixed += len(versions) > 1

    # One ordinary build finishes the job: exactly a clean build of the final content,
    # temporary files a killed build left behind included (they must be gone).
    result = subprocess.run(command(site), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert everything(site) == expected[state]
    assert killed > 0
    print(
        f"{KILLS} builds, {killed} killed, {mixed} left a mix of versions; build {duration:.2f} s"
    )


def test_temporary_files_of_a_killed_build_are_cleaned_up(tmp_path: Path) -> None:
    """What a build killed between writing a temporary file and renaming it leaves behind."""
    site = make_site(tmp_path / "site", "A")
    subprocess.run(command(site), check=True, timeout=120)
    leftovers = [
        site / "public" / ".index.html.0123456789ab.tmp",
        site / "public" / "feeds" / "category" / ".phones.atom.xml.0123456789ab.tmp",
    ]
    for path in leftovers:
        path.write_bytes(b"<?xml version='1.0'?><feed")
    subprocess.run(command(site), check=True, timeout=120)
    assert [p for p in leftovers if p.exists()] == []


def test_a_killed_cache_write_leaves_nothing_behind(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", "A")
    subprocess.run(command(site), check=True, timeout=120)
    leftover = site / ".feeds" / ".cache-k1ll3d_x.tmp"
    leftover.write_bytes(b"half a pickle")
    write_content(site, "B")
    subprocess.run(command(site), check=True, timeout=120)
    assert not leftover.exists()


# Runs `feeds build`, killing itself (SIGKILL) right after the first discovery file went live.
KILL_AT_DISCOVERY = """\
import os, signal, sys
replace = os.replace
def replace_then_die(src, dst, *args, **kwargs):
    replace(src, dst, *args, **kwargs)
    if os.fspath(dst).endswith(('.opml', '.html')):
        os.kill(os.getpid(), signal.SIGKILL)
os.replace = replace_then_die
from feeds.cli import main
main(sys.argv[1:])
"""


def linked_feeds(site: Path) -> set[str]:
    """The feed files the discovery files on disk link to, relative to the output folder."""
    output = site / "public"
    prefix = "https://news.example.org/feeds/"
    linked: set[str] = set()
    for page in [*output.rglob("*.html"), *output.glob("*.opml")]:
        text = page.read_text("utf-8")
        for part in text.split(prefix)[1:]:
            path = "feeds/" + part.split('"', 1)[0]
            if path.endswith((".xml", ".json")):
                linked.add(path)
    return linked


@pytest.mark.slow
@pytest.mark.parametrize("first_build", [True, False])
def test_a_build_killed_as_a_discovery_file_goes_live_lists_only_existing_feeds(
    tmp_path: Path, first_build: bool
) -> None:
    site = make_site(tmp_path / "site", "A")
    if not first_build:
        assert subprocess.run(command(site), capture_output=True, timeout=120).returncode == 0
    for n in range(5):  # a new category: five feeds files that do not exist yet
        (site / "content" / f"gadget-{n}.md").write_text(
            f"---\ntitle: Gadget {n}\ndate: 2021-04-0{n + 1} 10:00\ncategory: Gadgets\n---\nNew.\n"
        )
    script = tmp_path / "kill_at_discovery.py"
    script.write_text(KILL_AT_DISCOVERY)
    killed = subprocess.run([sys.executable, str(script), *command(site)[3:]], timeout=120)
    assert killed.returncode == -signal.SIGKILL
    linked = linked_feeds(site)
    assert linked, "no discovery file went live"
    assert {p for p in linked if not (site / "public" / p).is_file()} == set()
