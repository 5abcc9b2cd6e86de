"""`feeds validate` (site mode) checks the published files on two processes (issue 14): a
worker forked after the site is read checks its share, and the findings are the same, in
the same order, as when one process checks every file."""

from __future__ import annotations

import os

import pytest
from sites import NOW, Site

import feeds.validate.site
from feeds.build import validate_site
from feeds.findings import Finding, Severity

_MARK = "CheckedBy"


@pytest.fixture
def shared(monkeypatch: pytest.MonkeyPatch) -> None:
    """Share the check even on the small fixture site, and let every share say which
    process checked it (a finding of rule `CheckedBy` naming the pid, first in its share)."""
    monkeypatch.setattr(feeds.validate.site, "SHARED_CHECK_ENTRIES", 1)
    real = feeds.validate.site._Check.run

    def run(self: feeds.validate.site._Check, indexes: object) -> list[list[Finding]]:
        found = real(self, indexes)  # type: ignore[arg-type]
        if found:
            mark = Finding(str(os.getpid()), _MARK, Severity.WARNING, "checked here")
            found[0] = [mark, *found[0]]
        return found

    monkeypatch.setattr(feeds.validate.site._Check, "run", run)


def _tamper(site: Site) -> None:
    """Two published files no longer say what the content says: one of each format."""
    for name, old, new in (
        ("category/science.atom.xml", b">Launch Week<", b">Launch Weak<"),
        ("category/science.rss.xml", b">Launch Week<", b">Lunch Week<"),
    ):
        path = site.output / "feeds" / name
        published = path.read_bytes()
        assert published.count(old) == 1, name
        path.write_bytes(published.replace(old, new))


def _validate(site: Site, workers: str, monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    monkeypatch.setenv("FEEDS_WORKERS", workers)
    return validate_site(site.config(), now=NOW)


def test_two_processes_find_what_one_finds_in_the_same_order(
    site: Site, shared: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.build()
    _tamper(site)
    alone = _validate(site, "1", monkeypatch)
    both = _validate(site, "2", monkeypatch)
    checkers = {f.file for f in both if f.rule == _MARK}
    assert len(checkers) == 2 and str(os.getpid()) in checkers  # this process and a worker
    assert [f for f in both if f.rule != _MARK] == [f for f in alone if f.rule != _MARK]
    round_trip = [f for f in alone if f.rule == "RoundTrip"]
    assert {f.file for f in round_trip} == {
        "public/feeds/category/science.atom.xml",
        "public/feeds/category/science.rss.xml",
    }
    assert {(f.field, f.expected, f.found) for f in round_trip} == {
        ("title", "Launch Week", "Launch Weak"),
        ("title", "Launch Week", "Lunch Week"),
    }


def test_a_worker_that_dies_has_its_share_checked_here(
    site: Site, shared: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.build()
    _tamper(site)
    alone = _validate(site, "1", monkeypatch)
    parent = os.getpid()
    real = feeds.validate.site._Check.run

    def dies_in_worker(self: feeds.validate.site._Check, indexes: object) -> list[list[Finding]]:
        if os.getpid() != parent:
            os._exit(9)
        return real(self, indexes)  # type: ignore[arg-type]

    monkeypatch.setattr(feeds.validate.site._Check, "run", dies_in_worker)
    both = _validate(site, "2", monkeypatch)
    assert {f.file for f in both if f.rule == _MARK} == {str(parent)}
    assert [f for f in both if f.rule != _MARK] == [f for f in alone if f.rule != _MARK]
    assert any(f.rule == "RoundTrip" for f in both)


def test_a_small_site_is_checked_by_one_process(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.build()
    pids = _pids_of_checks(monkeypatch)
    assert _validate(site, "2", monkeypatch) == []
    assert pids == [os.getpid()]  # the fixture site holds far fewer entries than the bar


def _pids_of_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The process of every share checked here (a worker's are not seen)."""
    pids: list[int] = []
    real = feeds.validate.site._Check.run

    def run(self: feeds.validate.site._Check, indexes: object) -> list[list[Finding]]:
        pids.append(os.getpid())
        return real(self, indexes)  # type: ignore[arg-type]

    monkeypatch.setattr(feeds.validate.site._Check, "run", run)
    return pids
