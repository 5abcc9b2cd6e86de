"""Smoke tests of the benchmark corpus (bench/corpus.py): deterministic bytes, the promised
shape (skewed two-level categories, five date styles, Markdown features), and a tiny corpus
that `feeds build` publishes with exit 0. No timing here: speed lives in bench/run.py."""

from __future__ import annotations

import hashlib
import random
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))
import corpus  # noqa: E402  (bench/ is a folder of scripts, not a package)

FEEDS = Path(sys.executable).parent / "feeds"


def tree_digest(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_same_seed_same_bytes_in_two_folders(tmp_path: Path) -> None:
    corpus.write_corpus(tmp_path / "one", 30, seed=11)
    corpus.write_corpus(tmp_path / "two", 30, seed=11)
    one, two = tree_digest(tmp_path / "one"), tree_digest(tmp_path / "two")
    assert one == two
    # 30 articles for each of the three tools, plus config, templates and manifest
    assert sum(name.startswith("content/") for name in one) == 30
    assert sum(name.startswith("hugo/content/posts/") for name in one) == 30
    assert sum(name.startswith("pelican/content/") for name in one) == 30
    assert {"config.yaml", "corpus.json", "hugo/config.yaml", "pelican/pelicanconf.py"} <= set(one)


def test_another_seed_gives_another_corpus(tmp_path: Path) -> None:
    corpus.write_corpus(tmp_path / "a", 30, seed=1, tools=("feeds",))
    corpus.write_corpus(tmp_path / "b", 30, seed=2, tools=("feeds",))
    assert tree_digest(tmp_path / "a") != tree_digest(tmp_path / "b")


def test_fifty_leaves_under_ten_parents_with_zipf_weights() -> None:
    assert len(corpus.LEAVES) == 50
    assert len({parent for parent, _ in corpus.LEAVES}) == 10
    weights = sorted(corpus.leaf_weights(random.Random(3)), reverse=True)
    assert weights[0] == 1.0
    assert weights[1] == pytest.approx(2**-1.1)
    assert weights[-1] == pytest.approx(50**-1.1)  # the biggest leaf is ~74x the smallest


def test_category_sizes_are_skewed_and_two_level() -> None:
    pieces = corpus.generate(2000, seed=6)
    sizes = sorted(
        (sum((p, c) in piece.categories for piece in pieces) for p, c in corpus.LEAVES),
        reverse=True,
    )
    assert sizes[0] > 10 * sizes[25]  # the largest leaf dwarfs the median one
    assert sizes[0] > 300
    text = corpus.feeds_article(pieces[0])
    assert re.search(r'^(category: "\w[\w -]*: \w[\w -]*"|categories: \[)', text, re.M)
    two = [piece for piece in pieces if len(piece.categories) == 2]
    assert 100 < len(two) < 300  # about one in ten


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("iso_space", "2021-03-23 10:18"),
        ("rfc822", "Tue, 23 Mar 2021 10:18:00 +0000"),
        ("weekday_long", "Tuesday, Mar 23, 2021, 10:18"),
    ],
)
def test_date_styles_as_written(style: str, expected: str) -> None:
    instant = datetime(2021, 3, 23, 10, 18, tzinfo=UTC)
    assert corpus.format_date(instant, style, random.Random(0)) == expected


def test_month_ampm_and_iso_offset_styles() -> None:
    evening = datetime(2020, 12, 30, 23, 59, tzinfo=UTC)
    assert corpus.format_date(evening, "month_ampm", random.Random(0)) == "Dec 30, 2020, 11:59 PM"
    noon = datetime(2020, 12, 30, 12, 5, tzinfo=UTC)
    assert corpus.format_date(noon, "month_ampm", random.Random(0)) == "Dec 30, 2020, 12:05 PM"
    text = corpus.format_date(evening, "iso_offset", random.Random(0))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00[+-]\d\d:\d\d", text)
    assert datetime.fromisoformat(text) == evening  # same instant, another offset


def test_every_date_style_and_markdown_feature_occurs() -> None:
    pieces = corpus.generate(400, seed=6)
    assert {piece.date_style for piece in pieces} == set(corpus.DATE_STYLES)
    assert all(
        datetime(2015, 1, 1, tzinfo=UTC) <= piece.instant < datetime(2026, 11, 1, tzinfo=UTC)
        for piece in pieces
    )
    bodies = "\n".join(piece.body for piece in pieces)
    for feature in (
        r"^## ",
        r"^- ",
        r"^1\. ",
        r"\*\*\w+\*\*",
        r"`\w+\(\)`",
        r"^```",
        r"^\| ---",
        r"!\[",
        r"\]\(https://",
        r"\]\(/articles/",
        r"\]\(\.\./",
    ):
        assert re.search(feature, bodies, re.M), feature
    words = [piece.words for piece in pieces]
    assert min(words) < 160 and max(words) > 1400
    assert 350 < sum(words) / len(words) < 500


@pytest.mark.skipif(not FEEDS.exists(), reason="the feeds command is not installed in this venv")
def test_tiny_corpus_builds_with_feeds(tmp_path: Path) -> None:
    corpus.write_corpus(tmp_path, 30, seed=5, tools=("feeds",))
    done = subprocess.run(
        [
            str(FEEDS),
            "build",
            "--config",
            str(tmp_path / "config.yaml"),
            "--now",
            "2026-11-26T12:00:00Z",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 errors, 0 warnings" in done.stdout
    assert (tmp_path / "public" / "feeds" / "all.atom.xml").exists()
    assert (tmp_path / "public" / "feeds" / "all.rss.xml").exists()


@pytest.mark.skipif(not FEEDS.exists(), reason="the feeds command is not installed in this venv")
def test_the_sql_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    """bench/sql.py (issue 18) end to end at 30 articles: both sides build, and both
    incremental outputs equal their clean builds (it exits 1 when one does not)."""
    done = subprocess.run(
        [sys.executable, str(BENCH / "sql.py"), "--size", "30", "--repeat", "1",
         "--work", str(tmp_path)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "identical to a clean build: files yes, sql yes" in done.stdout
    assert (tmp_path / "results-sql-30.md").exists()
