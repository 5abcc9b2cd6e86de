"""The registry's journal (issue 14): a build that knows the registry on disk saves only the
entries that changed, as one small file beside ids.json; every reader gets the registry
as if it had been written whole, whatever builds came, failed or were killed in between."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sites import CHANGES, Site, clean_build, make_site
from test_incremental import NEW_IDS
from test_resident import _reported, _tree

import feeds.idjournal
import feeds.idregistry
from feeds.idjournal import JOURNAL_DIR, MAX_FILES
from feeds.idregistry import IDS_FILE, Published, load_ids, save_ids
from feeds.resident import Resident


def _entry(n: int, title: str = "T") -> Published:
    return Published(f"tag:x,2026:{n}", f"{title} \u00e9 {n}", "2026-01-01", f"d{n}")


def _site(**entries: Published) -> dict[str, Published]:
    """`entries` (by name, `.md` added) among 300 others: a base big enough that a few
    changes go to the journal (a small one is written whole: cheaper than a journal)."""
    registry = {f"other/{n:03d}.md": _entry(1_000 + n) for n in range(300)}
    registry.update((f"{name}.md", entry) for name, entry in entries.items())
    return registry


def _journal(cache: Path) -> list[str]:
    folder = cache / JOURNAL_DIR
    return sorted(os.listdir(folder)) if folder.is_dir() else []


def _whole(registry: dict[str, Published], generation: int) -> bytes:
    """ids.json as `json.dumps` writes the registry, written whole."""
    articles = {s: list(registry[s]) for s in sorted(registry)}
    data = {"version": 1, "generation": generation, "articles": articles}
    return json.dumps(data, ensure_ascii=False).encode()


def _edit(registry: dict[str, Published], rng: random.Random, step: int) -> None:
    """One build's change: a reworded, a deleted or a new article (now and then two)."""
    for _ in range(1 + (step % 7 == 0)):
        source = rng.choice(sorted(registry))
        kind = rng.randrange(3)
        if kind == 0:
            registry[source] = _entry(step, "Reworded")
        elif kind == 1:
            del registry[source]
        else:
            registry[f"posts/new-{step}-{rng.randrange(10**6)}.md"] = _entry(10_000 + step)


def test_a_build_that_knows_the_registry_on_disk_adds_only_what_changed(tmp_path: Path) -> None:
    registry = {f"posts/{n:04d}.md": _entry(n) for n in range(3_000)}
    save_ids(tmp_path, registry)
    base = (tmp_path / IDS_FILE).read_bytes()
    assert base == _whole(registry, 1)
    rng = random.Random(14)
    for step in range(1, 40):
        previous = load_ids(tmp_path)
        assert previous == registry, step
        registry = dict(registry)
        _edit(registry, rng, step)
        save_ids(tmp_path, registry, previous=previous)
        assert (tmp_path / IDS_FILE).read_bytes() == base, step  # not written again
        assert _journal(tmp_path) == sorted(f"1.{n}.json" for n in range(1, step + 1))
        assert load_ids(tmp_path) == registry, step
    # the journal file of one build holds its changes only: an entry, or null for one gone
    last = json.loads((tmp_path / JOURNAL_DIR / "1.39.json").read_bytes())
    assert last["version"] == 1 and last["generation"] == 1
    assert 1 <= len(last["changes"]) <= 2


def test_nothing_changed_writes_nothing(tmp_path: Path) -> None:
    registry = {f"posts/{n}.md": _entry(n) for n in range(50)}
    save_ids(tmp_path, registry)
    stamp = os.stat(tmp_path / IDS_FILE)
    save_ids(tmp_path, dict(registry), previous=load_ids(tmp_path))
    save_ids(tmp_path, {s: Published(*e) for s, e in registry.items()}, previous=registry)
    assert os.stat(tmp_path / IDS_FILE).st_mtime_ns == stamp.st_mtime_ns
    assert _journal(tmp_path) == []


def test_touched_names_the_only_sources_looked_at(tmp_path: Path) -> None:
    registry = _site(a=_entry(1), b=_entry(2), c=_entry(3))
    save_ids(tmp_path, registry)
    changed = {**registry, "a.md": _entry(1, "New"), "b.md": _entry(2, "New")}
    del changed["c.md"]
    save_ids(tmp_path, changed, previous=registry, touched={"a.md", "c.md"})
    # a.md changed, c.md gone; b.md was not named, so its change is not looked for
    assert _journal(tmp_path) == ["1.1.json"]
    assert load_ids(tmp_path) == {**changed, "b.md": _entry(2)}


