"""A resident's patched builds (`feeds.sitepatch`, issue 14): an edit that only rewords
published articles is built from the last prepared site with the articles swapped in, and
gives the bytes of a clean build; every other change prepares the site in full."""

from __future__ import annotations

import inspect
import os
from datetime import timedelta
from pathlib import Path
from typing import cast

import pytest
from sites import (
    NOW,
    CleanOutput,
    Site,
    assert_same_output,
    clean_report,
    resident_counts,
    snapshot,
)

import feeds.build
from feeds.buildwork import Stats, changed_stats
from feeds.cache import Manifest
from feeds.resident import Resident


def _watched(site: Site) -> Resident:
    resident = Resident()
    site.build(resident=resident)
    resident.watching()
    site.build(resident=resident)  # the first build while watching scans in full
    return resident


def _edit(site: Site, resident: Resident, relative: str, old: str, new: str) -> None:
    site.edit(relative, old, new)
    resident.changed([site.content / relative])


# (file, text, replacement): each only rewords a published article
REWORDINGS = [
    ("computing/chip-news.md", "title: A New Chip", "title: A Newer Chip"),  # renamed category
    ("phones/accessories/cases-roundup.txt", "a week of drops", "a month of drops"),  # body
    ("phones/pocket-review.md", "title: Pocket Phone Review", "title: Pocket Review\nsummary: S"),
    ("exports/wire.jsonl", '"category": "Security"', '"category": "Security", "summary": "W"'),
]
# the same category, spelled so that the site-wide spelling of Computing changes
SPELLING_FLIP = ("computing/laptops/laptop-test.txt", "computing: Laptops", "Computing: Laptops")
# (file, text, replacement): each changes more than words, and more than can be swapped and
# planned again (a tag, a date or a category edit is: tests/test_siteadd.py)
OTHER_EDITS = [
    SPELLING_FLIP,
    # a warning comes (a control character XML cannot carry, removed)
    ("phones/pocket-review.md", "title: Pocket Phone Review", 'title: "Pocket\\a Review"'),
    ("science/unfinished.md", "draft: true", "draft: false"),  # a draft published
    # a scheduled article's date moves, and so the time the site next changes
    ("science/eclipse-preview.md", "2026-12-01T08:00:00Z", "2026-12-02T08:00:00Z"),
]
# (file, text, replacement): each edits what is not published; nothing published changes
UNPUBLISHED_EDITS = [
    ("science/unfinished.md", "title: Unfinished", "title: Still Unfinished"),  # a draft
    ("science/unfinished.md", "category: Science", "category: Gaming\ntags: [x]"),
    ("science/eclipse-preview.md", "title: Eclipse", "title: The Eclipse"),  # scheduled
]


@pytest.mark.parametrize("edit", REWORDINGS, ids=[e[0] for e in REWORDINGS])
def test_a_rewording_is_patched_and_gives_a_clean_builds_bytes(
    edit: tuple[str, str, str], site: Site, clean_output: CleanOutput, prepared: list[Path]
) -> None:
    resident = _watched(site)
    assert len(prepared) == 1  # the first build; the second had nothing to do
    _edit(site, resident, *edit)
    report = site.build(resident=resident)
    assert len(prepared) == 1, "prepared in full"
    assert report.complete and report.files_read == 1 and report.publish.written
    assert_same_output(snapshot(site.output), clean_output(site))
    # what it saved is what a fresh process reads: nothing left to do
    again = site.build()
    assert (again.files_read, again.publish.written, again.publish.removed) == (0, (), ())


@pytest.mark.parametrize("edit", OTHER_EDITS, ids=[e[2].split("\n")[-1] for e in OTHER_EDITS])
def test_any_other_edit_prepares_the_site_in_full(
    edit: tuple[str, str, str], site: Site, clean_output: CleanOutput, prepared: list[Path]
) -> None:
    resident = _watched(site)
    _edit(site, resident, *edit)
    site.build(resident=resident)
    assert len(prepared) == 2
    assert_same_output(snapshot(site.output), clean_output(site))


