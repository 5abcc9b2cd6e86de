"""Worker processes (`feeds.parallel`) and what the build does with them: shares run side by
side and come back in order, a failing worker's share is run again in the build process, a
worker holds none of the build's file descriptors (the build lock above all), and a build
gives the same bytes with one process or several."""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from pathlib import Path
from typing import IO

import pytest
from sites import (
    CHANGES,
    NOW,
    CleanOutput,
    Site,
    assert_same_output,
    make_site,
    snapshot,
)

import feeds.build
import feeds.buildwork
import feeds.cache
import feeds.feedfiles
import feeds.parallel
import feeds.reading
import feeds.storewrite
from feeds.cache import FileState, load_cache, load_manifest
from feeds.config import Config
from feeds.contentbytes import OpenFolder
from feeds.model import FileStat
from feeds.parallel import Workers, feed_shares, run_inherited, split, worker_count
from feeds.storewrite import WrittenShard, file_shard

# --- the pool ---------------------------------------------------------------------------------


def pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 10


def tens(values: list[int]) -> list[int]:
    return [value * 10 for value in values]


def test_share_0_runs_here_and_share_1_on_a_worker() -> None:
    with Workers(2) as pool:
        assert pool.count == 2
        (here, a), (there, b) = pool.run(pid_and, [(1,), (2,)])
    assert (a, b) == (10, 20)
    assert here == os.getpid()
    assert there != os.getpid()


def test_one_process_runs_everything_here() -> None:
    with Workers(1) as pool:
        results = pool.run(pid_and, [(3,)])
    assert results == [(os.getpid(), 30)]


def test_more_shares_than_processes_is_an_error() -> None:
    with Workers(1) as pool, pytest.raises(ValueError, match="2 shares for 1 processes"):
        pool.run(pid_and, [(1,), (2,)])


@pytest.mark.parametrize("count", [1, 2, 3])
def test_map_keeps_the_order_of_the_items(count: int) -> None:
    with Workers(count) as pool:
        assert pool.map(tens, (), [1, 2, 3, 4, 5, 6, 7]) == [10, 20, 30, 40, 50, 60, 70]
        assert pool.map(tens, (), [4]) == [40]
        assert pool.map(tens, (), []) == []


def pids_of(items: list[int]) -> list[tuple[int, int]]:
    return [(os.getpid(), item) for item in items]


def test_map_works_in_rounds_each_dealt_out_in_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14: a worker holds one round's results at a time, never its whole share."""
    monkeypatch.setattr(feeds.parallel, "MAP_ROUND", 2)  # rounds of 2 items per process
    with Workers(2) as pool:
        results = pool.map(pids_of, (), list(range(9)))
    assert [item for _, item in results] == list(range(9))
    here = os.getpid()
    # rounds [0..3], [4..7], [8]: in each, the even positions here, the odd on the worker
    assert [pid == here for pid, _ in results] == [
        True, False, True, False, True, False, True, False, True,
    ]  # fmt: skip
    assert len({pid for pid, _ in results}) == 2


def fails_on_a_worker(parent: int) -> str:
    if os.getpid() != parent:
        raise RuntimeError("only on the worker")
    return "done here"


def dies_on_a_worker(parent: int) -> str:
    if os.getpid() != parent:
        os._exit(3)
    return "done here"


def always_fails(_: int) -> str:
    raise KeyError("everywhere")


@pytest.mark.parametrize("function", [fails_on_a_worker, dies_on_a_worker])
def test_a_failing_worker_has_its_share_run_here(function: object) -> None:
    with Workers(2) as pool:
        results = pool.run(function, [(os.getpid(),), (os.getpid(),)])  # type: ignore[arg-type]
        assert results == ["done here", "done here"]
        # the pool goes on without the dead worker
        assert pool.run(function, [(os.getpid(),), (os.getpid(),)]) == ["done here"] * 2  # type: ignore[arg-type]


def test_a_share_that_cannot_be_sent_runs_here() -> None:
    def local(value: int) -> tuple[int, int]:  # a local function: pickle cannot name it
        return os.getpid(), value

    with Workers(2) as pool:
        assert pool.run(local, [(1,), (2,)]) == [(os.getpid(), 1), (os.getpid(), 2)]