def test_a_full_journal_is_folded_into_a_base_written_whole(tmp_path: Path) -> None:
    registry = {f"posts/{n:05d}.md": _entry(n) for n in range(20_000)}
    save_ids(tmp_path, registry)
    base = (tmp_path / IDS_FILE).read_bytes()
    rng = random.Random(5)
    for step in range(1, MAX_FILES + 1):
        previous = registry
        registry = dict(registry)
        _edit(registry, rng, step)
        save_ids(tmp_path, registry, previous)
    assert len(_journal(tmp_path)) == MAX_FILES
    assert (tmp_path / IDS_FILE).read_bytes() == base
    previous = registry
    registry = dict(registry)
    registry["posts/00007.md"] = _entry(7, "Folded")
    save_ids(tmp_path, registry, previous)  # one more: written whole, a new generation
    assert (tmp_path / IDS_FILE).read_bytes() == _whole(registry, 2)
    assert _journal(tmp_path) == []
    assert load_ids(tmp_path) == registry
    previous, registry = registry, {**registry, "posts/00008.md": _entry(8, "After")}
    save_ids(tmp_path, registry, previous)
    assert _journal(tmp_path) == ["2.1.json"]
    assert load_ids(tmp_path) == registry


def test_a_change_bigger_than_a_share_of_the_base_writes_it_whole(tmp_path: Path) -> None:
    registry = {f"posts/{n:04d}.md": _entry(n) for n in range(800)}
    save_ids(tmp_path, registry)
    small = {**registry, "posts/0001.md": _entry(1, "Small")}
    save_ids(tmp_path, small, previous=registry)
    assert _journal(tmp_path) == ["1.1.json"]
    reworded = {s: _entry(n, "Every one") for n, s in enumerate(sorted(small))}
    save_ids(tmp_path, reworded, previous=small)  # every entry: more than an eighth
    assert (tmp_path / IDS_FILE).read_bytes() == _whole(reworded, 2)
    assert _journal(tmp_path) == []
    assert load_ids(tmp_path) == reworded


def test_journal_files_of_another_generation_are_never_applied(tmp_path: Path) -> None:
    registry = _site(a=_entry(1), b=_entry(2))
    save_ids(tmp_path, registry)
    save_ids(tmp_path, {**registry, "a.md": _entry(1, "One")}, previous=registry)
    assert _journal(tmp_path) == ["1.1.json"]
    # a folder copied in from elsewhere, or a removal that failed: a file of generation 2
    stale = tmp_path / JOURNAL_DIR / "2.1.json"
    stale.write_text(json.dumps({"version": 1, "generation": 2, "changes": {"b.md": None}}))
    assert load_ids(tmp_path) == {**registry, "a.md": _entry(1, "One")}
    (tmp_path / IDS_FILE).unlink()  # ids.json lost, the journal left
    assert load_ids(tmp_path) is None
    fresh = {"c.md": _entry(3)}
    save_ids(tmp_path, fresh)  # written whole past every generation the folder has seen
    assert (tmp_path / IDS_FILE).read_bytes() == _whole(fresh, 3)
    assert load_ids(tmp_path) == fresh


def test_a_journal_file_that_cannot_be_read_is_left_out_and_the_others_applied(
    tmp_path: Path,
) -> None:
    registry = _site(a=_entry(1), b=_entry(2), c=_entry(3))
    save_ids(tmp_path, registry)
    one = {**registry, "a.md": _entry(1, "One")}
    save_ids(tmp_path, one, previous=registry)
    two = {**one, "b.md": _entry(2, "Two")}
    save_ids(tmp_path, two, previous=one)
    folder = tmp_path / JOURNAL_DIR
    (folder / ".1.3.0123456789ab.tmp").write_bytes(b'{"version": 1, "gener')  # a killed build
    (folder / "1.9.json").write_bytes(b"\xff not json")
    elsewhere = {"version": 1, "generation": 7, "changes": {"a.md": None}}  # says another
    (folder / "1.10.json").write_text(json.dumps(elsewhere))
    (folder / "1.11.json").write_text(
        json.dumps({"version": 1, "generation": 1, "changes": {"c.md": [1, 2], "d.md": "x"}})
    )
    assert load_ids(tmp_path) == two  # entries of the wrong shape dropped, as in ids.json
    three = {**two, "c.md": _entry(3, "Three")}
    save_ids(tmp_path, three, previous=two)
    assert "1.12.json" in _journal(tmp_path)  # after the newest, whatever it held
    assert load_ids(tmp_path) == three


