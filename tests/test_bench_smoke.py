"""Smoke tests of the benchmark corpus (bench/corpus.py): deterministic bytes, the promised
shape (skewed two-level categories, five date styles, Markdown features), and a tiny corpus
that `feeds build` publishes with exit 0. No timing here: speed lives in bench/run.py."""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))
import corpus  # noqa: E402  (bench/ is a folder of scripts, not a package)
import corpus_newsroom  # noqa: E402
import run  # noqa: E402

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


# --- issue 14: the newsroom recipe (bench/corpus_newsroom.py) -----------------------------

HUGO = shutil.which("hugo")


def test_newsroom_same_seed_same_bytes_another_seed_another_corpus(tmp_path: Path) -> None:
    corpus_newsroom.write_corpus(tmp_path / "one", 40, seed=11)
    corpus_newsroom.write_corpus(tmp_path / "two", 40, seed=11)
    corpus_newsroom.write_corpus(tmp_path / "three", 40, seed=12)
    one = tree_digest(tmp_path / "one")
    assert one == tree_digest(tmp_path / "two")
    assert one != tree_digest(tmp_path / "three")
    assert sum(name.startswith("content/") for name in one) == 40
    assert sum(name.startswith("hugo/content/posts/") for name in one) == 40


def test_newsroom_has_51_flat_and_nested_categories_and_seven_date_styles() -> None:
    paths = corpus_newsroom.CATEGORIES
    assert len(paths) == len(set(paths)) == 51
    assert sum(len(p) == 1 for p in paths) == 21  # 15 flat + the 6 parents
    assert sum(len(p) == 2 for p in paths) == 30
    instant = datetime(2021, 3, 23, 10, 18, tzinfo=UTC)
    expected = {
        "rfc822": "Tue, 23 Mar 2021 10:18:00 +0000",
        "weekday_long": "Tuesday, Mar 23, 2021, 10:18",
        "iso_zulu": "2021-03-23T10:18:00Z",
        "day_month_long": "23 March 2021 10:18",
    }
    for style, text in expected.items():
        assert corpus_newsroom.format_date(instant, style, random.Random(0)) == text
    stories = corpus_newsroom.generate(600, seed=6)
    assert {s.date_style for s in stories} == set(corpus_newsroom.DATE_STYLES)
    assert len(corpus_newsroom.DATE_STYLES) == 7
    words = [s.words for s in stories]
    assert 600 < sum(words) / len(words) < 720  # longer than bench/corpus.py's ~441
    sizes = sorted(Counter(p for s in stories for p in s.categories).values(), reverse=True)
    assert sizes[0] > 10 * sizes[25]  # Zipf: the largest dwarfs the median one
    bodies = "\n".join(s.body for s in stories)
    links = len(re.findall(r"\]\((?:https://|/articles/|\.\./)", bodies))
    assert links / sum(words) > 0.02  # bench/corpus.py: ~0.01 links a word


