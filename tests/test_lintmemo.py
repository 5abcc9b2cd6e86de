"""The lint memo (issue 14): `feeds validate` (site mode) after a build does not lint again the
feed files whose exact bytes the build linted, and gives the findings a fresh lint gives;
bytes changed since, another lint salt or another mode are linted again."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest
from sites import FIRST_MTIME_NS, NOW, Site, feed_findings

import feeds.build
import feeds.buildwork
import feeds.feedfiles
import feeds.lintmemo
import feeds.validate.check
import feeds.validate.xml_reader
from feeds.build import build_site, validate_site
from feeds.cache import load_cache
from feeds.config import load_config
from feeds.findings import Finding, Severity
from feeds.lint import lint_feed
from feeds.lint.jsonfeed import lint_json_document, load_json
from feeds.lint.report import Report
from feeds.lintmemo import LintMemo, lint_key, lint_salt

# A body with U+FFFD: a lint warning in site mode (W3C BadCharacters), so the feed is still
# published, and its findings are kept in the memo.
MOJIBAKE = """\
---
title: Caf\ufffd Opens
date: 2026-11-12T09:00:00+01:00
category: Science
---
The caf\ufffd opened on Monday.
"""


@pytest.fixture
def lint_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The file name of every `lint_feed` call the feed file checks make, in order."""
    calls: list[str] = []

    def counted(data: bytes, file: str, **options: Any) -> list[Finding]:
        calls.append(file)
        return lint_feed(data, file, **options)

    monkeypatch.setattr(feeds.validate.check, "lint_feed", counted)
    return calls


def _without_memo(site: Site) -> list[Finding]:
    """What `feeds validate` reports with an empty lint memo (the round-trip memo kept)."""
    cache = site.root / ".feeds"
    saved = {path: path.read_bytes() for path in cache.rglob("*") if path.is_file()}
    loaded = load_cache(cache)
    assert loaded.lint_memo  # the build saved one
    real = LintMemo.__init__

    def empty(self: LintMemo, known: Any = ()) -> None:
        real(self, ())

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LintMemo, "__init__", empty)
        found = validate_site(site.config(), now=NOW)
    assert {path: path.read_bytes() for path in cache.rglob("*") if path.is_file()} == saved
    return found


def _xml_files(site: Site) -> set[str]:
    return {
        f"public/{p.relative_to(site.output)}"
        for p in (site.output / "feeds").rglob("*.xml")
        if p.is_file()
    }


def test_after_a_build_validate_lints_no_feed_file_again(site: Site, lint_calls: list[str]) -> None:
    site.build()
    assert len(lint_calls) == len(_xml_files(site))  # the build linted each once
    lint_calls.clear()
    assert validate_site(site.config(), now=NOW) == []
    assert lint_calls == []


def test_memoised_findings_are_those_of_a_fresh_lint(site: Site, lint_calls: list[str]) -> None:
    site.write("science/mojibake.md", MOJIBAKE)
    report = site.build()
    assert not report.refused
    warned = {f.file for f in report.findings if f.rule == "BadCharacters"}
    assert {"feeds/all.rss.xml", "feeds/category/science.atom.xml"} <= warned
    lint_calls.clear()
    memoised = validate_site(site.config(), now=NOW)
    assert lint_calls == []
    fresh = _without_memo(site)
    assert sorted(lint_calls) == sorted(_xml_files(site))  # the control did lint every file
    assert memoised == fresh
    bad = [f for f in memoised if f.rule == "BadCharacters"]
    assert {f.file for f in bad} == {f"public/{path}" for path in warned}
    assert {f.level for f in bad} == {Severity.WARNING}
    # each finding as lint_feed gives it for the published bytes, under validate's file name
    for path in warned:
        data = (site.output / path).read_bytes()
        expected = lint_feed(data, f"public/{path}", strict=True)
        assert (
            expected
            and [f for f in memoised if f.file == f"public/{path}"][: len(expected)] == expected
        )