def test_edits_in_turn_each_give_a_clean_builds_bytes(
    site: Site, clean_output: CleanOutput, prepared: list[Path]
) -> None:
    """Patched on patched, a full one between, and back: the ids, the registry and the
    fingerprints a resident keeps stay those of the site."""
    resident = _watched(site)
    steps = [REWORDINGS[0], REWORDINGS[1], SPELLING_FLIP, REWORDINGS[2], REWORDINGS[0][::-1]]
    steps[-1] = ("computing/chip-news.md", "title: A Newer Chip", "title: A New Chip")
    for relative, old, new in steps:
        _edit(site, resident, relative, old, new)
        report = site.build(resident=resident)
        assert report.complete, report.problems
        assert_same_output(snapshot(site.output), clean_output(site))
    assert len(prepared) == 2  # the first build, and the spelling flip
    again = site.build()
    assert (again.files_read, again.publish.written, again.publish.removed) == (0, (), ())


def test_another_now_that_changes_what_is_due_prepares_in_full(
    site: Site, clean_output: CleanOutput, prepared: list[Path]
) -> None:
    resident = _watched(site)
    _edit(site, resident, *REWORDINGS[1])
    later = NOW + timedelta(days=6)  # eclipse-preview (December 1) is due by then
    site.build(resident=resident, now=later)
    assert len(prepared) == 2
    assert_same_output(snapshot(site.output), clean_output(site, later))