def test_a_base_of_an_older_feeds_is_written_whole_at_the_first_change(tmp_path: Path) -> None:
    registry = {"a.md": _entry(1), "b.md": _entry(2)}
    old = {"version": 1, "articles": {s: list(e) for s, e in registry.items()}}
    (tmp_path / IDS_FILE).write_text(json.dumps(old))
    assert load_ids(tmp_path) == registry
    changed = {**registry, "a.md": _entry(1, "Changed")}
    save_ids(tmp_path, changed, previous=registry)
    assert (tmp_path / IDS_FILE).read_bytes() == _whole(changed, 1)
    assert _journal(tmp_path) == []


def test_a_journal_that_cannot_be_written_fails_the_save_and_keeps_the_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = _site(a=_entry(1))
    save_ids(tmp_path, registry)

    def refused(*_: object, **__: object) -> bool:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(feeds.idjournal, "write_file_atomically", refused)
    with pytest.raises(OSError):
        save_ids(tmp_path, {**registry, "a.md": _entry(1, "Lost")}, previous=registry)
    assert load_ids(tmp_path) == registry


def test_a_resident_sees_another_process_add_to_the_journal(tmp_path: Path) -> None:
    registry = _site(a=_entry(1))
    save_ids(tmp_path, registry)
    resident = Resident()
    for step in range(3):  # the folder made by the first, then files added to it
        resident.keep_ids(tmp_path, registry)
        assert resident.ids(tmp_path) is registry
        previous, registry = registry, {**registry, f"n{step}.md": _entry(step)}
        save_ids(tmp_path, registry, previous=previous)  # another process's build
        assert resident.ids(tmp_path) is None, step


def test_a_journal_folder_that_is_a_link_is_never_followed(tmp_path: Path) -> None:
    cache, elsewhere = tmp_path / "cache", tmp_path / "elsewhere"
    cache.mkdir()
    elsewhere.mkdir()
    planted = elsewhere / "1.1.json"
    planted.write_text(json.dumps({"version": 1, "generation": 1, "changes": {"a.md": None}}))
    (cache / JOURNAL_DIR).symlink_to(elsewhere)
    registry = _site(a=_entry(1))
    save_ids(cache, registry)  # written whole: the linked folder's files are not removed
    assert planted.exists()
    assert load_ids(cache) == registry  # nor read
    changed = {**registry, "a.md": _entry(1, "Changed")}
    save_ids(cache, changed, previous=registry)  # nor written into: ids.json written whole
    assert sorted(os.listdir(elsewhere)) == ["1.1.json"]
    assert load_ids(cache) == changed


def test_a_file_where_the_journal_folder_goes_means_ids_json_written_whole(
    tmp_path: Path,
) -> None:
    (tmp_path / JOURNAL_DIR).write_text("not a folder")
    registry = _site(a=_entry(1))
    save_ids(tmp_path, registry)
    changed = {**registry, "a.md": _entry(1, "Changed")}
    save_ids(tmp_path, changed, previous=registry)  # saved, not refused
    assert (tmp_path / IDS_FILE).read_bytes() == _whole(changed, 2)
    assert (tmp_path / JOURNAL_DIR).read_text() == "not a folder"
    assert load_ids(tmp_path) == changed


# -- property: any sequence of builds leaves the registry the last saved one -------------------

_STEPS = st.lists(
    st.tuples(
        st.sampled_from(["journal", "whole", "killed", "refused", "lost base", "not cleared"]),
        st.lists(st.tuples(st.integers(0, 59), st.integers(0, 3)), min_size=0, max_size=6),
    ),
    max_size=25,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=_STEPS)
