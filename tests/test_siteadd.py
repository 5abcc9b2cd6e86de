"""New article files under a resident (`feeds.siteadd`, issue 14): taken into the last
prepared site when nothing site-wide can change for the other articles, and prepared in
full otherwise; either way the bytes of a clean build, the registry a fresh process saves,
and nothing left for a fresh process to do."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sites import (
    NOW,
    CleanOutput,
    Site,
    assert_same_output,
    clean_build,
    resident_counts,
    snapshot,
)
from test_sitepatch import _watched

import feeds.build
from feeds.idregistry import load_ids
from feeds.resident import Resident


def _front(title: str, date: str, category: str, more: str = "", body: str = "Text.") -> str:
    return f'---\ntitle: {title}\ndate: {date}\ncategory: "{category}"\n{more}---\n{body}\n'


def _add(site: Site, resident: Resident, files: dict[str, str]) -> feeds.build.BuildReport:
    for relative, text in files.items():
        site.write(relative, text)
    resident.changed([site.content / relative for relative in files])
    return site.build(resident=resident)


def _ids(root: Path) -> object:
    """The registry saved in `root` (ids.json and its journal) as the next build reads it."""
    return load_ids(root / ".feeds")


def _clean_ids(site: Site, root: Path) -> object:
    """The registry a fresh process saves for the site's content (built in `root`)."""
    clean_build(site, root)
    return _ids(root)


FOLD = _front("A Folding Phone", "2026-11-20T10:00:00+01:00", "Phones", body="It *folds*.")
CHIP_ID = "https://inc.example.org/articles/chip-news/"  # computing/chip-news.md's id
# (name, files): each only adds articles the last site can take in (in folders the site
# has: a new folder is a full scan)
TAKEN_IN = [
    ("newest, into every top three", {"phones/fold-phone.md": FOLD}),
    ("old, in no top three", {"phones/brick.md": _front("Brick", "2019-03-01", "Phones")}),
    (
        "in a new category two levels deep",
        {"science/retro.txt": "Jan 2, 2026, 10:00 Gaming: Retro\n\nRetro Consoles\n\nBack.\n"},
    ),
    # the config names Phones: another spelling of it shows as the config says
    ("spelled in lower case", {"phones/case.md": _front("Case", "2026-11-21", "phones")}),
    ("by an alias", {"phones/alias.md": _front("Alias", "2026-11-22", "Smartphones")}),
    # shown in lower case (two of three spell it so): one more lower case keeps it so
    ("as a level is shown", {"computing/ssd.md": _front("SSD", "2026-11-23", "computing: SSD")}),
    ("a draft", {"science/idea.md": _front("Idea", "2026-11-24", "Science", "draft: true\n")}),
    (
        "two files, one with tags and an author",
        {
            "phones/fold-phone.md": FOLD,
            "science/comet.md": _front(
                "Comet",
                "2026-11-25T06:00:00Z",
                "Science: Space",
                "tags: [sky, reviews]\nauthor: {name: Bo Example}\n",
            ),
        },
    ),
    (
        "a file of records",
        {
            "exports/more.jsonl": '{"slug": "r1", "title": "R1", "date": "2026-11-24",'
            ' "category": "Security", "body": "One."}\n'
            '{"slug": "r2", "title": "R2", "date": "2026-02-24",'
            ' "category": "Security: Patches", "body": "Two."}\n'
        },
    ),
]
TAKEN_IN.append(
    (
        "a new category spelled two ways (a tie: the capital is shown)",
        {
            "science/a.md": _front("A", "2026-11-21", "Gaming"),
            "phones/b.md": _front("B", "2026-11-21", "gaming"),
        },
    )
)
# (name, files): each adds an article that the whole site must be resolved for
PREPARED_IN_FULL = [
    # two articles spell it "computing", one "Computing": one more makes it a tie, which
    # the capital wins (code point order), so every computing article changes
    (
        "a spelling that changes a shown name",
        {"computing/x.md": _front("X", "2026-11-21", "Computing")},
    ),
    ("a slug another article has", {"science/old-phone.md": _front("Old", "2026-11-21", "Phones")}),
    (
        "an id another article has",
        {"phones/n.md": _front("N", "2026-11-21", "Phones", f"id: {CHIP_ID}\n")},
    ),
    (
        "one id in two new files",
        {
            "phones/n.md": _front("N", "2026-11-21", "Phones", "id: urn:x:1\n"),
            "science/m.md": _front("M", "2026-11-22", "Science", "id: urn:x:1\n"),
        },
    ),
    ("scheduled", {"phones/soon.md": _front("Soon", "2026-12-24", "Phones")}),
    (
        "expired",
        {"phones/gone.md": _front("Gone", "2026-11-21", "Phones", "expires: 2026-11-22\n")},
    ),
    ("a file with a warning", {"phones/w.md": _front('"W\\a"', "2026-11-21", "Phones")}),
    ("a name sharing a slug path", {"science/c.md": _front("C", "2026-11-21", "Science!")}),
    # the config names Phones, so any spelling shows as Phones; this one is another name
    ("a name sharing a configured slug", {"phones/x.md": _front("X", "2026-11-21", "Phones!")}),
    ("a file that cannot be read", {"phones/bad.md": "---\ntitle: [unclosed\n---\nText.\n"}),
]


