"""`feeds validate` (site mode) starts from the round-trip memo the build saved (issue 14):
an entry whose exact bytes the build parsed is not handed to feedparser again, and it is
still compared with the article the content says it is. Anything else is parsed afresh."""

from __future__ import annotations

from typing import Any

import pytest
from sites import NOW, Site, all_feeds

import feeds.validate.xml_reader
from feeds.build import validate_site
from feeds.findings import Finding, Severity


@pytest.fixture
def feedparser_inputs(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every document the validator hands to feedparser, in order."""
    seen: list[bytes] = []
    real = feeds.validate.xml_reader.read_with_feedparser

    def spy(data: bytes) -> Any:
        seen.append(data)
        return real(data)

    monkeypatch.setattr(feeds.validate.xml_reader, "read_with_feedparser", spy)
    return seen


def _errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.level is Severity.ERROR]


def _holds_entries(document: bytes) -> bool:
    return b"<item" in document or b"<entry" in document


def test_after_a_build_validate_parses_no_entry_again(
    site: Site, feedparser_inputs: list[bytes]
) -> None:
    site.build()
    feedparser_inputs.clear()
    assert validate_site(site.config(), now=NOW) == []
    assert feedparser_inputs  # each file's skeleton is still read by feedparser
    assert not [doc for doc in feedparser_inputs if _holds_entries(doc)]


def test_without_a_cache_every_entry_is_parsed(site: Site, feedparser_inputs: list[bytes]) -> None:
    site.build()
    for path in (site.root / ".feeds").rglob("*"):
        if path.is_file():
            path.unlink()
    feedparser_inputs.clear()
    assert validate_site(site.config(), now=NOW) == []
    assert [doc for doc in feedparser_inputs if _holds_entries(doc)]


def test_a_memo_hit_is_still_compared_with_the_article(
    site: Site, feedparser_inputs: list[bytes]
) -> None:
    site.build()
    # the content now says another title; the published bytes (and so the memo keys) are
    # as the build left them
    site.edit("exports/wire.jsonl", '"title": "Launch Week"', '"title": "Launch Week Moved"')
    feedparser_inputs.clear()
    errors = _errors(validate_site(site.config(), now=NOW))
    assert not [doc for doc in feedparser_inputs if _holds_entries(doc)]  # all memo hits
    files = {f.file.removeprefix("public/") for f in errors if f.rule == "RoundTrip"}
    assert files == all_feeds("all", "science", "science/space")
    assert {(f.field, f.expected, f.found) for f in errors if f.rule == "RoundTrip"} == {
        ("title", "Launch Week Moved", "Launch Week")
    }


def test_entry_bytes_changed_after_the_build_are_parsed_and_caught(
    site: Site, feedparser_inputs: list[bytes]
) -> None:
    site.build()
    atom = site.output / "feeds" / "all.atom.xml"
    published = atom.read_bytes()
    assert published.count(b">Launch Week<") == 1
    atom.write_bytes(published.replace(b">Launch Week<", b">Launch Weak<"))
    feedparser_inputs.clear()
    errors = _errors(validate_site(site.config(), now=NOW))
    parsed = [doc for doc in feedparser_inputs if _holds_entries(doc)]
    assert len(parsed) == 1 and b"Launch Weak" in parsed[0]  # the changed entry only
    assert [(f.file, f.rule) for f in errors] == [("public/feeds/all.atom.xml", "RoundTrip")]
    assert (errors[0].field, errors[0].expected, errors[0].found) == (
        "title",
        "Launch Week",
        "Launch Weak",
    )