def test_property_any_sequence_of_builds_reads_back_as_the_last_saved_registry(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    steps: list[tuple[str, list[tuple[int, int]]]],
) -> None:
    """A model: the registry the last successful save was given. Saves that know the one on
    disk, saves that do not, builds killed before their save or before the journal was
    cleared, saves refused by the disk, and an ids.json lost (the journal left behind); the
    journal folds after 3 files here."""
    monkeypatch.setattr(feeds.idjournal, "MAX_FILES", 3)
    cache = tmp_path_factory.mktemp("cache")
    model: dict[str, Published] | None = None
    registry = _site()
    for kind, edits in steps:
        registry = dict(registry)
        for slot, what in edits:  # 0: reworded, 1: gone, 2-3: a new or same entry
            source = f"s/{slot}.md"
            if what == 1:
                registry.pop(source, None)
            else:
                registry[source] = _entry(slot, "T" if what > 1 else f"R{len(steps)}")
        if kind == "killed":
            continue
        if kind == "lost base":
            (cache / IDS_FILE).unlink(missing_ok=True)
            model = None
            continue
        on_disk = load_ids(cache)
        assert on_disk == model
        previous = on_disk if kind in ("journal", "refused") else None
        if kind == "refused":
            if previous != registry:  # else nothing is written, so nothing refused
                with monkeypatch.context() as refusing:
                    refusing.setattr(feeds.idjournal, "write_file_atomically", _refuse)
                    refusing.setattr(feeds.idregistry, "write_file_atomically", _refuse)
                    with pytest.raises(OSError):
                        save_ids(cache, registry, previous=previous)
            continue
        with monkeypatch.context() as killed:
            if kind == "not cleared":  # killed between writing ids.json whole and clearing
                killed.setattr(feeds.idregistry, "clear_journal", lambda _: None)
            save_ids(cache, registry, previous=previous)
        model = dict(registry)
    assert load_ids(cache) == model


def _refuse(*_: object, **__: object) -> bool:
    raise OSError(28, "No space left on device")


# -- end to end: every kind of change, as a fresh process and under a resident ----------------


@pytest.mark.parametrize("resident", [False, True], ids=["fresh", "resident"])
@pytest.mark.parametrize("name", sorted(CHANGES))
def test_every_change_saved_in_the_journal_reads_back_as_a_clean_builds_registry(
    name: str, resident: bool, site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the fixture site is small: a journal as big as ids.json is allowed, so one is written
    monkeypatch.setattr(feeds.idjournal, "MAX_SHARE", 1)
    kept = Resident() if resident else None
    site.build(resident=kept)
    cache = site.root / ".feeds"
    base = (cache / IDS_FILE).read_bytes()
    whole = make_site(tmp_path / "whole")  # the same site and change, saved whole each time
    with monkeypatch.context() as saved_whole:
        saved_whole.setattr(feeds.idjournal, "MAX_FILES", 0)
        whole.build()
    if kept is not None:
        kept.watching()
        site.build(resident=kept)
    before, first = _tree(site), load_ids(cache)
    CHANGES[name](site, monkeypatch)
    with monkeypatch.context() as saved_whole:
        saved_whole.setattr(feeds.idjournal, "MAX_FILES", 0)
        CHANGES[name](whole, monkeypatch)  # some build in between
    if kept is not None:
        kept.changed(_reported(before, _tree(site)))
    report = site.build(resident=kept, accept_new_ids=name in NEW_IDS)
    with monkeypatch.context() as saved_whole:
        saved_whole.setattr(feeds.idjournal, "MAX_FILES", 0)
        expected = whole.build(accept_new_ids=name in NEW_IDS)
    assert _journal(whole.root / ".feeds") == []
    journal = _journal(cache)  # some changes build once in between
    if (cache / IDS_FILE).read_bytes() == base:  # saved in the journal, or nothing to save
        assert journal == [f"1.{n}.json" for n in range(1, len(journal) + 1)], name
        assert bool(journal) or load_ids(cache) == first, name
    else:  # more changed than ids.json holds: written whole, the next generation
        assert (cache / IDS_FILE).read_bytes().startswith(b'{"version": 1, "generation": 2, ')
        assert journal == [], name
    clean = tmp_path / "clean"
    clean_build(site, clean)
    assert load_ids(cache) == load_ids(clean / ".feeds"), name
    assert (report.added, report.changed, report.removed) == (
        expected.added,
        expected.changed,
        expected.removed,
    ), name