def slow_unit(pause: float, unit: int, poll: object) -> tuple[int, int, bool]:
    """A unit that takes a while, so that every process gets some; with the pid it ran on
    and whether it was given a poll (the build process is, a worker is not)."""
    deadline = time.monotonic() + pause
    while time.monotonic() < deadline:
        if callable(poll):
            poll()
        time.sleep(0.001)
    return os.getpid(), unit, callable(poll)


@pytest.mark.parametrize("count", [1, 2, 3])
def test_deal_takes_every_unit_once_from_whichever_process_is_free(count: int) -> None:
    taken: list[tuple[int, int, bool]] = []
    with Workers(count) as pool:
        pool.deal(slow_unit, (0.02,), list(range(12)), taken.append)
    assert sorted(unit for _, unit, _ in taken) == list(range(12))
    here = os.getpid()
    assert all(polled == (pid == here) for pid, _, polled in taken)
    assert len({pid for pid, _, _ in taken}) == count  # each process ran some


def test_deal_gives_a_process_more_when_it_is_free_sooner() -> None:
    """Units are dealt as processes come free, not in fixed shares: a worker that finishes
    quickly takes more of them while the build process is on a long one."""
    taken: list[tuple[int, int, bool]] = []
    with Workers(2) as pool:
        pool.deal(uneven_unit, (os.getpid(),), list(range(8)), taken.append)
    here = os.getpid()
    ran_here = [unit for pid, unit, _ in taken if pid == here]
    assert len(ran_here) == 1  # one long unit here; the worker took the other seven
    assert sorted(unit for _, unit, _ in taken) == list(range(8))


def uneven_unit(parent: int, unit: int, poll: object) -> tuple[int, int, bool]:
    if os.getpid() == parent:  # long here, quick on the worker
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline:
            assert callable(poll)
            poll()
            time.sleep(0.002)
    return os.getpid(), unit, callable(poll)


def unit_fails_on_a_worker(parent: int, unit: int, poll: object) -> tuple[int, int]:
    if os.getpid() != parent:
        raise RuntimeError("only on the worker")
    return os.getpid(), unit


def unit_dies_on_a_worker(parent: int, unit: int, poll: object) -> tuple[int, int]:
    if os.getpid() != parent:
        os._exit(3)
    return os.getpid(), unit


@pytest.mark.parametrize("function", [unit_fails_on_a_worker, unit_dies_on_a_worker])
def test_deal_runs_here_the_units_of_a_failing_worker(function: object) -> None:
    taken: list[tuple[int, int]] = []
    with Workers(2) as pool:
        pool.deal(function, (os.getpid(),), list(range(6)), taken.append)  # type: ignore[arg-type]
    assert sorted(taken) == [(os.getpid(), unit) for unit in range(6)]


def unit_always_fails(unit: int, poll: object) -> None:
    raise KeyError(f"unit {unit}")


def test_deal_raises_here_an_error_every_process_has() -> None:
    with Workers(2) as pool, pytest.raises(KeyError, match="unit"):
        pool.deal(unit_always_fails, (), [1, 2, 3], lambda _: None)


def test_feed_shares_keep_a_format_together_when_there_are_enough_processes() -> None:
    feeds_ = [("rss", "all", 50), ("atom", "all", 50), ("rss", "a/b", 10), ("atom", "a/b", 10)]
    assert sorted(feed_shares(feeds_, 2)) == [[0, 2], [1, 3]]
    # one format, two processes: by top-level category, the costliest first
    one = [("rss", "all", 50), ("rss", "news/world", 20), ("rss", "news/local", 20)]
    assert sorted(feed_shares(one, 2)) == [[0], [1, 2]]


def test_run_inherited_runs_a_closure_on_a_forked_worker() -> None:
    state = {"base": 100}  # reached through the closure: inherited, never pickled

    def add(value: int) -> tuple[int, int]:
        return os.getpid(), state["base"] + value

    results, processes = run_inherited(add, [(1,), (2,)])
    assert processes == 2
    (here, a), (there, b) = results
    assert (a, b) == (101, 102) and here == os.getpid() != there


def test_run_inherited_runs_a_share_here_when_its_fork_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(feeds.parallel, "_fork", lambda: None)
    results, processes = run_inherited(pid_and, [(1,), (2,)])
    assert processes == 1
    assert results == [(os.getpid(), 10), (os.getpid(), 20)]


