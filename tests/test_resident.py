"""A resident (`feeds.resident`): what `feeds build --watch` keeps of the site between builds
(issue 14). Every kind of change in `sites.CHANGES`, reported as a watcher reports it, gives
a resident build the bytes of a clean build; the resident scans only when it must, and what
it keeps is dropped as soon as the files it stands for change under it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sites import (
    CHANGES,
    NEW_IDS,
    NOW,
    Change,
    CleanOutput,
    Site,
    add_newest,
    assert_same_output,
    delete,
    edit_body,
    edit_title,
    snapshot,
    spelling_flips,
)

import feeds.build
import feeds.idregistry
from feeds.contentfiles import scan_content
from feeds.idregistry import (
    IDS_FILE,
    Published,
    article_changes,
    load_ids,
    save_ids,
)
from feeds.resident import Resident

Tree = dict[str, tuple[int, int, int, int]]


def _tree(site: Site) -> Tree:
    """Every path under the content folder, and the config file, with its stat."""
    found: Tree = {}
    paths = [site.root / "config.yaml", *site.content.rglob("*")]
    for path in paths:
        s = path.lstat()
        found[str(path)] = (s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino)
    return found


def _reported(before: Tree, after: Tree) -> list[str]:
    """What a watcher reports between two trees: paths added, removed or changed."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The fixture site's content folder, once for each build that scanned it in full."""
    seen: list[Path] = []

    def counted(content_dir: Path, *args: object, **kwargs: object) -> object:
        if content_dir.parent.name == "site":  # not the clean builds compared with
            seen.append(content_dir)
        return scan_content(content_dir, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(feeds.build, "scan_content", counted)
    return seen


def _watched(site: Site) -> Resident:
    """A resident as `--watch` has it after its first build with the watcher running."""
    resident = Resident()
    assert site.build(resident=resident).complete
    resident.watching()
    site.build(resident=resident)  # the first build while watching scans in full
    return resident


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_a_resident_build_equals_a_clean_build(
    name: str, site: Site, clean_output: CleanOutput, monkeypatch: pytest.MonkeyPatch
) -> None:
    resident = _watched(site)
    before = _tree(site)
    CHANGES[name](site, monkeypatch)
    resident.changed(_reported(before, _tree(site)))
    report = site.build(resident=resident, accept_new_ids=name in NEW_IDS)
    if name != "duplicate_slug":
        assert report.complete, (report.problems, report.findings, report.kept)
    assert_same_output(snapshot(site.output), clean_output(site))
    # what it saved is what a fresh process reads: nothing left to do
    again = site.build()
    assert (again.files_read, again.publish.written, again.publish.removed) == (0, (), ())


def test_an_edit_reported_is_built_without_a_scan(
    site: Site, scans: list[Path], clean_output: CleanOutput
) -> None:
    resident = _watched(site)
    assert len(scans) == 2
    for change in (edit_title, edit_body):
        before = _tree(site)
        change(site, pytest.MonkeyPatch())
        resident.changed(_reported(before, _tree(site)))
        report = site.build(resident=resident)
        assert report.files_read == 1 and report.publish.written
        assert_same_output(snapshot(site.output), clean_output(site))
    assert len(scans) == 2  # the two edits: no scan


def test_files_that_come_and_go_in_known_folders_are_found_without_a_scan(
    site: Site, scans: list[Path], clean_output: CleanOutput
) -> None:
    """A new article (the most common save), a deleted one, a new and a deleted file that
    content.exclude keeps out: the scan is updated, and the build is a clean build's."""
    resident = _watched(site)
    steps = [
        lambda: add_newest(site, pytest.MonkeyPatch()),
        lambda: site.remove("science/telescope.md"),
        lambda: site.write("phones/_notes.md", "---\ntitle: Notes\n---\nKept out.\n"),
        lambda: site.write("computing/README.md", "Not an article.\n"),
        lambda: site.remove("phones/_notes.md"),
    ]
    for step in steps:
        before = _tree(site)
        step()
        resident.changed(_reported(before, _tree(site)))
        report = site.build(resident=resident)
        assert report.complete, report.problems
        assert_same_output(snapshot(site.output), clean_output(site))
        listed: list[str] = []  # as a full scan lists them
        scan_content(site.content, None, site.config().content_exclude, listed)
        assert list(report.excluded) == listed
    assert len(scans) == 2  # the two before: none for these


def test_a_new_folder_is_found_by_a_full_scan(
    site: Site, scans: list[Path], clean_output: CleanOutput
) -> None:
    resident = _watched(site)
    before = _tree(site)
    site.write("gaming/retro.md", "---\ntitle: Retro\ndate: 2026-11-21T10:00:00Z\n---\nBack.\n")
    resident.changed(_reported(before, _tree(site)))
    site.build(resident=resident)
    assert len(scans) == 3
    assert_same_output(snapshot(site.output), clean_output(site))


def test_before_the_watcher_runs_every_build_scans(
    site: Site, scans: list[Path], clean_output: CleanOutput
) -> None:
    resident = Resident()
    site.build(resident=resident)
    edit_title(site, pytest.MonkeyPatch())  # made before the watcher started: never reported
    resident.watching()
    site.build(resident=resident)
    assert len(scans) == 2
    assert_same_output(snapshot(site.output), clean_output(site))


def test_an_edit_not_reported_is_not_seen_until_a_scan(site: Site, scans: list[Path]) -> None:
    """The contract: while watching, only reported paths are looked at again (so the watcher
    must report every change); `forget` makes the next build read everything."""
    resident = _watched(site)
    edit_title(site, pytest.MonkeyPatch())
    assert site.build(resident=resident).files_read == 0
    resident.forget()
    assert site.build(resident=resident).files_read == 1
    assert len(scans) == 3


def test_a_build_by_another_process_in_between_is_read_from_disk(
    site: Site, clean_output: CleanOutput
) -> None:
    resident = _watched(site)
    before = _tree(site)
    edit_title(site, pytest.MonkeyPatch())
    site.build()  # another process: the cache and ids.json are no longer the resident's
    resident.changed(_reported(before, _tree(site)))
    assert resident.cache(site.root / ".feeds") is None
    assert resident.ids(site.root / ".feeds") is None
    before = _tree(site)
    edit_body(site, pytest.MonkeyPatch())
    resident.changed(_reported(before, _tree(site)))
    report = site.build(resident=resident)
    assert report.changed and report.files_read == 1
    assert_same_output(snapshot(site.output), clean_output(site))
    assert resident.cache(site.root / ".feeds") is not None  # kept again


def test_a_deleted_cache_is_not_stood_in_for(site: Site, clean_output: CleanOutput) -> None:
    resident = _watched(site)
    for path in sorted((site.root / ".feeds").rglob("*"), reverse=True):
        if path.is_file():
            path.unlink()
    assert resident.cache(site.root / ".feeds") is None
    report = site.build(resident=resident)
    assert report.files_read == report.files_total > 0  # everything read again
    assert_same_output(snapshot(site.output), clean_output(site))


def test_articles_seen_before_are_not_digested_again(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    resident = _watched(site)
    digested: list[str] = []
    real = feeds.idregistry.reader_digest

    def counted(article: object, body_key: str) -> str:
        digested.append(article.source)  # type: ignore[attr-defined]
        return real(article, body_key)  # type: ignore[arg-type]

    monkeypatch.setattr(feeds.idregistry, "reader_digest", counted)
    before = _tree(site)
    edit_title(site, monkeypatch)
    resident.changed(_reported(before, _tree(site)))
    report = site.build(resident=resident)
    assert digested == ["content/computing/chip-news.md"]
    assert report.changed == ("content/computing/chip-news.md: A Newer Chip for Small Laptops",)


# --- the registry's memo -------------------------------------------------------------------


def _entry(n: int, title: str = "") -> Published:
    return Published(f"urn:x:{n}", title or f"Title {n}", f"2026-0{n}-01T00:00:00+00:00", f"d{n}")


def test_ids_json_is_the_bytes_json_gives_for_any_text(tmp_path: Path) -> None:
    registry = {
        "b/ünïcode.md": _entry(2, 'Quotes " and \\ and \u2028 and emoji \U0001f600'),
        "a/first.md": _entry(1),
        "c/third.md": Published("urn:x:3", "Third", "2026-03-01T00:00:00+00:00", ""),
    }
    save_ids(tmp_path, registry)
    written = (tmp_path / IDS_FILE).read_bytes()
    expected = {s: [e.id, e.title, e.published, e.digest] for s, e in sorted(registry.items())}
    whole = {"version": 1, "generation": 1, "articles": expected}
    assert written == json.dumps(whole, ensure_ascii=False).encode()
    assert list(json.loads(written)["articles"]) == ["a/first.md", "b/ünïcode.md", "c/third.md"]
    assert load_ids(tmp_path) == registry


def test_ids_json_entries_of_the_wrong_shape_are_dropped_and_the_rest_kept(
    tmp_path: Path,
) -> None:
    articles = {
        "good.md": ["urn:x:1", "One", "2026-01-01T00:00:00+00:00", "d1"],
        "old.md": ["urn:x:2", "Two", "2026-02-01T00:00:00+00:00"],  # before digests
        "number.md": ["urn:x:3", 7, "2026-03-01T00:00:00+00:00", "d3"],
        "long.md": ["urn:x:4", "Four", "2026-04-01T00:00:00+00:00", "d4", "extra"],
        "short.md": ["urn:x:5", "Five"],
        "null.md": ["urn:x:6", "Six", None, "d6"],
        "text.md": "urn:x:7",
    }
    (tmp_path / IDS_FILE).write_text(json.dumps({"version": 1, "articles": articles}))
    loaded = load_ids(tmp_path)
    assert loaded == {
        "good.md": Published("urn:x:1", "One", "2026-01-01T00:00:00+00:00", "d1"),
        "old.md": Published("urn:x:2", "Two", "2026-02-01T00:00:00+00:00"),
    }


def test_article_changes_with_entries_the_same_in_both() -> None:
    previous = {"a.md": _entry(1), "b.md": _entry(2), "c.md": _entry(3), "d.md": _entry(4)}
    current = {
        "a.md": previous["a.md"],  # the very entry
        "b.md": _entry(2),  # an equal one
        "c2.md": _entry(3),  # renamed file, same id: not added, not removed
        "e.md": _entry(5),  # new
        # d.md removed
    }
    current["b.md"] = Published("urn:x:2", "Title 2", "2026-02-01T00:00:00+00:00", "other")
    added, changed, removed = article_changes(previous, current)
    assert added == ("e.md: Title 5",)
    assert changed == ("b.md: Title 2",)
    assert removed == ("d.md: Title 4",)


def test_article_changes_of_the_touched_sources_only() -> None:
    previous = {f"{n}.md": _entry(n) for n in range(1, 7)}
    current = dict(previous)
    current["2.md"] = Published("urn:x:2", "Title 2", "2026-02-01T00:00:00+00:00", "other")
    current["7.md"] = _entry(7)  # new
    current["3b.md"] = current.pop("3.md")  # renamed, same id
    del current["4.md"]
    expected = (("7.md: Title 7",), ("2.md: Title 2",), ("4.md: Title 4",))
    assert article_changes(previous, current) == expected
    touched = ["2.md", "7.md", "3.md", "3b.md", "4.md"]
    assert article_changes(previous, current, touched) == expected
    # what is outside `touched` is taken as unchanged, unread (a patched build's registry)
    current["5.md"] = Published("urn:x:5", "Reworded", "2026-05-01T00:00:00+00:00", "x")
    assert article_changes(previous, current, touched) == expected


def test_article_changes_with_a_damaged_registry_of_repeated_ids() -> None:
    previous = {"a.md": _entry(1), "b.md": Published("urn:x:1", "Twin", "2026-01-01", "d9")}
    current = {"a.md": _entry(1)}
    # ids repeat in the registry read: matched by id as before (the last entry of an id)
    assert article_changes(previous, current) == ((), ("a.md: Title 1",), ())


def test_resident_ignores_nothing_outside_the_content(site: Site, scans: list[Path]) -> None:
    resident = _watched(site)
    resident.changed([site.root / "config.yaml"])  # the config: scanned again in full
    site.build(resident=resident)
    assert len(scans) == 3
    resident.changed([os.fspath(site.content / ".hidden.md.swp")])  # hidden: never content
    site.build(resident=resident)
    assert len(scans) == 3


@pytest.mark.parametrize("change", [edit_title, spelling_flips, add_newest, delete])
def test_a_fresh_process_saves_the_registry_a_clean_build_saves(
    change: Change, site: Site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A fresh process takes an unchanged article's entry from the registry saved before
    when the digest made as its file was read is the one saved; a title edited, or a
    category shown otherwise because another file changed, gets a new entry."""
    import shutil

    from feeds.build import build_site
    from feeds.config import load_config

    site.build()
    change(site, monkeypatch)
    site.build()
    clean = tmp_path / "clean"
    clean.mkdir()
    shutil.copy2(site.root / "config.yaml", clean / "config.yaml")
    shutil.copytree(site.content, clean / "content")
    build_site(load_config(clean / "config.yaml"), now=NOW)
    assert load_ids(site.root / ".feeds") == load_ids(clean / ".feeds")


def test_a_registry_made_again_keeps_the_entries_whose_digest_is_the_saved_one() -> None:
    from datetime import UTC, datetime

    from feeds.idregistry import reader_digest, registry_again, registry_of
    from feeds.model import Article, BodyFormat

    def article(n: int, title: str) -> Article:
        when = datetime(2026, 11, n, tzinfo=UTC)
        return Article(
            source=f"s{n}", slug=f"a{n}", id=f"urn:x:{n}", link=f"https://x/{n}",
            title=title, published=when, updated=when, categories=(), body="",
            body_format=BodyFormat.TEXT,
        )  # fmt: skip

    same, edited, new, unread = (
        article(1, "One"),
        article(2, "Two!"),
        article(3, "Three"),
        article(4, "Four"),
    )
    made = {a.source: reader_digest(a, "k") for a in (same, edited, new)}
    previous = {
        "s1": Published("urn:x:1", "One", same.published.isoformat(), made["s1"]),
        "s2": Published("urn:x:2", "Two", edited.published.isoformat(), "old digest"),
        "s4": Published("urn:x:4", "Four", unread.published.isoformat(), "any"),
        "gone": Published("urn:x:9", "Gone", "2026-01-01T00:00:00+00:00", "d"),
    }
    articles = [unread, new, edited, same]
    again, _ = registry_again(articles, lambda a: "k", lambda a: made.get(a.source), previous)
    assert again["s1"] is previous["s1"]
    assert again == registry_of(articles, lambda a: "k", None, lambda a: made.get(a.source))
    assert list(again) == ["s1", "s2", "s3", "s4"]
    assert again["s2"].title == "Two!" and again["s4"].digest == reader_digest(unread, "k")


def test_a_registry_made_again_says_which_entries_may_differ() -> None:
    """A fresh process's report looks only at the entries made again and the sources gone
    (`registry_again`): it is the report of the whole comparison."""
    from datetime import UTC, datetime

    from feeds.idregistry import reader_digest, registry_again
    from feeds.model import Article, BodyFormat

    def article(source: str, n: int, title: str) -> Article:
        when = datetime(2026, 11, n, tzinfo=UTC)
        return Article(
            source=source, slug=f"a{n}", id=f"urn:x:{n}", link=f"https://x/{n}",
            title=title, published=when, updated=when, categories=(), body="",
            body_format=BodyFormat.TEXT,
        )  # fmt: skip

    kept = [article(f"k{n}.md", n, f"Kept {n}") for n in range(1, 6)]
    edited, renamed = article("e.md", 6, "Edited"), article("r2.md", 7, "Moved")
    new = article("n.md", 8, "New")
    digests = {a.source: reader_digest(a, "k") for a in (*kept, edited, renamed, new)}

    def made(a: Article) -> str | None:
        return digests.get(a.source)

    def entry(a: Article, digest: str) -> Published:
        return Published(a.id, a.title, a.published.isoformat(), digest)

    previous = {a.source: entry(a, digests[a.source]) for a in kept}
    previous["e.md"] = entry(article("e.md", 6, "Before"), "old digest")
    previous["r1.md"] = entry(renamed, "digest under its old name")
    previous["gone.md"] = entry(article("gone.md", 9, "Gone"), "d")
    articles = [*kept, edited, renamed, new]
    registry, touched = registry_again(articles, lambda a: "k", made, previous)
    assert touched == {"e.md", "r1.md", "r2.md", "n.md", "gone.md"}
    assert all(registry[a.source] is previous[a.source] for a in kept)
    expected = (("n.md: New",), ("e.md: Edited", "r2.md: Moved"), ("gone.md: Gone",))
    assert article_changes(previous, registry) == expected
    assert article_changes(previous, registry, touched) == expected
    # nothing gone and nothing new: only the edited entries
    same_sources = {s: e for s, e in previous.items() if s not in ("r1.md", "gone.md")}
    _, touched = registry_again([*kept, edited], lambda a: "k", made, same_sources)
    assert touched == {"e.md"}