@pytest.mark.parametrize("files", [f for _, f in TAKEN_IN], ids=[n for n, _ in TAKEN_IN])
def test_new_articles_are_taken_in_and_give_a_clean_builds_bytes(
    files: dict[str, str],
    site: Site,
    clean_output: CleanOutput,
    prepared: list[Path],
    tmp_path: Path,
) -> None:
    resident = _watched(site)
    assert len(prepared) == 1
    report = _add(site, resident, files)
    assert len(prepared) == 1, "prepared in full"
    assert report.complete, report.problems
    assert_same_output(snapshot(site.output), clean_output(site))
    assert _ids(site.root) == _clean_ids(site, tmp_path / "ids")
    again = site.build()  # a fresh process: nothing left to do
    assert (again.files_read, again.publish.written, again.publish.removed) == (0, (), ())


def test_a_new_article_is_reported_as_added(site: Site, prepared: list[Path]) -> None:
    resident = _watched(site)
    report = _add(site, resident, {"phones/fold-phone.md": FOLD})
    assert len(prepared) == 1
    assert report.added == ("content/phones/fold-phone.md: A Folding Phone",)
    assert (report.changed, report.removed) == ((), ())
    assert "feeds/category/phones.rss.xml" in report.publish.written


@pytest.mark.parametrize(
    "files", [f for _, f in PREPARED_IN_FULL], ids=[n for n, _ in PREPARED_IN_FULL]
)
def test_new_articles_that_change_the_site_are_prepared_in_full(
    files: dict[str, str], site: Site, clean_output: CleanOutput, prepared: list[Path]
) -> None:
    resident = _watched(site)
    _add(site, resident, files)
    assert len(prepared) == 2, "taken in, but the site had to be resolved in full"
    assert_same_output(snapshot(site.output), clean_output(site))