def test_run_inherited_leaves_a_freeze_of_the_caller_in_place() -> None:
    """A build freezes its state for the whole build; a late fork must not thaw it (one
    `gc.unfreeze` thaws every freeze), and thaws only what it froze itself."""
    import gc

    assert gc.get_freeze_count() == 0
    run_inherited(pid_and, [(1,)])
    assert gc.get_freeze_count() == 0  # nothing frozen before: nothing left frozen
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        run_inherited(pid_and, [(1,), (2,)])
        assert gc.get_freeze_count() >= frozen > 0
    finally:
        gc.unfreeze()


def test_an_error_everywhere_is_raised_as_without_workers() -> None:
    with Workers(2) as pool, pytest.raises(KeyError, match="everywhere"):
        pool.run(always_fails, [(1,), (2,)])


def descriptor_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def test_a_worker_holds_none_of_the_build_descriptors(tmp_path: Path) -> None:
    """A killed build must not leave its lock held by a worker, so workers close what they
    inherited (stdin, stdout and stderr aside)."""
    fd = os.open(tmp_path / "lock", os.O_RDWR | os.O_CREAT)
    try:
        with Workers(2) as pool:
            here, there = pool.run(descriptor_open, [(fd,), (fd,)])
    finally:
        os.close(fd)
    assert (here, there) == (True, False)


def test_split_deals_the_costliest_first_to_the_least_loaded() -> None:
    costs = [("a", 5.0), ("b", 4.0), ("c", 3.0), ("d", 3.0), ("e", 1.0)]
    # a -> 0 (5), b -> 1 (4), c -> 1 (7), d -> 0 (8), e -> 1 (8)
    assert split(costs, 2) == [["a", "d"], ["b", "c", "e"]]
    assert split(costs, 1) == [["a", "b", "c", "d", "e"]]
    assert split([("x", 1.0)], 3) == [["x"]]


def test_worker_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEEDS_WORKERS", "3")
    assert worker_count() == 3
    assert worker_count(1) == 1
    assert worker_count(100) == 8  # MAX_WORKERS
    monkeypatch.setenv("FEEDS_WORKERS", "junk")
    assert worker_count() == min(len(os.sched_getaffinity(0)), 8)


def test_no_workers_while_other_threads_run(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert worker_count(4) == 1
    finally:
        release.set()
        thread.join()


# --- the build with workers -----------------------------------------------------------------


@pytest.fixture
def pool_for_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers for any amount of work, so the small fixture site uses them."""
    monkeypatch.setattr(feeds.buildwork, "MIN_FILES_FOR_POOL", 0)
    monkeypatch.setattr(feeds.buildwork, "MIN_FEEDS_FOR_POOL", 0)
    monkeypatch.setattr(feeds.feedfiles, "LATE_FORK_ENTRIES", 0)


@pytest.mark.usefixtures("pool_for_everything")
@pytest.mark.parametrize("keep_bodies", [True, False], ids=["bodies kept", "bodies read again"])
def test_one_process_and_two_give_the_same_bytes(
    keep_bodies: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not keep_bodies:
        monkeypatch.setattr(feeds.reading, "KEEP_BODIES_UP_TO", 0)
    alone = make_site(tmp_path / "alone")
    shared = make_site(tmp_path / "shared")

    one = alone.build(workers=1)
    two = shared.build(workers=2)

    assert (one.workers, two.workers) == (1, 2)
    assert snapshot(alone.output) == snapshot(shared.output)
    assert (one.problems, one.findings, one.cut) == (two.problems, two.findings, two.cut)
    assert (one.articles, one.drafts, one.scheduled) == (two.articles, two.drafts, two.scheduled)
    assert one.publish.written == two.publish.written


@pytest.mark.usefixtures("pool_for_everything")
@pytest.mark.parametrize("name", ["edit_body", "add_newest", "config_site_title", "delete"])
def test_changes_built_with_workers_equal_a_clean_build(
    name: str, site: Site, clean_output: CleanOutput, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.build(workers=2)

    CHANGES[name](site, monkeypatch)
    report = site.build(workers=2)

    assert report.complete
    monkeypatch.setenv("FEEDS_WORKERS", "1")  # the reference: one process
    assert_same_output(snapshot(site.output), clean_output(site))
    again = site.build(workers=2)
    assert (again.files_read, again.publish.written) == (0, ())


@pytest.mark.usefixtures("pool_for_everything")
def test_workers_with_a_size_budget_cut_the_same_feeds(
    site: Site, clean_output: CleanOutput, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.settings["feeds"].update(formats=["rss", "atom", "json"], max_bytes=2600)
    site.save_config()

    report = site.build(workers=2)

    assert report.workers == 2 and report.cut
    monkeypatch.setenv("FEEDS_WORKERS", "1")  # the reference: one process
    assert_same_output(snapshot(site.output), clean_output(site, NOW))


def test_a_small_change_renders_its_feeds_on_a_worker_forked_late(
    site: Site, clean_output: CleanOutput, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Few files to read but several feeds to render: one worker is forked for the feeds
    (it inherits their content and memo entries instead of receiving them)."""
    monkeypatch.setattr(feeds.feedfiles, "LATE_FORK_ENTRIES", 0)
    site.build(workers=2)

    CHANGES["edit_title"](site, monkeypatch)
    report = site.build(workers=2)

    assert report.workers == 2
    assert set(report.publish.written) >= {"feeds/all.atom.xml", "feeds/all.rss.xml"}
    monkeypatch.setenv("FEEDS_WORKERS", "1")
    assert_same_output(snapshot(site.output), clean_output(site))


def test_the_collector_is_kept_off_inherited_objects_and_back_on_after_an_error() -> None:
    """`collector_off_inherited` (the shared scan's and `run_inherited`'s): frozen inside,
    thawed after when nothing was frozen before, even when the block raised."""
    import gc

    from feeds.parallel import collector_off_inherited

    assert gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError), collector_off_inherited():
        assert gc.get_freeze_count() > 0
        raise RuntimeError("a share failed")
    assert gc.get_freeze_count() == 0


