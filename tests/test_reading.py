"""Reading content files into file states (`feeds.reading.load_files`), on its own: a file
whose stat the cache trusts is not read, one whose bytes are unchanged is not parsed again,
a stat taken too soon after a write is not trusted, a record that fails keeps its last good
version, and a file that cannot be read keeps its articles and is read again next time.

Each test writes a few files in tmp_path/content with modification times long past, loads
them, and loads again with the states of the first load as the cache (what a build keeps).
The stats passed in are the caller's (the build's scan): passing the first load's stats
again says "the scan found this file as it was", whatever the file holds now."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from factories import make_config

from feeds.cache import BuildCache, FileState
from feeds.config import Config
from feeds.contentfiles import scan_content
from feeds.keys import reading_key
from feeds.model import Level, Problem
from feeds.parallel import Workers
from feeds.reading import RACY_NS, Loaded, load_files

WRITTEN_NS = 1_700_000_000_000_000_000  # 2023-11-14: every file's mtime unless a test says
STARTED_NS = WRITTEN_NS + 3_600_000_000_000  # the build starts an hour later: stats trusted

POCKET = (
    "---\ntitle: Pocket Review\ndate: 2024-05-01 10:00\ncategory: Phones\n---\nSmall *and* fast.\n"
)
WIRE = (
    '{"slug": "one", "title": "One", "date": "2024-05-02T10:00:00Z", "category": "Phones",'
    ' "body": "First."}\n'
    '{"slug": "two", "title": "Two", "date": "2024-05-03T10:00:00Z", "category": "Phones",'
    ' "body": "Second."}\n'
    '{"slug": "three", "title": "Three", "date": "2024-05-04T10:00:00Z", "category": "Phones",'
    ' "body": "Third."}\n'
)

Stats = list[tuple[str, os.stat_result]]


@pytest.fixture
def config(tmp_path: Path) -> Config:
    (tmp_path / "content").mkdir()
    return make_config(tmp_path)  # content_dir: tmp_path/content; sources are content/...


def write(config: Config, relative: str, text: str, mtime_ns: int = WRITTEN_NS) -> None:
    path = config.content_dir / relative
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(mtime_ns, mtime_ns))


def load(
    config: Config,
    cache: BuildCache | None = None,
    files: Stats | None = None,
    *,
    started_ns: int | None = STARTED_NS,
    workers: int = 1,
) -> Loaded:
    with Workers(workers) as pool:
        scanned = scan_content(config.content_dir) if files is None else files
        return load_files(config, cache or BuildCache(), scanned, None, started_ns, pool)


def kept_by(config: Config, loaded: Loaded) -> BuildCache:
    """The cache a build leaves after `loaded`: its file states under this config."""
    return BuildCache(reading_key=reading_key(config), files=loaded.states)


def titles(state: FileState) -> list[tuple[str, str]]:
    return [(article.source, article.title) for article in state.good]


# --- a first load ---------------------------------------------------------------------------


@pytest.mark.parametrize("workers", [1, 2])
def test_a_first_load_reads_every_file(config: Config, workers: int) -> None:
    write(config, "pocket.md", POCKET)
    write(config, "wire.jsonl", WIRE)

    loaded = load(config, workers=workers)

    assert (loaded.files_total, loaded.files_read, loaded.problems, loaded.kept) == (2, 2, [], [])
    assert sorted(loaded.states) == ["pocket.md", "wire.jsonl"]
    assert titles(loaded.states["pocket.md"]) == [("content/pocket.md", "Pocket Review")]
    assert titles(loaded.states["wire.jsonl"]) == [
        ("content/wire.jsonl:1", "One"),
        ("content/wire.jsonl:2", "Two"),
        ("content/wire.jsonl:3", "Three"),
    ]
    state = loaded.states["pocket.md"]
    assert (state.size, state.mtime_ns, state.racy) == (len(POCKET), WRITTEN_NS, False)
    assert [article.body for article in state.good] == [""]  # bodies are not kept in states
    assert len(state.content_keys) == 1
    assert loaded.bodies == {  # but those read in this build are, for the entry content
        "content/pocket.md": "Small *and* fast.\n",
        "content/wire.jsonl:1": "First.",
        "content/wire.jsonl:2": "Second.",
        "content/wire.jsonl:3": "Third.",
    }


def test_several_processes_give_the_same_states(config: Config) -> None:
    for n in range(6):
        write(config, f"note-{n}.md", POCKET.replace("Pocket Review", f"Note {n}"))
    write(config, "wire.jsonl", WIRE)

    alone, shared = load(config, workers=1), load(config, workers=2)

    assert shared.states == alone.states
    assert shared.bodies == alone.bodies
    assert (shared.files_read, shared.problems) == (alone.files_read, alone.problems) == (7, [])


# --- what is not read, what is not parsed ----------------------------------------------------


def test_a_file_with_a_trusted_stat_is_not_read_again(config: Config) -> None:
    write(config, "pocket.md", POCKET)
    files = scan_content(config.content_dir)
    first = load(config, files=files)
    (config.content_dir / "pocket.md").unlink()  # reading it now would fail

    again = load(config, kept_by(config, first), files)

    assert (again.files_read, again.problems, again.kept) == (0, [], [])
    assert again.states["pocket.md"] is first.states["pocket.md"]
    assert again.bodies == {}


def test_a_new_stat_with_the_same_bytes_is_read_but_not_parsed(config: Config) -> None:
    write(config, "wire.jsonl", WIRE)
    first = load(config)
    write(config, "wire.jsonl", WIRE, WRITTEN_NS + 5_000_000_000)  # same bytes, new mtime

    again = load(config, kept_by(config, first))

    before, after = first.states["wire.jsonl"], again.states["wire.jsonl"]
    assert again.files_read == 1
    assert after.mtime_ns == WRITTEN_NS + 5_000_000_000 and after.digest == before.digest
    assert after.good is before.good  # the very articles of the first load: not parsed again
    assert after.content_keys is before.content_keys
    assert again.bodies == {}


def test_new_bytes_are_parsed(config: Config) -> None:
    write(config, "pocket.md", POCKET)
    first = load(config)
    write(config, "pocket.md", POCKET.replace("Pocket Review", "Pocket Revisited"))

    again = load(config, kept_by(config, first))

    assert again.files_read == 1
    assert titles(again.states["pocket.md"]) == [("content/pocket.md", "Pocket Revisited")]
    assert again.states["pocket.md"].digest != first.states["pocket.md"].digest


def test_states_of_other_reading_settings_are_not_trusted(config: Config) -> None:
    write(config, "pocket.md", POCKET)
    first = load(config)
    cache = BuildCache(reading_key="other settings", files=first.states)

    again = load(config, cache)

    assert again.files_read == 1
    assert again.states["pocket.md"] == first.states["pocket.md"]
    assert again.states["pocket.md"] is not first.states["pocket.md"]


# --- racy stats ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written_before_start_ns", "racy"),
    [(RACY_NS + 1, False), (RACY_NS, False), (RACY_NS - 1, True), (0, True)],
)
def test_a_stat_taken_too_soon_after_a_write_is_marked_racy(
    config: Config, written_before_start_ns: int, racy: bool
) -> None:
    write(config, "pocket.md", POCKET)
    loaded = load(config, started_ns=WRITTEN_NS + written_before_start_ns)
    state = loaded.states["pocket.md"]
    assert state.racy is racy
    assert state.stat == (None if racy else (state.size, WRITTEN_NS, state.ctime_ns, state.ino))


def test_no_start_time_marks_nothing_racy(config: Config) -> None:
    write(config, "pocket.md", POCKET)
    assert load(config, started_ns=None).states["pocket.md"].racy is False


def test_a_racy_state_is_read_again_though_the_stat_is_the_same(config: Config) -> None:
    """A second write within the file system's timestamp granularity leaves the stat as it
    was; the file is hashed again, so the edit is seen."""
    write(config, "pocket.md", POCKET)
    files = scan_content(config.content_dir)
    first = load(config, files=files, started_ns=WRITTEN_NS + 1_000_000_000)
    assert first.states["pocket.md"].racy
    write(config, "pocket.md", POCKET.replace("Pocket Review", "Pocket Rewind"))  # same size

    again = load(config, kept_by(config, first), files)  # the stat the scan saw before

    assert again.files_read == 1
    assert titles(again.states["pocket.md"]) == [("content/pocket.md", "Pocket Rewind")]
    assert again.states["pocket.md"].racy is False  # this time the stat is old enough


# --- failures ---------------------------------------------------------------------------------


def test_a_record_that_fails_keeps_its_last_good_version(config: Config) -> None:
    write(config, "wire.jsonl", WIRE)
    first = load(config)
    broken = WIRE.replace(
        '"title": "Two", "date": "2024-05-03T10:00:00Z"', '"title": "Two!", "date": "Nov 41"'
    )
    write(config, "wire.jsonl", broken.replace('"title": "One"', '"title": "One, edited"'))

    again = load(config, kept_by(config, first))

    state = again.states["wire.jsonl"]
    assert titles(state) == [
        ("content/wire.jsonl:1", "One, edited"),
        ("content/wire.jsonl:3", "Three"),
        ("content/wire.jsonl:2", "Two"),  # the last good version, after what read
    ]
    assert state.kept == ("content/wire.jsonl:2",) and again.kept == ["content/wire.jsonl:2"]
    assert [(p.source, p.field, p.value, p.level) for p in again.problems] == [
        ("content/wire.jsonl:2", "date", "Nov 41", Level.ERROR)
    ]
    assert state.problems == tuple(again.problems)
    assert state.content_keys[2] == first.states["wire.jsonl"].content_keys[1]

    unchanged = load(config, kept_by(config, again))  # the same broken file: still kept
    assert unchanged.files_read == 0
    assert unchanged.states["wire.jsonl"] is state
    assert unchanged.kept == ["content/wire.jsonl:2"]
    assert unchanged.problems == again.problems  # reported again, though not read again


def test_a_fixed_record_replaces_its_kept_version(config: Config) -> None:
    write(config, "wire.jsonl", WIRE)
    first = load(config)
    write(config, "wire.jsonl", WIRE.replace("2024-05-03T10:00:00Z", "Nov 41"))
    broken = load(config, kept_by(config, first))
    write(config, "wire.jsonl", WIRE.replace('"Two"', '"Two, fixed"'), WRITTEN_NS + 9)

    fixed = load(config, kept_by(config, broken))

    assert (fixed.problems, fixed.kept) == ([], [])
    assert [title for _, title in titles(fixed.states["wire.jsonl"])] == [
        "One",
        "Two, fixed",
        "Three",
    ]


def test_a_whole_file_that_fails_keeps_its_last_good_version(config: Config) -> None:
    write(config, "pocket.md", POCKET)
    first = load(config)
    write(config, "pocket.md", POCKET.replace("title: Pocket Review\n", "title: [Pocket\n"))

    again = load(config, kept_by(config, first))

    assert titles(again.states["pocket.md"]) == [("content/pocket.md", "Pocket Review")]
    assert again.kept == ["content/pocket.md"]
    assert [(p.source, p.level) for p in again.problems] == [("content/pocket.md", Level.ERROR)]


def test_a_record_removed_is_gone_not_kept(config: Config) -> None:
    write(config, "wire.jsonl", WIRE)
    first = load(config)
    write(config, "wire.jsonl", "".join(WIRE.splitlines(keepends=True)[::2]))  # one, three

    again = load(config, kept_by(config, first))

    assert [title for _, title in titles(again.states["wire.jsonl"])] == ["One", "Three"]
    assert (again.problems, again.kept) == ([], [])


def test_a_file_that_never_read_has_nothing_to_keep(config: Config) -> None:
    write(config, "pocket.md", POCKET.replace("date: 2024-05-01 10:00", "date: Nov 41"))

    loaded = load(config)

    assert loaded.states["pocket.md"].good == () and loaded.kept == []
    assert [(p.source, p.field) for p in loaded.problems] == [("content/pocket.md", "date")]


def test_a_file_that_cannot_be_read_keeps_its_articles_and_is_read_next_time(
    config: Config,
) -> None:
    write(config, "pocket.md", POCKET)
    first = load(config)
    write(config, "pocket.md", POCKET.replace("Pocket Review", "Pocket Redux"), WRITTEN_NS + 7)
    files = scan_content(config.content_dir)  # the scan sees the new version ...
    (config.content_dir / "pocket.md").unlink()  # ... which is gone when it is read

    gone = load(config, kept_by(config, first), files)

    problem = Problem(
        "content/pocket.md", "file", None, "cannot be read: No such file or directory"
    )
    assert gone.problems == [problem] and gone.kept == ["content/pocket.md"]
    state = gone.states["pocket.md"]
    assert titles(state) == [("content/pocket.md", "Pocket Review")]  # the last good version
    assert (state.digest, state.racy, state.problems) == ("", True, (problem,))
    assert gone.files_read == 0

    write(config, "pocket.md", POCKET)  # back as it was: the racy state is read again
    back = load(config, kept_by(config, gone), scan_content(config.content_dir))
    assert back.files_read == 1 and (back.problems, back.kept) == ([], [])
    assert titles(back.states["pocket.md"]) == [("content/pocket.md", "Pocket Review")]


def test_a_new_file_that_cannot_be_read_gives_no_state(config: Config) -> None:
    write(config, "pocket.md", POCKET)
    files = scan_content(config.content_dir)
    (config.content_dir / "pocket.md").unlink()

    loaded = load(config, files=files)

    assert loaded.states == {} and loaded.kept == []
    assert [str(p) for p in loaded.problems] == [
        "content/pocket.md: file: cannot be read: No such file or directory"
    ]