@pytest.mark.skipif(not FEEDS.exists(), reason="the feeds command is not installed in this venv")
def test_newsroom_yaml11_words_are_read_as_text_and_no_article_is_refused(
    tmp_path: Path,
) -> None:
    corpus_newsroom.write_corpus(tmp_path, 300, seed=6, tools=("feeds",))
    texts = [p.read_text(encoding="utf-8") for p in (tmp_path / "content").rglob("*.md")]
    # written plain, as a CMS export writes them (YAML 1.1 would read booleans)
    assert any(re.search(r"^  - off$", t, re.M) for t in texts)
    assert any(re.search(r"^tags: \[.*\bno\b", t, re.M) for t in texts)
    assert any(re.search(r"^title: (No|Yes|On|Off)$", t, re.M) for t in texts)
    done = subprocess.run(
        [str(FEEDS), "build", "--config", str(tmp_path / "config.yaml"), "--now", run.NOW],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "300 articles published" in done.stdout
    assert "0 errors, 0 warnings" in done.stdout
    atom = (tmp_path / "public" / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert re.search(r'<category term="(off|no|yes|on)" scheme="https://news\.example', atom)


def _feed_set(folder: Path, pattern: str, strip: str) -> set[str]:
    return {p.relative_to(folder).as_posix().removesuffix(strip) for p in folder.glob(pattern)}


@pytest.mark.skipif(not FEEDS.exists(), reason="the feeds command is not installed in this venv")
def test_newsroom_hugo_side_builds_the_same_feeds(tmp_path: Path) -> None:
    if HUGO is None:
        pytest.skip("hugo is not installed (apt-get install hugo; .ci/run installs it)")
    corpus_newsroom.write_corpus(tmp_path, 200, seed=6)
    feeds_build = [str(FEEDS), "build", "--config", str(tmp_path / "config.yaml"), "--quiet"]
    subprocess.run([*feeds_build, "--now", run.NOW], check=True, timeout=120)
    subprocess.run([HUGO, "--quiet"], cwd=tmp_path / "hugo", check=True, timeout=120)
    ours = _feed_set(tmp_path / "public" / "feeds" / "category", "**/*.rss.xml", ".rss.xml")
    hugo = _feed_set(tmp_path / "hugo" / "public" / "categories", "*/**/index.xml", "/index.xml")
    assert ours == hugo
    assert len(ours) >= 35  # 200 articles fill most of the 51 categories
    # and the site feed holds the same 50 articles, newest first, in both
    item_link = re.compile(r"<item>.*?<link>([^<]+)</link>", re.S)
    our_links = item_link.findall((tmp_path / "public/feeds/all.rss.xml").read_text("utf-8"))
    hugo_links = item_link.findall((tmp_path / "hugo/public/index.xml").read_text("utf-8"))
    assert len(our_links) == 50 and our_links == hugo_links


# --- issue 14: bench/run.py --corpus DIR ---------------------------------------------------


def _run_bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCH / "run.py"), *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.skipif(not FEEDS.exists(), reason="the feeds command is not installed in this venv")
def test_run_times_a_bare_content_folder_and_leaves_it_alone(tmp_path: Path) -> None:
    corpus.write_corpus(tmp_path / "made", 25, seed=5, tools=("feeds",))
    mine = tmp_path / "made" / "content"
    before = tree_digest(mine)
    done = _run_bench("--corpus", str(mine), "--work", str(tmp_path / "work"))
    assert done.returncode == 0, done.stdout + done.stderr
    for step in ("cold build", "no-change rebuild", "validate (site)"):
        assert re.search(rf"\| 25 \| feeds \| {re.escape(step)} \|", done.stdout), step
    assert done.stdout.count("| output identical to a clean build |") == 3
    assert tree_digest(mine) == before  # the benchmark works on a copy


@pytest.mark.skipif(not FEEDS.exists(), reason="the feeds command is not installed in this venv")
def test_run_times_a_site_folder_with_its_own_config(tmp_path: Path) -> None:
    corpus_newsroom.write_corpus(tmp_path / "site", 25, seed=5, tools=("feeds",))
    config = tmp_path / "site" / "config.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("max_items: 50", "max_items: 7"),
        encoding="utf-8",
    )
    (tmp_path / "site" / "corpus.json").unlink()  # a site of one's own: no manifest
    done = _run_bench("--corpus", str(tmp_path / "site"), "--work", str(tmp_path / "work"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("| output identical to a clean build |") == 3
    (copy,) = (tmp_path / "work").glob("corpus-own-site-*")
    assert "max_items: 7" in (copy / "config.yaml").read_text(encoding="utf-8")
    # the site's own settings were used: no feed holds more than 7 entries
    atom = (copy / "public" / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert atom.count("<entry>") == 7


def test_run_refuses_a_folder_without_articles(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = _run_bench("--corpus", str(tmp_path / "empty"), "--work", str(tmp_path / "work"))
    assert done.returncode == 2
    assert "no Markdown article" in done.stderr and str(tmp_path / "empty") in done.stderr


def test_run_exits_1_when_an_incremental_build_differs_from_a_clean_one(tmp_path: Path) -> None:
    # a stand-in `feeds` whose every build writes different bytes: the comparison must fail
    fake = tmp_path / "feeds"
    fake.write_text(
        "#!/bin/sh\n"
        'config="$3"\n'
        'out="$(dirname "$config")/public"\n'
        'case "$config" in *clean*) out="$out-clean";; esac\n'
        'mkdir -p "$out" && date +%s%N > "$out/all.atom.xml"\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)
    folder = tmp_path / "site"
    corpus.write_corpus(folder, 5, seed=5, tools=("feeds",))
    steps = run.feeds_steps(folder, 5, 1, fake)
    incremental = [s for s in steps if "one article" in s.step]
    assert len(incremental) == 3
    assert all(s.failed and s.note.startswith("NOT identical") for s in incremental)
    assert run.exit_code(steps) == 1
    assert run.exit_code([s for s in steps if s not in incremental]) == 0


def test_measure_sees_the_memory_a_process_tree_touches(tmp_path: Path) -> None:
    """A parent that touches 60 MiB and a forked child that shares them and touches 40 MiB
    more: the summed RSS counts the shared 60 twice, the summed PSS once."""
    script = (
        "import os, time\n"
        "block = bytearray(60 << 20)\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    mine = bytearray(40 << 20); time.sleep(1.0); os._exit(0)\n"
        "time.sleep(1.0); os.waitpid(pid, 0)\n"
    )
    measured = run.measure([sys.executable, "-c", script], tmp_path)
    assert measured.rc == 0
    assert measured.procs == 2
    assert measured.peak_rss >= 160 << 10  # KiB: 60 + (60 shared + 40)
    assert 100 << 10 <= measured.peak_pss <= measured.peak_rss - (40 << 10)


# --- issue 14: bench/latency.py ------------------------------------------------------------


@pytest.mark.skipif(not FEEDS.exists(), reason="the feeds command is not installed in this venv")
def test_latency_times_saves_under_the_watcher_and_a_fresh_rebuild(tmp_path: Path) -> None:
    """bench/latency.py end to end at 30 articles: every save published and its build's end
    reported after it, the watcher's memory sampled, a fresh rebuild timed, and the edited
    article restored byte for byte."""
    corpus.write_corpus(tmp_path, 30, seed=5, tools=("feeds",))
    newest = tmp_path / json.loads((tmp_path / "corpus.json").read_text())["newest"]["feeds"]
    before = newest.read_bytes()
    done = subprocess.run(
        [sys.executable, str(BENCH / "latency.py"), "--corpus", str(tmp_path),
         "--saves", "3", "--fresh", "1", "--timeout", "60"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    line = r"save (\d): (\d+) ms to published, (\d+) ms to the build's end"
    saves = re.findall(line, done.stdout)
    assert [number for number, _, _ in saves] == ["1", "2", "3"], done.stdout
    assert all(int(published) <= int(ended) for _, published, ended in saves), saves
    assert re.search(r"save to the build's end, 3 saves: median \d+ ms", done.stdout)
    peak = re.search(r"watcher's process tree: peak PSS (\d+) MiB, RSS (\d+) MiB", done.stdout)
    assert peak is not None and 0 < int(peak[1]) <= int(peak[2]), done.stdout
    assert "one-article rebuild as a fresh process, 1 runs" in done.stdout
    assert newest.read_bytes() == before