def test_a_byte_changed_after_the_build_is_linted_again(site: Site, lint_calls: list[str]) -> None:
    site.build()
    atom = site.output / "feeds" / "all.atom.xml"
    published = atom.read_bytes()
    assert published.count(b">Launch Week<") == 1
    atom.write_bytes(published.replace(b">Launch Week<", b">Launch We\xc2\x85k<"))  # U+0085
    lint_calls.clear()
    found = feed_findings(validate_site(site.config(), now=NOW))
    assert lint_calls == ["public/feeds/all.atom.xml"]
    assert [(f.file, f.rule, f.level) for f in found if f.rule == "BadCharacters"] == [
        ("public/feeds/all.atom.xml", "BadCharacters", Severity.WARNING)
    ]


def test_another_lint_salt_lints_every_file_again(
    site: Site, lint_calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site.build()
    monkeypatch.setattr(feeds.lintmemo, "lint_salt", lambda: b"the lint code changed")
    lint_calls.clear()
    assert validate_site(site.config(), now=NOW) == []
    assert sorted(lint_calls) == sorted(_xml_files(site))


def test_another_embed_allow_list_lints_every_file_again(site: Site, lint_calls: list[str]) -> None:
    site.build()
    site.settings["html"] = {"allow_iframes": ["www.youtube-nocookie.com"]}
    site.save_config()
    lint_calls.clear()
    validate_site(site.config(), now=NOW)
    assert sorted(lint_calls) == sorted(_xml_files(site))


def test_the_salt_covers_the_lint_code_and_is_stable_in_a_process() -> None:
    assert lint_salt() == lint_salt()
    key = lint_key(b"<rss/>", "xml", strict=True, iframe_hosts=())
    assert key != lint_key(b"<rss/> ", "xml", strict=True, iframe_hosts=())
    assert key != lint_key(b"<rss/>", "json", strict=True, iframe_hosts=())
    assert key != lint_key(b"<rss/>", "xml", strict=False, iframe_hosts=())
    assert key != lint_key(b"<rss/>", "xml", strict=True, iframe_hosts=("a.example",))


def test_the_salt_changes_when_a_lint_module_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = Path(feeds.__file__).parent
    copy = tmp_path / "feeds"
    for name in ("lint", "findings.py", "layout.py", "lintmemo.py"):
        source = package / name
        target = copy / name
        if source.is_dir():
            target.mkdir(parents=True)
            for module in source.glob("*.py"):
                (target / module.name).write_bytes(module.read_bytes())
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    monkeypatch.setattr(feeds.lintmemo, "PACKAGE", copy)
    lint_salt.cache_clear()
    try:
        same = lint_salt()
        rules = copy / "lint" / "rules.py"
        rules.write_bytes(rules.read_bytes() + b"\n# a changed rule\n")
        lint_salt.cache_clear()
        changed = lint_salt()
        (copy / "lint" / "rules.py").unlink()
        (copy / "lint" / "new_rule.py").write_bytes(b"")
        lint_salt.cache_clear()
        renamed = lint_salt()
    finally:
        monkeypatch.undo()
        lint_salt.cache_clear()
    assert same == lint_salt()  # the copy is the package's code
    assert len({same, changed, renamed}) == 3


def test_the_memo_is_kept_for_the_files_still_written(site: Site) -> None:
    site.write("science/mojibake.md", MOJIBAKE)
    site.build()
    written = {str(p.relative_to(site.output)) for p in (site.output / "feeds").rglob("*.xml")}
    assert set(load_cache(site.root / ".feeds").lint_memo) == written
    site.remove("phones/old-phone.md")
    site.remove("phones/pocket-review.md")
    site.remove("phones/phone-prices.md")
    site.remove("phones/accessories/cases-roundup.txt")
    site.build()
    now_written = {str(p.relative_to(site.output)) for p in (site.output / "feeds").rglob("*.xml")}
    assert "feeds/category/phones.atom.xml" in written - now_written
    assert set(load_cache(site.root / ".feeds").lint_memo) == now_written


def test_a_damaged_lint_memo_is_no_memo(site: Site, lint_calls: list[str]) -> None:
    site.build()
    store = site.root / ".feeds" / "build-store"
    manifest = load_cache(site.root / ".feeds").manifest
    assert manifest is not None
    (store / manifest.store["lint-memo"]).write_bytes(pickle.dumps({"x": "not an entry"}))
    lint_calls.clear()
    assert validate_site(site.config(), now=NOW) == []
    assert sorted(lint_calls) == sorted(_xml_files(site))


@pytest.fixture
def json_lint_calls(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every document JSON Feed's lint reads (through the memo or not), in order."""
    calls: list[object] = []
    real = feeds.lintmemo.lint_json_document

    def counted(document: object, report: Any) -> bool:
        calls.append(document)
        return real(document, report)

    monkeypatch.setattr(feeds.lintmemo, "lint_json_document", counted)  # the one caller
    return calls


def _json_site(site: Site) -> Site:
    site.settings["feeds"]["formats"] = ["rss", "atom", "json"]
    site.save_config()
    return site


def test_after_a_build_validate_lints_no_json_feed_again(
    site: Site, json_lint_calls: list[object]
) -> None:
    _json_site(site).build()
    assert len(json_lint_calls) == len(list((site.output / "feeds").rglob("*.json")))
    json_lint_calls.clear()
    assert validate_site(site.config(), now=NOW) == []
    assert json_lint_calls == []


def test_a_changed_json_feed_is_linted_again_and_found_as_a_fresh_lint_finds(
    site: Site, json_lint_calls: list[object]
) -> None:
    _json_site(site).build()
    path = site.output / "feeds" / "all.json"
    published = path.read_bytes()
    assert published.count(b'"version": "https://jsonfeed.org/version/1.1"') == 1
    path.write_bytes(published.replace(b"version/1.1", b"version/9"))
    json_lint_calls.clear()
    found = feed_findings(validate_site(site.config(), now=NOW))
    assert len(json_lint_calls) == 1
    assert [(f.file, f.rule, f.found) for f in found] == [
        ("public/feeds/all.json", "JsonFeedBadVersion", "https://jsonfeed.org/version/9")
    ]
    assert found == feed_findings(_without_memo(site))


def test_a_json_document_that_is_no_object_is_reported_from_the_memo_too(site: Site) -> None:
    _json_site(site).build()
    (site.output / "feeds" / "all.json").write_bytes(b"[1, 2]")
    found = feed_findings(validate_site(site.config(), now=NOW))
    assert [(f.file, f.rule, f.message) for f in found] == [
        ("public/feeds/all.json", "JsonFeedWrongType", "feed must be an object")
    ]
    memo = LintMemo()
    one, two = Report(file="a.json", strict=True), Report(file="b.json", strict=True)
    assert memo.lint_json(b"[1, 2]", one) is None
    assert memo.lint_json(b"[1, 2]", two) is None  # from the memo: no document to read
    assert [(f.file, f.rule) for f in one.findings + two.findings] == [
        ("a.json", "JsonFeedWrongType"),
        ("b.json", "JsonFeedWrongType"),
    ]
    assert memo.lint_json(b'{"version": 1}', Report(file="c.json", strict=True)) == {"version": 1}
    again = Report(file="c.json", strict=True)
    assert memo.lint_json(b'{"version": 1}', again) == {"version": 1}  # decoded again
    assert {f.rule for f in again.findings} == {
        "JsonFeedWrongType",  # a number
        "JsonFeedBadVersion",
        "JsonFeedMissingField",  # title, items
    }


@pytest.fixture
def lint_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file getting a line for every `lint_feed` call of the feed file checks, made in this
    process or in a forked worker."""
    log = tmp_path / "lint-calls.txt"
    log.write_text("")

    def counted(data: bytes, file: str, **options: Any) -> list[Finding]:
        with log.open("a", encoding="utf-8") as handle:
            handle.write(file + "\n")
        return lint_feed(data, file, **options)

    monkeypatch.setattr(feeds.validate.check, "lint_feed", counted)
    return log


@pytest.mark.parametrize("mode", ["here", "pool", "forked late"])
def test_a_later_build_rendering_the_same_bytes_again_does_not_lint_them_again(
    site: Site, lint_log: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    workers = 1 if mode == "here" else 2
    if mode == "pool":  # the fixture site is small: workers for any amount of work
        monkeypatch.setattr(feeds.buildwork, "MIN_FILES_FOR_POOL", 0)
    if mode == "forked late":
        monkeypatch.setattr(feeds.feedfiles, "LATE_FORK_ENTRIES", 0)
    site.write("science/mojibake.md", MOJIBAKE)
    first = site.build(workers=workers)
    assert len(lint_log.read_text().splitlines()) == len(_xml_files(site))
    touched = ["feeds/all.atom.xml", "feeds/category/science.rss.xml"]
    for path in touched:  # the build cannot trust them: it renders and checks them again
        os.utime(site.output / path, ns=(FIRST_MTIME_NS, FIRST_MTIME_NS))
    before = {path: (site.output / path).read_bytes() for path in touched}
    parsed: list[bytes] = []
    real = feeds.validate.xml_reader.read_with_feedparser

    def spy(data: bytes) -> Any:
        parsed.append(data)
        return real(data)

    monkeypatch.setattr(feeds.validate.xml_reader, "read_with_feedparser", spy)
    lint_log.write_text("")
    again = site.build(workers=workers)
    assert lint_log.read_text() == ""
    assert again.workers == workers
    if workers == 1:  # the round trip ran here for both (a worker's calls are not seen)
        assert len(parsed) == 2
    assert {path: (site.output / path).read_bytes() for path in touched} == before
    warned = [(f.file, f.rule, f.line) for f in first.findings if f.file in touched]
    assert warned and [(f.file, f.rule, f.line) for f in again.findings] == warned


CORPUS = Path(__file__).parent / "corpus" / "lint"
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.xml")), ids=lambda p: p.name)
def test_on_the_lint_corpus_a_memo_hit_gives_what_a_fresh_lint_gives(path: Path) -> None:
    data = path.read_bytes()
    memo = LintMemo()
    first = memo.lint_xml(data, "first.xml", ())
    assert first == lint_feed(data, "first.xml", strict=True)
    again = memo.lint_xml(data, f"other/{path.name}", ())  # from the memo, under another name
    assert memo.entries and len(memo.entries) == 1
    assert again == lint_feed(data, f"other/{path.name}", strict=True)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.json")), ids=lambda p: p.name)
def test_on_the_json_corpus_a_memo_hit_gives_what_a_fresh_lint_gives(path: Path) -> None:
    data = path.read_bytes()
    memo = LintMemo()
    for name in ("first.json", f"other/{path.name}"):
        fresh = Report(file=name, strict=True)
        document = load_json(data, fresh)
        readable = document is not None and lint_json_document(document, fresh)
        memoised = Report(file=name, strict=True)
        assert memo.lint_json(data, memoised) == (document if readable else None)
        assert memoised.findings == fresh.findings
    assert len(memo.entries) == 1


def test_the_sample_site_validates_from_the_memo_as_without_it(
    tmp_path: Path, lint_calls: list[str]
) -> None:
    for name in ("content", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "config.yaml", tmp_path / "config.yaml")
    config = load_config(tmp_path / "config.yaml")
    report = build_site(config, now=NOW)
    assert not report.refused and lint_calls
    sample = Site(tmp_path)
    lint_calls.clear()
    memoised = validate_site(config, now=NOW)
    assert lint_calls == []
    assert memoised == _without_memo(sample)
    assert lint_calls  # the control linted