# --- store shards written where the files were read (issue 14) ------------------------------


def _store_files(site: Site) -> set[str]:
    folder = site.root / ".feeds" / feeds.cache.STORE_DIR
    return {p.name for p in folder.glob("*.pickle")} if folder.is_dir() else set()


def _saved_pickles(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """What the build process pickles to files from now on (a worker's are its own)."""
    dumped: list[object] = []
    real = feeds.storewrite.dump

    def dump(value: object, handle: IO[bytes]) -> None:
        dumped.append(value)
        real(value, handle)

    monkeypatch.setattr(feeds.storewrite, "dump", dump)
    return dumped


def _states(site: Site) -> dict[str, FileState]:
    """The saved states, without what differs between two folders (inode, change time)."""
    files = load_cache(site.root / ".feeds").files
    return {path: dataclasses.replace(s, ctime_ns=0, ino=0) for path, s in files.items()}


def _file_states(value: object) -> bool:
    return isinstance(value, dict) and any(isinstance(v, FileState) for v in value.values())


def _reference_and_shared(tmp_path: Path) -> tuple[Site, Site]:
    """The fixture site twice: built once with one process (the reference), and not built."""
    alone, shared = make_site(tmp_path / "alone"), make_site(tmp_path / "shared")
    alone.build(workers=1)
    return alone, shared


def _assert_store_is_the_manifests(site: Site) -> None:
    manifest = load_manifest(site.root / ".feeds")
    assert manifest is not None and _store_files(site) == set(manifest.store.values())


@pytest.mark.usefixtures("pool_for_everything")
def test_workers_write_the_shards_of_the_states_they_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone, shared = _reference_and_shared(tmp_path)
    dumped = _saved_pickles(monkeypatch)

    report = shared.build(workers=2)

    assert report.workers == 2
    assert not [v for v in dumped if _file_states(v)]  # no state pickled again at the end
    one, two = _states(alone), _states(shared)
    assert two == one and list(two) == list(one)
    manifest = load_manifest(shared.root / ".feeds")
    assert manifest is not None
    names = {name for name in manifest.store if name.startswith("files/")}
    assert names == {file_shard(relative) for relative in one}
    assert _store_files(shared) == set(manifest.store.values())  # none left over


@pytest.mark.usefixtures("pool_for_everything")
def test_a_shard_holding_a_refused_record_is_saved_by_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sites = [make_site(tmp_path / name) for name in ("alone", "shared")]
    for site in sites:
        site.write("phones/undated.md", "---\ntitle: No date here\ncategory: Phones\n---\nText.\n")
    sites[0].build(workers=1)
    dumped = _saved_pickles(monkeypatch)

    sites[1].build(workers=2)

    one, two = (_states(site) for site in sites)
    assert two == one
    assert two["phones/undated.md"].problems  # read, refused, and its state kept
    saved = [v for v in dumped if _file_states(v)]
    assert [list(v) for v in saved if "phones/undated.md" in v]  # its shard, at the end


@pytest.mark.usefixtures("pool_for_everything")
def test_a_build_that_saves_nothing_leaves_no_shard_it_wrote(site: Site) -> None:
    site.write("phones/undated.md", "---\ntitle: No date here\ncategory: Phones\n---\nText.\n")

    dry = site.build(workers=2, dry_run=True)
    assert dry.workers == 2 and _store_files(site) == set()
    blocked = site.build(workers=2, strict=True)
    assert blocked.strict_blocked and _store_files(site) == set()

    site.build(workers=2)
    _assert_store_is_the_manifests(site)


def test_files_are_dealt_by_store_shard_biggest_first() -> None:
    stat = FileStat(1, 2, 3, 4, 5)
    files = [(f"desk/{n:04d}.md", stat) for n in range(1200)]
    wanted = [(relative, "", stat) for relative, _ in files if not relative.endswith("7.md")]

    units = feeds.reading._shard_units(files, wanted)

    dealt = [item[0] for _, _, items in units for item in items]
    assert sorted(dealt) == sorted(relative for relative, _, _ in wanted)
    assert all(file_shard(item[0]) == name for name, _, items in units for item in items)
    sizes = [len(items) for _, _, items in units]
    assert sizes == sorted(sizes, reverse=True)
    for name, whole, items in units:
        in_files = sum(file_shard(relative) == name for relative, _ in files)
        assert whole == (in_files == len(items))
    assert not all(whole for _, whole, _ in units)
    everything = feeds.reading._shard_units(files, [(r, "", s) for r, s in files])
    assert all(whole for _, whole, _ in everything)


def test_a_written_shard_is_taken_only_for_the_very_states_in_order() -> None:
    one, two = (FileState(1, 2, 3, 4, digest, ()) for digest in ("a", "b"))
    written = WrittenShard("x.pickle", ("a.md", "b.md"), (one, two))
    same = feeds.storewrite._same_states
    assert same({"a.md": one, "b.md": two}, written)
    assert not same({"a.md": one, "b.md": dataclasses.replace(two)}, written)  # equal, not it
    assert not same({"b.md": two, "a.md": one}, written)
    assert not same({"a.md": one, "b.md": two, "c.md": two}, written)
    assert not same({"a.md": one}, written)


@pytest.mark.usefixtures("pool_for_everything")
def test_a_worker_dying_while_it_reads_leaves_the_same_build_and_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone, shared = _reference_and_shared(tmp_path)
    build_process = os.getpid()
    read_content = feeds.reading.read_content

    def dies_on_a_worker(config: Config, relative: str, folder: OpenFolder | None = None) -> bytes:
        if os.getpid() != build_process:
            (tmp_path / "died").touch()
            os._exit(9)  # killed mid-round: its shards are read again by the build process
        return read_content(config, relative, folder)

    monkeypatch.setattr(feeds.reading, "read_content", dies_on_a_worker)
    report = shared.build(workers=2)

    assert (tmp_path / "died").exists() and report.complete
    assert snapshot(shared.output) == snapshot(alone.output)
    assert _states(shared) == _states(alone)
    _assert_store_is_the_manifests(shared)


@pytest.mark.usefixtures("pool_for_everything")
def test_a_shard_that_cannot_be_written_while_reading_is_saved_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone, shared = _reference_and_shared(tmp_path)

    def full(cache_dir: Path, states: object) -> tuple[str, bytes]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(feeds.reading, "write_file_shard", full)
    dumped = _saved_pickles(monkeypatch)
    report = shared.build(workers=2)

    assert report.complete and report.workers == 2
    assert [v for v in dumped if _file_states(v)]  # pickled by the save instead
    assert _states(shared) == _states(alone)
    _assert_store_is_the_manifests(shared)