def test_an_entry_over_the_size_limit_is_left_out_as_a_full_build_leaves_it(
    site: Site, clean_output: CleanOutput, prepared: list[Path]
) -> None:
    from feeds.site import MAX_ENTRY_HTML

    resident = _watched(site)
    huge = "\U0001f600" * (MAX_ENTRY_HTML // 4 + 20_000)
    report = _add(
        site, resident, {"phones/huge.md": _front("Huge", "2026-11-21", "Phones", body=huge)}
    )
    assert [(p.source, p.field) for p in report.errors] == [("content/phones/huge.md", "body")]
    assert_same_output(snapshot(site.output), clean_output(site))
    # the site now leaves an article out: what comes next is resolved in full
    count = len(prepared)
    _add(site, resident, {"phones/fold-phone.md": FOLD})
    assert len(prepared) == count + 1
    assert_same_output(snapshot(site.output), clean_output(site))


def test_a_site_that_leaves_an_article_out_resolves_additions_in_full(
    site: Site, clean_output: CleanOutput, prepared: list[Path]
) -> None:
    """A shared slug leaves both articles out; a new article could bring one of them back
    (not here, but it is not looked into): the site is resolved again."""
    site.write("science/old-phone.md", _front("Also Old", "2026-11-02", "Science"))
    resident = _watched(site)
    _add(site, resident, {"phones/fold-phone.md": FOLD})
    assert len(prepared) == 2
    assert_same_output(snapshot(site.output), clean_output(site))


def test_additions_rewordings_and_removals_in_turn_each_give_a_clean_builds_bytes(
    site: Site, clean_output: CleanOutput, prepared: list[Path], tmp_path: Path
) -> None:
    """Taken in on taken in, with a rewording in the same batch and between, a removal and
    more additions after it."""
    resident = _watched(site)
    chip = "computing/chip-news.md"
    steps: list[tuple[dict[str, str], list[tuple[str, str, str]], bool]] = [
        # (files written, (file, old, new) edits, prepared in full)
        ({"phones/fold-phone.md": FOLD}, [], False),
        ({"science/comet.md": _front("Comet", "2026-11-25", "Science: Space")}, [], False),
        (
            {"science/retro.md": _front("Retro", "2026-10-25", "Gaming: Retro")},
            [(chip, "title: A New Chip", "title: A Newer Chip")],
            False,
        ),
        ({}, [(chip, "title: A Newer Chip", "title: A New Chip")], False),
        ({}, [("phones/fold-phone.md", "", "")], False),  # removed
        ({"science/arcade.md": _front("Arcade", "2026-11-26T11:00:00Z", "Gaming")}, [], False),
    ]
    for files, edits, in_full in steps:
        before = len(prepared)
        touched = [site.content / relative for relative in files]
        for relative, text in files.items():
            site.write(relative, text)
        for relative, old, new in edits:
            if old:
                site.edit(relative, old, new)
            else:
                site.remove(relative)
            touched.append(site.content / relative)
        resident.changed(touched)
        report = site.build(resident=resident)
        assert report.complete, report.problems
        assert len(prepared) == before + in_full
        assert_same_output(snapshot(site.output), clean_output(site))
    assert _ids(site.root) == _clean_ids(site, tmp_path / "ids")
    again = site.build()
    assert (again.files_read, again.publish.written, again.publish.removed) == (0, (), ())


def test_the_index_made_while_idle_is_the_one_a_new_article_would_make(
    site: Site,
    clean_output: CleanOutput,
    prepared: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`Resident.idle` makes the kept site's index as the first new file would; the build
    after it makes none and publishes the clean build's bytes."""
    import feeds.siteadd

    resident = _watched(site)
    made: list[int] = []
    real = feeds.siteadd.site_index
    monkeypatch.setattr(
        feeds.siteadd, "site_index", lambda *a: made.append(1) or real(*a)
    )  # fmt: skip
    resident.idle()
    assert made == [1]
    resident.idle()  # kept: not made again
    assert made == [1]
    for name, files in (("fold", {"phones/fold-phone.md": FOLD}), ("brick", TAKEN_IN[1][1])):
        report = _add(site, resident, files)
        assert report.complete, (name, report.problems)
        assert len(prepared) == 1, f"{name}: prepared in full"
        assert made == [1], f"{name}: the index made again"
        assert_same_output(snapshot(site.output), clean_output(site))


def test_an_addition_that_a_later_now_makes_due_otherwise_is_prepared_in_full(
    site: Site, clean_output: CleanOutput, prepared: list[Path]
) -> None:
    resident = _watched(site)
    later = NOW + timedelta(days=6)  # eclipse-preview (December 1) is due by then
    for relative, text in {"phones/fold-phone.md": FOLD}.items():
        site.write(relative, text)
    resident.changed([site.content / "phones/fold-phone.md"])
    site.build(resident=resident, now=later)
    assert len(prepared) == 2
    assert_same_output(snapshot(site.output), clean_output(site, later))


def test_a_new_file_content_exclude_keeps_out_changes_nothing(
    site: Site, prepared: list[Path]
) -> None:
    site.settings["content"] = {"exclude": ["phones/wip-*"]}
    site.save_config()
    resident = _watched(site)
    before = snapshot(site.output)
    report = _add(site, resident, {"phones/wip-fold.md": FOLD})
    assert report.added == () and report.publish.written == ()
    assert snapshot(site.output) == before


def test_tag_feeds_and_their_warnings_are_those_of_a_full_build(
    site: Site, clean_output: CleanOutput, prepared: list[Path]
) -> None:
    """Tag feeds are planned again with the new articles: a new tag, a tag spelled another
    way (shown in the first spelling in sort order) and one sharing a slug with it."""
    site.settings["feeds"] = {"max_items": 3, "tag_feeds": True, "tag_min_articles": 1}
    site.save_config()
    resident = _watched(site)
    files = {
        "phones/fold-phone.md": _front("Fold", "2026-11-21", "Phones", "tags: [Reviews, new]\n"),
        "science/sky.md": _front("Sky", "2026-11-22", "Science", "tags: [reviews!]\n"),
    }
    report = _add(site, resident, files)
    assert len(prepared) == 1
    assert [p.field for p in report.warnings] == ["tag"]
    assert_same_output(snapshot(site.output), clean_output(site))
    fresh = site.build(resident=Resident())  # prepared in full, nothing to write
    assert sorted(map(str, fresh.problems)) == sorted(map(str, report.problems))


def test_the_resident_counts_changed_stats_with_new_files_as_a_pass_over_them_does(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New files move the scan's positions: the count kept with the state saved, the stats
    taken again and the new files must still give what a pass over every stat gives."""
    answers = resident_counts(monkeypatch)  # (the resident's, a pass over the stats)
    resident = _watched(site)
    chip = "computing/chip-news.md"
    for number, relative in enumerate(["aaa.md", "phones/0.md", "science/zzz.md", chip]):
        if relative == chip:
            site.edit(chip, "title: A New Chip", "title: A Newer Chip")
            site.write("phones/1.md", _front("One", "2026-11-19", "Phones"))
            resident.changed([site.content / chip, site.content / "phones/1.md"])
            assert site.build(resident=resident).complete
            continue
        # a new file sorted before, between and after the others (the first is a new file
        # at the top of the content folder)
        site.write(relative, _front(f"New {number}", f"2026-11-1{number}", "Phones"))
        resident.changed([site.content / relative])
        assert site.build(resident=resident).complete
    # nothing is counted before the first watched build (a full scan), then each is
    assert [mine is None for mine, _ in answers] == [True, True, False, False, False, False]
    assert all(mine == truth for mine, truth in answers[2:])
    assert all(truth for _, truth in answers[2:])  # each build had a changed or new file


# --- edits planned again: what only the plan reads changed ---------------------------------

# (file, text, replacement): each keeps the id, link, category names, draft flag and expiry
PLANNED_AGAIN = [
    ("computing/chip-news.md", "category: Computing", "category: Science"),
    ("computing/chip-news.md", "category: Computing", "categories: [Computing, Gaming]"),
    # the only article filed under Security: its feed goes
    ("exports/wire.jsonl", '"category": "Security"', '"category": "Science"'),
    # under a name the config gives: shown as the config says
    ("science/telescope.md", "category: Science", "category: smartphones"),
    ("computing/chip-news.md", "category: Computing", "category: Computing\ntags: [chips]"),
    # into every top three, and later than every other article
    ("phones/pocket-review.md", "date: 2026-11-01T09:00:00+01:00", "date: 2026-11-21T09:00:00Z"),
    # back, from a date that was not the latest
    ("phones/pocket-review.md", "date: 2026-11-01T09:00:00+01:00", "date: 2026-02-01T09:00:00Z"),
    ("computing/chip-news.md", "author: {name: Ann Example", "author: {name: Ann Other"),
    ("computing/chip-news.md", "category: Computing", "category: Computing\nfeed: false"),
    ("phones/old-phone.md", "category: Phones", "category: Phones\nlang: de"),
    ("computing/chip-news.md", "category: Computing", "category: Computing\nupdated: 2026-11-22"),
]
# (file, text, replacement): each changes something site-wide resolution reads
EDITS_IN_FULL = [
    # the latest article moved back: which one is now the latest is not known without all
    ("exports/wire.jsonl", '"2026-11-10T16:00:00-05:00"', '"2026-04-10T16:00:00-05:00"'),
    ("phones/old-phone.md", "category: Phones", "category: Phones\nexpires: 2027-01-01"),
    ("phones/old-phone.md", "date: 2026-09-01T08:00:00Z", "date: 2026-12-21T08:00:00Z"),
    ("phones/old-phone.md", "category: Phones", "category: Phones\ndraft: true"),
]


@pytest.mark.parametrize("edit", PLANNED_AGAIN, ids=[e[2].split("\n")[-1] for e in PLANNED_AGAIN])
def test_an_edit_of_what_only_the_plan_reads_is_planned_again_as_a_clean_build(
    edit: tuple[str, str, str],
    site: Site,
    clean_output: CleanOutput,
    prepared: list[Path],
    tmp_path: Path,
) -> None:
    site.settings["feeds"] = {"max_items": 3, "tag_feeds": True, "tag_min_articles": 1}
    site.settings["feeds"]["by_language"] = "lang: de" in edit[2]
    site.save_config()
    resident = _watched(site)
    relative, old, new = edit
    site.edit(relative, old, new)
    resident.changed([site.content / relative])
    report = site.build(resident=resident)
    assert len(prepared) == 1, "prepared in full"
    assert report.complete, report.problems
    assert report.changed and report.publish.written
    assert_same_output(snapshot(site.output), clean_output(site))
    assert _ids(site.root) == _clean_ids(site, tmp_path / "ids")
    again = site.build()
    assert (again.files_read, again.publish.written, again.publish.removed) == (0, (), ())


@pytest.mark.parametrize("edit", EDITS_IN_FULL, ids=[e[2].split("\n")[-1] for e in EDITS_IN_FULL])
def test_an_edit_that_resolution_reads_is_prepared_in_full(
    edit: tuple[str, str, str], site: Site, clean_output: CleanOutput, prepared: list[Path]
) -> None:
    resident = _watched(site)
    relative, old, new = edit
    site.edit(relative, old, new)
    resident.changed([site.content / relative])
    site.build(resident=resident)
    assert len(prepared) == 2
    assert_same_output(snapshot(site.output), clean_output(site))


def test_an_id_edit_still_stops_the_build(site: Site, prepared: list[Path]) -> None:
    """Ids are forever (issue 11): a published article given another id is refused, as a
    fresh process refuses it, whatever else the edit changed."""
    resident = _watched(site)
    relative = "phones/old-phone.md"
    site.edit(relative, "category: Phones", "category: Phones\nid: urn:x:other")
    resident.changed([site.content / relative])
    with pytest.raises(feeds.build.BuildError, match="would get a new id"):
        site.build(resident=resident)


# --- deleted files ---------------------------------------------------------------------------

TAKEN_OUT = [
    "phones/pocket-review.md",  # in the top three of Phones: the next one takes its place
    "science/unfinished.md",  # a draft
    "science/telescope.md",  # Science keeps the article filed under Science: Space
    "phones/accessories/cases-roundup.txt",  # the only Accessories article: its feeds go
]
OUT_IN_FULL = [
    "exports/wire.jsonl",  # it holds the latest article
    "science/eclipse-preview.md",  # scheduled: the site's next change moves
    # two of three spell it "computing"; without this one it is a tie the capital wins
    "computing/laptops/laptop-test.txt",
]


@pytest.mark.parametrize("relative", TAKEN_OUT)
def test_a_deleted_file_is_taken_out_as_a_clean_build_leaves_it(
    relative: str, site: Site, clean_output: CleanOutput, prepared: list[Path], tmp_path: Path
) -> None:
    resident = _watched(site)
    site.remove(relative)
    resident.changed([site.content / relative])
    report = site.build(resident=resident)
    assert len(prepared) == 1, "prepared in full"
    assert report.complete, report.problems
    assert_same_output(snapshot(site.output), clean_output(site))
    assert _ids(site.root) == _clean_ids(site, tmp_path / "ids")
    again = site.build()
    assert (again.files_read, again.publish.written, again.publish.removed) == (0, (), ())


@pytest.mark.parametrize("relative", OUT_IN_FULL)
def test_a_deletion_that_changes_the_site_is_prepared_in_full(
    relative: str, site: Site, clean_output: CleanOutput, prepared: list[Path]
) -> None:
    resident = _watched(site)
    site.remove(relative)
    resident.changed([site.content / relative])
    site.build(resident=resident)
    assert len(prepared) == 2
    assert_same_output(snapshot(site.output), clean_output(site))


def test_a_deleted_article_is_reported_as_removed(site: Site, prepared: list[Path]) -> None:
    resident = _watched(site)
    site.remove("phones/pocket-review.md")
    resident.changed([site.content / "phones/pocket-review.md"])
    report = site.build(resident=resident)
    assert len(prepared) == 1
    assert report.removed == ("content/phones/pocket-review.md: Pocket Phone Review",)
    assert (report.added, report.changed) == ((), ())


def test_a_renamed_file_whose_id_would_change_still_stops_the_build(
    site: Site, prepared: list[Path]
) -> None:
    """Deleted and added in one batch: the new file's slug gives a new id for an article
    already published (issue 11); the patch must not hide it."""
    resident = _watched(site)
    site.move("phones/old-phone.md", "phones/older-phone.md")
    resident.changed([site.content / "phones/old-phone.md", site.content / "phones/older-phone.md"])
    with pytest.raises(feeds.build.BuildError, match="would get a new id"):
        site.build(resident=resident)


def test_a_category_edit_into_a_clashing_name_is_prepared_in_full(
    site: Site, clean_output: CleanOutput, prepared: list[Path]
) -> None:
    resident = _watched(site)
    site.edit("computing/chip-news.md", "category: Computing", "category: Science!")
    resident.changed([site.content / "computing/chip-news.md"])
    report = site.build(resident=resident)
    assert len(prepared) == 2
    assert [p.field for p in report.errors] == ["category"]
    assert_same_output(snapshot(site.output), clean_output(site))
