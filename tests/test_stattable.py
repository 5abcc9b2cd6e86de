"""The manifest's packed stats (issue 14): what goes in comes back out of a pickle, a loaded
table answers its length and digest without unpacking, and the digest is the documented
sum, the same in every process whatever its hash seed."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from test_scanshares import NOW, make_site

import feeds.scanshares
import feeds.stattable
from feeds.build import build_site
from feeds.codec import dumps
from feeds.stattable import Stat, StatTable, add_digests, digest, digest_of

STATS: dict[str, Stat | None] = {
    "desk/report.md": (1200, 1_600_000_000_123_456_789, 1_600_000_001_000_000_000, 42),
    "desk/café/menu.md": (1, -86_400_000_000_000, 5, 2**63 + 7),  # before 1970; a big inode
    "odd-\udcff-name.md": (0, 0, 0, 0),  # an undecodable byte, as os.fsdecode gives it
    "racy.md": None,
}
TRUSTED = {path: stat for path, stat in STATS.items() if stat is not None}


def loaded(table: StatTable) -> StatTable:
    back = pickle.loads(dumps(table))
    assert isinstance(back, StatTable)
    return back


def expected_digest(stats: dict[str, Stat]) -> int:
    """The module docstring's formula, written out here."""
    total = 0
    for path, stat in stats.items():
        total += hash((zlib.crc32(path.encode("utf-8", "surrogateescape")), stat))
    return total % 2**64


def test_a_table_comes_back_from_its_pickle_with_every_stat_and_the_racy_one() -> None:
    back = loaded(StatTable(dict(STATS)))
    assert dict(back) == STATS and back == StatTable(dict(STATS))
    assert back.get("racy.md", "absent") is None and back.get("gone.md") is None
    assert list(back) == list(STATS) and "desk/report.md" in back
    assert back.keys() == STATS.keys()
    assert loaded(StatTable({})) == StatTable({}) and len(loaded(StatTable({}))) == 0


def test_racy_stats_anywhere_come_back_racy_and_only_they() -> None:
    stats: dict[str, Stat | None] = {f"a/{n}.md": (n, n, n, n) for n in range(10)}
    for racy in ([0], [9], [0, 1, 5, 9], list(range(10))):
        given = {p: None if n in racy else s for n, (p, s) in enumerate(stats.items())}
        back = loaded(StatTable(dict(given)))
        assert dict(back) == given and list(back) == list(given), racy


def test_a_loaded_table_tells_its_length_and_digest_without_unpacking(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    back = loaded(StatTable(dict(TRUSTED)))

    def refuse(*args: object) -> object:
        raise AssertionError("unpacked")

    monkeypatch.setattr(feeds.stattable, "_unpack", refuse)
    assert len(back) == 3
    assert back.digest == expected_digest(TRUSTED)
    changed = dict(TRUSTED, **{"desk/report.md": (1200, 1_600_000_000_123_456_789, 9, 42)})
    assert back != StatTable(changed)  # told by the digests alone
    with pytest.raises(AssertionError, match="unpacked"):
        back.get("desk/report.md")


def test_a_number_too_big_for_the_arrays_is_kept_by_pickling_the_dict() -> None:
    huge: dict[str, Stat | None] = {"huge.md": (2**63, 1, 1, 1), "small.md": (1, 1, 1, 1)}
    assert dict(loaded(StatTable(dict(huge)))) == huge


def test_the_digest_is_the_sum_of_each_files_hash_and_none_with_a_racy_stat() -> None:
    assert StatTable(dict(TRUSTED)).digest == expected_digest(TRUSTED)
    assert StatTable(dict(STATS)).digest is None and digest_of(STATS) is None
    assert digest_of(TRUSTED) == expected_digest(TRUSTED)
    halves = [dict(list(TRUSTED.items())[:1]), dict(list(TRUSTED.items())[1:])]
    assert add_digests(digest(h.keys(), h.values()) for h in halves) == expected_digest(TRUSTED)


def test_names_that_swap_their_stats_change_the_digest() -> None:
    first, second = (10, 5, 5, 1), (10, 5, 5, 2)
    before = digest(["a.md", "b.md"], [first, second])
    assert digest(["a.md", "b.md"], [second, first]) != before
    assert digest(["b.md", "a.md"], [second, first]) == before  # the same table, other order


def test_the_digest_is_the_same_whatever_the_processs_hash_seed(tmp_path: Path) -> None:
    script = (
        "import sys; from feeds.stattable import digest\n"
        "paths = ['desk/report.md', 'desk/caf\\u00e9/menu.md', 'odd-\\udcff-name.md']\n"
        "print(digest(paths, [(1, 2, 3, 4), (5, 6, 7, 8), (9, 10, 11, 12)]))\n"
    )
    answers = set()
    for seed in ("1", "2", "random"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        answers.add(done.stdout.strip())
    assert len(answers) == 1
    stats = {"desk/report.md": (1, 2, 3, 4), "desk/café/menu.md": (5, 6, 7, 8)}
    stats["odd-\udcff-name.md"] = (9, 10, 11, 12)
    assert answers == {str(expected_digest(stats))}


def test_a_build_with_nothing_to_do_never_unpacks_the_stats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site(tmp_path, links=False)
    monkeypatch.setattr(feeds.scanshares, "MIN_FILES_FOR_SHARED_SCAN", 1)
    monkeypatch.setattr(feeds.scanshares, "worker_count", lambda: 2)
    first = build_site(config, now=NOW)
    unpacked: list[int] = []
    real = feeds.stattable._unpack

    def counted(*args: object) -> object:
        unpacked.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(feeds.stattable, "_unpack", counted)
    again = build_site(config, now=NOW)
    assert unpacked == [] and (again.files_read, again.articles) == (0, first.articles)
    (config.content_dir / "phones" / "week-0" / "report-0.md").unlink()
    changed = build_site(config, now=NOW)
    assert unpacked == [1] and changed.articles == first.articles - 1
