"""Saving the build state shard by shard (feeds/storewrite.py, issue 14): a save after edits,
new files and deletions writes only the file shards whose states are not the last save's very
objects, and what a later build reads back is the state saved, the same as when every shard
is grouped again from scratch."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

import feeds.storewrite
from feeds.cache import STORE_DIR, BuildCache, FileState, load_manifest, load_store, shard_name
from feeds.storewrite import read_back, save_cache


def _state(number: int, version: int) -> FileState:
    """A content file's state; `version` stands for an edit (another size and digest)."""
    return FileState(
        size=100 + version,
        mtime_ns=10**18 + number * 1000 + version,
        ctime_ns=10**18 + number * 1000 + version,
        ino=number,
        digest=f"{number}-{version}",
        problems=(),
        racy=version % 7 == 3,  # now and then a stat not yet trusted (None in the manifest)
    )


def _saved(
    folder: Path,
    files: dict[str, FileState],
    before: BuildCache | None,
    changed: list[str] | None = None,
) -> BuildCache:
    """Save `files` after `before` (the state the build started from) and read it back as a
    resident keeps it; `changed` as a patch names the files it may have changed."""
    cache = BuildCache(reading_key="r", render_key="k", files=dict(files))
    save_cache(folder, cache, before, changed=changed)
    return read_back(folder, cache, before or BuildCache())


def _named(rng: random.Random, files: dict[str, FileState], last: BuildCache) -> list[str]:
    """What a patch names: every file whose state is not `last`'s very one or is gone, with
    some that did not change and some that never were (a patch may name more)."""
    old = last.files
    named = [r for r, s in files.items() if old.get(r) is not s]
    named += [r for r in old if r not in files]
    named += [*rng.sample(sorted(files), k=min(3, len(files))), "never/was.md"]
    rng.shuffle(named)
    return named


def _on_disk(folder: Path) -> tuple[dict[str, FileState], dict[str, object]]:
    manifest = load_manifest(folder)
    assert manifest is not None
    return load_store(folder, manifest).files, dict(manifest.stats)


def _store_files(folder: Path) -> set[str]:
    return {path.name for path in (folder / STORE_DIR).iterdir()}


def _edits(rng: random.Random, files: dict[str, FileState], step: int) -> dict[str, FileState]:
    """The files after one build's worth of changes: some edited, some new, some deleted;
    unchanged states stay the very objects they were (as `reading.load_files` keeps them)."""
    now = dict(files)
    for relative in rng.sample(sorted(now), k=min(len(now), rng.randint(0, 4))):
        number = int(relative.rsplit("-", 1)[1].removesuffix(".md"))
        now[relative] = _state(number, step)
    for relative in rng.sample(sorted(now), k=min(len(now) - 1, rng.randint(0, 3))):
        del now[relative]
    for _ in range(rng.randint(0, 4)):
        number = rng.randrange(10_000, 99_999)
        now[f"new/{number // 100}/article-{number}.md"] = _state(number, step)
    if rng.random() < 0.3:  # a build that kept everything as it was
        now = dict(files)
    return dict(sorted(now.items())) if rng.random() < 0.5 else now


@pytest.mark.parametrize("seed", range(6))
def test_each_save_reads_back_as_saved_and_as_a_save_from_scratch_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    rng = random.Random(seed)
    files = {f"cat{n % 9}/article-{n}.md": _state(n, 0) for n in range(400)}
    mine, scratch = tmp_path / "mine", tmp_path / "scratch"
    before_mine = before_scratch = None
    for step in range(1, 13):
        files = _edits(rng, files, step)
        before_mine = _saved(mine, files, before_mine)
        with monkeypatch.context() as patched:  # every shard grouped again, as before issue 14
            patched.setattr(feeds.storewrite, "_file_changes", lambda *given: None)
            before_scratch = _saved(scratch, files, before_scratch)
        expected_stats = {
            relative: None
            if state.racy
            else (state.size, state.mtime_ns, state.ctime_ns, state.ino)
            for relative, state in files.items()
        }
        for folder in (mine, scratch):
            read, stats = _on_disk(folder)
            assert read == files, (seed, step)
            assert stats == expected_stats, (seed, step)
        assert dict(before_mine.manifest.stats) == expected_stats  # type: ignore[union-attr]
        assert before_mine.files == files
        assert len(_store_files(mine)) == len(_store_files(scratch)), (seed, step)


@pytest.mark.parametrize("seed", range(4))
def test_a_save_told_the_changed_files_saves_what_a_save_finding_them_does(
    tmp_path: Path, seed: int
) -> None:
    rng = random.Random(100 + seed)
    files = {f"cat{n % 9}/article-{n}.md": _state(n, 0) for n in range(400)}
    told, found = _saved(tmp_path / "told", files, None), _saved(tmp_path / "found", files, None)
    for step in range(1, 11):
        files = _edits(rng, files, step)
        told = _saved(tmp_path / "told", files, told, _named(rng, files, told))
        found = _saved(tmp_path / "found", files, found)
        assert _on_disk(tmp_path / "told") == _on_disk(tmp_path / "found"), (seed, step)
        assert _on_disk(tmp_path / "told")[0] == files
        assert told.saved_after is not None and found.saved_after is not None
        assert set(told.saved_after[1]) == set(found.saved_after[1]), (seed, step)


def test_an_edit_writes_one_file_shard_and_keeps_every_other(tmp_path: Path) -> None:
    files = {f"cat{n % 9}/article-{n}.md": _state(n, 0) for n in range(400)}
    before = _saved(tmp_path, files, None)
    written = _store_files(tmp_path)

    edited = dict(files)
    edited["cat3/article-30.md"] = _state(30, 1)
    after = _saved(tmp_path, edited, before)

    new = _store_files(tmp_path) - written
    assert len(new) == 1
    (name,) = {n for n, shard in after.shards.items() if shard.file in new}
    assert name == shard_name("files", "cat3/article-30.md")
    assert {n: s for n, s in after.shards.items() if n != name} == {
        n: s for n, s in before.shards.items() if n != name
    }


def test_a_shard_whose_files_all_went_leaves_the_store(tmp_path: Path) -> None:
    files = {f"cat{n % 9}/article-{n}.md": _state(n, 0) for n in range(400)}
    before = _saved(tmp_path, files, None)
    name = shard_name("files", "cat0/article-0.md")
    gone = {r: s for r, s in files.items() if shard_name("files", r) != name}

    after = _saved(tmp_path, gone, before)

    assert name not in after.shards
    assert before.shards[name].file not in _store_files(tmp_path)
    assert _on_disk(tmp_path)[0] == gone


def test_states_equal_but_made_again_are_compared_not_rewritten(tmp_path: Path) -> None:
    files = {f"cat{n % 9}/article-{n}.md": _state(n, 0) for n in range(100)}
    before = _saved(tmp_path, files, None)
    written = _store_files(tmp_path)
    again = {r: dataclasses.replace(s) for r, s in files.items()}  # equal, not the same objects

    _saved(tmp_path, again, before)

    assert _store_files(tmp_path) == written