def test_the_resident_counts_the_changed_stats_as_a_pass_over_them_does(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count the no-change and pool checks start from: kept by the resident from the
    last build (counted after publishing) and the stats its scan took again since."""
    answers = resident_counts(monkeypatch)  # (the resident's, a pass over the stats)
    passes: list[int] = []
    monkeypatch.setattr(
        feeds.build, "changed_stats", lambda *a: passes.append(1) or changed_stats(*a)
    )
    resident = _watched(site)
    for edit in (*REWORDINGS[:2], SPELLING_FLIP, REWORDINGS[2]):
        _edit(site, resident, *edit)
        assert site.build(resident=resident).complete
    # before the first watched build (a full scan) nothing is counted; from then on every
    # build knows, from the count that build began with (it saved nothing: nothing changed)
    # or the count kept with the state the last one saved
    assert [known is None for known, _ in answers] == [True, True, False, False, False, False]
    assert all(known == truth for known, truth in answers[2:])
    assert any(truth for _, truth in answers[2:])  # the edited file's stat is a change
    assert len(passes) == 2  # the builds that did not know


def test_changed_stats_counts_each_file_whose_stat_is_not_the_trusted_one() -> None:
    from feeds.model import FileStat

    manifest = Manifest(
        reading_key="r",
        render_key="k",
        stats={"same.md": (10, 5, 5, 1), "grown.md": (10, 5, 5, 2), "racy.md": None},
        feeds={},
        summary=None,
        store={},
    )
    files: Stats = [
        ("grown.md", FileStat(11, 5, 5, 2, 9)),  # size changed
        ("new.md", FileStat(1, 1, 1, 3, 9)),  # not in the manifest
        ("racy.md", FileStat(10, 5, 5, 4, 9)),  # its stat was not trusted
        ("same.md", FileStat(10, 5, 5, 1, 9)),  # the device is not part of the key
    ]
    assert changed_stats(manifest, files) == 3
    assert changed_stats(manifest, files[3:]) == 0
    assert changed_stats(manifest, []) == 0
    assert changed_stats(None, files) == 4


def test_batches_of_edits_in_a_shuffled_order_each_give_a_clean_builds_bytes(
    site: Site, clean_output: CleanOutput, prepared: list[Path]
) -> None:
    """Several files in one batch, the same file twice, rewordings mixed with other edits
    and undone again, in an order no one chose: each build against a clean one."""
    import random

    moves = [*REWORDINGS, SPELLING_FLIP]
    state = dict.fromkeys(range(len(moves)), False)  # each move done or not
    order = random.Random(14)
    resident = _watched(site)
    for _ in range(12):
        batch = order.sample(range(len(moves)), k=order.choice([1, 2, 3]))
        touched = set()
        for index in batch:
            relative, old, new = moves[index]
            if state[index]:
                old, new = new, old
            if site.read(relative).count(old) != 1:
                continue  # another move changed the same text
            site.edit(relative, old, new)
            state[index] = not state[index]
            touched.add(site.content / relative)
        resident.changed(sorted(touched))
        report = site.build(resident=resident)
        assert report.complete, report.problems
        assert_same_output(snapshot(site.output), clean_output(site))
    assert 1 < len(prepared) < 13  # some batches patched, some prepared in full
    again = site.build()
    assert (again.files_read, again.publish.written, again.publish.removed) == (0, (), ())


def test_a_patched_build_reports_each_problem_once(site: Site, prepared: list[Path]) -> None:
    """The kept site holds what `prepare` found; what the build found around it (a file in
    the output folder that feeds did not write) is the build's own, found again each time."""
    resident = _watched(site)
    stray = site.output / "feeds" / "category" / "gone.rss.xml"
    stray.write_text("<rss/>", encoding="utf-8")
    first = site.build(resident=resident)
    for edit in REWORDINGS[:2]:
        _edit(site, resident, *edit)
        report = site.build(resident=resident)
        assert sorted(map(str, report.problems)) == sorted(map(str, first.problems))
        assert sum("feeds did not write it" in str(p) for p in report.problems) == 1
    assert len(prepared) == 1  # both edits patched


def test_a_rewording_over_the_entry_size_limit_prepares_in_full(
    site: Site, clean_output: CleanOutput, prepared: list[Path]
) -> None:
    """A body now over `MAX_ENTRY_HTML` is left out with an error, as `prepare` leaves it."""
    from feeds.site import MAX_ENTRY_HTML

    resident = _watched(site)
    # under the body's character limit, over the entry's bytes: four bytes a character
    huge = "\U0001f600" * (MAX_ENTRY_HTML // 4 + 20_000)
    relative = "computing/chip-news.md"
    _edit(site, resident, relative, "A chip maker announced", huge + "A chip maker announced")
    report = site.build(resident=resident)
    assert len(prepared) == 2
    assert [(p.source.endswith(relative), p.field) for p in report.errors] == [(True, "body")]
    assert_same_output(snapshot(site.output), clean_output(site))


@pytest.mark.parametrize("edit", UNPUBLISHED_EDITS, ids=[e[2] for e in UNPUBLISHED_EDITS])
def test_an_edit_of_a_draft_or_a_scheduled_article_is_patched(
    edit: tuple[str, str, str], site: Site, clean_output: CleanOutput, prepared: list[Path]
) -> None:
    """Nothing published changes; the report says what a fresh process says of the
    scheduled articles."""
    resident = _watched(site)
    _edit(site, resident, *edit)
    report = site.build(resident=resident)
    assert len(prepared) == 1, "prepared in full"
    assert report.complete and report.publish.written == ()
    assert_same_output(snapshot(site.output), clean_output(site))
    fresh = clean_report(site, site.root.parent / "clean-report")
    assert [a.title for a in report.scheduled] == [a.title for a in fresh.scheduled]
    again = site.build()
    assert (again.files_read, again.publish.written, again.publish.removed) == (0, (), ())


def test_the_count_after_a_save_goes_on_from_the_count_the_build_began_with(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14: after saving, the resident counts the changed stats only over the files the
    save may have changed (`Resident._count_since`), not in a pass over every stat: through
    rewordings, an edit planned again, a new file, a deleted one, a touch and a dry run (which
    saves nothing), each next build starts from what a pass over every stat gives, and the
    resident made no such pass."""
    import feeds.resident

    answers = resident_counts(monkeypatch)  # (the resident's, a pass over the stats)
    resident = _watched(site)
    _edit(site, resident, *REWORDINGS[0])
    assert site.build(resident=resident).complete  # the first watched build that saves
    passes: list[int] = []
    monkeypatch.setattr(
        feeds.resident, "changed_stats", lambda *a: passes.append(1) or changed_stats(*a)
    )
    for edit in (REWORDINGS[1], SPELLING_FLIP, REWORDINGS[2]):
        _edit(site, resident, *edit)
        assert site.build(resident=resident).complete
    site.write("phones/new-one.md", "---\ntitle: New One\ndate: 2026-11-20\n---\nWords.\n")
    resident.changed([site.content / "phones/new-one.md"])
    assert site.build(resident=resident).complete
    site.remove("phones/new-one.md")
    resident.changed([site.content / "phones/new-one.md"])
    assert site.build(resident=resident).complete
    touched = site.content / "phones/pocket-review.md"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    resident.changed([touched])
    assert site.build(resident=resident).complete
    _edit(site, resident, *REWORDINGS[3])
    site.build(resident=resident, dry_run=True)  # saves nothing: the next counts on from it
    assert site.build(resident=resident).complete
    assert site.build(resident=resident).complete  # nothing changed
    known = answers[-9:]
    assert all(mine is not None for mine, _ in known)
    assert [mine for mine, _ in known] == [truth for _, truth in known]
    assert any(truth for _, truth in known)  # an edited file's stat is a change
    assert passes == []


def test_a_patched_build_saves_what_it_patched_and_says_which_files_those_are(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14: a patched build tells the save which files it may have changed (the save
    looks at those only); what the next fresh process reads from the store is every state
    the resident keeps, through rewordings, a replanned edit, a new file and a deleted one."""
    import feeds.buildstate
    from feeds.cache import load_manifest, load_store

    told: list[list[str] | None] = []
    real = feeds.buildstate.save_cache

    def noted(*given: object, **named: object) -> None:
        changed = inspect.signature(real).bind(*given, **named).arguments.get("changed")
        told.append(None if changed is None else sorted(cast("list[str]", changed)))
        real(*given, **named)  # type: ignore[arg-type]

    monkeypatch.setattr(feeds.buildstate, "save_cache", noted)
    resident = _watched(site)
    cache_dir = site.root / ".feeds"
    new = "phones/new-two.md"
    for step in range(5):
        if step < 3:
            _edit(site, resident, *(REWORDINGS[0], SPELLING_FLIP, REWORDINGS[1])[step])
        elif step == 3:
            site.write(new, "---\ntitle: New Two\ndate: 2026-11-20\ncategory: Phones\n---\nA.\n")
            resident.changed([site.content / new])
        else:
            site.remove(new)
            resident.changed([site.content / new])
        assert site.build(resident=resident).complete
        kept = resident.cache(cache_dir)
        assert kept is not None
        assert load_store(cache_dir, load_manifest(cache_dir)).files == kept.files, step
    # rewordings and the new file were patched (the respelling and the deletion prepared
    # in full, which finds the changed states itself)
    assert told[-5:] == [[REWORDINGS[0][0]], None, [REWORDINGS[1][0]], [new], None]


def test_the_site_a_resident_keeps_holds_nothing_of_the_one_before(site: Site) -> None:
    """A patched site names the states it was patched from for the save; the resident keeps
    the site without them, or every build would keep the last one's states alive."""
    resident = _watched(site)
    _edit(site, resident, *REWORDINGS[1])
    assert site.build(resident=resident).complete
    kept = resident.last_site(site.config(), resident.cache(site.root / ".feeds"))  # type: ignore[arg-type]
    assert kept is not None
    assert kept[0].patched_from is None
